"""Writing PO strings as GNU ``msgcat`` does: escapes and 79-column wrapping with GNU's
line-breaking rules (see :mod:`translate.po.pofile` for the measurements)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate
from typing import Sequence

WIDTH = 79


_ESC = {"\\": "\\\\", '"': '\\"', "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_ESC_RE = re.compile(r'[\\"\a\b\f\n\r\t\v]')


def escape(s: str) -> str:
    """A value as it is written between quotes (GNU's escapes: \\a \\b \\f \\n \\r \\t \\v \\\\ \\")."""
    return _ESC_RE.sub(lambda m: _ESC[m.group(0)], s)


# -- GNU's line breaking (UAX #14 as libunistring applies it) ------------------------------------

# Line-break classes of the characters a catalogue mostly holds; others from unicodedata below.
_LB_ASCII = (
    "CM CM CM CM CM CM CM CM CM BA LF BK BK CR CM CM CM CM CM CM CM CM CM CM CM CM CM CM CM CM CM CM "
    "SP EX QU AL PR PO AL QU OP CP AL PR IS HY IS SY NU NU NU NU NU NU NU NU NU NU IS IS AL AL AL EX "
    "AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL OP PR CP AL AL "
    "AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL AL OP BA CL AL CM"
).split()
_LB_LATIN1 = (  # U+00A0..U+00BF
    "GL OP PO PR PR PR AL AI AI AL AI QU AL BA AL AL PO PR AI AI BB AL AI AI AI AI AI QU AI AI AI OP"
).split()
_LB_EXTRA = {
    0x85: "NL", 0xD7: "AI", 0xF7: "AI",
    0x2007: "GL", 0x200B: "ZW", 0x200C: "CM", 0x200D: "ZWJ", 0x200E: "CM", 0x200F: "CM",
    0x2010: "BA", 0x2011: "GL", 0x2012: "BA", 0x2013: "BA", 0x2014: "B2", 0x2015: "AI", 0x2016: "AI",
    0x2017: "AL", 0x2018: "QU", 0x2019: "QU", 0x201A: "OP", 0x201B: "QU", 0x201C: "QU", 0x201D: "QU",
    0x201E: "OP", 0x201F: "QU", 0x2020: "AI", 0x2021: "AI", 0x2022: "AL", 0x2023: "AL",
    0x2024: "IN", 0x2025: "IN", 0x2026: "IN", 0x2027: "BA", 0x2028: "BK", 0x2029: "BK",
    0x202F: "GL", 0x2030: "PO", 0x2031: "PO", 0x2032: "PO", 0x2033: "PO", 0x2034: "PO", 0x2035: "PO",
    0x2036: "PO", 0x2037: "PO", 0x2039: "QU", 0x203A: "QU", 0x203B: "AI", 0x203C: "NS", 0x203D: "NS",
    0x2044: "IS", 0x2047: "NS", 0x2048: "NS", 0x2049: "NS", 0x2060: "WJ", 0xFEFF: "WJ",
    0x20AC: "PR", 0x2116: "PR", 0x2103: "PO", 0x2109: "PO", 0x2212: "PR", 0x2213: "PR",
    0x3001: "CL", 0x3002: "CL", 0xFF0C: "CL", 0xFF0E: "CL", 0x3000: "BA",
}


@lru_cache(maxsize=4096)
def _lb_class(ch: str) -> str:
    o = ord(ch)
    if o < 0x80:
        return _LB_ASCII[o]
    if 0xA0 <= o < 0xC0:
        return _LB_LATIN1[o - 0xA0]
    if o in _LB_EXTRA:
        return _LB_EXTRA[o]
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return "CM"
    if cat in ("Mn", "Mc", "Me"):
        return "CM"
    if cat == "Zs":
        return "BA"
    if cat == "Nd":
        return "NU"
    if cat == "Ps":
        return "OP"
    if cat == "Pe":
        return "CL"
    if cat in ("Pi", "Pf"):
        return "QU"
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return "ID"
    if cat == "Sc":
        return "PR"
    return "AL"


@lru_cache(maxsize=4096)
def _uc_width(ch: str) -> int:
    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0:
        return 0  # control characters are not counted
    if o == 0xAD:
        return 1
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Cf") or 0x1160 <= o < 0x1200 or o == 0x200B:
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


_P, _I, _D = 0, 1, 2  # break prohibited / only after spaces / allowed


@lru_cache(maxsize=2048)
def _pair(b: str, a: str) -> int:
    """May a line break between a character of class ``b`` and a following one of class ``a``?"""
    if a in ("WJ", "CL", "CP", "EX", "IS", "SY") or b == "OP":
        return _P
    if (b == "QU" and a == "OP") or (b in ("CL", "CP") and a == "NS") or (b == a == "B2"):
        return _P
    if b in ("WJ", "GL"):
        return _I  # no break right after them, but after them and spaces
    if a == "GL":
        return _D if b in ("BA", "HY") else _I
    if a == "QU" or b == "QU":
        return _I
    if a in ("BA", "HY", "NS", "IN") or b == "BB":
        return _I
    if b == "SY" and a == "HL":
        return _I
    alpha = ("AL", "HL")
    if (b in alpha and a == "NU") or (b == "NU" and a in alpha):
        return _I
    if (b == "PR" and a in ("ID", "EB", "EM")) or (b in ("ID", "EB", "EM") and a == "PO"):
        return _I
    if (b in ("PR", "PO") and a in alpha) or (b in alpha and a in ("PR", "PO")):
        return _I
    if (b, a) in _LB25:
        return _I
    if b in alpha and a in alpha:
        return _I
    if (b in ("AL", "HL", "NU") and a == "OP") or (b == "CP" and a in ("AL", "HL", "NU")):
        return _I
    if (b, a) in (("RI", "RI"), ("EB", "EM")):
        return _I
    hangul = ("JL", "JV", "JT", "H2", "H3")
    if b in hangul and a in hangul:
        return _I
    return _D


_LB25 = {
    ("CL", "PO"), ("CP", "PO"), ("CL", "PR"), ("CP", "PR"), ("NU", "PO"), ("NU", "PR"), ("PO", "OP"),
    ("PO", "NU"), ("PR", "OP"), ("PR", "NU"), ("HY", "NU"), ("IS", "NU"), ("NU", "NU"), ("SY", "NU"),
}

_NO, _YES, _MUST = 0, 1, 2


def _possible_breaks(s: str) -> list[int]:
    """For each character, whether a line may (or must) break before it."""
    out = [_NO] * len(s)
    last = "BK"
    space_at: int | None = None
    for i, ch in enumerate(s):
        prop = _lb_class(ch)
        if prop in ("BK", "NL", "LF", "CR"):
            out[i] = _MUST
            last, space_at = "BK", None
            continue
        if prop in ("AI", "SA", "XX"):
            prop = "AL"
        elif prop == "CB":
            prop = "ID"
        elif prop == "ZWJ":
            prop = "CM"
        if prop == "SP":
            space_at = i
            continue
        if prop == "ZW":
            last, space_at = "ZW", None
            continue
        if prop == "CM":
            if last == "ZW":
                out[i] = _YES
                last = "AL"
                continue
            if space_at is None and last != "BK":
                continue  # it belongs to the character before it
            prop = "AL"  # after a space (or first): an ordinary letter
        if last == "BK":
            out[i] = _NO
        elif last == "ZW":
            out[i] = _YES
        else:
            rule = _pair(last, prop)
            out[i] = _YES if rule == _D or (rule == _I and space_at is not None) else _NO
        last, space_at = prop, None
    return out


# -- the same break opportunities, found by one regular expression -------------------------------
#
# ``_possible_breaks`` walks the string a character at a time in Python. For the strings a
# catalogue mostly holds (no line breaks, combining marks, zero-width or control characters)
# its state is only the class of the last non-space character and whether spaces followed it,
# so a break may come before character ``i`` exactly when the pair (class of the last non-space
# character, class of ``i``) allows it: directly (rule "allowed") or, after spaces, unless
# prohibited. One regular expression over the string's classes (one code letter per class)
# finds those places in C. Strings with any other class go the way above.

_FULL_WALK = {"BK", "NL", "LF", "CR", "CM", "ZW", "ZWJ"}
_ALIASES = {"AI": "AL", "SA": "AL", "XX": "AL", "CB": "ID"}
#: every class :func:`_lb_class` gives: those of the tables and of its fallbacks
_CLASSES = set(_LB_ASCII + _LB_LATIN1) | set(_LB_EXTRA.values()) | {"AL", "BA", "CL", "ID", "NU", "OP", "PR", "QU"}
_CODE = {cls: chr(ord("A") + k) for k, cls in enumerate(sorted(_CLASSES - _FULL_WALK - set(_ALIASES) - {"SP"}))}
_SPACE, _OTHER = " ", "~"  # the code of SP, and of every class that needs the full walk


class _Codes(dict):
    """``str.translate`` table: a character's line-break class as one code letter."""

    def __missing__(self, o: int) -> str:
        cls = _lb_class(chr(o))
        code = _SPACE if cls == "SP" else _CODE.get(_ALIASES.get(cls, cls), _OTHER)
        self[o] = code
        return code


_CODES = _Codes()


def _opportunity_regex() -> re.Pattern:
    """Matches the character before a break opportunity (and the spaces after it): a match's
    end is the opportunity."""
    groups: dict[tuple[str, str], list[str]] = {}
    for b, bc in _CODE.items():
        direct = "".join(ac for a, ac in _CODE.items() if _pair(b, a) == _D)
        spaced = "".join(ac for a, ac in _CODE.items() if _pair(b, a) != _P)
        groups.setdefault((direct, spaced), []).append(bc)
    alts = []
    for (direct, spaced), befores in groups.items():
        after = [f"(?=[{re.escape(direct)}])"] if direct else []
        if spaced:
            after.append(f" +(?=[{re.escape(spaced)}])")
        if after:
            alts.append(f"[{re.escape(''.join(befores))}](?:{'|'.join(after)})")
    return re.compile("|".join(alts))


_OPPORTUNITY = _opportunity_regex()


def _breakable(portion: str) -> tuple[str, list[int], set[int], Sequence[int]]:
    """A portion (no ``\\n`` but maybe a final one) as written: its escaped text, the places a
    line may break before (in order; never inside an escape, never just before a final
    ``\\n``), those of them where a line must break, and the display width of each prefix."""
    esc = escape(portion)
    fixed = {m.start() + 1 for m in _ESCAPE_SEQ.finditer(esc)} if "\\" in esc else set()
    if portion.endswith("\n"):
        fixed.add(len(esc) - 2)
    codes = esc.translate(_CODES)
    if _OTHER not in codes:
        places, musts = [m.end() for m in _OPPORTUNITY.finditer(codes)], set()
    else:
        possible = _possible_breaks(esc)
        places = [i for i, p in enumerate(possible) if p != _NO]
        musts = {i for i in places if possible[i] == _MUST}
    if fixed:
        places = [i for i in places if i not in fixed]
    return esc, places, musts, _columns(esc)


def _columns(s: str) -> Sequence[int]:
    """The display width of each prefix of ``s`` (a range when every character is one column)."""
    if (s.isascii() and s.isprintable()) or all(_uc_width(ch) == 1 for ch in set(s)):
        return range(len(s) + 1)
    return list(accumulate(map(_uc_width, s), initial=0))


def _width_breaks(places: Sequence[int], musts: set[int], columns: Sequence[int], width: int, start: int) -> list[int]:
    """Where to break (before which characters) so that lines fit ``width`` columns, GNU's way:
    at each opportunity, if the line so far is too wide, break at the opportunity before it.
    ``start``: the column the first line starts at."""
    limit = width - start  # the widest prefix that still fits on the current line
    if columns[-1] <= limit:
        return []  # it all fits: no break is ever needed
    breaks: list[int] = []
    last = None
    for i in places:
        if last is not None and columns[i] > limit:
            breaks.append(last)
            limit = width + columns[last]
        if musts and i in musts:  # a new line after this character (which takes no column)
            limit, last = width + columns[i + 1], None
        else:
            last = i
    if last is not None and columns[-1] > limit:
        breaks.append(last)
    return breaks


_ESCAPE_SEQ = re.compile(r"\\.")


def string_lines(keyword: str, value: str, prefix: str = "", *, wrap: bool = True) -> list[str]:
    """``keyword "value"`` in GNU gettext's layout (msgcat's wrapping at 79 columns)."""
    if "\n" not in value and (not value or max(value) < "\u1100"):
        # the common case, fast: one line that fits (no wide characters, so the length of the
        # line bounds its width; the full algorithm below gives the same line)
        line = f'{prefix}{keyword} "{escape(value)}"'
        if len(line) <= WIDTH - 1:
            return [line]
    return wrapped_lines(keyword, value, prefix, wrap=wrap)


def wrapped_lines(keyword: str, value: str, prefix: str = "", *, wrap: bool = True) -> list[str]:
    """:func:`string_lines` by GNU's full algorithm (break opportunities, display widths)."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    after_break = len(prefix) + 1
    width = (WIDTH if wrap else 1 << 30) - 1 - after_break
    lines: list[str] = []
    first = True
    for n, portion in enumerate(portions):
        esc, places, musts, columns = _breakable(portion)
        more = n + 1 < len(portions)
        startcol = len(prefix) + (len(keyword) + 1 if first else 0) + 1 - after_break
        breaks = _width_breaks(places, musts, columns, width, startcol)
        if first and esc and (more or startcol > width or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            breaks = _width_breaks(places, musts, columns, width, 0)
        head = f"{prefix}{keyword} " if first else prefix
        first = False
        start, lead = 0, head
        for i in breaks:
            lines.append(f'{lead}"{esc[start:i]}"')
            start, lead = i, prefix
        lines.append(f'{lead}"{esc[start:]}"')
    return lines


# -- comments ------------------------------------------------------------------------------------
