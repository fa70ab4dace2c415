"""GNU's line breaking, found fast: the same lines as GNU msgcat and as the character-by-character
walk (``wrap._possible_breaks``) on random strings."""

from __future__ import annotations

import random
import re
import subprocess

from translate.po import wrap
from translate.po.pofile import dump_po, new_pofile, read_po

import polib

#: Characters whose line-break classes we carry in tables (ASCII, Latin-1, general punctuation):
#: on these our wrapping is GNU's exactly. (Not the soft hyphen: gettext 0.21 gives it no column,
#: we give it one, as the character-by-character walk always did.)
LATIN = (
    "abcdefghij ABC 0123456789 .,;:!?¿¡'\"()[]{}<>/\\|-_+*=%$#@&~^`\t"
    "éñüçÁ «»–—…“”‘’€\u00a0\u2010\u2011\u2030\u2044\u2060" + "aaaaaaaaaa" + " " * 12
)
#: And what takes the character-by-character walk: controls, combining marks, zero-width
#: characters, line and paragraph separators, wide characters.
RARE = "\u00ad\u0301\u200b\u200d\x01\x85\u2028\u2029\ufeff\u4e2d\uff01\u3001\u1160"


def _random(rng: random.Random, alphabet: str, longest: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def _walked_breaks(esc: str, fixed: set[int], width: int, start: int) -> list[int]:
    """The greedy walk as GNU writes it, one character at a time (the reference)."""
    possible = wrap._possible_breaks(esc)
    breaks: list[int] = []
    last_at, column, piece = None, start, 0
    for i, ch in enumerate(esc):
        p = wrap._NO if i in fixed else possible[i]
        if p != wrap._NO and last_at is not None and column + piece > width:
            breaks.append(last_at)
            column = 0
        if p == wrap._MUST:
            last_at, column, piece = None, 0, 0
            continue
        if p == wrap._YES:
            last_at, column, piece = i, column + piece, 0
        piece += wrap._uc_width(ch)
    if last_at is not None and column + piece > width:
        breaks.append(last_at)
    return breaks


def test_the_regular_expression_finds_the_breaks_the_walk_finds():
    rng = random.Random(12)
    tried = 0
    for _ in range(20000):
        s = _random(rng, LATIN, 80)
        codes = s.translate(wrap._CODES)
        if wrap._OTHER in codes:
            continue
        tried += 1
        walked = [i for i, p in enumerate(wrap._possible_breaks(s)) if p == wrap._YES]
        assert [m.end() for m in wrap._OPPORTUNITY.finditer(codes)] == walked, s
    assert tried > 15000


def test_breaks_are_the_walks_on_any_string():
    rng = random.Random(5)
    for k in range(6000):
        s = _random(rng, LATIN + (RARE if k % 2 else "") + "\n", 240)
        for portion in re.findall(r"[^\n]*\n|[^\n]+", s) or [""]:
            esc, places, musts, columns = wrap._breakable(portion)
            assert esc == wrap.escape(portion)
            fixed = _escape_insides(esc) | ({len(esc) - 2} if portion.endswith("\n") else set())
            for width, start in ((76, 0), (76, 7), (73, 12), (5, 3)):
                expected = _walked_breaks(esc, fixed, width, start)
                assert wrap._width_breaks(places, musts, columns, width, start) == expected, (portion, width, start)


def _escape_insides(esc: str) -> set[int]:
    """Positions right after an escape's backslash (a line never breaks there)."""
    out, i = set(), 0
    while i < len(esc):
        if esc[i] == "\\":
            out.add(i + 1)
            i += 2
        else:
            i += 1
    return out


def test_random_entries_are_written_as_msgcat_writes_them(tmp_path):
    rng = random.Random(2026)
    po = new_pofile()
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for k in range(1500):
        value = _random(rng, LATIN + "\n" * 2, 320)
        if value.startswith("\n") != value.endswith("\n"):
            value = value.strip("\n") or "x"
        po.append(polib.POEntry(msgid=f"m{k} {value}", msgstr=value))
    ours = tmp_path / "ours.po"
    ours.write_bytes(dump_po(po))
    gnu = subprocess.run(["msgcat", str(ours)], capture_output=True, check=True).stdout
    assert gnu == ours.read_bytes()
    assert dump_po(read_po(ours)) == gnu
