"""Translation-memory benchmark: a new release that repeats 30% of an earlier, translated one.

    .venv/bin/python bench/tm_reuse.py [--sentences 400] [--peers-bin DIR]

Two releases, each run on this machine in one go:

- *press release*: the document in source/ (release 1), and
- *held-out prose*: ``--sentences`` real English sentences from bench/corpus.py (release 1).

Release 1 is translated by `translate mt --engine apertium` and every entry approved by a
reviewer (``reviewed:`` mark, not fuzzy): the memory. Release 2 repeats 30% of release 1's
sentences, half of them verbatim and half with a small edit (a number changed, one word
replaced, or a word added), among as many new sentences (held-out prose not in release 1).
Release 2 is then translated with `translate mt --engine apertium`:

- with the memory (release 1 in the same project), at the default threshold (75%);
- without it (a project holding release 2 only), every sentence by the engine;
- by the peer, translate-toolkit's `pretranslate -t release1.po -i release2.pot` (default
  similarity 75%), which fills only what its memory matches.

Printed: how many of the repeated sentences each reused (exact / near), what it cost in time,
and the ratios. Target: every repeated sentence reused from memory.
Also the lookup speed of the memory alone on thousands of units (near matches).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from corpus import english_sentences  # noqa: E402

from translate.config import Config  # noqa: E402
from translate.po import state  # noqa: E402
from translate.po.pofile import read_po, write_po  # noqa: E402
from translate.tm.memory import Memory, Unit  # noqa: E402

TRANSLATE = [sys.executable, "-m", "translate"]
SHARE = 0.30  # of release 1's sentences repeated in release 2
WORDS = {"will": "would", "new": "recent", "important": "essential", "all": "every", "must": "should",
         "the first": "the second", "can": "could", "may": "might", "large": "big", "use": "apply"}


def run(proj: Path, *args: str) -> float:
    t = time.perf_counter()
    p = subprocess.run([*TRANSLATE, "--project", str(proj), "-q", *args], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(REPO)))
    if p.returncode != 0:
        raise SystemExit(f"translate {' '.join(args)} failed:\n{p.stderr}")
    return time.perf_counter() - t


def edit(sentence: str, k: int) -> str:
    """A small edit, of kind k % 3: a number changed, one word replaced, a word added (falling
    through to the next kind when the sentence offers no place for it)."""
    for kind in range(k % 3, k % 3 + 3):
        if kind % 3 == 0 and re.search(r"\d", sentence):
            return re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), sentence, count=1)
        if kind % 3 == 1:
            for old, new in WORDS.items():
                if re.search(rf"\b{old}\b", sentence):
                    return re.sub(rf"\b{old}\b", new, sentence, count=1)
        if kind % 3 == 2:
            m = re.search(r"[.!?:;]?$", sentence.rstrip())
            return sentence.rstrip()[: m.start()] + " as well" + sentence.rstrip()[m.start():]
    raise AssertionError("unreachable: kind 2 always applies")


def paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(sentences) + "\n"


def release_one(root: Path, name: str, text: str) -> tuple[Path, list[str]]:
    """A project with release 1 translated by Apertium and approved; its msgids."""
    proj = root / name
    (proj / "source").mkdir(parents=True)
    (proj / "source" / "release1.txt").write_text(text, encoding="utf-8")
    run(proj, "segment")
    run(proj, "update", "--lang", "es")
    run(proj, "mt", "--lang", "es", "--engine", "apertium")
    path = Config(proj).po_path("es", "release1")
    po = read_po(path)
    for e in po:
        state.mark_reviewed(e, "bench", dt.date(2026, 11, 28))
    write_po(path, po)
    return proj, [e.msgid for e in po if e.msgid]


def release_two(msgids: list[str], fresh: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(release 2's sentences, the verbatim repeats, the edited repeats)."""
    n = max(2, round(len(msgids) * SHARE))
    step = len(msgids) / n
    picked = [msgids[int(k * step)] for k in range(n)]
    exact = picked[::2]
    edited = [edit(s, k) for k, s in enumerate(picked[1::2])]
    new = fresh[: round(n * (1 - SHARE) / SHARE)]  # the repeats are 30% of release 2 as well
    out: list[str] = []
    for k in range(max(len(new), n)):  # interleaved, as a real release would mix them
        if k < len(new):
            out.append(new[k])
        if k < len(exact):
            out.append(exact[k])
        if k < len(edited):
            out.append(edited[k])
    return out, exact, edited


def count_reuse(po_path: Path, exact: list[str], edited: list[str]) -> tuple[int, int, int]:
    """(repeated sentences filled from memory exactly, by a near match, otherwise)."""
    po = read_po(po_path)
    by_id = {e.msgid: e for e in po}
    ex = near = engine = 0
    for s in exact + edited:
        e = by_id.get(s)
        if e is None:
            raise SystemExit(f"release 2 was segmented differently: no msgid {s!r}")
        if "tm: reused" in (e.tcomment or ""):
            ex += 1
        elif "mt: translation memory" in (e.tcomment or ""):
            near += 1
        else:
            engine += 1
    return ex, near, engine


