"""Spanish typography after the engine: repair only what the engine broke, judged by the source.

Each rule compares the translation with its English source and changes the translation
only where the engine introduced something the source does not have:

- runs of spaces (Apertium leaves two where it drops a subject pronoun: "qué  representan"),
  unless the source has such runs itself (aligned columns in a catalogue);
- a space before ``, . ; : ! ? ) ” »`` or after ``( “ «``, unless the source spaces it so;
- the opening ``¿`` / ``¡`` of a sentence that asks or exclaims, where the source does;
- the case of the letter after an opening quote, and of the first word after a leading
  placeholder ("%.250s Está" → "%.250s está"), kept as in the source;
- optionally, a house style for quotation marks: ``curly`` (“ ”) or ``angle`` (« »).

Pure functions; no I/O.
"""

from __future__ import annotations

import re

from .protect import find_tokens

#: house styles for double quotation marks: name → (opening, closing); "keep" changes nothing
QUOTE_STYLES = {"keep": None, "curly": ("“", "”"), "angle": ("«", "»")}
_OPENING_QUOTES = "“«"
_CLOSING_QUOTES = "”»"
_BEFORE = ",.;:!?)" + _CLOSING_QUOTES  # no space before these
_AFTER = "(" + _OPENING_QUOTES  # no space after these


def _masked(text: str) -> str:
    """``text`` with protected tokens (placeholders, code, URLs…) blanked out by ``\\0``."""
    chars = list(text)
    for a, b, _kind in find_tokens(text, for_engine=True):
        chars[a:b] = "\0" * (b - a)
    return "".join(chars)


_RUN = re.compile(r"[^\S\n]{2,}")
_SPACE_THEN_LINE = re.compile(r"[^\S\n]\n")
_SPACES_THEN_LINE = re.compile(r"[^\S\n]+\n")
#: per mark, the spaces the engine put before it (after it, for the opening ones)
_SPACED_BEFORE = [(p, re.compile(rf"(?<=\S) +{re.escape(p)}(?=\s|$|[{re.escape(_BEFORE)}])")) for p in _BEFORE]
_SPACED_AFTER = [(p, re.compile(rf"(?:(?<=\s)|^){re.escape(p)} +(?=\w)")) for p in _AFTER]


def _spaces(source: str, target: str) -> str:
    if not _RUN.search(source.strip()):
        core = target.strip()
        lead, trail = target[: len(target) - len(target.lstrip())], target[len(target.rstrip()) :]
        target = lead + _RUN.sub(" ", core) + trail
    if not _SPACE_THEN_LINE.search(source):
        target = _SPACES_THEN_LINE.sub("\n", target)
    for p, rx in _SPACED_BEFORE:
        if f" {p}" not in source and f" {p}" in target:
            target = rx.sub(p, target)
    for p, rx in _SPACED_AFTER:
        if f"{p} " not in source and f"{p} " in target:
            target = rx.sub(p, target)
    return target


def _clause_start(text: str, end: int) -> int:
    """Where the sentence or clause that ends at ``end`` begins (after ``. ! ? : ;`` or a line)."""
    start = 0
    for m in re.finditer(r"[.!?:;¿¡]\s+|\n", text[:end]):
        start = m.end()
    while start < end and (text[start].isspace() or text[start] in "\"'“«("):
        start += 1
    return start


def _inverted(source: str, target: str) -> str:
    """Add the opening ``¿`` / ``¡`` for each ``?`` / ``!`` the source and the target share."""
    for mark, opening in (("?", "¿"), ("!", "¡")):
        # a mark that ends a word ("continue?"), not "\?" or "!=" in a command
        rx = re.compile(r"(?<=[\w\"”»)'])" + re.escape(mark) + r"(?=\s|$|[\"”»)'])")
        ends = [m.start() for m in rx.finditer(target)]
        if not ends or len(ends) != len(rx.findall(source)):
            continue
        for end in reversed(ends):
            start = _clause_start(target, end)
            clause = target[start:end]
            if opening in clause or not re.search(r"[^\W\d_]", _masked(target)[start:end]):
                continue
            target = target[:start] + opening + target[start:]
    return target


def _set_case(text: str, i: int, upper: bool) -> str:
    return text[:i] + (text[i].upper() if upper else text[i].lower()) + text[i + 1 :]


def _word_at(text: str, i: int) -> str:
    return re.match(r"\w*", text[i:]).group(0)


def _follow_case(source: str, target: str, s: int, t: int) -> str:
    """Give the letter at ``target[t]`` the case of ``source[s]`` (both first letters of a word)."""
    tw = _word_at(target, t)
    if source[s].isupper() and target[t].islower():
        return _set_case(target, t, True)
    if source[s].islower() and target[t].isupper() and not tw.isupper() and tw not in source:
        return _set_case(target, t, False)
    return target


def _first_word(masked: str) -> int:
    """Where the first word of two letters or more starts (a ``%H`` left unmasked is no word)."""
    m = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,}").search(masked)
    return m.start() if m else -1


def _cases(source: str, target: str) -> str:
    """Case after opening quotes and of the first word, as in the source."""
    ms, mt = _masked(source), _masked(target)
    s0, t0 = _first_word(ms), _first_word(mt)
    if s0 > 0 and t0 > 0 and "\0" in ms[:s0] and "\0" in mt[:t0]:
        target = _follow_case(source, target, s0, t0)  # "%.250s is" → "%.250s es", not "Es"
    qs = [m.end() for m in re.finditer(r"[“«]", ms)]
    qt = [m.end() for m in re.finditer(r"[“«]", mt)]
    if len(qs) == len(qt):
        for s, t in zip(qs, qt):
            if s < len(source) and t < len(target) and source[s].isalpha() and target[t].isalpha():
                target = _follow_case(source, target, s, t)
    return target


def _house_quotes(target: str, style: str) -> str:
    pair = QUOTE_STYLES.get(style)
    if not pair:
        return target
    target = re.sub(f"[{_OPENING_QUOTES}]", pair[0], target)
    return re.sub(f"[{_CLOSING_QUOTES}]", pair[1], target)


def postedit(source: str, target: str, quotes: str = "keep") -> str:
    """The engine's Spanish ``target`` for the English ``source``, with its typography repaired."""
    if not target.strip():
        return target
    target = _spaces(source, target)
    target = _inverted(source, target)
    target = _cases(source, target)
    return _house_quotes(target, quotes)
