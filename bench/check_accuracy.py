"""Accuracy of `translate check` on the labelled evaluation set, beside translate-toolkit's pofilter.

    .venv/bin/python bench/check_accuracy.py --debian   # evaluation catalogues (the honest table)
    .venv/bin/python bench/check_accuracy.py            # the table on tests/data/eval
    .venv/bin/python bench/check_accuracy.py --learn    # re-learn the bounds in checks.py
    .venv/bin/python bench/check_accuracy.py --show cut # entries of one kind and why

``--debian`` (bench/debian_accuracy.py): the installed Debian Spanish catalogues that are NOT
in the training list, machine-translated by our mt path (AUC of the quality score for
chrF < 30 against the human Spanish, share of those bad translations that pass) and human
entries made wrong (detection per kind, false alarms), beside pofilter and beside the
round-trip-only check (the rule verdicts without the quality score: the behaviour before it).

The set is tests/data/eval/*.po (see its README): correct.po holds real human pairs (a
"fail" there is a false alarm); every other file holds wrong entries of one kind (a "fail"
is a detection; "warn" does not count). pofilter (default tests, .venv-peers) flags an entry
when any test reports it. --learn measures the length ratio and back-translation chrF on the
human catalogues of TRAIN_DOMAINS only — disjoint from the evaluated EVAL_DOMAINS.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
EVAL = ROOT / "tests" / "data" / "eval"
POFILTER = next((p for p in (ROOT / ".venv-peers" / "bin" / "pofilter", ROOT.parent.parent / "main" / ".venv-peers" / "bin" / "pofilter")
                 if p.exists()), ROOT / ".venv-peers" / "bin" / "pofilter")
KINDS = ("correct", "other_sentence", "english", "cut", "number", "placeholder", "other_language", "gibberish")


def pofilter_flagged(path: Path) -> set[str] | None:
    if not POFILTER.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.po"
        # cwd outside the repository and no PYTHONPATH: the peers' package is also called `translate`
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        subprocess.run([str(POFILTER), "--progress=none", str(path), str(out)], capture_output=True, check=False, cwd=tmp, env=env)
        if not out.exists():
            return set()
        import polib

        return {e.msgid for e in polib.pofile(str(out)) if e.msgid}


def learn() -> None:
    sys.path.insert(0, str(EVAL))
    from make_eval import train_pairs

    from translate.check.signals import chrf
    from translate.mt.engines.select import load_engine

    pairs = train_pairs()
    print(f"{len(pairs)} human pairs from TRAIN_DOMAINS")
    buckets = [30, 60, 10**9]
    by: dict[int, list[float]] = {b: [] for b in buckets}
    for _d, k, v in pairs:
        n = len(k.strip())
        by[next(b for b in buckets if n <= b)].append(math.log(len(v.strip()) / n))

    def q(a, p):
        a = sorted(a)
        return a[min(len(a) - 1, int(p * len(a)))]

    print("LENGTH_BOUNDS = (")
    for b in buckets:
        a = by[b]
        print(f"    ({b if b < 10**9 else '10**9'}, {q(a, .001):.3f}, {q(a, .015):.3f}, {q(a, .985):.3f}, {q(a, .999):.3f}),  # n={len(a)}")
    print(")")
    eng = load_engine("apertium", "es", "en")
    fwd = load_engine("apertium", "en", "es")
    sample = [p for p in pairs[:: max(1, len(pairs) // 3000)] if len(re.findall(r"[A-Za-z]{2,}", p[1])) >= 3]
    bts = eng.translate_batch([v for _d, _k, v in sample])
    fws = fwd.translate_batch([k for _d, k, _v in sample])
    bt_only = sorted(chrf(bt, k) for (_d, k, _v), bt in zip(sample, bts))
    both = sorted(max(chrf(bt, k), chrf(v, fw)) for (_d, k, v), bt, fw in zip(sample, bts, fws))
    for name, scores in (("back-translation only", bt_only), ("max(back, forward)", both)):
        print(f"chrF {name} on {len(scores)} train pairs: p1 {q(scores, .01):.1f} p2 {q(scores, .02):.1f} p3 {q(scores, .03):.1f} p5 {q(scores, .05):.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--learn", action="store_true")
    ap.add_argument("--debian", action="store_true", help="the evaluation catalogues (see bench/debian_accuracy.py)")
    ap.add_argument("--machine", type=int, default=1500, help="--debian: machine translations evaluated")
    ap.add_argument("--show", metavar="KIND")
    ap.add_argument("--no-pofilter", action="store_true")
    ap.add_argument("--engine", default="apertium", help="back-translation engine (none: the checks without it)")
    ap.add_argument("--set", default="main", choices=["main", "holdout"],
                    help="main: tests/data/eval (thresholds were tuned looking at it); holdout: tests/data/eval/holdout (made after tuning, never tuned on)")
    args = ap.parse_args()
    if args.learn:
        learn()
        return
    if args.debian:
        from debian_accuracy import evaluate

        evaluate(args.machine, pofilter=None if args.no_pofilter else pofilter_flagged)
        return
    from translate.check.runner import check_entries, load_back_translator
    from translate.po.pofile import read_po

    back = load_back_translator(args.engine)
    rows = []
    t0 = time.perf_counter()
    for kind in KINDS:
        path = (EVAL if args.set == "main" else EVAL / "holdout") / f"{kind}.po"
        po = read_po(path)
        res = {e.msgid: r for e, r in check_entries(list(po), back=back)}
        n = len(res)
        fails = sum(r.verdict == "fail" for r in res.values())
        pf = None if args.no_pofilter else pofilter_flagged(path)
        pf_n = None if pf is None else sum(1 for m in res if m in pf)
        rows.append((kind, n, fails, pf_n))
        if args.show == kind:  # the mistakes: false alarms on correct.po, misses elsewhere
            for m, r in res.items():
                if (r.verdict == "fail") == (kind == "correct"):
                    print(f"[{r.verdict}] {m!r}\n     {r.msgstr!r}\n     bt={r.back_translation!r}")
                    for f in r.findings:
                        print(f"     {f.severity} {f.check}: {f.detail}")
    secs = time.perf_counter() - t0
    print(f"evaluation set: {args.set}")
    print(f"{'kind':16} {'n':>4}  {'ours':>14}  {'pofilter':>14}")
    det = [0, 0, 0]
    for kind, n, fails, pf_n in rows:
        label = "false alarms" if kind == "correct" else "detected"
        pft = "-" if pf_n is None else f"{pf_n / n:6.1%} ({pf_n})"
        print(f"{kind:16} {n:4}  {fails / n:6.1%} ({fails:3})  {pft:>14}   {label}")
        if kind != "correct":
            det[0] += n
            det[1] += fails
            det[2] += pf_n or 0
    print(f"{'all wrong':16} {det[0]:4}  {det[1] / det[0]:6.1%} ({det[1]:3})  {det[2] / det[0]:6.1%} ({det[2]:3})   detected")
    print(f"(ours: fail = detected, warn not counted; back-translation {back.name}; {secs:.1f}s)")


if __name__ == "__main__":
    main()
