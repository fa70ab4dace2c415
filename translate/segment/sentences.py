"""English sentence boundaries as character offsets.

``sentence_spans(text)`` returns ``[(start, end), ...]``: ordered, non-overlapping spans, each
starting and ending on a non-whitespace character, which together cover every non-whitespace
character of ``text`` (the whitespace between sentences belongs to no span).

The segmenter is `sentencex <https://github.com/wikimedia/sentencex>`_ (Wikimedia, Rust core),
chosen by ``bench/segmenters.py``: on its 65 English edge cases sentencex alone scores 54/65
and 60/65 with the post-pass below (pysbd 59/65, blingfire 54/65, syntok 51/65), and it runs
at ~55-70 MB/s, where pysbd manages ~0.3 MB/s (and is quadratic on one long string) and
txt2po ~7 MB/s.  Its boundaries are kept as they are; a thin, deterministic post-pass only
adds boundaries that sentencex does not make (it never removes one):

1. a line holding only whitespace is a paragraph break (sentencex honours ``\\n\\n`` but not
   ``\\n  \\n``);
2. ``…`` (U+2026) followed by a capitalised word ends a sentence, as ``...`` already does;
3. ``.)`` / ``?)`` / ``!)`` (optionally with a closing quote before the bracket) followed by a
   capitalised word ends a sentence: a parenthesised sentence is a sentence;
4. a heading line without a full stop ends a unit: ``Introduction\\nThis guide explains ...``
   gives two.  A line counts as a heading when the next line starts with a capital, digit,
   quote or bracket, the line has at most 8 words, does not end in . ! ? … , ; nor in a word
   like "and", "of", "the", and the line break was deliberate rather than a wrap: the next
   line's first word would have fitted, ``len(line) + 1 + len(word) <= max(len(line),
   len(next line))``.  A greedy wrapper (fmt, textwrap, editors) never leaves a word that
   fits, so hard-wrapped prose (``... the\\nLicense ...``) is not split.

Not fixed (see the bench): "etc." before a capital never ends a sentence, a quotation holding
several sentences stays one unit (``“It is late. We should go.”``), and a heading followed by
a shorter line (``Known Issues\\nNone so far.``) is not split.

sentencex 1.0.32 panics (a Rust ``PanicException``) on a multi-byte space right before a full
stop (``Plan A\u00a0.``) and rejects lone surrogates; the wrapper hands it a same-length copy
without them, so offsets are unchanged, and never lets a panic escape.

Only ``sentencex`` is imported, lazily, on the first call; importing this module does nothing
but define things.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    _Segmenter = tuple[Callable[[str, str], Iterable[str]], Callable[[str, str], list[dict]]]

__all__ = ["sentence_spans"]

# Characters that may open a sentence after a forced boundary (rules 2 and 3).
_OPENER = "\"'\u201c\u2018(\\["

# Rules 1 and 4 share one regex so the text's line breaks are scanned once; it starts with the
# literal "\n" (look-behinds come after it) so the regex engine can skip ahead fast.
#   Rule 1: a whitespace-only line with at least one blank in it ("\n  \n"; a pure "\n\n" is
#           sentencex's own business); the new unit starts at the match end.
#   Rule 4 candidates: a line break whose line does not end in whitespace or . ! ? … , ; and
#           whose next line (after indentation) starts with a capital, digit, quote or bracket.
#           Group 1 is the next line's first word; the other tests are done in Python.
_NEWLINE = (
    r"\n(?:[^\S\n]+\n\s*(?=\S)"
    r"|(?:(?<=[^\s.!?\u2026,;]\n)|(?<=[^\s.!?\u2026,;]\r\n))[ \t]*([A-Z0-9\"'\u201c\u2018(\[]\S*))"
)
# Rule 2: U+2026 then whitespace then (an optional opener and) a capital.
_ELLIPSIS = r"\u2026\s+(?=[" + _OPENER + r"]?[A-Z])"
# Rule 3: sentence punctuation, optional closing quote, ")" then a capitalised word (literal ")"
# first, look-behinds after it, for speed).
_CLOSE_PAREN = (
    r"\)(?:(?<=[.!?]\))|(?<=[.!?][\"'\u201d\u2019]\)))\s+(?=[" + _OPENER + r"]?[A-Z])"
)
# Rule 4: a heading has at most this many words, and does not end in one of these words
# (found ending hand-wrapped lines in licence texts: "... FITNESS FOR\nA PARTICULAR PURPOSE").
_HEADING_MAX_WORDS = 8
_CONTINUES = frozenset(
    "a an and as at but by for from in into is are nor of on or than that the to under with".split()
)
# Input that sentencex must not see (see _library_spans): whitespace that takes more than one
# byte in UTF-8 (every non-ASCII character for which str.isspace() is true) right before a
# full stop (written "." first, look-behind after, for speed), and lone surrogates.
_WIDE_SPACE = "[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_PANICS = r"\.(?<=" + _WIDE_SPACE + r"\.)"
_SURROGATE = "[\ud800-\udfff]"


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], ...]:
    """The compiled patterns above (compiled on first use, kept out of import time)."""
    return tuple(
        re.compile(p)
        for p in (_NEWLINE, _ELLIPSIS, _CLOSE_PAREN, _PANICS, _WIDE_SPACE, _SURROGATE)
    )


@lru_cache(maxsize=1)
def _segmenter() -> _Segmenter:
    """sentencex's two entry points, imported on first use (cheap: ~2 ms, no model to load)."""
    from sentencex import get_sentence_boundaries, segment

    return segment, get_sentence_boundaries


