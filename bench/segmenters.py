"""Benchmark English sentence segmenters: accuracy on labelled edge cases, and speed.

Run from the repository root::

    .venv/bin/python bench/segmenters.py            # table only
    .venv/bin/python bench/segmenters.py -v         # also show every failing case
    .venv/bin/python bench/segmenters.py --mb 5     # size of the speed corpus (default 2)

Segmenters compared: pysbd, syntok, sentencex, blingfire, and (accuracy + speed) our own
``translate.segment.sentences.sentence_spans`` wrapper.  ``txt2po`` from translate-toolkit is timed on
the same corpus file for reference (it only splits on blank lines; it is not a sentence
segmenter, it is the speed bar our segmentation step must beat).  translate-toolkit's import
package is also called ``translate`` and clashes with ours, so it is not in .venv: install it
in a venv of its own and pass ``--txt2po /that/venv/bin/txt2po`` (or set ``$TXT2PO``).

Speed is measured two ways: one call per blank-line separated paragraph, and one call on the
whole corpus (pysbd and syntok are superlinear there, so they get the first 10% only).  A last
table compares ``sentence_spans`` with the raw sentencex calls it wraps.

Gold conventions used in CASES (they are what a translator wants as translation units):

* closing quotes / brackets belong to the sentence they close (``“Stop.”``, ``(See below.)``);
* a quotation that holds several sentences is split inside (``“It is late.`` / ``We should go.”``);
* a heading or list item on its own line is its own unit, even without a full stop;
* a sentence hard-wrapped over several lines (single newlines) is ONE sentence;
* a sentence-final abbreviation (``... to the U.S. She ...``) still ends the sentence.

Comparison: each predicted sentence is ``text[start:end].strip()`` using the library's own
character offsets, compared with the gold sentences (also stripped); a case passes only if the
whole list matches exactly.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Case = tuple[str, str, list[str]]  # (category, text, gold sentences)

CASES: list[Case] = [
    # --- abbreviations -------------------------------------------------------------------
    ("abbrev", "The U.S. economy grew 3 percent last year. Exports rose sharply.",
     ["The U.S. economy grew 3 percent last year.", "Exports rose sharply."]),
    ("abbrev", "She moved to the U.S. She never looked back.",
     ["She moved to the U.S.", "She never looked back."]),
    ("abbrev", "Dr. Smith and Mr. Jones met at noon. They discussed the merger.",
     ["Dr. Smith and Mr. Jones met at noon.", "They discussed the merger."]),
    ("abbrev", "Mrs. Brown and Ms. Green arrived with Prof. White. The talk began.",
     ["Mrs. Brown and Ms. Green arrived with Prof. White.", "The talk began."]),
    ("abbrev", "Bring a snack, e.g. an apple or a banana. Water is provided.",
     ["Bring a snack, e.g. an apple or a banana.", "Water is provided."]),
    ("abbrev", "Use a strong password, i.e. one with at least twelve characters. Never reuse it.",
     ["Use a strong password, i.e. one with at least twelve characters.", "Never reuse it."]),
    ("abbrev", "We sell pens, pencils, paper, etc. at the front desk. Ask a clerk.",
     ["We sell pens, pencils, paper, etc. at the front desk.", "Ask a clerk."]),
    ("abbrev", "We sell pens, pencils, paper, etc. Everything is discounted today.",
     ["We sell pens, pencils, paper, etc.", "Everything is discounted today."]),
    ("abbrev", "Acme Inc. reported record revenue. Its shares rose 5 percent.",
     ["Acme Inc. reported record revenue.", "Its shares rose 5 percent."]),
    ("abbrev", "Please see item No. 5 in the attached list. It covers refunds.",
     ["Please see item No. 5 in the attached list.", "It covers refunds."]),
    ("abbrev", "The store opens at 9 a.m. on weekdays. It closes at 6 p.m. on Saturdays.",
     ["The store opens at 9 a.m. on weekdays.", "It closes at 6 p.m. on Saturdays."]),
    ("abbrev", "The flight lands at 10 p.m. Passengers should allow time for customs.",
     ["The flight lands at 10 p.m.", "Passengers should allow time for customs."]),
    ("abbrev", "Apple Inc., Google LLC and Microsoft Corp. signed the pledge. Others may follow.",
     ["Apple Inc., Google LLC and Microsoft Corp. signed the pledge.", "Others may follow."]),
    ("abbrev", "The meeting is on Jan. 15 in St. Louis. All staff must attend.",
     ["The meeting is on Jan. 15 in St. Louis.", "All staff must attend."]),
    ("abbrev", "He works for the U.N. in Geneva. His wife works for the E.U. in Brussels.",
     ["He works for the U.N. in Geneva.", "His wife works for the E.U. in Brussels."]),
    # --- initials ------------------------------------------------------------------------
    ("initials", "J. R. R. Tolkien wrote The Hobbit. It was published in 1937.",
     ["J. R. R. Tolkien wrote The Hobbit.", "It was published in 1937."]),
    ("initials", "The memo was signed by John F. Kennedy. It was dated 1962.",
     ["The memo was signed by John F. Kennedy.", "It was dated 1962."]),
    ("initials", "Written by J.K. Rowling, the book sold millions. A film followed.",
     ["Written by J.K. Rowling, the book sold millions.", "A film followed."]),
    # --- numbers -------------------------------------------------------------------------
    ("number", "Inflation rose 4.5 percent in March. Economists had expected 4.2 percent.",
     ["Inflation rose 4.5 percent in March.", "Economists had expected 4.2 percent."]),
    ("number", "A coffee costs $3.50 here. A sandwich costs $7.25.",
     ["A coffee costs $3.50 here.", "A sandwich costs $7.25."]),
    ("number", "The tank holds 1,000.5 litres. It was filled twice.",
     ["The tank holds 1,000.5 litres.", "It was filled twice."]),
    ("number", "Version 2.0.1 fixes the bug. Please upgrade.",
     ["Version 2.0.1 fixes the bug.", "Please upgrade."]),
    ("number", "Pi is roughly 3.14. Most people remember only that.",
     ["Pi is roughly 3.14.", "Most people remember only that."]),
    # --- ordinals ------------------------------------------------------------------------
    ("ordinal", "The festival runs on September 4th and 5th. Tickets go on sale on the 1st.",
     ["The festival runs on September 4th and 5th.", "Tickets go on sale on the 1st."]),
    ("ordinal", "She finished 4th. Her sister finished 2nd.",
     ["She finished 4th.", "Her sister finished 2nd."]),
    ("ordinal", "The 21st century began in 2001. Many people celebrated in 2000.",
     ["The 21st century began in 2001.", "Many people celebrated in 2000."]),
    # --- quotes --------------------------------------------------------------------------
    ("quote", "He said, \u201cWe are ready.\u201d Then he left the room.",
     ["He said, \u201cWe are ready.\u201d", "Then he left the room."]),
    ("quote", 'He said, "We are ready." Then he left the room.',
     ['He said, "We are ready."', "Then he left the room."]),
    ("quote", "\u201cIt is late. We should go.\u201d She picked up her coat.",
     ["\u201cIt is late.", "We should go.\u201d", "She picked up her coat."]),
    ("quote", '"It is late. We should go." She picked up her coat.',
     ['"It is late.', 'We should go."', "She picked up her coat."]),
    ("quote", "The critics called it \u201ca triumph\u201d. The public agreed.",
     ["The critics called it \u201ca triumph\u201d.", "The public agreed."]),
    ("quote", 'The critics called it "a triumph". The public agreed.',
     ['The critics called it "a triumph".', "The public agreed."]),
    ("quote", "\u201cAre you sure?\u201d she asked. He nodded.",
     ["\u201cAre you sure?\u201d she asked.", "He nodded."]),
    ("quote", "The sign read 'Closed.' We went home.",
     ["The sign read 'Closed.'", "We went home."]),
    # --- ellipses ------------------------------------------------------------------------
    ("ellipsis", "I thought about it... Then I said no.",
     ["I thought about it...", "Then I said no."]),
    ("ellipsis", "The results were ... disappointing, to say the least. We will try again.",
     ["The results were ... disappointing, to say the least.", "We will try again."]),
    ("ellipsis", "Wait for it\u2026 There it is.",
     ["Wait for it\u2026", "There it is."]),
    ("ellipsis", "We could go to the park, the beach, the museum... or stay home. Either is fine.",
     ["We could go to the park, the beach, the museum... or stay home.", "Either is fine."]),
    # --- lists ---------------------------------------------------------------------------
    ("list", "1. Open the box.\n2. Remove the device.\n3. Plug it in.",
     ["1. Open the box.", "2. Remove the device.", "3. Plug it in."]),
    ("list", "Steps\n1. First item\n2. Second item",
     ["Steps", "1. First item", "2. Second item"]),
    ("list", "Requirements:\n- Python 3.11\n- A UNIX-like system\n- 2 GB of RAM",
     ["Requirements:", "- Python 3.11", "- A UNIX-like system", "- 2 GB of RAM"]),
    # --- headings and line structure ----------------------------------------------------
    ("heading", "Introduction\nThis guide explains how to install the software.",
     ["Introduction", "This guide explains how to install the software."]),
    ("heading", "Key Findings\n\nRevenue rose 10 percent. Costs fell.",
     ["Key Findings", "Revenue rose 10 percent.", "Costs fell."]),
    ("heading", "Chapter 1: The Beginning\nIt was a cold morning. Nobody was awake.",
     ["Chapter 1: The Beginning", "It was a cold morning.", "Nobody was awake."]),
    ("heading", "Known Issues\nNone so far.",
     ["Known Issues", "None so far."]),
    ("heading", "Overview\n  \nThe product ships in May.",  # "blank" line holding spaces
     ["Overview", "The product ships in May."]),
    ("wrapped", "This sentence is hard-wrapped\nacross two lines, as in plain-text files. The next\n"
     "sentence is wrapped too.",
     ["This sentence is hard-wrapped\nacross two lines, as in plain-text files.",
      "The next\nsentence is wrapped too."]),
    # greedy-wrapped (textwrap.fill, width 44 and 46): lines that start with a capital
    ("wrapped", "You may obtain a copy of the License from\nthe Apache Software Foundation in the "
     "United\nStates. Unless required by applicable law,\nsoftware distributed under the License "
     "is\nprovided AS IS.",
     ["You may obtain a copy of the License from\nthe Apache Software Foundation in the United\n"
      "States.", "Unless required by applicable law,\nsoftware distributed under the License is\n"
      "provided AS IS."]),
    ("wrapped", "You may obtain a copy of the License from the\nApache Software Foundation in the "
     "United\nStates. Unless required by applicable law,\nsoftware distributed under the License "
     "is\nprovided AS IS.",
     ["You may obtain a copy of the License from the\nApache Software Foundation in the United\n"
      "States.", "Unless required by applicable law,\nsoftware distributed under the License is\n"
      "provided AS IS."]),
    ("wrapped", "First paragraph ends here.\n\nSecond paragraph starts here",
     ["First paragraph ends here.", "Second paragraph starts here"]),
    # --- URLs, e-mail, file names -------------------------------------------------------
    ("url", "Visit www.example.com for details. Downloads are free.",
     ["Visit www.example.com for details.", "Downloads are free."]),
    ("url", "Read https://docs.python.org/3/library/re.html first. It explains everything.",
     ["Read https://docs.python.org/3/library/re.html first.", "It explains everything."]),
    ("url", "Email support@example.co.uk for help. We answer within a day.",
     ["Email support@example.co.uk for help.", "We answer within a day."]),
    ("url", "The file is called config.yaml. Edit it carefully.",
     ["The file is called config.yaml.", "Edit it carefully."]),
    ("url", "For more information, see https://example.com/docs. Thank you.",
     ["For more information, see https://example.com/docs.", "Thank you."]),
    # --- parentheses ---------------------------------------------------------------------
    ("paren", "The company (founded in 1998 by Mr. Lee) is profitable. It employs 200 people.",
     ["The company (founded in 1998 by Mr. Lee) is profitable.", "It employs 200 people."]),
    ("paren", "The results were mixed. (See the appendix for details.) We plan a follow-up study.",
     ["The results were mixed.", "(See the appendix for details.)", "We plan a follow-up study."]),
    ("paren", "The drug was approved (after three trials). Sales began in May.",
     ["The drug was approved (after three trials).", "Sales began in May."]),
    # --- ? and ! -------------------------------------------------------------------------
    ("?!", "Is the product ready? Yes! Ship it today.",
     ["Is the product ready?", "Yes!", "Ship it today."]),
    ("?!", "What a result!! Nobody expected it?! Well, now they do.",
     ["What a result!!", "Nobody expected it?!", "Well, now they do."]),
    # --- press-release prose ------------------------------------------------------------
    ("press", "SAN FRANCISCO, March 3, 2024 /PRNewswire/ -- Acme Corp. (NASDAQ: ACME), a leading "
     "provider of cloud software, today announced record results for Q4 2023. Revenue grew 23% "
     "year over year to $1.2 billion.",
     ["SAN FRANCISCO, March 3, 2024 /PRNewswire/ -- Acme Corp. (NASDAQ: ACME), a leading provider "
      "of cloud software, today announced record results for Q4 2023.",
      "Revenue grew 23% year over year to $1.2 billion."]),
    ("press", '"We are thrilled with these results," said Jane Doe, CEO of Acme Corp. '
     '"Our team delivered."',
     ['"We are thrilled with these results," said Jane Doe, CEO of Acme Corp.',
      '"Our team delivered."']),
    ("press", "About Acme\nAcme Corp. is headquartered in Austin, Texas. For more information, "
     "visit www.acme.com.",
     ["About Acme", "Acme Corp. is headquartered in Austin, Texas.",
      "For more information, visit www.acme.com."]),
    ("press", "Media Contact: John Smith, Acme Corp., press@acme.com, +1 555 0100.",
     ["Media Contact: John Smith, Acme Corp., press@acme.com, +1 555 0100."]),
    ("press", "Forward-looking statements in this release, including those regarding growth, "
     "involve risks. Actual results may differ materially.",
     ["Forward-looking statements in this release, including those regarding growth, involve "
      "risks.", "Actual results may differ materially."]),
]

# --------------------------------------------------------------------------------------
# Adapters: each returns the library's own (start, end) character offsets into `text`.
# --------------------------------------------------------------------------------------

Spans = list[tuple[int, int]]


def _pysbd() -> Callable[[str], Spans]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [(s.start, s.end) for s in seg.segment(text)]


def _syntok() -> Callable[[str], Spans]:
    import syntok.segmenter as sg

    def spans(text: str) -> Spans:
        out = []
        for para in sg.analyze(text):
            for sent in para:
                last = sent[-1]
                out.append((sent[0].offset, last.offset + len(last.value)))
        return out

    return spans


def _sentencex() -> Callable[[str], Spans]:
    import sentencex

    return lambda text: [(b["start_index"], b["end_index"])
                         for b in sentencex.get_sentence_boundaries("en", text)]


def _blingfire() -> Callable[[str], Spans]:
    import blingfire

    return lambda text: list(blingfire.text_to_sentences_and_offsets(text)[1]) if text.strip() else []


def _ours() -> Callable[[str], Spans]:
    from translate.segment.sentences import sentence_spans

    return sentence_spans


SEGMENTERS: dict[str, Callable[[], Callable[[str], Spans]]] = {
    "pysbd": _pysbd,
    "syntok": _syntok,
    "sentencex": _sentencex,
    "blingfire": _blingfire,
    "sentence_spans (ours)": _ours,
}


def sentences_of(text: str, spans: Spans) -> list[str]:
    return [p for p in (text[s:e].strip() for s, e in spans) if p]


def accuracy(fn: Callable[[str], Spans]) -> tuple[int, list[tuple[Case, list[str]]]]:
    passed, failures = 0, []
    for case in CASES:
        _, text, gold = case
        try:
            got = sentences_of(text, fn(text))
        except Exception as exc:  # a crash is a failure, not a benchmark abort
            got = [f"<{type(exc).__name__}: {exc}>"]
        if got == [g.strip() for g in gold]:
            passed += 1
        else:
            failures.append((case, got))
    return passed, failures


# --------------------------------------------------------------------------------------
# Speed corpus
# --------------------------------------------------------------------------------------

def build_corpus(target_bytes: int) -> str:
    """~target_bytes of English prose: Debian licence texts + *.md/*.rst docs in the venv,
    repeated in order until the size is reached (cut at a paragraph break)."""
    site = ROOT / ".venv/lib/python3.11/site-packages"
    paths = sorted(glob.glob("/usr/share/common-licenses/*"))
    paths += sorted(glob.glob(str(site / "**/*.md"), recursive=True))
    paths += sorted(glob.glob(str(site / "**/*.rst"), recursive=True))
    seen, parts = set(), []
    for p in paths:
        real = os.path.realpath(p)
        if real in seen or not os.path.isfile(real):
            continue
        seen.add(real)
        try:
            parts.append(Path(real).read_text(encoding="utf-8").strip())
        except UnicodeDecodeError:
            continue
    base = "\n\n".join(parts) + "\n\n"
    reps = target_bytes // len(base.encode()) + 1
    text = base * reps
    cut = text.rfind("\n\n", 0, target_bytes)  # ASCII-dominated; close enough in bytes
    return text[:cut] + "\n"


