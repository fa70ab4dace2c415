"""Our chrF equals sacrebleu's sentence chrF, bit for bit, on random and real pairs."""

from __future__ import annotations

import random

import polib
import pytest
from sacrebleu.metrics import CHRF

from translate.check.chrf import chrf

from .conftest import DATA

REFERENCE = CHRF()


def sacrebleu_chrf(hyp: str, ref: str) -> float:
    return REFERENCE.sentence_score(hyp, [ref]).score


def real_pairs() -> list[tuple[str, str]]:
    """msgid and msgstr of the test catalogues, both ways, and each msgstr against its neighbour's."""
    out = []
    for path in sorted(DATA.rglob("*.po")):
        entries = [e for e in polib.pofile(str(path)) if e.msgid and e.msgstr]
        for e, nxt in zip(entries, entries[1:] + entries[:1]):
            out += [(e.msgid, e.msgstr), (e.msgstr, e.msgid), (e.msgstr, nxt.msgstr), (e.msgid, e.msgid)]
    return out


def random_text(rng: random.Random) -> str:
    alphabet = "aaabcdeeefghiijlmnooprsstuvyzáéíñóú  \t\n.,;:!?¿¡%$'\"()-_/0123456789AEIOU"
    words = ["the", "file", "archivo", "de", "la", "save", "guardar", "%s", "{name}", "a", "aa", "ñu"]
    if rng.random() < 0.5:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
    return " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))


def test_equal_on_real_pairs():
    pairs = real_pairs()
    assert len(pairs) > 2000
    for hyp, ref in pairs:
        assert chrf(hyp, ref) == sacrebleu_chrf(hyp, ref), (hyp, ref)


@pytest.mark.parametrize("seed", range(3))
def test_equal_on_random_pairs(seed):
    rng = random.Random(seed)
    for _ in range(2000):
        hyp, ref = random_text(rng), random_text(rng)
        if rng.random() < 0.3:  # overlapping pairs: a mutated copy
            hyp = "".join(c if rng.random() < 0.8 else rng.choice("aeo ") for c in ref)
        assert chrf(hyp, ref) == sacrebleu_chrf(hyp, ref), (hyp, ref)


def test_edge_cases():
    for hyp, ref in [("", ""), ("", "abc"), ("abc", ""), ("a", "a"), ("   ", "a b"), ("ab", "ba"), ("aaaaaaa", "aaa")]:
        assert chrf(hyp, ref) == sacrebleu_chrf(hyp, ref), (hyp, ref)
    assert chrf("the same text", "the same text") == 100.0
    assert chrf("xyz", "abc") == 0.0