def _extra_starts(text: str) -> list[int]:
    """Offsets (each on a non-whitespace character) where the post-pass starts a sentence."""
    newline, ellipsis, close_paren = _rules()[:3]
    cuts: list[int] = []
    n = len(text)
    if "\n" in text:
        for m in newline.finditer(text):
            word_start, word_end = m.span(1)
            if word_start < 0:  # rule 1: whitespace-only line
                cuts.append(m.end())
                continue
            # rule 4: is the line a heading, and the break deliberate (not a wrap)?
            nl = m.start()
            line_start = text.rfind("\n", 0, nl) + 1
            line_end = nl - 1 if text[nl - 1] == "\r" else nl
            next_end = text.find("\n", word_end)
            if next_end < 0:
                next_end = n
            if text[next_end - 1] == "\r":
                next_end -= 1
            line_len, next_len = line_end - line_start, next_end - nl - 1
            if line_len + 1 + (word_end - word_start) > max(line_len, next_len):
                continue  # the word would not have fitted: an ordinary wrap
            words = text[line_start:line_end].split()
            if len(words) <= _HEADING_MAX_WORDS and words[-1].lower() not in _CONTINUES:
                cuts.append(word_start)
    # search() first: most texts with ")" or "…" have no match, and a failed search() is
    # about twice as cheap as setting up finditer().
    if "\u2026" in text and ellipsis.search(text):
        cuts.extend(m.end() for m in ellipsis.finditer(text))
    if ")" in text and close_paren.search(text):
        cuts.extend(m.end() for m in close_paren.finditer(text))
    return cuts


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` shrunk to its non-whitespace extent, or None if it is all whitespace."""
    body = text[start:end].rstrip()
    if not body:
        return None
    return start + len(body) - len(body.lstrip()), start + len(body)


def _library_spans(text: str) -> list[tuple[int, int]]:
    """sentencex's sentences as trimmed spans, in order, covering all non-whitespace."""
    safe = text
    # sentencex 1.0.32 panics (Rust: "byte index N is not a char boundary") when a multi-byte
    # space comes right before a full stop ("Plan A\u00a0."). It treats such spaces as " "
    # anyway, so give it " ": one character for one, so offsets and whitespace both hold.
    # (The check is a scan for "." with a look-behind, ~0.4 ms/MB; the fix only runs on a hit.)
    if not text.isascii() and _rules()[3].search(text):
        safe = _rules()[4].sub(" ", text)
    try:
        return _sentencex_spans(safe)
    except UnicodeEncodeError:
        # A lone surrogate (e.g. from errors="surrogateescape"): sentencex only takes valid
        # UTF-8, and raises before doing anything. U+FFFD, one character for one, will do.
        safe = _rules()[5].sub("\ufffd", safe)
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ != "PanicException":
            raise
        safe = _rules()[4].sub(" ", safe)
    try:
        return _sentencex_spans(safe)
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
    # Still a panic, never seen: retry on an ASCII copy, then give up on sentences and return
    # the blank-line separated paragraphs rather than fail the whole document.
    ascii_copy = re.sub(r"[^\x00-\x7f]", lambda m: " " if m[0].isspace() else "x", safe)
    try:
        return _sentencex_spans(ascii_copy)
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
    starts = [0, *(m.end() for m in re.finditer(r"\n[^\S\n]*\n", text))]
    ends = starts[1:] + [len(text)]
    return [sp for sp in map(_trimmed, [text] * len(starts), starts, ends) if sp]


def _sentencex_spans(text: str) -> list[tuple[int, int]]:
    segment, boundaries = _segmenter()
    n = len(text)
    # sentencex.segment() (strings) is about twice as fast as get_sentence_boundaries()
    # (dicts with offsets), so take the strings and recover the offsets: each string is the
    # next stretch of the text ("sentence + trailing whitespace"); only whitespace between
    # them may have been dropped (it drops some paragraph breaks).
    spans: list[tuple[int, int]] = []
    append = spans.append
    startswith, find = text.startswith, text.find
    pos = 0
    for piece in segment("en", text):
        if not startswith(piece, pos):
            at = find(piece, pos)
            if at < 0 or not text[pos:at].isspace():
                break
            pos = at
        body = piece.rstrip()
        if body:
            append((pos + len(body) - len(body.lstrip()), pos + len(body)))
        pos += len(piece)
    else:
        if pos == n or text[pos:].isspace():
            return spans
    # Never seen, but not trusted blindly: use the offsets API and cut the text at every start
    # it reports (and 0), so the pieces partition the text whatever it returned.
    starts = sorted({0, *(b["start_index"] for b in boundaries("en", text)
                          if 0 < b["start_index"] < n)})
    ends = starts[1:] + [n]
    return [sp for sp in map(_trimmed, [text] * len(starts), starts, ends) if sp]


def _split_at(text: str, spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Split ``spans`` at ``cuts``. Every cut is on a non-whitespace character, so it lies
    inside exactly one span (or is already a span's start, and changes nothing)."""
    splits: dict[int, list[int]] = {}
    for cut in cuts:
        i = bisect_right(spans, cut, key=itemgetter(0)) - 1
        if i >= 0 and spans[i][0] < cut < spans[i][1]:
            splits.setdefault(i, []).append(cut)
    if not splits:
        return spans
    out: list[tuple[int, int]] = []
    prev = 0
    for i in sorted(splits):
        out.extend(spans[prev:i])
        start, end = spans[i]
        for cut in sorted(set(splits[i])):
            piece = _trimmed(text, start, cut)
            if piece:
                out.append(piece)
            start = cut
        out.append((start, end))
        prev = i + 1
    out.extend(spans[prev:])
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each English sentence of ``text``; see the module docstring."""
    if not text or text.isspace():
        return []
    spans = _library_spans(text)
    # The post-pass only looks at line breaks, "…" and ")": skip it when there are none
    # (cheap C-level scans; this matters when called once per paragraph).
    if "\n" in text or ")" in text or "\u2026" in text:
        cuts = _extra_starts(text)
        if cuts:
            return _split_at(text, spans, cuts)
    return spans
