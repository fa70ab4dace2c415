"""Start-up cost of the command line: `translate --help` and `translate stats` against a bare
Python interpreter, medians of N runs.

Run: .venv/bin/python bench/startup.py [--repeat 15] [--rev GIT_REV]

With --rev, the same commands also run from a checkout of that revision (a temporary git
worktree), so a change can be measured before and after in one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], cwd: Path, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=True)
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--rev", default=None, help="also measure this git revision (e.g. HEAD~5)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        (project / "source").mkdir(parents=True)
        (project / "source" / "a.md").write_text("# Title\n\nOne sentence. Another one.\n", encoding="utf-8")
        run = [sys.executable, "-m", "translate", "--project", str(project)]
        subprocess.run(run + ["-q", "segment"], check=True, cwd=ROOT)
        subprocess.run(run + ["-q", "update", "--lang", "es"], check=True, cwd=ROOT)
        trees = [("this tree", ROOT)]
        if args.rev:
            old = Path(tmp) / "old"
            subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old), args.rev], cwd=ROOT, check=True)
            trees.append((args.rev, old))
        try:
            base = timed([sys.executable, "-c", "pass"], ROOT, args.repeat)
            print("| command | tree | median s | minus bare python |")
            print("|---|---|---|---|")
            print(f"| python -c pass | - | {base:.3f} | |")
            for name, tree in trees:
                for label, extra in (("translate --help", ["--help"]), ("translate stats", ["stats"])):
                    t = timed(run + extra, tree, args.repeat)  # cwd first on sys.path: that tree's package
                    print(f"| {label} | {name} | {t:.3f} | {t - base:.3f} |")
        finally:
            if args.rev:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
