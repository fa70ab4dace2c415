"""`translate check` on the evaluation catalogues (bench/check_accuracy.py --debian).

The installed Debian Spanish catalogues that are not in the training list (quality_data),
with wrong-language entries in languages never used for fitting (quality_data.EVAL_LANGS).
Three checkers side by side:

- ours: the verdicts and the quality score of `translate check` as shipped;
- round trip only: the same rule checks without the quality score (the verdict rule before
  it: any failing check fails, any finding warns), reproduced by switching the score off;
- pofilter (translate-toolkit, default tests): flagged or not.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import polib

import quality_data as Q
from fit_quality import auc

RANK = {"fail": 0, "warn": 1, "pass": 2}


def _without_score(items):
    """The round-trip-only verdicts: the rule checks without the quality score."""
    from translate.check import quality

    saved = quality.score_entries
    quality.score_entries = lambda *a, **k: "quality score off"
    try:
        return Q.checked(items)[0]
    finally:
        quality.score_entries = saved


def _pofilter(items, pofilter) -> set[int] | None:
    if pofilter is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es", "MIME-Version": "1.0"}
        seen = set()
        for it in items:
            if it.entry.msgid not in seen:
                seen.add(it.entry.msgid)
                e = polib.POEntry(msgid=it.entry.msgid, msgstr=it.entry.msgstr, flags=[f for f in it.entry.flags if f != "fuzzy"])
                po.append(e)
        path = Path(tmp) / "eval.po"
        po.save(str(path))
        flagged = pofilter(path) or set()
    return {id(it) for it in items if it.entry.msgid in flagged}


def evaluate(n_machine: int, pofilter=None, seed: int = 2026) -> None:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    names = Q.eval_names()
    rows = Q.sample(names, n_machine, rng)
    items = Q.machine_items(rows) + Q.human_items(names, rng, 1000, 100, Q.EVAL_LANGS, {k for _d, k, _v in rows})
    ours, back = Q.checked(items)
    old = {id(it): r for it, r in _without_score(items)}
    pf = _pofilter(items, pofilter)
    print(f"evaluation catalogues: {len(names)} ({', '.join(names)})")
    print(f"back-translation {back.name}; wrong languages {', '.join(Q.EVAL_LANGS)}; {time.perf_counter() - t0:.0f}s\n")
    mt = [(it, r) for it, r in ours if it.kind == "machine"]
    bad = [it.bad for it, _r in mt]
    print(f"machine output (our mt, Apertium): {len(mt)} entries, {sum(bad)} with chrF < {Q.BAD_CHRF:.0f} against the human Spanish")
    print(f"{'':28} {'ours':>8} {'round trip only':>16} {'pofilter':>9}")
    # no score: a name or a code kept as it is, judged by the exact checks only (no signal: 100)
    a_ours = auc([100 if r.score is None else r.score for _it, r in mt], bad)
    a_old = auc([RANK[old[id(it)].verdict] for it, _r in mt], bad)
    a_pf = auc([0 if id(it) in pf else 1 for it, _r in mt], bad) if pf is not None else float("nan")
    print(f"{'AUC (chrF<30 = bad)':28} {a_ours:8.3f} {a_old:16.3f} {a_pf:9.3f}   target ≥ 0.75")

    def share(pred, group):
        return sum(pred(it, r) for it, r in group) / len(group) if group else float("nan")

    badmt = [(it, r) for it, r in mt if it.bad]
    pf_pass = share(lambda it, r: id(it) not in pf, badmt) if pf is not None else float("nan")
    print(f"{'chrF<30 that pass':28} {share(lambda it, r: r.verdict == 'pass', badmt):8.1%} "
          f"{share(lambda it, r: old[id(it)].verdict == 'pass', badmt):16.1%} {pf_pass:9.1%}   target ≤ 10%")
    for v in ("fail", "warn", "pass"):
        grp = [(it, r) for it, r in mt if r.verdict == v]
        print(f"  ours {v}: {len(grp)} entries, {share(lambda it, r: it.bad, grp):.0%} of them chrF<30")
    print("\nhuman entries (a fail on a wrong entry is a detection, on a correct one a false alarm; warn not counted)")
    print(f"{'kind':16} {'n':>5} {'ours':>8} {'round trip only':>16} {'pofilter':>9}")
    kinds = ["correct", *Q.WRONG_KINDS]
    tot = Counter()
    for kind in kinds:
        grp = [(it, r) for it, r in ours if it.kind == kind]
        if not grp:
            continue
        o = share(lambda it, r: r.verdict == "fail", grp)
        rt = share(lambda it, r: old[id(it)].verdict == "fail", grp)
        p = share(lambda it, r: id(it) in pf, grp) if pf is not None else float("nan")
        label = "false alarms (target ≤ 5%)" if kind == "correct" else "detected"
        print(f"{kind:16} {len(grp):5} {o:8.1%} {rt:16.1%} {p:9.1%}   {label}")
        if kind != "correct":
            tot["n"] += len(grp)
            tot["o"] += o * len(grp)
            tot["rt"] += rt * len(grp)
            tot["p"] += p * len(grp)
    print(f"{'all wrong':16} {tot['n']:5} {tot['o'] / tot['n']:8.1%} {tot['rt'] / tot['n']:16.1%} {tot['p'] / tot['n']:9.1%}"
          "   detected (target ≥ 95%)")
