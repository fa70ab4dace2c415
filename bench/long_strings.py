"""Long inputs: time against length for `check` of one entry, a review-page save, and
`segment`/`build` of a one-sentence document. Work should grow linearly: the ratio column
compares each length with the one before it (a ratio near the length ratio is linear, near
its square is quadratic).

Run: .venv/bin/python bench/long_strings.py [--max 100000]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.check.runner import check_one  # noqa: E402
from translate.review.app import create_app  # noqa: E402


def time_check(n: int) -> float:
    src, dst = "b" * n, "a" * n  # one long word: the worst case of the old regexes
    t = time.perf_counter()
    check_one(src, dst)
    return time.perf_counter() - t


def time_review_save(n: int, tmp: Path) -> float:
    po = tmp / f"save-{n}.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Hello"\nmsgstr ""\n', encoding="utf-8")
    app = create_app([po], project=None, reviewer="bench", token="t" * 32)
    cat = app.catalogues[0]
    i = next(k for k, e in enumerate(cat.po) if e.msgid == "Hello")
    body = json.dumps({"cat": 0, "i": i, "action": "save", "msgstr": "x" * n, "digest": cat.digest}).encode()
    env = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/api/entry", "QUERY_STRING": "", "HTTP_HOST": "127.0.0.1:1",
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)), "HTTP_X_REVIEW_TOKEN": "t" * 32,
        "wsgi.input": io.BytesIO(body),
    }
    status = []
    t = time.perf_counter()
    b"".join(app(env, lambda s, h: status.append(s)))
    elapsed = time.perf_counter() - t
    assert status[0].startswith("200"), status
    return elapsed


def time_segment_build(n: int, tmp: Path) -> float:
    proj = tmp / f"doc-{n}"
    (proj / "source").mkdir(parents=True)
    (proj / "source" / "a.txt").write_text(("word " * (n // 5)).strip() + ".\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "translate", "--project", str(proj), "-q"]
    t = time.perf_counter()
    for args in (["segment"], ["update", "--lang", "en"], ["build", "--lang", "en"]):
        subprocess.run(cmd + args, check=True, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=100_000)
    args = ap.parse_args()
    sizes = [args.max // 16, args.max // 4, args.max]
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, fn in (
            ("check one entry", lambda n: time_check(n)),
            ("review save", lambda n: time_review_save(n, tmp)),
            ("segment+update+build (1 sentence)", lambda n: time_segment_build(n * 10, tmp)),
        ):
            prev = None
            for n in sizes:
                s = fn(n)
                rows.append((name, n if not name.startswith("segment") else n * 10, s, (s / prev) if prev else None))
                prev = s
    print("| step | characters | seconds | × previous (length ×4) |")
    print("|---|---|---|---|")
    for name, n, s, r in rows:
        print(f"| {name} | {n:,} | {s:.3f} | {'' if r is None else f'{r:.1f}'} |")


if __name__ == "__main__":
    main()
