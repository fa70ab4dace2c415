"""Small text helpers shared by the stages (no I/O, cheap to import)."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def word_count(text: str) -> int:
    """Words as a translator counts them ("don't" and "co-organized" are one)."""
    return len(_WORD.findall(text))


#: A URL (scheme or www.), without trailing sentence punctuation; used by the segmenter (to
#: keep sentence boundaries out of URLs) and by the token protection of mt and check.
URL_PATTERN = (
    r"(?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
    r"|www\.[A-Za-z0-9-]+\.[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
)
#: An e-mail address.
EMAIL_PATTERN = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 entry``, ``2 entries``, ``0 entries``: a count with its noun in the right number."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
