"""Speed of `translate check` on a 20,000-entry catalogue, beside translate-toolkit's pofilter.

    .venv/bin/python bench/check_speed.py [--entries 20000] [--small 100] [--keep DIR]
                                          [--pofilter .venv-peers/bin/pofilter] [--engines none,apertium]

The catalogue is made of real human Spanish entries of the Debian programs in
/usr/share/locale/es/LC_MESSAGES (the first N entries, sorted by domain and msgid, plural
forms and context included). Every tool runs as a user would run it, as a separate process:
ours as `python -m translate check FILE --no-write --engine none|apertium`, pofilter with its
default tests (translate-toolkit, from the peers' venv: its package is also called
`translate`, so it runs with its own interpreter and cwd outside this repository).

Printed, in one run: wall and CPU seconds (user + sys of the process and its children, from
wait4), peak resident memory (the largest process), and the ratios to pofilter, for

- cold: an empty verdict cache;
- warm: the same file again (every verdict cached);
- one entry changed: the same catalogue with one msgstr edited;
- the engine alone: `apertium -u spa-eng` and `apertium -u eng-spa` on the same texts (what
  the back and forward translations cost Apertium itself, the floor of `--engine apertium`);
- the time to the first verdict on a small file (cold and warm): from just before the
  process is started to the first `first-verdict` event that the check appends to the file
  named by TRANSLATE_TRACE (a debugging hook of translate/check/runner.py, no CLI option).

The verdict cache of a file outside a project lives in $XDG_CACHE_HOME/translate-docs; the
benchmark points XDG_CACHE_HOME into its own temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POFILTER = ROOT / ".venv-peers" / "bin" / "pofilter"


def make_catalogue(path: Path, n: int) -> int:
    import polib

    from translate.po.pofile import new_pofile, write_po

    po = new_pofile()
    po.metadata.update({"Language": "es", "Content-Type": "text/plain; charset=UTF-8", "MIME-Version": "1.0",
                        "Content-Transfer-Encoding": "8bit", "Project-Id-Version": "speed",
                        "Plural-Forms": "nplurals=2; plural=(n != 1);"})
    seen = set()
    for mo in sorted(Path("/usr/share/locale/es/LC_MESSAGES").glob("*.mo")):
        if mo.stem.startswith("iso_"):
            continue
        for e in polib.mofile(str(mo)):
            key = (e.msgctxt, e.msgid)
            if not e.msgid or key in seen or (e.msgid_plural and len(e.msgstr_plural) != 2):
                continue
            seen.add(key)
            e2 = polib.POEntry(msgid=e.msgid, msgstr=e.msgstr, msgctxt=e.msgctxt, msgid_plural=e.msgid_plural,
                               msgstr_plural=dict(e.msgstr_plural), occurrences=[(mo.stem, "")])
            if "%" in e.msgid:
                e2.flags.append("c-format")
            po.append(e2)
            if len(po) >= n:
                break
        if len(po) >= n:
            break
    write_po(path, po)
    return len(po)


def change_one_entry(src: Path, dst: Path) -> None:
    """The same catalogue with the msgstr of one sentence (in the middle) edited: an entry of
    at least five words, so that its check needs the engine and the language identifier."""
    import polib

    from translate.po.pofile import write_po

    po = polib.pofile(str(src))
    sentences = [e for e in po if e.msgstr and not e.msgid_plural and len(e.msgid.split()) >= 5 and "%" not in e.msgid]
    e = sentences[len(sentences) // 2]
    e.msgstr = "Por favor, " + e.msgstr[:1].lower() + e.msgstr[1:]
    write_po(dst, po)


def engine_texts(po_path: Path, folder: Path) -> tuple[Path, Path]:
    """The msgstrs (back-translated) and msgids (forward-translated) as Apertium text files."""
    import polib

    ids, strs = [], []
    for e in polib.pofile(str(po_path)):
        i, s = (e.msgid_plural, e.msgstr_plural.get(1, "")) if e.msgid_plural else (e.msgid, e.msgstr)
        if s:
            ids.append(i)
            strs.append(s)
    paths = folder / "msgstrs.txt", folder / "msgids.txt"
    for p, texts in zip(paths, (strs, ids)):
        p.write_text("\n\n".join(" ".join(t.split()) for t in dict.fromkeys(texts)) + "\n", encoding="utf-8")
    return paths


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    rss_mib: float
    code: int
    first: float | None = None  #: seconds to the first verdict (trace event)


def measure(name: str, cmd: list[str], *, env: dict | None = None, cwd: Path | None = None,
            trace: Path | None = None, stdout=subprocess.DEVNULL) -> Run:
    """Run ``cmd`` once: wall, CPU (user + sys, with children) and peak RSS from wait4."""
    if trace is not None:
        trace.unlink(missing_ok=True)
    t0 = time.time()
    w0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL)
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - w0
    p.returncode = os.waitstatus_to_exitcode(status)
    first = None
    if trace is not None and trace.exists():
        events = [line.split() for line in trace.read_text().splitlines()]
        times = [float(t) for ev, t in events if ev == "first-verdict"]
        first = min(times) - t0 if times else None
    return Run(name, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, p.returncode, first)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--small", type=int, default=100, help="entries of the file timed to its first verdict")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--pofilter", type=Path, default=POFILTER)
    ap.add_argument("--engines", default="none,apertium", help="the --engine values measured (comma-separated)")
    args = ap.parse_args()
    engines = tuple(args.engines.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = (args.keep or Path(tmp)).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        po, po1, small = folder / "speed.po", folder / "speed-one-changed.po", folder / "small.po"
        n = make_catalogue(po, args.entries)
        change_one_entry(po, po1)
        make_catalogue(small, args.small)
        trace = folder / "trace.txt"
        cache = folder / "user-cache"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache), "TRANSLATE_TRACE": str(trace)}

        def ours(name: str, path: Path, engine: str, *extra: str) -> Run:
            cmd = [sys.executable, "-m", "translate", "-q", "check", str(path), "--no-write", "--engine", engine, *extra]
            return measure(name, cmd, env=env, cwd=ROOT, trace=trace)

        rows: list[Run] = []
        if args.pofilter.exists():
            rows.append(measure("pofilter (default tests)", [str(args.pofilter), "--progress=none", str(po),
                                                             str(folder / "pofilter-out.po")], cwd=folder))
        reports = {}
        for engine in engines:
            shutil.rmtree(cache, ignore_errors=True)
            for label, path in (("cold", po), ("warm", po), ("one entry changed", po1)):
                out = folder / f"{engine}-{label.split()[0]}.json"
                rows.append(ours(f"check --engine {engine}, {label}", path, engine, "--json", str(out)))
                reports[engine, label] = json.loads(out.read_text(encoding="utf-8"))
        if "apertium" in engines:
            strs, ids = engine_texts(po, folder)
            for mode, texts in (("spa-eng", strs), ("eng-spa", ids)):
                rows.append(measure(f"apertium -u {mode} alone (same texts)", ["apertium", "-u", mode, str(texts)]))
        first: list[Run] = []
        for engine in engines:
            shutil.rmtree(cache, ignore_errors=True)
            first.append(ours(f"{args.small} entries, --engine {engine}, cold", small, engine))
            first.append(ours(f"{args.small} entries, --engine {engine}, warm", small, engine))
        if args.pofilter.exists():
            first.append(measure(f"pofilter, {args.small} entries (whole run)", [str(args.pofilter), "--progress=none",
                                 str(small), str(folder / "pofilter-small.po")], cwd=folder))

        print(f"{n} entries ({po.stat().st_size // 1024} KiB), {os.cpu_count()} cores, "
              f"load average before: {os.getloadavg()[0]:.1f}")
        base = rows[0] if args.pofilter.exists() else None
        print("| run | wall s | CPU s | CPU × pofilter | wall × pofilter | peak RSS MiB | exit |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            ratio_cpu = f"{r.cpu / base.cpu:.2f}" if base else "-"
            ratio_wall = f"{r.wall / base.wall:.2f}" if base else "-"
            print(f"| {r.name} | {r.wall:.1f} | {r.cpu:.1f} | {ratio_cpu} | {ratio_wall} | {r.rss_mib:.0f} | {r.code} |")
        alone = sum(r.cpu for r in rows if r.name.startswith("apertium -u"))
        if base and alone:
            print(f"Apertium alone, both directions: {alone:.1f} s CPU = {alone / base.cpu:.2f}× pofilter's CPU")
        print()
        print("| small file | first verdict s | whole run s | CPU s | exit |")
        print("|---|---|---|---|---|")
        for r in first:
            shown = f"{r.first:.2f}" if r.first is not None else "-"
            print(f"| {r.name} | {shown} | {r.wall:.2f} | {r.cpu:.2f} | {r.code} |")
        for engine in engines:
            cold, warm = reports[engine, "cold"], reports[engine, "warm"]
            same = cold["entries"] == warm["entries"]
            print(f"--engine {engine}: verdicts {cold['summary']['verdicts']}; warm report entries identical to cold: {same}")


if __name__ == "__main__":
    main()
