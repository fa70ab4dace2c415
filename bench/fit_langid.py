"""Fit the language identifier of `translate check` (translate/check/langid_model.txt).

    .venv/bin/python bench/fit_langid.py [--min-count 3] [--dry-run]

Training catalogues only (bench/quality_data.py's list): for each language of
``translate.check.langid.LANGUAGES`` the translations of the listed programs installed in
/usr/share/locale/<lang>/LC_MESSAGES (English: their msgids), reduced to the text the
language check reads (``signals.language_text``: no tokens, identifiers, or words copied from
the msgid). The model counts character n-grams (``langid.ORDERS``) per language and keeps
those seen ``--min-count`` times or more; the file stores, per n-gram, its log-probability
in each language (add-one smoothing), in tenths of a nat, and per language and order the
log-probability of an n-gram never seen there.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality_data as Q  # noqa: E402

from translate.check import langid  # noqa: E402
from translate.check.signals import Message, language_text, prose, words  # noqa: E402

#: the installed locale folders whose catalogues teach each language
FOLDERS = {"pt": ("pt", "pt_BR"), "es": ("es",), "it": ("it",), "fr": ("fr",), "ca": ("ca",), "de": ("de",)}


def texts(lang: str, names: list[str]) -> list[str]:
    """The language check's view of every translation into ``lang`` of the named programs."""
    out = []
    for name in names:
        if lang == "en":
            pairs = Q.mo_pairs("es", name) if (Q.LOCALE / "es" / "LC_MESSAGES" / f"{name}.mo").exists() else {}
            out += [" ".join(words(prose(k))) for k in pairs]
            continue
        for folder in FOLDERS[lang]:
            if (Q.LOCALE / folder / "LC_MESSAGES" / f"{name}.mo").exists():
                out += [language_text(Message(k, v)) for k, v in Q.mo_pairs(folder, name).items() if v]
    return [t for t in out if t]


def count(lang_texts: list[str]) -> list[Counter]:
    """Counts of each order's n-grams over the texts."""
    per_order = [Counter() for _ in langid.ORDERS]
    for t in lang_texts:
        for k, n in enumerate(langid.ORDERS):
            per_order[k].update(langid.ngrams(t, n))
    return per_order


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    names = Q.train_names()
    counts = {}
    for lang in langid.LANGUAGES:
        got = texts(lang, names)
        counts[lang] = count(got)
        print(f"{lang}: {len(got)} texts, {sum(len(t) for t in got)} characters")
    kept: dict[str, int] = {}  # n-gram → order index
    for k, _n in enumerate(langid.ORDERS):
        total = Counter()
        for lang in langid.LANGUAGES:
            total.update(counts[lang][k])
        kept.update({g: k for g, c in total.items() if c >= args.min_count})
    lines = [f"# {langid.HEADER} " + " ".join(langid.LANGUAGES)]
    unseen = []
    for lang in langid.LANGUAGES:
        row = []
        for k, _n in enumerate(langid.ORDERS):
            vocab = sum(1 for o in kept.values() if o == k)
            denom = sum(c for g, c in counts[lang][k].items() if g in kept) + vocab + 1
            row.append(math.log(1 / denom))
            counts[lang][k] = {g: math.log((c + 1) / denom) for g, c in counts[lang][k].items() if g in kept}
        unseen.append(row)
    lines.append("unseen\t" + " ".join(",".join(str(round(10 * v)) for v in row) for row in unseen))
    for g, k in sorted(kept.items(), key=lambda x: (x[1], x[0])):
        vals = [counts[lang][k].get(g, unseen[i][k]) for i, lang in enumerate(langid.LANGUAGES)]
        lines.append(g + "\t" + " ".join(str(round(10 * v)) for v in vals))
    print(f"{len(kept)} n-grams kept")
    if not args.dry_run:
        langid.MODEL_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {langid.MODEL_PATH.name} ({langid.MODEL_PATH.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
