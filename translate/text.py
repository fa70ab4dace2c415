"""Small text helpers shared by the stages (no I/O, cheap to import)."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def word_count(text: str) -> int:
    """Words as a translator counts them ("don't" and "co-organized" are one)."""
    return len(_WORD.findall(text))