def paragraphs(text: str) -> list[str]:
    import re

    return [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def timeit(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def find_txt2po(explicit: str | None) -> str | None:
    """txt2po is translate-toolkit's; the toolkit's top-level package is also called
    ``translate`` and clashes with ours, so it may live in a separate venv (``--txt2po``)."""
    for cand in (explicit, os.environ.get("TXT2PO"), str(ROOT / ".venv-peers/bin/txt2po"), str(ROOT / ".venv/bin/txt2po")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return shutil.which("txt2po")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="show failing cases")
    ap.add_argument("--mb", type=float, default=2.0, help="speed corpus size in MB (default 2)")
    ap.add_argument("--txt2po", help="path of the txt2po script (default: $TXT2PO, .venv/bin, PATH)")
    ap.add_argument("--no-speed", action="store_true", help="accuracy only")
    args = ap.parse_args()

    corpus = build_corpus(int(args.mb * 1_000_000))
    nbytes = len(corpus.encode())
    mb = nbytes / 1e6
    paras = paragraphs(corpus)
    # What translate/segment.py hands to sentence_spans: a paragraph with its lines unwrapped.
    flows = [" ".join(line.strip() for line in p.splitlines()) for p in paras]
    probe = corpus[: len(corpus) // 10]
    probe_mb = len(probe.encode()) / 1e6
    print(f"Edge cases: {len(CASES)}   speed corpus: {mb:.2f} MB, {len(paras)} paragraphs "
          f"(blank-line separated)\n")

    rows = []
    for name, factory in SEGMENTERS.items():
        try:
            fn = factory()
        except Exception as exc:
            print(f"{name}: unavailable ({exc})")
            continue
        ok, failures = accuracy(fn)
        t_para = t_whole = None
        whole_mb = mb
        if not args.no_speed:
            # One call per paragraph: how a localisation tool feeds text (txt2po's units are
            # paragraphs too), and the only way pysbd/syntok stay usable (see below).
            t_para = timeit(lambda: [fn(p) for p in paras], repeat=1)
            if t_para < 5:
                t_para = min(t_para, timeit(lambda: [fn(p) for p in paras], repeat=4))
            # One call on the whole document. pysbd is quadratic in the length of a call
            # (it re-finds every sentence from offset 0) and syntok is superlinear too, so
            # slow segmenters are timed on the first 10% only (marked *).
            if mb / t_para >= 2:
                t_whole = timeit(lambda: fn(corpus), repeat=5)
            else:
                t_whole, whole_mb = timeit(lambda: fn(probe), repeat=1), probe_mb
        rows.append((name, ok, failures, t_para, t_whole, whole_mb))

    txt2po = find_txt2po(args.txt2po)
    t_txt2po = t_startup = None
    if txt2po and not args.no_speed:
        with tempfile.TemporaryDirectory() as tmp:
            src, tiny = Path(tmp, "corpus.txt"), Path(tmp, "tiny.txt")
            src.write_text(corpus, encoding="utf-8")
            tiny.write_text("Hello.\n", encoding="utf-8")

            def run(path: Path) -> None:
                subprocess.run([txt2po, "--progress=none", str(path), str(path) + ".po"],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            t_txt2po = timeit(lambda: run(src), repeat=3)
            t_startup = timeit(lambda: run(tiny), repeat=3)

    # ---- main table -----------------------------------------------------------------
    w = max(len(r[0]) for r in rows)
    print(f"{'segmenter':<{w}}  {'accuracy':>14}  {'MB/s per para':>13}  {'MB/s whole doc':>14}")
    print("-" * (w + 49))
    for name, ok, _, t_para, t_whole, whole_mb in rows:
        para = f"{mb / t_para:13.2f}" if t_para else f"{'-':>13}"
        if t_whole is None:
            whole = f"{'-':>14}"
        else:
            whole = f"{whole_mb / t_whole:13.2f}" + ("*" if whole_mb != mb else " ")
        print(f"{name:<{w}}  {ok:>3}/{len(CASES)}  {100 * ok / len(CASES):5.1f}%  {para}  {whole}")
    if t_txt2po is not None:
        print(f"{'txt2po (reference)':<{w}}  {'n/a':>14}  {'':13}  {mb / t_txt2po:13.2f}   "
              f"(wall clock incl. {t_startup:.2f}s start-up; "
              f"{mb / max(t_txt2po - t_startup, 1e-9):.2f} MB/s without it)")
    elif not args.no_speed:
        print("txt2po: not found. translate-toolkit's package is named `translate` and clashes with "
              "ours; install it in its own venv and pass --txt2po PATH (or set $TXT2PO).")
    if any(r[5] != mb for r in rows if r[4] is not None):
        print(f"* whole-document speed measured on the first {probe_mb:.2f} MB only "
              "(superlinear: longer inputs are slower still)")

    # ---- wrapper overhead: sentence_spans vs the raw sentencex calls ----------------
    if not args.no_speed:
        try:
            import sentencex
            from translate.segment.sentences import sentence_spans
        except ImportError:
            pass
        else:
            def seg(t: str) -> object:
                return list(sentencex.segment("en", t))

            def bnd(t: str) -> object:
                return sentencex.get_sentence_boundaries("en", t)

            print("\nsentence_spans vs raw sentencex (best of 7, seconds):")
            print(f"{'input':<28} {'segment()':>10} {'boundaries()':>13} {'sentence_spans':>15}"
                  f" {'/segment':>9} {'/boundaries':>12}")
            for label, items in (("whole document (1 call)", [corpus]),
                                 (f"paragraphs ({len(paras)} calls)", paras),
                                 (f"unwrapped flows ({len(flows)})", flows)):
                best = {"seg": float("inf"), "bnd": float("inf"), "ours": float("inf")}
                for _ in range(7):  # interleaved, so load changes hit all three alike
                    for key, f in (("seg", seg), ("bnd", bnd), ("ours", sentence_spans)):
                        best[key] = min(best[key], timeit(lambda: [f(x) for x in items], 1))
                print(f"{label:<28} {best['seg']:10.3f} {best['bnd']:13.3f} {best['ours']:15.3f}"
                      f" {best['ours'] / best['seg']:8.2f}x {best['ours'] / best['bnd']:11.2f}x")
            print("segment() returns strings only; boundaries() is sentencex's offsets API.")

    # ---- per-category breakdown -----------------------------------------------------
    cats = list(dict.fromkeys(c[0] for c in CASES))
    short = [r[0].split()[0][:10] for r in rows]
    print("\nFailures per category:")
    print(f"{'category':<10} {'n':>3}  " + "  ".join(f"{s:>10}" for s in short))
    for cat in cats:
        n = sum(1 for c in CASES if c[0] == cat)
        fails = [sum(1 for (c, _) in r[2] if c[0] == cat) for r in rows]
        print(f"{cat:<10} {n:>3}  " + "  ".join(f"{f:>10}" for f in fails))

    if args.verbose:
        for name, ok, failures, *_ in rows:
            print(f"\n=== {name}: {len(failures)} failures")
            for (cat, text, gold), got in failures:
                print(f"  [{cat}] {text!r}")
                print(f"     gold: {gold}")
                print(f"     got : {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
