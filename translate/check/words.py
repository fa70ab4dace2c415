"""Spanish word coverage of a msgstr: each word is Spanish, English, a name, glued or unknown.

The dictionaries are Apertium's analysers (:mod:`.lexicon`), not the engine that made the
text: a word the Spanish analyser does not know is evidence on its own. What is not language
is left out before counting: protected tokens (placeholders, URLs, code), quoted literals,
identifiers, options and numbers (:func:`translate.check.signals.prose`), acronyms, and the
glossary's target terms.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .lexicon import Lexicon
from .signals import prose, words

#: a word unknown to both dictionaries this long may be two or three Spanish words glued
GLUED_MIN = 8
#: the shortest part of a glued word ("de" in "operacionesdenivel"), and the longest one's minimum
_PART_MIN, _PART_LONGEST = 2, 4


@dataclass(frozen=True)
class Coverage:
    """How the msgstr's words split between Spanish, English, names, glued and unknown words."""

    counts: Counter
    english: tuple[str, ...] = ()  #: English words left in (not Spanish)
    unknown: tuple[str, ...] = ()  #: words no dictionary knows, and not names
    glued: tuple[str, ...] = ()
    spanish: tuple[str, ...] = ()  #: the Spanish words

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, kind: str) -> float:
        return self.counts[kind] / self.total if self.total else 0.0


def candidate_words(text: str, flags: Sequence[str] = ()) -> tuple[str, ...]:
    """The words of ``text`` worth a dictionary look-up: letters only, 2+ long, not acronyms."""
    return _candidate_words(text, tuple(flags))


@functools.lru_cache(maxsize=65536)
def _candidate_words(text: str, flags: tuple[str, ...]) -> tuple[str, ...]:
    # (asked twice of every msgstr: by the batched look-up, then by coverage)
    return tuple(w for w in words(prose(text, flags)) if len(w) >= 2 and not (w.isupper() and len(w) <= 6))


def lookups(text: str, flags: Sequence[str] = ()) -> list[str]:
    """What :func:`coverage` asks the dictionaries about a text: its words and their lower case."""
    ws = candidate_words(text, flags)
    return [*ws, *(w.lower() for w in ws if not w.islower())]


#: the short words a machine glues between two others ("operaciones" + "de" + "nivel")
_GLUE = ("de", "del", "la", "el", "los", "las", "en", "y", "a", "al", "con", "por", "para", "que", "se", "un", "una")


def _splits(word: str) -> list[tuple[str, ...]]:
    """The cuts of ``word`` into two words, or into two words around a short function word."""
    w = word.casefold()
    n = len(w)
    out: list[tuple[str, ...]] = []
    for i in range(_PART_MIN, n - _PART_MIN + 1):
        out.append((w[:i], w[i:]))
        for g in _GLUE:
            if w.startswith(g, i) and _PART_MIN <= n - i - len(g):
                out.append((w[:i], g, w[i + len(g):]))
    return [p for p in out if max(map(len, p)) >= _PART_LONGEST]


def glue_parts(words_: Iterable[str]) -> set[str]:
    """Every part of every cut of the long words: looked up in one batch before :func:`coverage`."""
    return {part for w in words_ if len(w) >= GLUED_MIN for cut in _splits(w) for part in cut}


def is_glued(word: str, lex: Lexicon) -> bool:
    return len(word) >= GLUED_MIN and any(all(lex.spanish(p) for p in cut) for cut in _splits(word))


def coverage(msgid: str, msgstr: str, lex: Lexicon, flags: Sequence[str] = (), terms: Sequence[str] = ()) -> Coverage:
    """Classify the msgstr's words (the lexicon must have learnt them, else they are looked up one by one).

    A word that neither dictionary knows is a *name* when it is also in the msgid (a program
    or product name, a command) or is capitalised inside the sentence; else *glued* when
    two or three Spanish words make it, else *unknown*.
    """
    src = {w.casefold() for w in words(msgid)}
    glossary = {t.casefold() for term in terms for t in words(term)}
    counts: Counter = Counter()
    english, unknown, glued, spanish = [], [], [], []
    for k, w in enumerate(candidate_words(msgstr, flags)):
        if w.casefold() in glossary or lex.spanish(w):
            counts["es"] += 1
            spanish.append(w)
        elif any(c.isupper() for c in w[1:]):  # GitHub, PackageKit: a name
            counts["name"] += 1
        elif lex.english(w) and (w.islower() or lex.english(w.lower())):
            # (a capitalised word English knows only capitalised is a name: "Telugu", "Oaxaca")
            counts["en"] += 1
            english.append(w)
        elif w.casefold() in src or (k > 0 and w[:1].isupper()):
            counts["name"] += 1
        elif is_glued(w, lex):
            counts["glued"] += 1
            glued.append(w)
        else:
            counts["unknown"] += 1
            unknown.append(w)
    return Coverage(counts, tuple(english), tuple(unknown), tuple(glued), tuple(spanish))


def left_in_english(msgid: str, msgstr: str, cov: Coverage) -> bool:
    """The msgstr is the msgid (case and final stop aside) and at least half its words are
    English, not Spanish: "Recent files" left as is. Names, identifiers and codes, which no
    dictionary knows, and words both languages share ("Error", "Local") do not count."""
    return same_text(msgid, msgstr) and cov.counts["en"] >= 1 and cov.share("en") >= 0.5


def same_text(a: str, b: str) -> bool:
    """Equal but for spacing, case and a final stop."""
    def norm(x: str) -> str:
        return " ".join(x.split()).casefold().rstrip(".:!?…")

    return norm(a) == norm(b)
