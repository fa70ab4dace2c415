"""Scale benchmark: time and peak memory of `segment`, `update`, `build` as the corpus grows,
beside txt2po and po4a, and the re-run of `translate run` after a one-sentence change.

    .venv/bin/python bench/scale.py [--mb 1] [--sizes 1,4,16] [--docs 1000,5000] [--rerun-kb 100]
                                   [--tree DIR] [--check] [--skip SECTION ...]

Every command runs in its own process (through a small wrapper, so that the numbers are the
child's own): wall seconds, CPU seconds (user + system of the child and its children) and peak
memory (max RSS). Sections:

- **size**: one plain-text document of 1×, 4×, 16× ``--mb`` MB of real English prose
  (bench/corpus.py; past its few MB the prose repeats, so the catalogue grows less than the
  text). Per step: CPU per MB (flat = linear), peak ÷ input. `segment` beside translate-toolkit's
  `txt2po` (`.venv-peers`, same file) and `po4a-updatepo -f text` (`po4a-gettextize` only pairs a master with its translation) (Debian `po4a`) when installed.
- **docs**: the same prose cut into 1,000 and 5,000 small documents; the growth from the first
  count to the last, divided by the growth of the count (1.0 = linear).
- **re-run**: `translate run --engine apertium` on ``--rerun-kb`` KB in 10 documents, then again
  after one sentence of one document changed; each step's seconds and the re-run ÷ cold ratio.
- **mt**: rows from ``bench/scale_mt.py`` (``rows(args)``) when that module exists.
- **check**: rows from ``bench/check_speed.py`` when it offers ``rows(args)``; else, with
  ``--check``, its own table (run as a script); else a note.

``--tree DIR`` measures the ``translate`` package found in DIR instead of this checkout's (for a
before/after: ``git archive OLD translate | tar -x -C DIR``). Targets (issue 12): segment ≤ 1.0×
txt2po CPU; peak ≤ 16× the input; linear in size and in number of documents; re-run ≤ 10 %.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import english_corpus  # noqa: E402

#: translate-toolkit's txt2po: in this checkout's peers venv, or beside the venv running this
TXT2PO = next(
    (p for p in (REPO / ".venv-peers" / "bin" / "txt2po", Path(sys.prefix).parent / ".venv-peers" / "bin" / "txt2po") if p.exists()),
    REPO / ".venv-peers" / "bin" / "txt2po",
)
SECTIONS = ("size", "docs", "rerun", "mt", "check")

_WRAP = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
dt = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(p.stderr[-4000:])
print(json.dumps({"seconds": dt, "cpu": u.ru_utime + u.ru_stime, "rc": p.returncode, "maxrss_kb": u.ru_maxrss,
                  "stdout": p.stdout.decode("utf-8", "replace")[-4000:]}))
"""

_RUN = """
import json, sys, time
from pathlib import Path
from translate.config import Config
from translate.project import run
t = time.perf_counter()
res = run(Config(Path(sys.argv[1]), quiet=True), "es", engine=sys.argv[2])
print(json.dumps({"total": time.perf_counter() - t, "steps": [[s.name, s.seconds] for s in res.steps]}))
"""


