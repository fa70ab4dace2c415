"""`translate mt` against raw Apertium, over pipelines and Ray workers, in one run.

    .venv/bin/python bench/scale_mt.py [--sentences 1719] [--rounds 3] [--jobs N]

On the same held-out English sentences (bench/corpus.py: licences and package documents on
the machine, never the catalogues tuned on), each *round* runs, one after another:

- raw ``apertium eng-spa`` over all the sentences (one per line) in one pipeline: the peer;
- raw ``apertium eng-spa`` split over N pipelines by hand (contiguous shares, run at once);
- ``translate mt --engine apertium --jobs J`` for J = 1..N (a fresh copy of the catalogue);
- ``translate mt --executor ray --jobs W`` for W = 1, 2 workers, on a local Ray cluster that
  is started once for the whole run (``--address``: as a cluster would already be running);
  and, cold, ``--executor ray --jobs 1`` without an address: the command starts a local
  cluster of its own and stops it. The catalogue bytes are compared with the local run's.

Wall and CPU (user + system of the whole process tree) are medians over the rounds; the
ratio is the median of each round's wall over the same round's raw one-pipeline wall
(paired runs). Peak memory is the largest resident set of one process of the tree. For
Ray, CPU and memory are the driver's only (the actors are processes of the cluster).
The Ray rows also give their wall over the same round's local run with as many jobs.
Targets: mt ≤ 1.1× raw; Ray on one machine: same bytes, ≤ 1.3× the local time.

:func:`rows` returns the table for bench/scale.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import english_sentences  # noqa: E402
from mt import make_project  # noqa: E402
from table import markdown  # noqa: E402

TRANSLATE = [sys.executable, "-m", "translate"]
HEAD = ["run", "wall s", "CPU s", "peak MB", "× raw wall", "× local wall", "same bytes"]

# Runs several commands at once (each with its own stdin file) and reports the wall time,
# the CPU time and the largest peak RSS of their process trees.
_WRAP = """
import json, resource, subprocess, sys, time
jobs = json.loads(sys.argv[1])
t = time.perf_counter()
procs = [subprocess.Popen(j["cmd"], stdin=open(j["stdin"], "rb") if j.get("stdin") else subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for j in jobs]
errs = [p.communicate()[1] for p in procs]
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
bad = [e.decode("utf-8", "replace") for p, e in zip(procs, errs) if p.returncode]
print(json.dumps({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024, "errors": bad}))
"""

# Keeps a local Ray cluster up until its stdin closes; prints the address drivers join.
_RAY_HEAD = """
import sys, ray
ray.init(address="local", num_cpus=int(sys.argv[1]), object_store_memory=80 * 1024 * 1024,
         include_dashboard=False, log_to_driver=False)
print(ray.get_runtime_context().gcs_address, flush=True)
sys.stdin.read()
ray.shutdown()
"""


def measure(jobs: list[dict], env: dict[str, str]) -> dict:
    p = subprocess.run([sys.executable, "-c", _WRAP, json.dumps(jobs)], capture_output=True, env=env)
    out = json.loads(p.stdout) if p.returncode == 0 else {"errors": [p.stderr.decode()]}
    if out["errors"]:
        raise SystemExit("a measured command failed:\n" + "\n".join(out["errors"]))
    return out


def split_inputs(sentences: list[str], n: int, folder: Path) -> list[Path]:
    """``n`` contiguous shares of the sentences, one per line, as files."""
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-len(sentences) // n)
    paths = []
    for k in range(n):
        path = folder / f"part{n}-{k}.txt"
        path.write_text("\n".join(sentences[k * size : (k + 1) * size]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def run_mt(template: Path, work: Path, env: dict[str, str], *options: str) -> tuple[dict, bytes]:
    """``translate mt`` on a fresh copy of the project; its measurement and catalogue bytes."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(template, work)
    cmd = TRANSLATE + ["--project", str(work), "-q", "mt", "--lang", "es", "--engine", "apertium", *options]
    m = measure([{"cmd": cmd}], env)
    return m, b"".join(p.read_bytes() for p in sorted((work / "locales" / "es" / "LC_MESSAGES").glob("*.po")))


def _start_ray(workers: int, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    head = subprocess.Popen([sys.executable, "-c", _RAY_HEAD, str(workers)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    address = head.stdout.readline().strip()
    if not address:
        raise SystemExit("the local Ray cluster did not start")
    return head, address


def rows(args: argparse.Namespace) -> list[list[str]]:
    """The table (see :data:`HEAD`); ``args``: ``sentences``, ``rounds``, ``jobs``, ``ray``."""
    sentences = english_sentences(args.sentences)
    n = args.jobs or os.cpu_count() or 1
    # a Ray cluster on 127.0.0.1 only, joined with the token Ray keeps for local clusters
    env = dict(os.environ, PYTHONPATH=str(REPO), RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0", RAY_AUTH_MODE="token")
    env.pop("RAY_ADDRESS", None)
    runs: dict[str, list[dict]] = {}
    same: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="scale-mt-") as tmp:
        root = Path(tmp)
        template = make_project(root / "template", sentences, env)
        whole = split_inputs(sentences, 1, root / "in")
        shares = split_inputs(sentences, n, root / "in")
        head = address = None
        if args.ray:
            head, address = _start_ray(2, env)
        try:
            for _ in range(args.rounds):
                plan = [("raw apertium, 1 pipeline", lambda: measure([{"cmd": ["apertium", "eng-spa"], "stdin": str(whole[0])}], env))]
                plan.append((f"raw apertium, split over {n} by hand",
                             lambda: measure([{"cmd": ["apertium", "eng-spa"], "stdin": str(p)} for p in shares], env)))
                local: dict[str, bytes] = {}
                for j in range(1, n + 1):
                    plan.append((f"translate mt --jobs {j}", _mt_step(template, root, env, local, "local", "--jobs", str(j))))
                for w in (1, 2) if args.ray else ():
                    plan.append((f"translate mt --executor ray --jobs {w} (running cluster)",
                                 _mt_step(template, root, env, local, "ray", "--executor", "ray", "--address", address, "--jobs", str(w))))
                if args.ray:
                    plan.append(("translate mt --executor ray --jobs 1 (cold: own cluster)",
                                 _mt_step(template, root, env, local, "ray", "--executor", "ray", "--jobs", "1")))
                for label, step in plan:
                    result = step()
                    runs.setdefault(label, []).append(result)
                    if "bytes" in result:
                        same[label] = same.get(label, True) and result["bytes"] == local["local"]
        finally:
            if head is not None:
                head.stdin.close()
                head.wait()
    raw_walls = [r["wall"] for r in runs["raw apertium, 1 pipeline"]]
    table = []
    for label, results in runs.items():
        ratio = statistics.median(r["wall"] / raw for r, raw in zip(results, raw_walls))
        jobs = re.search(r"ray --jobs (\d+)", label)
        local = runs.get(f"translate mt --jobs {jobs.group(1)}") if jobs else None
        table.append([
            label,
            f"{statistics.median(r['wall'] for r in results):.2f}",
            f"{statistics.median(r['cpu'] for r in results):.2f}" + (" (driver)" if "ray" in label else ""),
            f"{max(r['rss_mb'] for r in results):.0f}",
            f"{ratio:.2f}",
            f"{statistics.median(r['wall'] / m['wall'] for r, m in zip(results, local)):.2f}" if local else "-",
            ("yes" if same[label] else "NO") if label in same else "-",
        ])
    return table


def _mt_step(template: Path, root: Path, env: dict[str, str], local: dict[str, bytes], kind: str, *options: str):
    """One ``translate mt`` run; the first local run's bytes are the reference of the round."""

    def step() -> dict:
        m, data = run_mt(template, root / "work", env, *options)
        local.setdefault("local", data)
        return dict(m, bytes=data)

    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sentences", type=int, default=1719)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="largest --jobs and by-hand split (default: CPUs)")
    ap.add_argument("--no-ray", dest="ray", action="store_false", help="leave out the Ray rows")
    args = ap.parse_args()
    table = rows(args)
    print(f"{args.sentences} held-out sentences (bench/corpus.py); {os.cpu_count()} CPUs; median of {args.rounds} paired rounds")
    print(markdown(HEAD, table))


if __name__ == "__main__":
    main()
