"""Segmentation benchmark: `translate segment` vs translate-toolkit's txt2po vs the raw segmenter.

    .venv/bin/python bench/segment.py [--mb 5] [--tree DIR]

The corpus is at least 5 MB of real English prose (bench/corpus.py), written as one plain
text document. Each contender runs as its own process on the same file, in the same run;
the table gives wall-clock throughput (MB/s, including the interpreter's start-up), CPU
seconds (user + system), peak memory (max RSS) and ratios of wall time and of CPU:

- `translate segment`: the whole step (read, parse, split, catalogue, write the .pot);
- `txt2po` (translate-toolkit, from the `.venv-peers` venv: `make peers`): paragraphs → .po;
- the raw sentence segmenter our step uses (sentencex), called once per paragraph;
- pysbd, for reference (the most accurate pure-Python segmenter, much slower).

Targets (issue 2): ours ≤ 1.5× the raw segmenter's time, and faster than txt2po; (issue 12)
≤ 1.0× txt2po's CPU. ``--tree DIR`` measures the ``translate`` package found in DIR (a
before/after: ``git archive OLD translate | tar -x -C DIR``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import english_corpus  # noqa: E402
from scale import TXT2PO, measure  # noqa: E402

RAW = """
import sys, re, sentencex
text = open(sys.argv[1], encoding="utf-8").read()
n = 0
for para in re.split(r"\\n\\s*\\n", text):
    if para.strip():
        n += len(sentencex.segment("en", para))
print(n)
"""

PYSBD = """
import sys, re, pysbd
text = open(sys.argv[1], encoding="utf-8").read()
seg = pysbd.Segmenter(language="en", clean=False)
n = 0
for para in re.split(r"\\n\\s*\\n", text):
    if para.strip():
        n += len(seg.segment(para))
print(n)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    ap.add_argument("--pysbd", action="store_true", help="also time pysbd (about a minute per MB)")
    ap.add_argument("--tree", type=Path, default=REPO, help="folder holding the translate package to measure")
    opts = ap.parse_args()
    text = english_corpus(int(opts.mb * 1_000_000))
    size = len(text.encode("utf-8"))
    mb = size / 1e6
    rows: list[tuple[str, dict | None, str]] = []
    env = dict(os.environ, PYTHONPATH=str(opts.tree.resolve()))
    peer_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # their package is also `translate`
    with tempfile.TemporaryDirectory(prefix="segment-bench-") as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        doc = root / "source" / "corpus.txt"
        doc.write_text(text, encoding="utf-8")
        ours = measure([sys.executable, "-m", "translate", "--project", str(root), "-q", "segment"], env=env, cwd=root)
        entries = sum(1 for line in (root / "locales" / "corpus.pot").read_text(encoding="utf-8").splitlines() if line.startswith("msgid ")) - 1
        rows.append((f"translate segment ({entries} entries)", ours, ""))
        raw = measure([sys.executable, "-c", RAW, str(doc)], env=env)
        rows.append((f"raw sentencex, per paragraph ({raw['stdout'].strip()} sentences)", raw, ""))
        if TXT2PO.exists():
            peer = measure([str(TXT2PO), "--progress=none", str(doc), str(root / "txt2po.po")], env=peer_env, cwd=root)
            rows.append(("translate-toolkit txt2po", peer, ""))
        else:
            peer = None
            rows.append(("translate-toolkit txt2po", None, "not installed: make peers"))
        if opts.pysbd:
            sbd = measure([sys.executable, "-c", PYSBD, str(doc)], env=env)
            rows.append((f"raw pysbd, per paragraph ({sbd['stdout'].strip()} sentences)", sbd, ""))

    print(f"code measured: {opts.tree.resolve()}")
    print(f"corpus: {mb:.2f} MB of English prose (bench/corpus.py), {os.cpu_count()} CPUs")
    head = ("run", "seconds", "CPU s", "MB/s", "peak MB", "ours ÷ this (time)", "ours ÷ this (CPU)")
    table = []
    for name, r, note in rows:
        if r is None:
            table.append((name, "-", "-", "-", "-", note, ""))
            continue
        ratio = "" if r is ours else f"{ours['seconds'] / r['seconds']:.2f}x"
        cpu_ratio = "" if r is ours else f"{ours['cpu'] / r['cpu']:.2f}x"
        table.append((name, f"{r['seconds']:.2f}", f"{r['cpu']:.2f}", f"{mb / r['seconds']:.2f}",
                      f"{r['maxrss_kb'] / 1024:.0f}", ratio or note, cpu_ratio))
    widths = [max(len(str(x[i])) for x in (head, *table)) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
    print(f"target: ours ≤ 1.5x raw segmenter: {ours['seconds'] / raw['seconds']:.2f}x;", end=" ")
    if peer:
        print(f"faster than txt2po: {'yes' if ours['seconds'] < peer['seconds'] else 'no'} ({peer['seconds'] / ours['seconds']:.2f}x)")
        print(f"target: ours ≤ 1.0x txt2po's CPU: {ours['cpu'] / peer['cpu']:.2f}x")
    else:
        print("txt2po not measured")


if __name__ == "__main__":
    main()
