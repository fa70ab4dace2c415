"""The project's glossary (``locales/glossary.csv``), read at the edge."""

from __future__ import annotations

import csv

from ..config import Config
from ..errors import UsageError
from ..fsutil import read_text_strict
from .protect import GlossaryTerm, parse_glossary

#: Longest glossary cell accepted: a term, not a document.
MAX_CELL = 1000


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
    return parse_glossary(rows, path=shown)