def measure(cmd: list[str], env: dict[str, str], cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    """Run ``cmd`` in a fresh wrapper process: wall and CPU seconds, peak RSS of its process tree."""
    p = subprocess.run([sys.executable, "-c", _WRAP, *cmd], capture_output=True, env=env, cwd=cwd)
    if p.returncode != 0:
        raise SystemExit(p.stderr.decode())
    out = json.loads(p.stdout)
    if out["rc"] not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({out['rc']}):\n{p.stderr.decode()}")
    return out


def translate(proj: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "translate", "--project", str(proj), "-q", *args]


STEPS = (("segment",), ("update", "--lang", "es"), ("build", "--lang", "es"))


def pipeline(proj: Path, env: dict[str, str]) -> list[tuple[str, dict]]:
    """segment, update, build on a fresh project: one measurement per step."""
    return [(" ".join(step), measure(translate(proj, *step), env)) for step in STEPS]


def write_docs(src: Path, text: str, n: int) -> None:
    """``text`` cut at paragraph boundaries into ``n`` documents of about equal size."""
    src.mkdir(parents=True)
    paras = text.rstrip("\n").split("\n\n")
    per = max(1, len(paras) // n)
    for k in range(n):
        chunk = paras[k * per : (k + 1) * per] if k < n - 1 else paras[k * per :]
        (src / f"doc{k:05d}.txt").write_text("\n\n".join(chunk or ["Empty."]) + "\n", encoding="utf-8")


def _mb(r: dict) -> float:
    return r["maxrss_kb"] / 1024


def _table(head: tuple[str, ...], rows: list[tuple]) -> None:
    widths = [max(len(str(x[i])) for x in (head, *rows)) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
    print()


def size_section(opts, tmp: Path, env: dict[str, str], startup: dict) -> None:
    sizes = [int(x) for x in opts.sizes.split(",")]
    rows = []
    base: dict[str, float] = {}
    for k in sizes:
        text = english_corpus(int(k * opts.mb * 1_000_000))
        mb = len(text.encode("utf-8")) / 1e6
        proj = tmp / f"size{k}"
        write_docs(proj / "source", text, 1)
        doc = next((proj / "source").iterdir())
        results = pipeline(proj, env)
        peers = []
        peer_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}  # their package is also `translate`
        if TXT2PO.exists():
            peers.append(("txt2po", measure([str(TXT2PO), "--progress=none", str(doc), str(tmp / "t.po")], peer_env, cwd=tmp)))
        if shutil.which("po4a-updatepo") and k <= opts.po4a_max:
            cmd = ["po4a-updatepo", "-f", "text", "-M", "UTF-8", "-m", str(doc), "-p", str(tmp / "p.pot")]
            peers.append(("po4a-updatepo", measure(cmd, peer_env, cwd=tmp)))
        seg_cpu = results[0][1]["cpu"]
        for name, r in results + peers:
            per_mb = r["cpu"] / mb
            base.setdefault(name, per_mb)
            net = (r["maxrss_kb"] - startup["maxrss_kb"]) / 1024 / mb if name in dict(results) else None
            rows.append((
                f"{k}x ({mb:.2f} MB)", name, f"{r['seconds']:.2f}", f"{r['cpu']:.2f}", f"{per_mb:.2f}",
                f"{per_mb / base[name]:.2f}", f"{_mb(r):.0f}", f"{_mb(r) / mb:.1f}x",
                f"{net:.1f}x" if net is not None else "",
                f"{seg_cpu / r['cpu']:.2f}x" if name != "segment" and name in dict(peers) else "",
            ))
        shutil.rmtree(proj)
    print("## size: one document, 1x/4x/16x")
    if not TXT2PO.exists():
        print("(txt2po not installed: `make peers`)")
    if not shutil.which("po4a-updatepo"):
        print("(po4a not installed: `apt-get install po4a`)")
    _table(
        ("corpus", "run", "wall s", "CPU s", "CPU s/MB", "CPU/MB vs 1x", "peak MB", "peak ÷ input",
         "(peak − start-up) ÷ input", "segment CPU ÷ this"),
        rows,
    )


def docs_section(opts, tmp: Path, env: dict[str, str]) -> None:
    counts = [int(x) for x in opts.docs.split(",")]
    per_doc = 1500
    rows = []
    first: dict[str, tuple[int, float]] = {}
    for n in counts:
        proj = tmp / f"docs{n}"
        write_docs(proj / "source", english_corpus(n * per_doc), n)
        for name, r in pipeline(proj, env):
            n0, cpu0 = first.setdefault(name, (n, r["cpu"]))
            growth = (r["cpu"] / cpu0) / (n / n0) if n != n0 else 1.0
            rows.append((n, name, f"{r['seconds']:.2f}", f"{r['cpu']:.2f}", f"{1000 * r['cpu'] / n:.1f}",
                         f"{growth:.2f}", f"{_mb(r):.0f}"))
        shutil.rmtree(proj)
    print(f"## docs: many small documents (~{per_doc} bytes each)")
    _table(("documents", "run", "wall s", "CPU s", "CPU ms/doc", "growth ÷ count growth", "peak MB"), rows)


def rerun_section(opts, tmp: Path, env: dict[str, str]) -> None:
    proj = tmp / "rerun"
    write_docs(proj / "source", english_corpus(opts.rerun_kb * 1000), 10)
    cmd = [sys.executable, "-c", _RUN, str(proj), "apertium"]
    cold = measure(cmd, env)
    doc = sorted((proj / "source").iterdir())[3]
    text = doc.read_text(encoding="utf-8")
    at = text.index(". ") + 1
    doc.write_text(text[:at] + " This sentence was added by the benchmark." + text[at:], encoding="utf-8")
    warm = measure(cmd, env)
    c, w = json.loads(cold["stdout"]), json.loads(warm["stdout"])
    rows = [(name, f"{cs:.2f}", f"{ws:.2f}", f"{ws / c['total']:.1%}") for (name, cs), (_n, ws) in zip(c["steps"], w["steps"])]
    rows.append(("total (with the reports)", f"{c['total']:.2f}", f"{w['total']:.2f}", f"{w['total'] / c['total']:.1%}"))
    rows.append(("process (wall, start-up included)", f"{cold['seconds']:.2f}", f"{warm['seconds']:.2f}",
                 f"{warm['seconds'] / cold['seconds']:.1%}"))
    print(f"## re-run: `translate run --engine apertium`, {opts.rerun_kb} KB in 10 documents, one sentence added")
    _table(("step", "cold s", "re-run s", "re-run ÷ cold total"), rows)
    print(f"target: re-run ≤ 10% of the cold run: {w['total'] / c['total']:.1%}\n")


def _print_rows(rows) -> None:
    for row in rows:
        if isinstance(row, dict):
            print("| " + " | ".join(f"{k}: {v}" for k, v in row.items()) + " |")
        elif isinstance(row, (list, tuple)):
            print("| " + " | ".join(str(x) for x in row) + " |")
        else:
            print(row)
    print()


def mt_section(opts) -> None:
    print("## mt (bench/scale_mt.py)")
    try:
        import scale_mt  # type: ignore[import-not-found]
    except ModuleNotFoundError:
        print("(bench/scale_mt.py is not there: section skipped)\n")
        return
    mt_args = argparse.Namespace(sentences=opts.mt_sentences, rounds=opts.mt_rounds, jobs=None, ray=not opts.no_ray)
    print(f"{mt_args.sentences} held-out sentences; median of {mt_args.rounds} paired rounds")
    print(scale_mt.markdown(scale_mt.HEAD, scale_mt.rows(mt_args)))
    print()


def check_section(opts, env: dict[str, str]) -> None:
    print("## check (bench/check_speed.py)")
    import check_speed

    if callable(getattr(check_speed, "rows", None)):
        _print_rows(check_speed.rows(opts))
    elif opts.check:
        p = subprocess.run([sys.executable, str(REPO / "bench" / "check_speed.py")], env=env, capture_output=True, text=True)
        print(p.stdout or p.stderr)
    else:
        print("(bench/check_speed.py has no rows(args): run it alone, or pass --check to run it here)\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=1.0, help="size of the 1x corpus in MB (default 1)")
    ap.add_argument("--sizes", default="1,4,16", help="corpus sizes as multiples of --mb (default 1,4,16)")
    ap.add_argument("--docs", default="1000,5000", help="numbers of small documents (default 1000,5000)")
    ap.add_argument("--rerun-kb", type=int, default=100, help="size of the re-run project in KB (default 100)")
    ap.add_argument("--po4a-max", type=int, default=4, help="largest size (multiple) po4a runs on (default 4: it is slow)")
    ap.add_argument("--tree", type=Path, default=REPO, help="folder holding the translate package to measure")
    ap.add_argument("--check", action="store_true", help="run bench/check_speed.py here when it has no rows()")
    ap.add_argument("--mt-sentences", type=int, default=1719, help="sentences of the mt section (default 1719)")
    ap.add_argument("--mt-rounds", type=int, default=3, help="paired rounds of the mt section (default 3)")
    ap.add_argument("--no-ray", action="store_true", help="leave the Ray rows out of the mt section")
    ap.add_argument("--skip", nargs="*", default=[], choices=SECTIONS, help="sections to leave out")
    opts = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(opts.tree.resolve()))
    print(f"code measured: {opts.tree.resolve()}; {os.cpu_count()} CPUs\n")
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp_name:
        tmp = Path(tmp_name)
        os.chdir(tmp)  # `python -m translate` puts its folder first on the path: not this checkout's
        startup = measure([sys.executable, "-m", "translate", "--help"], env)
        print(f"start-up (`translate --help`): {startup['cpu']:.2f} s CPU, {_mb(startup):.0f} MB peak\n")
        if "size" not in opts.skip:
            size_section(opts, tmp, env, startup)
        if "docs" not in opts.skip:
            docs_section(opts, tmp, env)
        if "rerun" not in opts.skip:
            rerun_section(opts, tmp, env)
        os.chdir(REPO)  # the temporary folder goes away here
    if "mt" not in opts.skip:
        mt_section(opts)
    if "check" not in opts.skip:
        check_section(opts, env)


if __name__ == "__main__":
    main()
