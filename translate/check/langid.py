"""Which language a short text is in: a character n-gram model that loads in milliseconds.

The language check (:func:`.signals.check_language`) asks, for the words of a msgstr, how
likely each of a few languages is. A naive Bayes model over character n-grams (orders
:data:`ORDERS`, words padded with spaces) answers: the log-probability of every n-gram in
each language, fitted by ``bench/fit_langid.py`` on the translations of the *training*
Debian catalogues only and shipped as plain text (``langid_model.txt``). Loading it reads
one file into a dictionary; nothing is downloaded, no other library is needed.

Scores are the posterior of each language with equal priors, the log-likelihood weighted by
:data:`TEMPERATURE`. This replaced lingua, whose models took ~3 s of CPU to load: on held-out
training catalogues it flags as many correct Spanish strings and more foreign ones.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Sequence

MODEL_PATH = Path(__file__).with_name("langid_model.txt")
#: the languages told apart (Galician, close to Spanish in short strings, is left out: with it
#: twice as many correct Spanish strings looked foreign on held-out training catalogues)
LANGUAGES = ("es", "en", "pt", "it", "fr", "ca", "de")
ORDERS = (1, 2, 3, 4)
HEADER = "langid n-gram log-probabilities (tenths of a nat), languages:"


#: the weight of the summed log-likelihood: the orders see the same characters again, and
#: n-grams overlap; chosen on held-out training catalogues so that correct Spanish looks
#: foreign as rarely as it did with the identifier used before (lingua)
TEMPERATURE = 0.07


def ngrams(text: str, n: int) -> list[str]:
    """The n-grams of each lower-cased word padded with a space on both sides."""
    return [g for w in text.lower().split() for g in _grams(" " + w + " ", n)]


def _grams(s: str, n: int) -> list[str]:
    return [s[i:i + n] for i in range(len(s) - n + 1)] if n > 1 else list(s[1:-1])


class Model:
    """The fitted table: n-gram → log-probabilities per language (parsed on first use)."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        lines = path.read_text(encoding="utf-8").split("\n")
        self.languages = tuple(lines[0].split(":", 1)[1].split())
        self._raw = dict(line.split("\t", 1) for line in lines[2:] if line)
        self._rows: dict[str, tuple[int, ...]] = {}
        self._words: dict[str, tuple[float, ...] | None] = {}

    def _row(self, gram: str) -> tuple[int, ...] | None:
        row = self._rows.get(gram)
        if row is None:
            raw = self._raw.get(gram)
            if raw is None:
                return None
            row = self._rows[gram] = tuple(map(int, raw.split()))
        return row

    def _word(self, word: str) -> tuple[float, ...] | None:
        """The summed log-probabilities of one word's n-grams (words repeat: computed once)."""
        got = self._words.get(word, False)
        if got is False:
            s = " " + word + " "
            rows = [r for n in ORDERS for g in _grams(s, n) if (r := self._row(g)) is not None]
            got = self._words[word] = tuple(map(sum, zip(*rows))) if rows else None
        return got

    def scores(self, text: str) -> dict[str, float]:
        """Posterior per language; {} when no n-gram of the text is in the model."""
        rows = [r for w in text.lower().split() if (r := self._word(w)) is not None]
        if not rows:
            return {}
        ll = [sum(col) * (TEMPERATURE / 10) for col in zip(*rows)]
        top = max(ll)
        exp = [math.exp(x - top) for x in ll]
        total = sum(exp)
        return {lang: e / total for lang, e in zip(self.languages, exp)}


@functools.lru_cache(maxsize=1)
def model() -> Model:
    return Model()


def language_scores(texts: Sequence[str]) -> list[dict[str, float]]:
    """Posterior per language code for each text."""
    m = model()
    return [m.scores(t) for t in texts]
