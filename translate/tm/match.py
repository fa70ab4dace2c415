"""Near matches: the stored English sentence most similar to a new one, fast on thousands.

Similarity is rapidfuzz's ``fuzz.ratio`` (the normalised Indel similarity of the two
strings, 0–100, case and punctuation counted): 100 only for identical strings. Two strings of
lengths ``a`` and ``b`` score at most ``200·min(a, b) / (a + b)``, so only the stored
sentences whose length lies in a window around the query's can reach the cut-off; they are
kept sorted by length and only that window is scored (by ``process.extractOne`` in C).
"""

from __future__ import annotations

import bisect
import math
from typing import Sequence

from rapidfuzz import fuzz, process


def length_window(n: int, cutoff: float) -> tuple[int, int]:
    """The shortest and longest lengths a string may have to score ``cutoff`` against one of length ``n``."""
    t = max(cutoff, 1e-9) / 100
    return max(0, math.floor(n * t / (2 - t)) - 1), math.ceil(n * (2 - t) / t) + 1


class NearMatcher:
    """The stored sentences, sorted by length, and the best match of a query above a cut-off."""

    def __init__(self, sources: Sequence[str]):
        self._sources = sorted(sources, key=len)
        self._lengths = [len(s) for s in self._sources]

    def candidates(self, query: str, cutoff: float, limit: int = 5) -> list[tuple[str, float]]:
        """Up to ``limit`` (stored sentence, similarity) scoring ≥ ``cutoff``, most similar first
        (ties: the shorter stored sentence first, so results are stable)."""
        lo, hi = length_window(len(query), cutoff)
        i, j = bisect.bisect_left(self._lengths, lo), bisect.bisect_right(self._lengths, hi)
        if i >= j:
            return []
        window = self._sources[i:j]
        if limit == 1:  # extractOne raises its cut-off as it finds better ones: the cheapest scan
            best = process.extractOne(query, window, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
            return [] if best is None else [(best[0], best[1])]
        found = process.extract(query, window, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=limit)
        return [(s, score) for s, score, _k in found]
