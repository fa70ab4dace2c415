"""Fit the quality score of `translate check` (translate/check/quality_model.json and the
software-Spanish word list translate/check/quality_words.txt).

    .venv/bin/python bench/fit_quality.py [--machine 2500] [--correct 1500] [--wrong 150] [--dry-run]

Training catalogues only (bench/quality_data.py). Two populations, one logistic regression
each (scikit-learn, on standardised signals, written as plain JSON):

- *machine*: Apertium's output (our own mt path) for the catalogues' English, bad when its
  chrF against the human Spanish is < 30; beside the signals of `translate check`, the
  log-odds of its words (words that Apertium often gets wrong: "lima" for *file*), counted
  out-of-fold for the fit and over every entry for the shipped table;
- *human*: human entries as shipped (good) and made wrong (bad; wrong languages:
  quality_data.FIT_LANGS).

The signals are those `translate check` computes (its own check_entries, Apertium back- and
forward translation). The word list holds the words and word pairs seen 2+ times in the
training catalogues' Spanish, leaving out every entry sampled here (so that no reference
translation leaks into its own signals).

Thresholds, chosen on these training entries:
- *certain* rule checks: those failing at most 0.5% of correct human entries;
- machine: ``warn_below`` lets at most 8% of the bad translations pass (target 10% on the
  evaluation catalogues: some margin); ``fail_below`` is the highest line under which at
  least half the entries are bad ("most likely wrong");
- human: ``fail_below`` keeps false alarms on correct entries ≤ 4% (target 5%);
  ``warn_below`` lets at most 2% of the wrong entries pass.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality_data as Q  # noqa: E402

OUT = Q.ROOT / "translate" / "check" / "quality_model.json"
WORDS = Q.ROOT / "translate" / "check" / "quality_words.txt"
#: rule checks that may be *certain* (an exact, mechanical comparison)
CERTAIN_CANDIDATES = ("numbers", "placeholders", "glossary", "untranslated", "left-in-english", "repeated-words", "truncated")


def auc(scores: list[float], bad: list[bool]) -> float:
    """ROC AUC of "a low score means bad" (ties count half)."""
    pos = sorted(s for s, b in zip(scores, bad) if b)
    neg = sorted(s for s, b in zip(scores, bad) if not b)
    if not pos or not neg:
        return float("nan")
    import bisect

    wins = sum(len(neg) - bisect.bisect_right(neg, s) + 0.5 * (bisect.bisect_right(neg, s) - bisect.bisect_left(neg, s)) for s in pos)
    return wins / (len(pos) * len(neg))


def write_words(names: list[str], leave_out: set[str]) -> int:
    """The words and word pairs seen 2+ times in the training Spanish, without the sampled entries."""
    from translate.check.quality import load_vocab, spanish_words

    c: Counter = Counter()
    for n in names:
        for k, v in Q.mo_pairs("es", n).items():
            if k not in leave_out:
                ws = [w.casefold() for w in spanish_words(v)]
                c.update(ws)
                c.update(f"{a} {b}" for a, b in zip(ws, ws[1:]))
    kept = sorted(w for w, k in c.items() if k >= 2)
    WORDS.write_text("".join(w + "\n" for w in kept), encoding="utf-8")
    load_vocab.cache_clear()
    return len(kept)


def odds_table(rows: list[tuple[str, bool]], min_count: int = 3) -> dict[str, float]:
    """word → log-odds (smoothed, relative to the base rate) that a machine translation holding it is bad."""
    import math

    from translate.check.quality import spanish_words

    bad, tot = Counter(), Counter()
    for text, b in rows:
        for w in {w.casefold() for w in spanish_words(text)}:
            tot[w] += 1
            bad[w] += b
    prior = sum(b for _t, b in rows) / len(rows)
    base = math.log(prior / (1 - prior))
    out = {}
    for w, n in tot.items():
        if n >= min_count:
            lo = math.log((bad[w] + 2 * prior) / (n - bad[w] + 2 * (1 - prior))) - base
            if abs(lo) >= 0.2:
                out[w] = round(lo, 3)
    return out


def add_odds(part, folds: int = 5) -> dict[str, float]:
    """Out-of-fold word log-odds as signals (no entry sees its own label); returns the table of all."""
    from translate.check.quality import word_odds

    for k in range(folds):
        table = odds_table([(it.entry.msgstr, it.bad) for j, (it, _r) in enumerate(part) if j % folds != k])
        for j, (it, r) in enumerate(part):
            if j % folds == k:
                r.signals.update(word_odds(it.entry.msgstr, table))
    return odds_table([(it.entry.msgstr, it.bad) for it, _r in part])


def fit(res, odds: bool) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    feats = sorted(f for f in res[0][1].signals if odds or not f.startswith("odds_"))
    X = np.array([[r.signals.get(f, 0.0) for f in feats] for _it, r in res])
    y = np.array([it.bad for it, _r in res])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=0.5, max_iter=3000).fit((X - mean) / scale, y)
    return {"features": feats, "mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale],
            "coef": [round(float(v), 6) for v in lr.coef_[0]], "intercept": round(float(lr.intercept_[0]), 6)}


def grouped_cv(part, folds: int = 5) -> dict[str, float]:
    """AUC of held-out *catalogues* (GroupKFold by catalogue) with and without the word log-odds:
    how a choice is made on training data only."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from translate.check.quality import word_odds

    groups = [it.entry.occurrences[0][0] for it, _r in part]
    y = np.array([it.bad for it, _r in part])
    out = {}
    for odds in (False, True):
        pred = np.zeros(len(part))
        for tr, te in GroupKFold(folds).split(part, y, groups):
            # odds for the training folds out-of-fold among themselves, for the held-out
            # catalogues from the table of the training folds
            table = add_odds([part[j] for j in tr]) if odds else {}
            sig = [dict(r.signals) for _it, r in part]
            for j in te:
                sig[j].update(word_odds(part[j][0].entry.msgstr, table))
            feats = sorted(f for f in sig[0] if odds or not f.startswith("odds_"))
            X = np.array([[x.get(f, 0.0) for f in feats] for x in sig])
            m, sd = X[tr].mean(0), X[tr].std(0) + 1e-9
            lr = LogisticRegression(C=0.5, max_iter=3000).fit((X[tr] - m) / sd, y[tr])
            pred[te] = lr.predict_proba((X[te] - m) / sd)[:, 1]
        out["with word log-odds" if odds else "without"] = auc(list(-pred), list(y))
    return out


