"""Carry a near match over to the new sentence: the tokens a translator never translates.

A near match whose English differs from the new sentence only in a number, a placeholder,
a URL or inline code ("opens at 3 o'clock" / "opens at 5 o'clock") has a translation with
the old token in it; offered as it is, it would say the wrong thing with a high score. The
differing tokens are replaced in the translation, in place, when that is unambiguous: the
translation holds the English's tokens in the same order (the k-th becomes the new k-th), or
each old token maps to one new token and the translation holds it as often as the English
did. Otherwise (a token added or dropped, a number the translation spelled out) the match
is not usable, and :func:`adapt` says so.

The new sentence's leading and trailing whitespace (a final newline, an indent) is carried
to the translation too, as ``msgfmt -c`` wants.
"""

from __future__ import annotations

import re
from collections import Counter

# URLs, `inline code`, printf and brace placeholders, numbers (1, 3.5, 1,000, 10:30)
_TOKEN = re.compile(
    r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]"
    r"|`[^`\n]+`"
    r"|%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]"
    r"|\{[^{}\s]*\}"
    r"|(?<![\w.,])(?>\d+(?:[.,:]\d+)*)(?!\w)"  # a number, not part of a name (x86, 3.15t, mp3)
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _edges(text: str) -> tuple[str, str]:
    core = text.strip()
    if not core:
        return text, ""
    start = text.index(core)
    return text[:start], text[start + len(core) :]


def carry_edges(new_source: str, old_source: str, target: str) -> str:
    """``target`` with the new sentence's leading and trailing whitespace, where it differs from the old one's."""
    if _edges(new_source) == _edges(old_source):
        return target
    lead, trail = _edges(target)
    new_lead, new_trail = _edges(new_source)
    return new_lead + target[len(lead) : len(target) - len(trail)] + new_trail


def adapt(new_source: str, old_source: str, old_target: str) -> str | None:
    """``old_target`` with the tokens that differ between the two English sentences replaced
    and the new sentence's edges, or None if that cannot be done without guessing."""
    old_target = carry_edges(new_source, old_source, old_target)
    new, old = tokens(new_source), tokens(old_source)
    if new == old:
        return old_target
    if len(new) != len(old):
        return None
    known = set(old)
    found = [m for m in _TOKEN.finditer(old_target) if m.group(0) in known]
    if [m.group(0) for m in found] == old:  # same tokens, same order: replace them by position
        out, at = [], 0
        for m, n in zip(found, new):
            out += [old_target[at : m.start()], n]
            at = m.end()
        return "".join(out) + old_target[at:]
    mapping: dict[str, str] = {}
    for o, n in zip(old, new):
        if mapping.setdefault(o, n) != n:
            return None  # one old token would become two different ones
    changed = {o: n for o, n in mapping.items() if o != n}
    have = Counter(t for t in tokens(old_target) if t in changed)
    wanted = Counter(o for o in old if o in changed)
    if have != wanted:
        return None
    return _TOKEN.sub(lambda m: changed.get(m.group(0), m.group(0)), old_target)
