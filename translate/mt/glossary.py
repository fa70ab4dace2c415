"""The project's glossary (``locales/glossary.csv``), read at the edge.

A term's Spanish gender and number (for the article before it, see :mod:`translate.mt.agree`)
come from the glossary's optional fourth column, else from Apertium's Spanish morphological
analyser (``lt-proc`` on the Debian package's ``spa-eng.automorf.bin``, one process for the
whole glossary): the first word of the Spanish term, when every noun reading of it has one
gender and number. An acronym the analyser does not know takes the gender of the term that
spells it out ("Organización Internacional del Trabajo (OIT)" makes "OIT" feminine).
Without Apertium, terms without the column simply keep the engine's article.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Sequence

from ..config import Config
from ..errors import UsageError
from ..fsutil import read_text_strict
from .engines.apertium_stream import analyser_of
from .protect import GlossaryTerm, parse_glossary

#: Longest glossary cell accepted: a term, not a document.
MAX_CELL = 1000

_READING = re.compile(r"\^([^/$]*)((?:/[^/$]*)*)\$")


def load_glossary(config: Config) -> list[GlossaryTerm]:
    path = config.locales_dir / "glossary.csv"
    if not path.exists():
        return []
    shown = config.show(path)
    text = read_text_strict(path, display=shown)
    reader = csv.reader(text.splitlines())
    try:
        rows = list(reader)
    except csv.Error as e:
        raise UsageError(f"not a CSV glossary: {e}", path=shown, line=reader.line_num) from None
    for i, row in enumerate(rows, 1):
        if any(len(c) > MAX_CELL for c in row):
            raise UsageError(f"glossary cell longer than {MAX_CELL} characters (a term, not a text)", path=shown, line=i)
    return with_genders(parse_glossary(rows, path=shown))


def analyse(words: Sequence[str], analyser: Path | None = None) -> dict[str, list[str]]:
    """word → its analyses (``Organización<n><f><sg>``) by ``lt-proc`` on ``analyser`` (default:
    Apertium's Spanish one, the first program of its ``spa-eng`` mode); {} without Apertium."""
    words = [w for w in dict.fromkeys(words) if re.fullmatch(r"\w+", w)]
    analyser = analyser or analyser_of("spa-eng")
    if not words or analyser is None or not analyser.exists():
        return {}
    try:
        out = subprocess.run(
            ["lt-proc", str(analyser)], input="\n".join(words) + "\n", capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return {m.group(1): [r for r in m.group(2).split("/") if r] for m in _READING.finditer(out)}


def noun_gender(readings: Sequence[str]) -> tuple[str, str]:
    """(gender, number) shared by every noun reading, else ("", "")."""
    found = {
        (g, n)
        for r in readings
        if "<n>" in r
        for g, n in [(re.search(r"<(m|f|mf)>", r), re.search(r"<(sg|pl|sp)>", r))]
        if g and n
    }
    if len(found) != 1:
        return "", ""
    g, n = next(iter(found))
    return (g.group(1), n.group(1)) if g.group(1) in ("m", "f") and n.group(1) in ("sg", "pl") else ("", "")


def with_genders(terms: list[GlossaryTerm]) -> list[GlossaryTerm]:
    """The terms with gender and number filled in where the glossary left them empty."""
    todo = [t for t in terms if not t.gender]
    heads = {t.target: t.target.split()[0] for t in todo if t.target.split()}
    readings = analyse(list(heads.values())) if heads else {}
    known = {t.target: (t.gender, t.number) for t in terms if t.gender}
    for target, head in heads.items():
        gn = noun_gender(readings.get(head, []))
        if gn[0]:
            known[target] = gn
    for t in todo:  # "OIT" from "Organización Internacional del Trabajo (OIT)"
        if t.target not in known:
            full = next((gn for tgt, gn in known.items() if tgt.endswith(f"({t.target})")), None)
            if full:
                known[t.target] = full
    return [t if t.gender or t.target not in known else dataclasses.replace(t, gender=known[t.target][0], number=known[t.target][1]) for t in terms]
