"""The check report and the HTML editions in a real browser (Debian's Chromium, headless).

A small project goes through the real pipeline (segment, update, Apertium, check, build);
screenshots at 1280×800 are kept under tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DATA, ROOT
from .test_editions import _png_is_blank

ARTIFACTS = ROOT / "tests" / "artifacts"
PORT = 8765

GUIDE = """\
# The harbour guide

The river rises in spring, and the boats wait in the harbour until the water falls again
after the long rains of April. Read the [safety notes](https://example.org/safety "Safety")
before you go. See [INSTALL][] for the setup.

Use **two** ropes and *always* check the `knots` twice before you leave the harbour.

The full timetable is at https://example.org/harbour/timetables/2026/spring/weekdays/and/holidays/all-boats-and-ferries.html for everyone.

- Check the weather.
- Bring 2 litres of water per person.

[INSTALL]: ./INSTALL.md
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project through the whole pipeline with the CLI, as a user runs it."""
    from translate.cli import main

    assert shutil.which("apertium"), "Apertium is required (apt-get install apertium-eng-spa)"
    project = tmp_path_factory.mktemp("publish-browser")
    (project / "source").mkdir()
    (project / "source" / "guide.md").write_text(GUIDE, encoding="utf-8")
    shutil.copy(DATA / "real" / "common-licenses-Apache-2.0.txt", project / "source" / "apache.txt")

    def run(*args: str) -> int:
        return main(["--project", str(project), "-q", *args])

    assert run("segment") == 0
    assert run("update", "--lang", "es") == 0
    assert run("mt", "--lang", "es", "--engine", "apertium") == 0
    assert run("check", "--lang", "es", "--engine", "none") in (0, 1)  # 1: some entries fail
    assert run("build", "--lang", "es", "--review-port", str(PORT)) == 0
    return project




def _open(browser, path: Path, shot: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(path=str(ARTIFACTS / shot))
    assert not _png_is_blank(png), shot
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{shot}: horizontal scroll ({width[0]} > {width[1]} px)"
    assert all(u.startswith("file:") for u in requests), requests  # standalone: nothing fetched
    return page, errors


def test_check_report_in_chromium(browser, built):
    page, errors = _open(browser, built / "reports" / "check-es.html", "check-report-1280.png")
    rows = page.locator("#entries tbody tr")
    total = rows.count()
    assert total > 50
    warn = int(page.locator(".stat.warn .n").inner_text())
    assert warn > 0
    expect(page.locator("#filters")).to_be_visible()  # the script ran
    expect(page.locator("#shown")).to_have_text(f"{total} of {total} shown")
    assert page.locator(".facts").inner_text().count(" round trips ok") == 1
    page.locator("#filters button[data-verdict='warn']").click()
    expect(page.locator("#entries tbody tr:visible")).to_have_count(warn)
    assert set(page.locator("#entries tbody tr:visible").evaluate_all("rs => rs.map(r => r.dataset.verdict)")) == {"warn"}
    page.locator("#search").fill("licensor")
    visible = page.locator("#entries tbody tr:visible")
    n = visible.count()
    assert 0 < n < warn
    assert all("licensor" in t.lower() for t in visible.all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "check-report-filtered-1280.png"))
    page.locator("#filters button[data-verdict='all']").click()
    page.locator("#search").fill("")
    expect(page.locator("#entries tbody tr:visible")).to_have_count(total)
    href = page.locator("#entries a.where").first.get_attribute("href")
    assert href.startswith("../locales/es/LC_MESSAGES/") and href.endswith(".po")
    assert not errors, errors


def test_spanish_edition_in_chromium(browser, built):
    page, errors = _open(browser, built / "editions" / "es" / "apache.html", "edition-es-apache-1280.png")
    expect(page.locator(".notice")).to_contain_text("Machine translation, not reviewed: 54 of 54 sentences.")
    assert page.title() == "apache"
    assert page.locator("ul.items li").count() >= 9
    assert page.evaluate("getComputedStyle(document.querySelector('main p')).whiteSpace") == "normal"
    page, errors2 = _open(browser, built / "editions" / "es" / "guide.html", "edition-es-guide-1280.png")
    assert page.locator("h1").inner_text() == page.title() != "guide"
    assert not errors + errors2


def test_bilingual_edition_in_chromium(browser, built):
    page, errors = _open(browser, built / "editions" / "en-es" / "guide.html", "edition-bilingual-guide-1280.png")
    expect(page.locator(".notice")).to_be_visible()
    first = page.locator("a.s").first
    assert first.get_attribute("href").startswith(f"http://127.0.0.1:{PORT}/#entry=locales%2Fes%2FLC_MESSAGES%2Fguide.po:")
    assert page.locator(".md-link").count() >= 4  # safety notes and INSTALL, in both languages
    assert page.locator("strong").count() >= 1 and page.locator("em").count() >= 1
    assert "![" not in page.locator("main").inner_text()
    _open(browser, built / "editions" / "en-es" / "apache.html", "edition-bilingual-apache-1280.png")
    assert not errors
