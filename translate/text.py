"""Small text helpers shared by the stages (no I/O, cheap to import)."""

from __future__ import annotations

import re

from unicode_segmentation_rs import unicode_words

# The rules of translate-toolkit's `pocount`, so that our counts equal the ones a translator
# or an agency gets from it: a <br> is a break, other XML/HTML tags are not words, a full stop
# between two non-digits separates words ("e.g." is two), and the rest are Unicode (UAX #29)
# words that hold a letter or a digit ("don't" is one word, "co-organized" two, "3.5" one).
_BR = re.compile(r"<br\s*/?>")
_TAG = re.compile(r"""<[\w.:]+(?:\s(?:[\w.:]+=(?:".*?"|'.*?'))?)*/?>|</[\w.]+>""")
_STOP_BETWEEN_LETTERS = re.compile(r"\D\.\D")


def word_count(text: str) -> int:
    """Words as translate-toolkit's ``pocount`` counts them (see bench/wordcount.py)."""
    if not text:
        return 0
    text = _STOP_BETWEEN_LETTERS.sub(" ", _TAG.sub("", _BR.sub("\n", text)))
    return len(unicode_words(text))


#: A URL (scheme or www.), without trailing sentence punctuation; used by the segmenter (to
#: keep sentence boundaries out of URLs) and by the token protection of mt and check.
URL_PATTERN = (
    r"(?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
    r"|www\.[A-Za-z0-9-]+\.[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
)
#: An e-mail address.
EMAIL_PATTERN = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 entry``, ``2 entries``, ``0 entries``: a count with its noun in the right number."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
