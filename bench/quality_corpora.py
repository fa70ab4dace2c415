"""English → human Spanish pairs for bench/quality.py: Debian catalogues and man pages.

Catalogues: the settled entries (not fuzzy, no plural, with letters, at most 400 characters)
of the ``.mo`` files in /usr/share/locale/es/LC_MESSAGES, held-out ones (not in
shared/eval/train-catalogues.txt) unless ``train=True``; a fixed sample chosen by a hash of
the msgid, so every run measures the same strings.

Man pages: each page under /usr/share/man/es/manN that has an English page of the same name
in /usr/share/man/manN, rendered by ``man`` on one long line per paragraph. Sections are
taken in order (headings are the unindented lines); inside a section with as many paragraphs
in both languages, paragraph i pairs with paragraph i. A pair is dropped when the Spanish is
mostly the English words (a paragraph the translators left untranslated) or when the lengths
differ more than a translation's would (a sign the two pages are of different versions).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from pathlib import Path

LOCALE = Path("/usr/share/locale/es/LC_MESSAGES")
MAN = Path("/usr/share/man")
#: The list of training catalogues, beside the project folder (``--train-list`` to point elsewhere).
TRAIN_LIST = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "train-catalogues.txt"


def train_names(path: Path = TRAIN_LIST) -> set[str]:
    if not path.exists():
        raise SystemExit(f"{path}: no list of training catalogues (give --train-list FILE)")
    return {x.strip() for x in path.read_text().splitlines() if x.strip() and not x.startswith("#")}


def catalogue_pairs(size: int, names: set[str], *, train: bool = False) -> list[tuple[str, str]]:
    """``size`` (English, Spanish) pairs of the catalogues in ``names`` (train) or not in it."""
    import polib

    pairs: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mo in sorted(LOCALE.glob("*.mo")):
            if (mo.stem in names) != train:
                continue
            out = Path(tmp) / f"{mo.stem}.po"
            if subprocess.run(["msgunfmt", str(mo), "-o", str(out)], capture_output=True).returncode:
                continue
            for e in polib.pofile(str(out)):
                if e.msgid and e.msgstr and not e.msgid_plural and "fuzzy" not in e.flags and len(e.msgid) <= 400:
                    if re.search(r"[A-Za-z]{3}", e.msgid) and e.msgstr != e.msgid:
                        pairs.append((e.msgid, e.msgstr))
    pairs = list(dict(pairs).items())
    pairs.sort(key=lambda p: hashlib.sha1(p[0].encode()).hexdigest())
    return pairs[:size]


def _render(page: Path) -> list[list[str]]:
    """Sections of a man page, each a list of paragraphs (one line each, spaces collapsed)."""
    env = dict(os.environ, MANWIDTH="5000", MAN_KEEP_FORMATTING="0", LANG="C.UTF-8")
    text = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, env=env).stdout
    text = subprocess.run(["col", "-bx"], input=text, capture_output=True, text=True).stdout
    lines = text.splitlines()[1:-1]  # the header and footer lines
    sections: list[list[str]] = []
    para: list[str] = []
    for line in lines + [""]:
        if line and not line[0].isspace():
            sections.append([])
            continue
        if line.strip():
            para.append(line.strip())
        elif para and sections:
            sections[-1].append(" ".join(" ".join(para).split()))
            para = []
    return sections


def _english_share(en: str, es: str) -> float:
    ew, sw = set(re.findall(r"[a-z]{3,}", en.lower())), re.findall(r"[a-z]{3,}", es.lower())
    return sum(w in ew for w in sw) / max(1, len(sw))


def manpage_pairs() -> tuple[list[tuple[str, str]], str]:
    """(English, Spanish) paragraph pairs and a line saying how many pages and sections aligned."""
    pairs: list[tuple[str, str]] = []
    pages = same = used_sections = all_sections = 0
    for es_page in sorted((MAN / "es").glob("man*/*")):
        en_page = MAN / es_page.parent.name / es_page.name
        if not en_page.exists():
            continue
        pages += 1
        en, es = _render(en_page), _render(es_page)
        if len(en) != len(es):
            continue
        same += 1
        for se, ss in zip(en, es):
            all_sections += 1
            if len(se) != len(ss):
                continue
            used_sections += 1
            for a, b in zip(se, ss):
                words = len(a.split())
                if 6 <= words <= 120 and a != b and _english_share(a, b) < 0.5 and 0.6 < len(b) / len(a) < 1.8:
                    pairs.append((a, b))
    pairs = list(dict(pairs).items())
    note = (
        f"man pages: {pages} Spanish pages with an English page, {same} with as many sections; {used_sections} of "
        f"{all_sections} of their sections have as many paragraphs in both; {len(pairs)} paragraph pairs kept"
    )
    return pairs, note
