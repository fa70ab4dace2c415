"""How much does ApertiumEngine.translate_batch cost over a bare ``apertium eng-spa``?

Takes 2000 English sentences of real prose (the licence texts in /usr/share/common-licenses,
split roughly into sentences; repeated from the start if there are fewer), then times

* ours: ``ApertiumEngine.translate_batch(sentences)`` (aligned, markers stripped);
* raw:  ``apertium eng-spa`` with the sentences joined by newlines, in one process;
* raw, blank lines: the same with sentences separated by blank lines (which Apertium's
  txt deformatter treats as sentence ends), for context.

Each is run ``--repeat`` times and the best time kept. Target: ours <= 1.3 x raw.

    .venv/bin/python bench/apertium_speed.py [--count 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.mt.engines.apertium import ApertiumEngine  # noqa: E402

LICENSES = Path("/usr/share/common-licenses")


def sentences(count: int) -> list[str]:
    found: list[str] = []
    for path in sorted(LICENSES.iterdir()):
        if path.is_symlink() or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for para in re.split(r"\n\s*\n", text):
            para = " ".join(para.split())
            for sent in re.split(r"(?<=[.!?;])\s+(?=[A-Z(\"'])", para):
                if 20 <= len(sent) <= 400 and re.search(r"[a-z]{3}", sent):
                    found.append(sent)
    if not found:
        raise SystemExit(f"no sentences found in {LICENSES}")
    return [found[i % len(found)] for i in range(count)]


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def raw(text: str) -> None:
    subprocess.run(["apertium", "eng-spa"], input=text.encode(), capture_output=True, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    sents = sentences(args.count)
    engine = ApertiumEngine.load("en", "es")
    out = engine.translate_batch(sents)  # warm-up (page cache), and a sanity check
    assert len(out) == len(sents)

    ours = best_of(args.repeat, lambda: engine.translate_batch(sents))
    raw_nl = best_of(args.repeat, lambda: raw("\n".join(sents) + "\n"))
    raw_para = best_of(args.repeat, lambda: raw("\n\n".join(sents) + "\n"))

    words = sum(len(s.split()) for s in sents)
    print(f"{len(sents)} sentences, {words} words, {engine.version}")
    print(f"ours  translate_batch           {ours:7.2f} s")
    print(f"raw   apertium eng-spa (\\n)     {raw_nl:7.2f} s")
    print(f"raw   apertium eng-spa (\\n\\n)   {raw_para:7.2f} s   (for context)")
    print(f"ratio ours / raw                {ours / raw_nl:7.2f}   (target <= 1.30)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