def scorer(d: dict, certain: list[str]):
    from translate.check.quality import Model

    return Model(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), d["intercept"], 0, 0, frozenset(certain))


def has_rule_finding(r) -> bool:
    return any(f.check != "quality" for f in r.findings)


def is_certain_fail(r, certain) -> bool:
    return any(f.check in certain and f.severity == "fail" for f in r.findings)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--machine", type=int, default=2500)
    ap.add_argument("--correct", type=int, default=1500)
    ap.add_argument("--wrong", type=int, default=150)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    ap.add_argument("--cv", action="store_true", help="also: grouped cross-validation by catalogue (machine model)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    rng = random.Random(args.seed)
    names = Q.train_names()
    rows = Q.sample(names, args.machine, rng)
    humans = Q.human_items(names, rng, args.correct, args.wrong, Q.FIT_LANGS, {k for _d, k, _v in rows})
    n_words = write_words(names, {k for _d, k, _v in rows} | {it.entry.msgid for it in humans})
    res, back = Q.checked(Q.machine_items(rows) + humans)
    res = [(it, r) for it, r in res if r.signals is not None]
    correct = [r for it, r in res if it.kind == "correct"]
    certain = [c for c in CERTAIN_CANDIDATES if sum(is_certain_fail(r, [c]) for r in correct) <= 0.005 * len(correct)]
    model: dict = {"certain": certain}
    print(f"{len(res)} entries, {n_words} words and pairs in the word list; back-translation {back.name}")
    print(f"certain checks: {certain}")
    for pop in ("machine", "human"):
        part = [(it, r) for it, r in res if (it.kind == "machine") == (pop == "machine")]
        if pop == "machine" and args.cv:
            print("grouped CV AUC, machine:", {k: round(v, 3) for k, v in grouped_cv(part).items()})
        table = add_odds(part) if pop == "machine" else None
        d = fit(part, odds=table is not None)
        m = scorer(d, certain)
        sc = [(m.score(r.signals)[0], it, r) for it, r in part]
        bad = [(s, r) for s, it, r in sc if it.bad]
        good = [(s, r) for s, it, r in sc if not it.bad]
        if pop == "machine":
            warn = next(t for t in range(101) if sum(s >= t and not has_rule_finding(r) for s, r in bad) <= 0.08 * len(bad))
            fail = max([t for t in range(101) if (lambda f: f and sum(it.bad for _s, it, _r in f) >= 0.5 * len(f))(
                [x for x in sc if x[0] < t])] or [0])
        else:
            fail = max(t for t in range(101) if sum(s < t or is_certain_fail(r, certain) for s, r in good) <= 0.04 * len(good))
            warn = next(t for t in range(101) if sum(s >= t and not has_rule_finding(r) and not is_certain_fail(r, certain)
                                                     for s, r in bad) <= 0.02 * len(bad))
        d.update(fail_below=fail, warn_below=max(fail, warn), certain=certain)
        if table:
            d["words"] = table
        model[pop] = d
        print(f"[{pop}] {len(part)} entries ({len(bad)} bad); training AUC {auc([s for s, _i, _r in sc], [it.bad for _s, it, _r in sc]):.3f}"
              f" (a training figure, not a result); fail_below {fail}, warn_below {d['warn_below']}")
        for f, c in sorted(zip(d["features"], d["coef"]), key=lambda fc: -abs(fc[1]))[:12]:
            print(f"    {f:22} {c:+.3f}")
    model["about"] = (f"logistic regressions fitted by bench/fit_quality.py on {len(res)} entries of {len(names)} "
                      f"training catalogues (Apertium output, chrF<{Q.BAD_CHRF:.0f} bad; human entries, correct and made wrong)")
    print(f"{time.perf_counter() - t0:.0f}s")
    if not args.dry_run:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(Q.ROOT)} and {WORDS.relative_to(Q.ROOT)}")


if __name__ == "__main__":
    main()
