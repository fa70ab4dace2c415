"""Translation quality of the toolkit against raw ``apertium -u eng-spa``, on text with human Spanish.

    .venv/bin/python bench/quality.py                # held-out catalogues, man pages, press release
    .venv/bin/python bench/quality.py --show 20      # also the first 20 segments that differ
    .venv/bin/python bench/quality.py --tune         # the TRAINING catalogues (for tuning rules only)

Corpora (English → human Spanish):

- *catalogues*: Debian's Spanish catalogues NOT named in shared/eval/train-catalogues.txt
  (``msgunfmt`` of /usr/share/locale/es/LC_MESSAGES/*.mo), a fixed sample of settled entries;
- *man pages*: the Spanish man pages Debian ships beside the English ones, rendered by ``man``
  and aligned paragraph by paragraph inside sections that have as many paragraphs on both
  sides; paragraphs the Spanish page left in English are dropped. The alignment is only as
  good as the translation is up to date: the count of aligned pairs is printed.

"toolkit" is what ``translate mt`` does (protection, glossary, quotation split, post-edit:
:mod:`translate.mt.plan` with the Apertium engine); "raw" is Apertium with ``-u`` and
nothing else (the engine's batch wrapper with ``mark_unknown=False``; a sample is compared
with the ``apertium -u eng-spa`` command and the agreement printed). Scores: sacrebleu chrF
and BLEU on the corpus; per segment, sentence chrF decides which output is better. "worse by
protection" counts the segments where the toolkit scores lower than the same pipeline with
nothing shielded (no placeholders, no glossary): what protection itself cost.

The press release (source/*.txt with locales/glossary.csv) goes through ``segment``,
``update`` and ``mt`` in a temporary project, as a user runs them, and its artefacts are
counted beside raw Apertium's on the same sentences.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality_corpora import TRAIN_LIST, catalogue_pairs, manpage_pairs, train_names  # noqa: E402

from translate.mt import plan as mt  # noqa: E402
from translate.mt.agree import _ARTICLE, _CLASS_OF, _FORMS  # noqa: E402
from translate.mt.engines.apertium import ApertiumEngine  # noqa: E402
from translate.cluster import translate_jobs  # noqa: E402
from translate.mt.protect import Shielded  # noqa: E402
from translate.mt.quotes import split  # noqa: E402
from translate.tm.memory import Memory  # noqa: E402


def _run(engine, jobs: list) -> dict[str, str]:
    """What ``translate mt`` makes of ``jobs`` (the same blocks, the engine's streaming path)."""
    return {job.msgid: mt.finish(job, text, "", unknown).text for job, text, unknown in translate_jobs(engine, jobs)}


def toolkit(engine, msgids: list[str], glossary=()) -> tuple[dict[str, str], dict[str, str]]:
    """msgid → the toolkit's translation, and the same pipeline with nothing shielded.

    The second isolates what protection (and the glossary) change: everything else
    (quotation split, post-edit, engine mode) is the same.
    """
    plan = mt.make_plan(msgids, Memory(), glossary)
    bare = [mt.Job(j.msgid, Shielded(j.msgid), (), split(Shielded(j.msgid))) for j in plan.jobs]
    return _run(engine, plan.jobs), _run(engine, bare)


def raw(engine, msgids: list[str]) -> dict[str, str]:
    return dict(zip(msgids, engine.translate_batch(msgids, mark_unknown=False)))


def cli_agreement(msgids: list[str], raw_out: dict[str, str], n: int = 25) -> tuple[int, int]:
    """How many of ``n`` sample strings the ``apertium -u eng-spa`` command translates the same."""
    same = 0
    sample = [m for m in msgids if "\n" not in m][:n]
    for m in sample:
        out = subprocess.run(["apertium", "-u", "eng-spa"], input=m, capture_output=True, text=True).stdout
        same += out.strip() == raw_out[m].strip()
    return same, len(sample)


def compare(name: str, pairs: list[tuple[str, str]], engine, show: int) -> dict:
    import sacrebleu

    msgids = list(dict.fromkeys(e for e, _s in pairs))
    tk, unshielded = toolkit(engine, msgids)
    rw = raw(engine, msgids)
    refs = [s for _e, s in pairs]
    hyp_t = [tk[e] for e, _s in pairs]
    hyp_r = [rw[e] for e, _s in pairs]
    better = worse = same = worse_shielded = 0
    shown = 0
    for (e, ref), t, r in zip(pairs, hyp_t, hyp_r):
        if t != unshielded[e] and sacrebleu.sentence_chrf(t, [ref]).score < sacrebleu.sentence_chrf(unshielded[e], [ref]).score:
            worse_shielded += 1
            if show:
                print(f"--- {name} WORSE BY PROTECTION\n  en:      {e!r}\n  toolkit: {t!r}\n  bare:    {unshielded[e]!r}")
        if t.strip() == r.strip():
            same += 1
            continue
        ct, cr = sacrebleu.sentence_chrf(t, [ref]).score, sacrebleu.sentence_chrf(r, [ref]).score
        better += ct > cr
        worse += ct < cr
        if shown < show:
            shown += 1
            print(f"--- {name} {'BETTER' if ct > cr else 'WORSE' if ct < cr else 'tie'} {ct:.1f} vs {cr:.1f}")
            print(f"  en:      {e!r}\n  human:   {ref!r}\n  toolkit: {t!r}\n  raw:     {r!r}")
    return {
        "corpus": name,
        "segments": len(pairs),
        "chrF toolkit": sacrebleu.corpus_chrf(hyp_t, [refs]).score,
        "chrF raw": sacrebleu.corpus_chrf(hyp_r, [refs]).score,
        "BLEU toolkit": sacrebleu.corpus_bleu(hyp_t, [refs]).score,
        "BLEU raw": sacrebleu.corpus_bleu(hyp_r, [refs]).score,
        "differ": len(pairs) - same,
        "toolkit better": better,
        "toolkit worse": worse,
        "worse by protection": worse_shielded,
        "agreement": cli_agreement(msgids, rw),
    }


# --------------------------------------------------------------------------- press release artefacts

_QUOTE_SPAN = re.compile(r"“[^“”]*”|«[^«»]*»")
_NAME = re.compile(r"(?<![\w.])[A-Z][a-záéíóúñ]+(?:\s+[A-Z][a-záéíóúñ]+)+")


def _inside(text: str, word: str) -> bool | None:
    """Is ``word`` inside a quotation in ``text`` (None: not in the text)."""
    i = text.find(word)
    if i < 0:
        return None
    return any(a < i < b for a, b in (m.span() for m in _QUOTE_SPAN.finditer(text)))


def _disagrees(es: str, term) -> int:
    """Articles right before ``term``'s Spanish in ``es`` that are not of its gender and number."""
    n = 0
    for m in re.finditer(re.escape(term.target) + r"(?!\w)", es):
        a = _ARTICLE.search(es[: m.start()])
        if a:
            form = " ".join(a.group(1).lower().split())
            n += _FORMS[_CLASS_OF[form]][(term.gender, term.number)] != form
    return n


def _moved(en: str, es: str) -> int:
    """Names outside the quotations in ``en`` (the attribution) found inside one in ``es``."""
    n = 0
    for name in _NAME.findall(en):
        if _inside(en, name) is not False:
            continue
        parts = [name] + [w for w in name.split() if len(w) > 2]
        n += any(_inside(es, p) for p in parts)
    return n


def artefacts(pairs: list[tuple[str, str]], glossary) -> dict[str, int]:
    """Artefact counts in (English, Spanish) pairs the engine made."""
    counts = {"double spaces": 0, "space before punctuation": 0, "article disagrees with term": 0, "name moved across quotes": 0}
    for en, es in pairs:
        if "  " not in en:
            counts["double spaces"] += len(re.findall(r"(?<=\S)  +(?=\S)", es))
        counts["space before punctuation"] += sum(
            1 for m in re.finditer(r"(?<=\S) +([,.;:!?)])(?=\s|$)", es) if f" {m.group(1)}" not in en
        )
        counts["article disagrees with term"] += sum(_disagrees(es, t) for t in glossary if t.gender)
        counts["name moved across quotes"] += _moved(en, es)
    return counts


def press_release(engine) -> tuple[dict, dict]:
    from translate.config import Config
    from translate.mt import stage as mt_stage
    from translate.mt.glossary import load_glossary
    from translate.po import stage as po_stage
    from translate.po.pofile import read_po
    from translate.segment import stage as segment_stage

    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp)
        shutil.copytree(ROOT / "source", proj / "source")
        (proj / "locales").mkdir()
        shutil.copy(ROOT / "locales" / "glossary.csv", proj / "locales" / "glossary.csv")
        cfg = Config(proj, quiet=True)
        segment_stage.segment(cfg)
        po_stage.update(cfg, "es")
        mt_stage.machine_translate(cfg, "es", engine="apertium")
        glossary = load_glossary(cfg)
        entries = [e for p in sorted((proj / "locales" / "es" / "LC_MESSAGES").glob("*.po")) for e in read_po(p) if e.msgid]
    ours = [(e.msgid, e.msgstr) for e in entries]
    rw = raw(engine, [e for e, _s in ours])
    return artefacts(ours, glossary), artefacts([(e, rw[e]) for e, _s in ours], glossary)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tune", action="store_true", help="measure on the training catalogues (tuning only)")
    ap.add_argument("--size", type=int, default=1500, help="catalogue strings sampled")
    ap.add_argument("--show", type=int, default=0, help="print this many differing segments per corpus")
    ap.add_argument("--train-list", type=Path, default=TRAIN_LIST, help="shared/eval/train-catalogues.txt")
    args = ap.parse_args()
    engine = ApertiumEngine.load("en", "es")
    pairs = catalogue_pairs(args.size, train_names(args.train_list), train=args.tune)
    rows = [compare("catalogues (TRAINING)" if args.tune else "catalogues (held-out)", pairs, engine, args.show)]
    if not args.tune:
        man, note = manpage_pairs()
        print(note)
        rows.append(compare("man pages (paragraphs)", man, engine, args.show))
    cols = list(rows[0])
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        cells = [f"{v:.1f}" if isinstance(v, float) else f"{v[0]}/{v[1]}" if isinstance(v, tuple) else str(v) for v in r.values()]
        print("| " + " | ".join(cells) + " |")
    print("(agreement: sample strings where the raw path equals the `apertium -u eng-spa` command)")
    if not args.tune:
        ours, theirs = press_release(engine)
        print("\n| press release artefact | toolkit (translate mt) | raw apertium -u | target |\n|---|---|---|---|")
        for k in ours:
            print(f"| {k} | {ours[k]} | {theirs[k]} | 0 |")


if __name__ == "__main__":
    main()