def peer_reuse(peers_bin: Path, old_po: Path, pot: Path, out: Path, exact: list[str], edited: list[str]):
    exe = peers_bin / "pretranslate"
    if not exe.exists():
        return None
    t = time.perf_counter()
    p = subprocess.run([str(exe), "-t", str(old_po), "-i", str(pot), "-o", str(out)], capture_output=True, text=True,
                       cwd=tempfile.gettempdir())  # its package is also called `translate`: run outside the repo
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"pretranslate failed:\n{p.stderr}")
    import polib

    by_id = {e.msgid: e for e in polib.pofile(str(out))}
    ex = sum(1 for s in exact + edited if by_id.get(s) and by_id[s].msgstr and "fuzzy" not in by_id[s].flags)
    near = sum(1 for s in exact + edited if by_id.get(s) and by_id[s].msgstr and "fuzzy" in by_id[s].flags)
    return ex, near, dt


def scenario(root: Path, name: str, text1: str, fresh: list[str], peers_bin: Path) -> list[list[str]]:
    proj, msgids = release_one(root, name, text1)
    fresh = [s for s in fresh if s not in set(msgids)]
    sentences, exact, edited = release_two(msgids, fresh)
    (proj / "source" / "release2.txt").write_text(paragraphs(sentences), encoding="utf-8")
    run(proj, "segment")
    run(proj, "update", "--lang", "es")
    with_tm = run(proj, "mt", "--lang", "es", "--engine", "apertium")
    ex, near, engine = count_reuse(Config(proj).po_path("es", "release2"), exact, edited)

    bare = root / f"{name}-no-memory"
    (bare / "source").mkdir(parents=True)
    (bare / "source" / "release2.txt").write_text(paragraphs(sentences), encoding="utf-8")
    run(bare, "segment")
    run(bare, "update", "--lang", "es")
    without = run(bare, "mt", "--lang", "es", "--engine", "apertium")

    repeated = len(exact) + len(edited)
    rows = [
        [name, f"{len(msgids)} → {len(sentences)}", f"{repeated} ({len(exact)} exact, {len(edited)} edited)",
         "translate mt, memory", f"{ex + near}/{repeated} ({ex} exact, {near} near)", f"{with_tm:.2f}", "1.00"],
        ["", "", "", "translate mt, no memory", f"0/{repeated}", f"{without:.2f}", f"{without / with_tm:.2f}"],
    ]
    peer = peer_reuse(peers_bin, Config(proj).po_path("es", "release1"), Config(proj).template_path("release2"),
                      root / f"{name}-peer.po", exact, edited)
    if peer:
        pex, pnear, pdt = peer
        rows.append(["", "", "", "pretranslate (peer, memory only)", f"{pex + pnear}/{repeated} ({pex} exact, {pnear} fuzzy)",
                     f"{pdt:.2f}", f"{pdt / with_tm:.2f}"])
    if engine:
        rows.append(["", "", "", f"NOT reused by translate: {engine}", "", "", ""])
    return rows


def lookup_speed(units: int, queries: int) -> list[list[str]]:
    """The memory's lookups (length window, then rapidfuzz) vs scoring every unit (no window)."""
    from rapidfuzz import fuzz, process

    pool = english_sentences(units + queries)
    memory = Memory([Unit(s, s.upper(), "bench") for s in pool[:units]])
    asked = [edit(s, k) for k, s in enumerate(pool[: queries // 2])] + pool[units: units + queries - queries // 2]
    t = time.perf_counter()
    found = sum(memory.lookup(q) is not None for q in asked)
    ours = time.perf_counter() - t
    sources = pool[:units]
    t = time.perf_counter()
    full = sum(process.extractOne(q, sources, scorer=fuzz.ratio, score_cutoff=75) is not None for q in asked)
    scan = time.perf_counter() - t
    return [
        [f"{units:,} units", "translate (length window)", f"{len(asked):,}", f"{found:,}", f"{ours:.3f}", f"{len(asked) / ours:,.0f}", "1.00"],
        ["", "every unit scored", f"{len(asked):,}", f"{full:,}", f"{scan:.3f}", f"{len(asked) / scan:,.0f}", f"{scan / ours:.2f}"],
    ]


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sentences", type=int, default=400, help="release 1 of the held-out prose scenario")
    ap.add_argument("--peers-bin", type=Path, default=REPO / ".venv-peers" / "bin",
                    help="folder of translate-toolkit's scripts (pretranslate)")
    args = ap.parse_args()
    fresh = english_sentences(args.sentences * 3)
    root = Path(tempfile.mkdtemp(prefix="tm-bench-"))
    try:
        rows = scenario(root, "press release", (REPO / "source" / "labor-migration-governance.txt").read_text("utf-8"),
                        fresh[args.sentences * 2:], args.peers_bin)
        rows += scenario(root, "held-out prose", paragraphs(fresh[: args.sentences]), fresh[args.sentences:], args.peers_bin)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"release 2 repeats {SHARE:.0%} of release 1's sentences (half verbatim, half edited); Apertium for the rest\n")
    table(["release", "sentences 1 → 2", "repeated", "run", "repeated reused", "seconds", "÷ memory run"], rows)
    print()
    table(["memory", "lookup", "queries", "matches", "seconds", "lookups/s", "÷ ours"], lookup_speed(2500, 400))


if __name__ == "__main__":
    main()
