"""The translation memory: English sentences with a person's Spanish, and how a new one is matched.

What goes in: the settled human entries of the project's catalogues (translated, not fuzzy,
not machine-made: :func:`translate.po.state.is_human`; no msgctxt, whose translation may
depend on it) and the units imported from TMX files. The project's own entries come first:
when two translations share one English sentence, the catalogue's wins over an imported one.

What comes out, for a new sentence: an *exact* match (the same English), or a *near* match
(the most similar stored English scoring at least the threshold, see :mod:`.match`), or
nothing. Pure data; no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import polib

from ..po.state import is_human
from .adapt import adapt
from .match import NearMatcher

#: The similarity (0–100) a near match needs by default (issue 9; translate-toolkit's pretranslate uses 75 too).
DEFAULT_THRESHOLD = 75


@dataclass(frozen=True)
class Unit:
    """One English sentence and its translation, and where it was found (shown in comments)."""

    source: str
    target: str
    where: str


@dataclass(frozen=True)
class Hit:
    """The memory's answer for one new sentence."""

    unit: Unit  #: the stored sentence and its translation
    score: float  #: similarity 0–100; 100 for an exact match
    text: str  #: the translation to write: the stored one, its numbers etc. carried over (see .adapt)

    @property
    def exact(self) -> bool:
        return self.score >= 100

    @property
    def percent(self) -> int:
        """The similarity as shown to a reviewer: rounded down, so it never claims more than it is."""
        return int(self.score)


class Memory(dict):
    """English → (translation, where): the exact matches, as a mapping; :meth:`lookup` adds near ones.

    ``threshold`` is the similarity a near match needs (100: exact matches only).
    """

    def __init__(self, units: Iterable[Unit] = (), threshold: float = DEFAULT_THRESHOLD):
        super().__init__()
        self.threshold = threshold
        for u in units:
            if u.source and u.target and u.source not in self:
                self[u.source] = (u.target, u.where)
        self._matcher: NearMatcher | None = None

    def lookup(self, msgid: str) -> Hit | None:
        """The exact match of ``msgid``, else its best near match at or above the threshold whose
        numbers, placeholders, URLs and code can be carried over (:func:`.adapt.adapt`), else None."""
        if msgid in self:
            return Hit(Unit(msgid, *self[msgid]), 100.0, self[msgid][0])
        if self.threshold >= 100 or not self or not msgid.strip():
            return None
        if self._matcher is None:
            self._matcher = NearMatcher(list(self))
        best = self._matcher.candidates(msgid, self.threshold, 1)  # one cheap scan; nearly always usable
        if not best:
            return None
        return self._usable(msgid, best) or self._usable(msgid, self._matcher.candidates(msgid, self.threshold, 5)[1:])

    def _usable(self, msgid: str, candidates: list[tuple[str, float]]) -> Hit | None:
        """The first candidate whose translation can be carried over to ``msgid``."""
        for source, score in candidates:
            target, where = self[source]
            text = adapt(msgid, source, target)
            if text is not None:
                return Hit(Unit(source, target, where), score, text)
        return None


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def one_line(text: str) -> str:
    """``text`` for a one-line comment: backslash, newline, tab and CR escaped as in a PO string,
    other control characters (C0, DEL, C1) as ``\\xHH``; everything else as it is."""
    return "".join(_ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 32 or 127 <= ord(c) < 160 else c) for c in text)


def catalogue_units(catalogues: Iterable[tuple[str, polib.POFile]]) -> Iterable[Unit]:
    """The settled human entries of catalogues given as (where, POFile)."""
    for where, po in catalogues:
        for e in po:
            if not e.msgctxt and not e.msgid_plural and e.msgid and is_human(e):
                yield Unit(e.msgid, e.msgstr, where)
