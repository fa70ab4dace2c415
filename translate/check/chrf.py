"""chrF (Popović 2015) of one sentence against one reference, the number sacrebleu gives.

Character n-grams of orders 1 to 6, whitespace removed, β = 2, and sacrebleu's default
"effective order" averaging (orders that neither side has are left out of the mean):
the same arithmetic in the same order as ``sacrebleu.metrics.CHRF().sentence_score``,
so the two agree to the last bit (``tests/test_chrf.py`` compares them on thousands of
pairs). Written here because sacrebleu's general machinery (multiple references, corpus
statistics, signatures) costs more than the score itself on short catalogue strings, and
its import is not needed by the rest of the check.
"""

from __future__ import annotations

from collections import Counter

CHAR_ORDER = 6
BETA = 2


def char_ngrams(text: str) -> list[Counter]:
    """Counts of the character n-grams of ``text`` without its whitespace, orders 1..6."""
    s = "".join(text.split())
    return [Counter([s[i:i + n] for i in range(len(s) - n + 1)]) for n in range(1, CHAR_ORDER + 1)]


def chrf(hypothesis: str, reference: str) -> float:
    """chrF2 (0–100) of ``hypothesis`` against ``reference``."""
    return chrf_of_ngrams(char_ngrams(hypothesis), char_ngrams(reference))


def chrf_of_ngrams(hyp: list[Counter], ref: list[Counter]) -> float:
    """chrF2 from the n-gram counts of both sides (see :func:`char_ngrams`)."""
    factor = BETA**2
    avg_prec = avg_rec = 0.0
    effective_order = 0
    for h, r in zip(hyp, ref):
        if not h or not r:
            continue  # an order one side lacks is not averaged (its counts are zero)
        n_hyp = sum(h.values())
        n_ref = sum(r.values())
        small, large = (h, r) if len(h) <= len(r) else (r, h)
        n_match = sum(min(c, large[g]) for g, c in small.items() if g in large)
        avg_prec += n_match / n_hyp
        avg_rec += n_match / n_ref
        effective_order += 1
    if effective_order == 0:
        return 0.0
    avg_prec /= effective_order
    avg_rec /= effective_order
    if not avg_prec + avg_rec:
        return 0.0
    score = (1 + factor) * avg_prec * avg_rec
    score /= (factor * avg_prec) + avg_rec
    return 100 * score
