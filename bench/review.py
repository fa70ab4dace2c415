"""How responsive is the review page on a 20,000-entry catalogue?

Builds a synthetic Spanish catalogue (every kind of entry: failing, warning, passing,
machine/fuzzy, untranslated, reviewed, long multi-line strings, obsolete entries), then:

- in-process: loading the catalogue (parse + per-entry summaries), the page with its first
  200 entries, each filter and a search, one approve (re-check + atomic save);
- in Debian's Chromium (headless, Playwright): from navigation to the first page shown,
  a filter click to the filtered list shown, a search, an approve.

Run:  .venv/bin/python bench/review.py [--entries 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.po.state import checksum  # noqa: E402
from translate.po.pofile import escape  # noqa: E402
from translate.review.app import PAGE_SIZE, create_app, make_server, page_url  # noqa: E402

WORDS = "river harbour boat water spring weather bottle map guide safety note team review release branch".split()


def make_catalogue(n: int) -> str:
    out = [
        "# Spanish translation of bench.",
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: bench 1.0\\n"',
        '"Language: es\\n"',
        '"Content-Type: text/plain; charset=utf-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    for i in range(n):
        w = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(6 + i % 9)]
        msgid = f"Sentence {i}: the " + " ".join(w) + "."
        msgstr = f"Frase {i}: el " + " ".join(w) + "."
        kind = i % 10
        lines = ["#. paragraph"]
        flags = []
        if kind in (0, 1):
            msgstr_out = msgstr
            flags = ["fuzzy"]
            lines.append(f"#. mt: apertium (3.8.3), 2026-11-27 sha256:{checksum(msgstr)}")
            lines += ["#. check: fail: numbers", f"#. check: numbers: {i} is missing", f"#. back-translation: {msgid}"]
        elif kind == 2:
            msgstr_out = msgstr
            lines += ["#. check: warn: length", "#. check: length: long"]
        elif kind == 3:
            msgstr_out = ""
        elif kind == 4:
            msgstr_out = msgstr
            lines += ["#. check: pass", "#. reviewed: ana, 2026-11-20"]
        else:
            msgstr_out = msgstr + (" " + msgstr) * (i % 4)
            lines.append("#. check: pass")
        lines.append(f"#: source/doc{i % 40}.md:{i + 1}")
        if flags:
            lines.append("#, " + ", ".join(flags))
        lines.append(f'msgid "{escape(msgid)}"')
        lines.append(f'msgstr "{escape(msgstr_out)}"')
        out += lines + [""]
    for i in range(200):
        out += [f'#~ msgid "Old sentence {i}."', f'#~ msgstr "Frase antigua {i}."', ""]
    return "\n".join(out)


def wsgi(app, method, path, body=None):
    url, _, query = path.partition("?")
    env = {"REQUEST_METHOD": method, "PATH_INFO": url, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1:1",
           "wsgi.input": io.BytesIO(b"")}
    if body is not None:
        data = json.dumps(body).encode()
        env.update({"wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data)),
                    "CONTENT_TYPE": "application/json", "HTTP_X_REVIEW_TOKEN": app.token})
    status = []
    raw = b"".join(app(env, lambda s, h: status.append(s)))
    assert status[0].startswith("200"), (status, raw[:200])
    return raw


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    po = tmp / "bench.po"
    po.write_text(make_catalogue(args.entries), encoding="utf-8")
    print(f"catalogue: {args.entries} entries, {po.stat().st_size / 1e6:.1f} MB")
    rows = []
    t_load, app = timed(lambda: create_app([po], reviewer="bench", today=lambda: dt.date(2026, 11, 28)), args.repeat)
    rows.append(("load catalogue (parse + summaries)", t_load))
    t, page = timed(lambda: wsgi(app, "GET", "/"), args.repeat)
    rows.append((f"page with first {PAGE_SIZE} entries ({len(page) / 1e3:.0f} kB)", t))
    for flt in ("failing", "warning", "fuzzy", "untranslated", "reviewed"):
        t, _ = timed(lambda: wsgi(app, "GET", f"/api/entries?filter={flt}&limit={PAGE_SIZE}"), args.repeat)
        rows.append((f"filter {flt}", t))
    t, _ = timed(lambda: wsgi(app, "GET", f"/api/entries?filter=all&q=harbour%20boat&limit={PAGE_SIZE}"), args.repeat)
    rows.append(("search text", t))
    t, _ = timed(lambda: wsgi(app, "GET", f"/api/entry?i={args.entries // 2}"), args.repeat)
    rows.append(("one entry with its details", t))
    k = [0]

    def approve():
        k[0] += 1
        body = {"cat": 0, "i": 10 * k[0], "action": "approve", "msgstr": f"Aprobada {k[0]}.", "digest": app.catalogues[0].digest}
        return wsgi(app, "POST", "/api/entry", body)

    t, _ = timed(approve, args.repeat)
    rows.append(("approve one entry (re-check + atomic save)", t))
    print("\nin-process (median of %d):" % args.repeat)
    for name, t in rows:
        print(f"  {name:50} {t * 1000:8.1f} ms")
    browser_rows = browser_bench(po, make_catalogue(args.entries), args.repeat)
    print("\nin Chromium, headless (median of %d):" % args.repeat)
    for name, t in browser_rows:
        print(f"  {name:50} {t * 1000:8.1f} ms")


def browser_bench(po: Path, text: str, repeat: int) -> list[tuple[str, float]]:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    out: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(repeat):
            po.write_text(text, encoding="utf-8")  # each run approves the same, still fuzzy, entry
            t0 = time.perf_counter()
            app = create_app([po], reviewer="bench", today=lambda: dt.date(2026, 11, 28))
            t_load = time.perf_counter() - t0
            server = make_server(app, 0)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            # bypass_csp: the page forbids eval, which Playwright's wait_for_function needs
            page = browser.new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)
            t1 = time.perf_counter()
            page.goto(page_url(server.server_port, app.token))
            page.wait_for_selector("body[data-ready='1'] #list li.sel")
            t2 = time.perf_counter()
            out.setdefault("first page shown (navigation → list + entry)", []).append(t2 - t1)
            out.setdefault("catalogue load + first page shown (command start)", []).append(t_load + t2 - t1)
            t = time.perf_counter()
            page.keyboard.press("1")
            page.wait_for_function("document.querySelector(\"nav#filters button[data-filter='failing']\").getAttribute('aria-pressed') === 'true' && document.querySelector('#list li .badge').textContent === 'fail'")
            out.setdefault("filter to failing (keypress → list shown)", []).append(time.perf_counter() - t)
            t = time.perf_counter()
            page.keyboard.press("4")
            page.wait_for_function("document.querySelector(\"nav#filters button[data-filter='untranslated']\").getAttribute('aria-pressed') === 'true' && document.querySelector('#list li .badge').textContent === 'new'")
            out.setdefault("filter to untranslated", []).append(time.perf_counter() - t)
            t = time.perf_counter()
            page.fill("#search", "Sentence 19999:")
            page.wait_for_function("document.querySelectorAll('#list li').length <= 1")
            out.setdefault("search (incl. 150 ms typing debounce)", []).append(time.perf_counter() - t)
            page.keyboard.press("Escape")
            page.fill("#search", "")
            page.keyboard.press("Escape")
            page.keyboard.press("0")
            page.wait_for_function(f"document.querySelectorAll('#list li').length === {PAGE_SIZE}")
            t = time.perf_counter()
            page.keyboard.press("a")
            try:
                page.wait_for_function("document.getElementById('status').textContent.startsWith('approved')", timeout=5000)
            except Exception:
                print("status:", page.inner_text("#status"))
                raise
            out.setdefault("approve (keypress → saved)", []).append(time.perf_counter() - t)
            page.close()
            server.shutdown()
            server.server_close()
        browser.close()
    return [(k, statistics.median(v)) for k, v in out.items()]


if __name__ == "__main__":
    main()
