"""The review page in a real browser: Debian's Chromium, headless, driven by Playwright.

Nothing here is skipped: CI installs chromium (Makefile DEBS_TEST) and playwright (test extra).
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from translate.po.pofile import read_po
from translate.po.state import checksum
from translate.review.app import create_app, make_server, page_url

from .conftest import DATA





@pytest.fixture
def served(project: Path):
    shutil.copy(DATA / "review" / "guide.md", project / "source" / "guide.md")
    po = project / "locales" / "es" / "LC_MESSAGES" / "guide.po"
    po.parent.mkdir(parents=True)
    shutil.copy(DATA / "review" / "guide.po", po)
    app = create_app([po], project=project, reviewer="Rita Reviewer", today=lambda: dt.date(2026, 11, 28))
    server = make_server(app, 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield page_url(server.server_port, app.token), po, app  # the address `translate review` prints
    finally:
        server.shutdown()
        server.server_close()


def _page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, dialogs, errors


def test_filter_edit_approve_reload_and_only_that_entry_changed(browser, served):
    url, po, _app = served
    before = po.read_text(encoding="utf-8")
    page, dialogs, errors = _page(browser)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#list li")).to_have_count(7)
    # filter to failing, keyboard only
    page.keyboard.press("1")
    expect(page.locator("#list li")).to_have_count(2)
    expect(page.locator("nav#filters button[data-filter='failing'] .count")).to_have_text("2")
    page.keyboard.press("j")  # second failing entry
    expect(page.locator("#msgid")).to_have_text("Bring 2 litres of water per person.")
    expect(page.locator("#context mark")).to_have_text("Bring 2 litres of water per person.")
    page.keyboard.press("e")
    expect(page.locator("#msgstr")).to_be_focused()
    page.locator("#msgstr").fill("Lleva 2 litros de agua por persona.")
    page.keyboard.press("Escape")
    page.keyboard.press("a")  # approve (saves the edit) and go to the next entry
    expect(page.locator("#status")).to_contain_text("approved")
    expect(page.locator("nav#filters button[data-filter='failing'] .count")).to_have_text("1")
    # reload: the server's state, read from the saved file
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    page.keyboard.press("5")  # reviewed
    expect(page.locator("#list li")).to_have_count(2)
    page.locator("#list li", has_text="Bring 2 litres").click()
    expect(page.locator("#msgstr")).to_have_value("Lleva 2 litros de agua por persona.")
    expect(page.locator("#reviewed")).to_have_text("reviewed: Rita Reviewer, 2026-11-28")
    assert not dialogs and not errors, (dialogs, errors)
    page.close()
    # on disk: that entry changed, nothing else (diff it)
    after = po.read_text(encoding="utf-8")
    diff = [
        d
        for d in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if d[:1] in "+-" and not d.startswith(("+++", "---"))
    ]
    removed = [d for d in diff if d.startswith("-")]
    added = [d for d in diff if d.startswith("+")]
    assert removed == [
        "-#. check: fail: numbers",
        "-#. check: numbers: 2 is missing in the Spanish",
        '-msgstr "Lleva litros de agua por persona."',
    ]
    assert '+msgstr "Lleva 2 litros de agua por persona."' in added
    assert f"+# reviewed: Rita Reviewer, 2026-11-28, sha256:{checksum('Lleva 2 litros de agua por persona.')}" in added
    assert all(a.startswith(("+#. check:", "+# reviewed:", "+#. back-translation:", "+msgstr")) for a in added), added
    old_entries = {e.msgid: (e.msgstr, e.flags, e.occurrences) for e in read_po(_write(po.parent / "old.po", before))}
    new_entries = {e.msgid: (e.msgstr, e.flags, e.occurrences) for e in read_po(po)}
    old_entries.pop("Bring 2 litres of water per person.")
    assert new_entries.pop("Bring 2 litres of water per person.")[0] == "Lleva 2 litros de agua por persona."
    assert new_entries == old_entries


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_markup_in_a_catalogue_is_shown_as_text(browser, served):
    url, _po, _app = served
    page, dialogs, errors = _page(browser)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    page.keyboard.press("/")
    page.keyboard.type("script")
    expect(page.locator("#list li")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("#msgid")).to_have_text("Never <script>alert(1)</script> swim alone.")
    expect(page.locator("#msgstr")).to_have_value("Nunca <script>alert(2)</script> nades solo.")
    assert page.locator("#detail script, #list script").count() == 0
    assert not dialogs and not errors, (dialogs, errors)
    page.close()


def test_concurrent_change_shows_a_banner_and_reload_keeps_the_edit(browser, served):
    url, po, _app = served
    page, dialogs, errors = _page(browser)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    theirs = po.read_text(encoding="utf-8").replace('msgstr "Guía de campo"', 'msgstr "Guía práctica"')
    po.write_text(theirs, encoding="utf-8")
    page.keyboard.press("e")
    page.locator("#msgstr").fill("Guía del campo")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#conflict")).to_be_visible()
    assert po.read_text(encoding="utf-8") == theirs
    page.keyboard.press("R")
    expect(page.locator("#conflict")).to_be_hidden()
    expect(page.locator("#msgstr")).to_have_value("Guía del campo")  # the edit is kept
    page.keyboard.press("s")
    expect(page.locator("#status")).to_contain_text("saved")
    assert 'msgstr "Guía del campo"' in po.read_text(encoding="utf-8")
    assert not errors, errors
    page.close()


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_screenshot_at_1280x800_has_no_horizontal_overflow(browser, served):
    url, _po, _app = served
    page, dialogs, errors = _page(browser)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    page.keyboard.press("j")  # an entry with findings, a back-translation and a source paragraph
    expect(page.locator("#context mark")).to_have_count(1)
    expect(page.locator("#reviewer")).to_have_text("Rita Reviewer")
    # the stylesheet applied (the policy let it in): the header is the dark bar
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(38, 50, 58)"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "review-page-1280x800.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert not dialogs and not errors, (dialogs, errors)
    page.close()


def test_deep_link_selects_the_entry_at_that_line(browser, served):
    url, po, app = served
    base = url.split("#")[0]
    lines = po.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines, 1) if line == 'msgid "Bring 2 litres of water per person."')
    name = quote(app.catalogues[0].name, safe="")
    page, dialogs, errors = _page(browser)
    page.goto(f"{base}#entry={name}:{at}")  # no token: reading needs none
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#msgid")).to_have_text("Bring 2 litres of water per person.")
    expect(page.locator("#list li.sel")).to_contain_text("Bring 2 litres")
    # a line above an entry's msgid (its comments) leads to that entry; another link in the same page too
    page.evaluate(f"location.hash = 'entry={name}:{at - 2}'")
    expect(page.locator("#msgid")).to_have_text("Bring 2 litres of water per person.")
    first = next(n for n, line in enumerate(lines, 1) if line == 'msgid "Field guide"')
    page.evaluate(f"location.hash = 'entry={name}:{first}'")
    expect(page.locator("#msgid")).to_have_text("Field guide")
    assert not dialogs and not errors, (dialogs, errors)
    page.close()


def test_the_printed_address_lets_later_addresses_save_and_others_only_read(browser, served):
    url, po, _app = served
    base = url.split("#")[0]
    before = po.read_text(encoding="utf-8")
    # a browser that never opened the printed address can read but not save
    page, _dialogs, errors = _page(browser)
    page.goto(base)
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#status")).to_contain_text("read-only")
    page.keyboard.press("e")
    page.locator("#msgstr").fill("Guía del campo")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("read-only")
    assert po.read_text(encoding="utf-8") == before
    page.close()
    # the printed address: the token leaves the address bar, and an address typed later saves
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    assert "token" not in page.url
    page.goto(base)
    page.wait_for_selector("body[data-ready='1']")
    page.keyboard.press("e")
    page.locator("#msgstr").fill("Guía del campo")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("saved")
    assert 'msgstr "Guía del campo"' in po.read_text(encoding="utf-8")
    assert not errors, errors
    context.close()
