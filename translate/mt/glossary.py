"""The project's glossary (``locales/glossary.csv``), read at the edge."""

from __future__ import annotations

import csv

from ..config import Config
from ..fsutil import read_text_strict
from .protect import GlossaryTerm, parse_glossary


def load_glossary(config: Config) -> list[GlossaryTerm]:
    path = config.locales_dir / "glossary.csv"
    if not path.exists():
        return []
    text = read_text_strict(path, display=config.show(path))
    return parse_glossary(list(csv.reader(text.splitlines())), path=config.show(path))
