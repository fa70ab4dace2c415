"""`translate check --engine apertium` on the executors: --jobs 1..N and --executor ray, beside pofilter.

    .venv/bin/python bench/check_cluster.py [--entries 20000] [--jobs 1,2] [--workers 2]
                                            [--pofilter .venv-peers/bin/pofilter]

The catalogue and the measuring are bench/check_speed.py's (real human entries of the
Debian catalogues; wall, CPU of the process and its children, peak RSS, from wait4). Every
check runs cold (``--no-cache``) and ``--no-write``, with its JSON report: the table says
whether the verdicts are identical to those of ``--jobs 1`` (they must be), and gives the
ratios to pofilter's CPU and to the local ``--jobs 1`` wall. ``--executor ray`` starts a
local cluster of its own (127.0.0.1 only) inside the run, so its wall includes Ray's
start-up; the CPU of Ray's processes is counted only as far as they are reaped as children.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from check_speed import POFILTER, make_catalogue, measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--jobs", default="1,2", help="local pipelines to compare, comma-separated")
    ap.add_argument("--workers", type=int, default=2, help="Ray actors (--executor ray --jobs N)")
    ap.add_argument("--pofilter", type=Path, default=POFILTER)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        po = folder / "speed.po"
        n = make_catalogue(po, args.entries)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(folder / "cache")}
        env.pop("RAY_ADDRESS", None)
        rows, entries = [], {}
        if args.pofilter.exists():
            rows.append(measure("pofilter (default tests)", [str(args.pofilter), "--progress=none", str(po),
                                                             str(folder / "pofilter-out.po")], cwd=folder))
        runs = [(f"check --engine apertium --jobs {j}", ["--jobs", j]) for j in args.jobs.split(",")]
        runs.append((f"check --engine apertium --executor ray --jobs {args.workers}",
                     ["--executor", "ray", "--jobs", str(args.workers)]))
        for name, extra in runs:
            out = folder / f"{len(rows)}.json"
            cmd = [sys.executable, "-m", "translate", "-q", "check", str(po), "--no-write", "--no-cache",
                   "--engine", "apertium", "--json", str(out), *extra]
            rows.append(measure(name, cmd, env=env, cwd=ROOT))
            entries[name] = json.loads(out.read_text(encoding="utf-8"))["entries"] if out.exists() else None

        print(f"{n} entries ({po.stat().st_size // 1024} KiB), {os.cpu_count()} cores, "
              f"load average: {os.getloadavg()[0]:.1f}")
        base = rows[0] if args.pofilter.exists() else None
        first = runs[0][0]
        local = next(r for r in rows if r.name == first)
        print("| run | wall s | CPU s | CPU × pofilter | wall × --jobs 1 | peak RSS MiB | exit | verdicts = --jobs 1 |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            ratio = f"{r.cpu / base.cpu:.2f}" if base else "-"
            same = "-" if r.name not in entries else ("yes" if entries[r.name] == entries[first] else "NO")
            print(f"| {r.name} | {r.wall:.1f} | {r.cpu:.1f} | {ratio} | {r.wall / local.wall:.2f} | {r.rss_mib:.0f} | {r.code} | {same} |")


if __name__ == "__main__":
    main()
