"""The review app driven in-process (WSGI): listing, filters, edits, safety."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from translate.mt import plan as mt
from translate.po.pofile import read_po
from translate.po.state import checksum, is_human
from translate.review.app import create_app

from .conftest import DATA

REVIEW = DATA / "review"
TOKEN = "test-token-123"


@pytest.fixture
def guide(project: Path) -> Path:
    """A project with one Markdown source and its Spanish catalogue (every kind of entry)."""
    shutil.copy(REVIEW / "guide.md", project / "source" / "guide.md")
    po = project / "locales" / "es" / "LC_MESSAGES" / "guide.po"
    po.parent.mkdir(parents=True)
    shutil.copy(REVIEW / "guide.po", po)
    (project / "secret.txt").write_text("TOP SECRET outside source\n", encoding="utf-8")
    return po


def make_app(po: Path, project: Path | None):
    return create_app([po], project=project, token=TOKEN, reviewer="Rita Reviewer", today=lambda: dt.date(2026, 11, 28))


def call(app, method: str, path: str, body=None, *, token: str | None = TOKEN, headers: dict | None = None):
    url, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": url,
        "QUERY_STRING": query,
        "HTTP_HOST": "127.0.0.1:8765",
        "wsgi.input": io.BytesIO(b""),
    }
    if isinstance(body, dict) and url == "/api/entry" and "digest" not in body:
        # as the page does: name the version of the catalogue the change is for
        cat = app._cat(body.get("cat", 0))
        body = {**body, "digest": cat.digest if cat is not None else "0" * 64}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        env.update({"wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data)), "CONTENT_TYPE": "application/json"})
    if token is not None:
        env["HTTP_X_REVIEW_TOKEN"] = token
    env.update(headers or {})
    out: dict = {}

    def start_response(status, hdrs):
        out["status"] = int(status.split()[0])
        out["headers"] = dict(hdrs)

    raw = b"".join(app(env, start_response))
    ctype = out["headers"]["Content-Type"]
    return out["status"], (json.loads(raw) if ctype.startswith("application/json") else raw.decode()), out["headers"]


def index_of(app, msgid: str) -> int:
    return next(i for i, e in enumerate(app.catalogues[0].entries) if e.msgid == msgid)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# -- listing and filters ---------------------------------------------------------------------------


def test_counts_filters_and_search(guide, project):
    app = make_app(guide, project)
    status, data, _ = call(app, "GET", "/api/entries?filter=all")
    assert status == 200
    c = data["counts"]
    assert (c["all"], c["failing"], c["warning"], c["fuzzy"], c["untranslated"], c["reviewed"]) == (7, 2, 1, 2, 1, 1)
    _, data, _ = call(app, "GET", "/api/entries?filter=failing")
    assert [e["msgid"] for e in data["items"]] == ["The river rises in spring.", "Bring 2 litres of water per person."]
    assert data["items"][0]["machine"] is True and data["items"][0]["back_translation"] == "The river rises in winter."
    assert data["items"][0]["findings"] == [{"name": "numbers", "detail": "2 is missing"}]
    _, data, _ = call(app, "GET", "/api/entries?filter=all&q=BOATS")
    assert data["total"] == 1 and data["items"][0]["previous_msgid"].startswith("Boats wait in the port")
    _, data, _ = call(app, "GET", "/api/entries?filter=untranslated")
    assert [e["msgid"] for e in data["items"]] == ["Check the weather before you leave."]
    status, _, _ = call(app, "GET", "/api/entries?filter=nonsense")
    assert status == 400


def test_entry_shows_the_surrounding_paragraph(guide, project):
    app = make_app(guide, project)
    i = index_of(app, "Boats wait in the harbour until the water falls.")
    status, data, _ = call(app, "GET", f"/api/entry?i={i}")
    assert status == 200
    ctx = data["entry"]["context"]
    assert ctx["file"] == "source/guide.md:3"
    assert ctx["before"] == "The river rises in spring. "
    assert ctx["sentence"] == "Boats wait in the harbour until the water falls."


# -- editing ------------------------------------------------------------------------------------------


def test_approve_clears_fuzzy_records_reviewer_and_changes_nothing_else(guide, project):
    before = guide.read_text(encoding="utf-8")
    app = make_app(guide, project)
    i = index_of(app, "Boats wait in the harbour until the water falls.")
    status, data, _ = call(
        app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "approve", "msgstr": "Las barcas esperan en el puerto hasta que baja el agua."}
    )
    assert status == 200, data
    assert data["saved"] and data["entry"]["reviewed"] == "reviewed: Rita Reviewer, 2026-11-28"
    after = guide.read_text(encoding="utf-8")
    diff = changed_lines(before, after)
    # only this entry's flags, previous msgid, msgstr and its own comment lines changed
    assert "-#, fuzzy" in diff and '-#| msgid "Boats wait in the port until the water falls."' in diff
    assert '+msgstr "Las barcas esperan en el puerto hasta que baja el agua."' in diff
    assert any(x.startswith("+# reviewed: Rita Reviewer, 2026-11-28, sha256:") for x in diff)
    assert all("Boats" in d or "barcos" in d or "barcas" in d or d.startswith(("+#.", "-#.", "-#,", "-#|", "+# reviewed:")) for d in diff), diff
    po = read_po(guide)
    e = po.find("Boats wait in the harbour until the water falls.")
    assert "fuzzy" not in e.flags and e.previous_msgid is None
    assert is_human(e) and not mt.wants_translation(e, "machine")
    # everything else is still there: header comments, translator comment, obsolete entry
    assert "# A translator's note that must survive." in after
    assert "# Keep the link text short." in after
    assert '#~ msgid "An old sentence."' in after
    # re-checked at once: the check stage's lines replace the old warning
    assert "#. check: length: long" not in after


def test_save_rechecks_the_entry(guide, project):
    app = make_app(guide, project)
    i = index_of(app, "Bring 2 litres of water per person.")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "save", "msgstr": "Lleva 2 litros de agua por persona."})
    assert status == 200 and data["saved"]
    assert data["entry"]["verdict"] != "fail"
    assert data["row"]["verdict"] != "fail"
    e = read_po(guide).find("Bring 2 litres of water per person.")
    assert e.msgstr == "Lleva 2 litros de agua por persona."
    assert "check: numbers: 2 is missing in the Spanish" not in e.comment


def test_reject_sends_the_entry_back_to_untranslated(guide, project):
    app = make_app(guide, project)
    i = index_of(app, "The river rises in spring.")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "reject"})
    assert status == 200 and data["row"]["untranslated"]
    e = read_po(guide).find("The river rises in spring.")
    assert e.msgstr == "" and "fuzzy" not in e.flags and "check:" not in (e.comment or "")
    _, data, _ = call(app, "GET", "/api/entries?filter=untranslated")
    assert data["counts"]["untranslated"] == 2


def test_approve_needs_a_translation(guide, project):
    app = make_app(guide, project)
    before = guide.read_bytes()
    i = index_of(app, "Check the weather before you leave.")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "approve", "msgstr": ""})
    assert status == 400 and "empty" in data["error"]
    assert guide.read_bytes() == before


def test_a_foreign_catalogue_keeps_every_other_byte(tmp_path):
    """A program's human catalogue (GNU grep, decompiled with msgunfmt)."""
    po = tmp_path / "grep.po"
    shutil.copy(DATA / "grep-es.po", po)
    before = po.read_text(encoding="utf-8")
    app = make_app(po, None)
    assert app.catalogues[0].blocks is not None  # spliced, not regenerated
    cat = app.catalogues[0]
    i = next(k for k, e in enumerate(cat.entries) if "\n" in e.msgstr and len(e.msgstr) > 200 and e.msgid[0] != "\n")
    msgid = cat.entries[i].msgid
    new = "Texto nuevo.\n" if msgid.endswith("\n") else "Texto nuevo."  # as msgfmt -c wants
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "save", "msgstr": new})
    assert status == 200, data
    after = po.read_text(encoding="utf-8")
    diff = changed_lines(before, after)
    assert diff[-1] == "+msgstr " + json.dumps(new)
    removed = [d for d in diff if d.startswith("-")]
    assert all(d.startswith('-"') or d.startswith("-msgstr") for d in removed), removed
    assert all(d.startswith(("+msgstr", "+#. check:", "+#. back-translation:")) for d in diff if d.startswith("+")), diff
    reread = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(after)}
    original = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(before)}
    assert reread.pop((None, msgid)) == new
    original.pop((None, msgid))
    assert reread == original
    # a later entry after the file got shorter: the splice still lands on the right lines
    j = len(cat.entries) - 1
    last = cat.entries[j].msgid
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": j, "action": "approve", "msgstr": "Último."})
    assert status == 200, data
    final = {(e.msgctxt, e.msgid): (e.msgstr, e.flags) for e in polib.pofile(po.read_text(encoding="utf-8"))}
    assert final.pop((None, last)) == ("Último.", [f for f in cat.entries[j].flags])
    assert final.pop((None, msgid))[0] == new
    assert {k: v[0] for k, v in final.items()} == {k: v for k, v in original.items() if k != (None, last)}


# -- safety -------------------------------------------------------------------------------------------


def test_strings_from_the_catalogue_are_escaped_in_the_page(guide, project):
    app = make_app(guide, project)
    status, page, headers = call(app, "GET", "/")
    assert status == 200
    assert "<script>alert" not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert page.count("<script") == 2  # the JSON data block and our own script
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_state_changes_need_the_session_token(guide, project):
    app = make_app(guide, project)
    before = guide.read_bytes()
    body = {"cat": 0, "i": 0, "action": "reject"}
    for token in (None, "", "wrong-token"):
        status, data, _ = call(app, "POST", "/api/entry", body, token=token)
        assert status == 403 and "token" in data["error"]
    status, _, _ = call(app, "POST", "/api/reload", {"cat": 0}, token=None)
    assert status == 403
    # a form post (no JSON) is refused even with the token; so is another origin
    status, _, _ = call(app, "POST", "/api/entry", b"action=reject", headers={"CONTENT_TYPE": "application/x-www-form-urlencoded"})
    assert status == 415
    status, _, _ = call(app, "POST", "/api/entry", body, headers={"HTTP_ORIGIN": "http://evil.example"})
    assert status == 403
    # a page reached through another host name (DNS rebinding) is refused
    status, _, _ = call(app, "GET", "/", headers={"HTTP_HOST": "evil.example:8765"})
    assert status == 403
    assert guide.read_bytes() == before
    status, _, _ = call(app, "POST", "/api/entry", body)
    assert status == 200 and guide.read_bytes() != before


def test_no_path_outside_the_project_or_the_named_file_is_read(guide, project, tmp_path):
    app = make_app(guide, project)
    i = index_of(app, "Read the [safety notes](https://example.org/safety) first.")
    assert app.sources.resolve("../secret.txt") is None
    assert app.sources.resolve("/etc/passwd") is None
    assert app.sources.resolve("secret.txt") is None  # inside the project, but not a source document
    assert app.sources.resolve("source/../../etc/passwd") is None
    status, data, _ = call(app, "GET", f"/api/entry?i={i}")
    assert status == 200 and data["entry"]["context"]["file"] == "source/guide.md:8"
    assert "TOP SECRET" not in json.dumps(data)
    for path in ("/../../etc/passwd", "/static/../../secret.txt", "/api/entries/../../secret.txt", "/secret.txt"):
        status, data, _ = call(app, "GET", path)
        assert status == 404 and "SECRET" not in json.dumps(data)
    for cat in ("../../secret.txt", "-1", "1", "/etc/passwd"):
        status, _, _ = call(app, "GET", f"/api/entries?cat={cat}")
        assert status == 404
        status, _, _ = call(app, "POST", "/api/entry", {"cat": cat, "i": 0, "action": "reject"})
        assert status == 404
    # a file reviewed on its own: nothing but that file is read, not even a source next to it
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(REVIEW / "guide.po", alone / "guide.po")
    (alone / "source").mkdir()
    shutil.copy(REVIEW / "guide.md", alone / "source" / "guide.md")
    app2 = make_app(alone / "guide.po", None)
    status, data, _ = call(app2, "GET", "/api/entry?i=0")
    assert status == 200 and data["entry"]["context"] is None


def test_a_file_changed_on_disk_is_not_overwritten(guide, project):
    app = make_app(guide, project)
    i = index_of(app, "The river rises in spring.")
    theirs = guide.read_text(encoding="utf-8").replace('msgstr "Guía de campo"', 'msgstr "Guía práctica"')
    guide.write_text(theirs, encoding="utf-8")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "save", "msgstr": "El río crece en primavera."})
    assert status == 409 and "changed on disk" in data["error"]
    assert guide.read_text(encoding="utf-8") == theirs  # their change is intact
    # the page's entry is unchanged in memory too
    _, data, _ = call(app, "GET", f"/api/entry?i={i}")
    assert data["entry"]["msgstr"] == "El río crece en invierno."
    status, data, _ = call(app, "POST", "/api/reload", {"cat": 0})
    assert status == 200
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "save", "msgstr": "El río crece en primavera."})
    assert status == 200
    text = guide.read_text(encoding="utf-8")
    assert 'msgstr "Guía práctica"' in text and 'msgstr "El río crece en primavera."' in text


def test_stale_page_digest_is_refused(guide, project):
    app = make_app(guide, project)
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr": "x", "digest": "0" * 64})
    assert status == 409


def test_review_command_usage(project, run_cli, guide):
    r = run_cli(project, "review", "--help")
    assert r.code == 0 and "Example" in r.out
    r = run_cli(project, "review", str(guide), "--lang", "es")
    assert r.code == 2 and "not both" in r.err
    r = run_cli(project, "review", "--lang", "fr")
    assert r.code == 2 and "fr" in r.err and "Traceback" not in r.err  # unsupported, or no fr catalogues


def test_review_command_serves_on_127_0_0_1(project, guide):
    import subprocess
    import sys
    import urllib.request

    exe = Path(sys.executable).parent / "translate"
    proc = subprocess.Popen(
        [str(exe), "--project", str(project), "review", "--lang", "es", "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "locales/es/LC_MESSAGES/guide.po" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
        url = line.split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and "/#token=" in url  # the page can save from this address
        with urllib.request.urlopen(url, timeout=10) as r:
            page = r.read().decode()
        assert r.status == 200 and "<title>Review · locales/es/LC_MESSAGES/guide.po</title>" in page
        assert "\\u003cscript\\u003ealert(1)" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_plural_forms_are_edited_form_by_form(tmp_path):
    po = tmp_path / "plural.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: src/main.c:10\n#, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Abrir"\n',
        encoding="utf-8",
    )
    before = po.read_text(encoding="utf-8")
    app = make_app(po, None)
    status, data, _ = call(app, "GET", "/api/entries?filter=untranslated")
    assert data["items"][0]["msgid_plural"] == "%d files"
    status, data, _ = call(
        app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "approve", "msgstr_plural": {"0": "%d fichero", "1": "%d ficheros"}}
    )
    assert status == 200, data
    diff = changed_lines(before, po.read_text(encoding="utf-8"))
    assert sorted(diff) == sorted(
        [
            '-msgstr[0] ""',
            '-msgstr[1] ""',
            "+#. check: pass",  # a plural entry is re-checked too
            f"+# reviewed: Rita Reviewer, 2026-11-28, sha256:{checksum('%d fichero' + chr(0) + '%d ficheros')}",
            '+msgstr[0] "%d fichero"',
            '+msgstr[1] "%d ficheros"',
        ]
    ), diff
    e = polib.pofile(str(po)).find("%d file")
    assert e.msgstr_plural == {0: "%d fichero", 1: "%d ficheros"} and e.flags == ["c-format"]
    text = po.read_text(encoding="utf-8")
    assert text.index("# reviewed:") < text.index("#: src/main.c:10")  # gettext's comment order


# -- a plural entry is re-checked -----------------------------------------------------------------------

PLURAL_PO = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    '#, c-format\nmsgid "%d file was copied to the folder."\nmsgid_plural "%d files were copied to the folder."\n'
    'msgstr[0] ""\nmsgstr[1] ""\n'
)


@pytest.mark.parametrize(
    ("forms", "verdict", "named"),
    [
        ({"0": "Se copió %d archivo a la carpeta.", "1": "Se copiaron %d archivos a la carpeta."}, "pass", None),
        # the singular form is checked against msgid ...
        ({"0": "Se copió un archivo a la carpeta.", "1": "Se copiaron %d archivos a la carpeta."}, "fail", "placeholders"),
        # ... and the last form against msgid_plural
        ({"0": "Se copió %d archivo a la carpeta.", "1": "Se copiaron los archivos a la carpeta."}, "fail", "placeholders"),
    ],
)
def test_saving_a_plural_entry_rechecks_it(tmp_path, forms, verdict, named):
    po = tmp_path / "plural.po"
    po.write_text(PLURAL_PO, encoding="utf-8")
    app = make_app(po, None)
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr_plural": forms})
    assert status == 200 and data["saved"], data
    assert data["entry"]["verdict"] == verdict and data["row"]["verdict"] == verdict
    e = read_po(po).find("%d file was copied to the folder.")
    assert e.msgstr_plural == {0: forms["0"], 1: forms["1"]}
    lines = e.comment.split("\n")
    if verdict == "pass":
        assert lines == ["check: pass"]
    else:
        assert lines[0].startswith("check: fail:") and named in lines[0], lines
        assert f"check: {named}: missing: printf %d" in lines


def test_a_plural_entry_rejected_loses_its_check_lines(tmp_path):
    po = tmp_path / "plural.po"
    po.write_text(PLURAL_PO, encoding="utf-8")
    app = make_app(po, None)
    forms = {"0": "Se copió un archivo a la carpeta.", "1": "Se copiaron %d archivos a la carpeta."}
    call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr_plural": forms})
    assert "check: fail" in po.read_text(encoding="utf-8")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "reject"})
    assert status == 200 and data["entry"]["verdict"] is None
    assert "check:" not in po.read_text(encoding="utf-8")


# -- every save names the version it was made on -------------------------------------------------------


@pytest.mark.parametrize("digest", [None, "", 0, ["x"]])
def test_a_save_without_the_digest_is_refused(guide, project, digest):
    app = make_app(guide, project)
    before = guide.read_bytes()
    body = {"cat": 0, "i": 1, "action": "save", "msgstr": "x"}
    if digest is not None:
        body["digest"] = digest
    raw = json.dumps(body).encode()  # bytes: the helper adds no digest
    status, data, _ = call(app, "POST", "/api/entry", raw)
    assert status == 400 and "digest" in data["error"]
    assert guide.read_bytes() == before
    body["digest"] = app.catalogues[0].digest
    status, _, _ = call(app, "POST", "/api/entry", json.dumps(body).encode())
    assert status == 200 and guide.read_bytes() != before


# -- the page and its files ------------------------------------------------------------------------------


def test_static_files_are_served_with_their_type_and_a_strict_policy(guide, project):
    app = make_app(guide, project)
    for path, ctype, needle in (
        ("/static/review.js", "text/javascript; charset=utf-8", "textContent"),
        ("/static/review.css", "text/css; charset=utf-8", "#listbox"),
    ):
        status, body, headers = call(app, "GET", path)
        assert status == 200 and headers["Content-Type"] == ctype and needle in body
        assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert headers["X-Content-Type-Options"] == "nosniff"
    _, js, _ = call(app, "GET", "/static/review.js")
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
    for path in ("/static/", "/static/review.html", "/static/../templates/review.html", "/static/review.js/", "/static/REVIEW.JS"):
        status, _, _ = call(app, "GET", path)
        assert status == 404, path
    # the page loads exactly those files, the script by the nonce its policy names
    _, page, headers = call(app, "GET", "/")
    csp = headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script src="/static/review.js" nonce="{nonce}"></script>' in page
    assert '<link rel="stylesheet" href="/static/review.css">' in page
    assert "style-src 'self'" in csp and "<style" not in page and " style=" not in page


def test_the_page_does_not_carry_the_session_token(guide, project):
    from translate.review.app import page_url

    app = make_app(guide, project)
    _, page, _ = call(app, "GET", "/")
    assert TOKEN not in page
    assert page_url(8765, TOKEN) == f"http://127.0.0.1:8765/#token={TOKEN}"


# -- who approves ----------------------------------------------------------------------------------------


@pytest.fixture
def no_git_config(monkeypatch, tmp_path):
    """git sees neither the user's nor the system's configuration."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_PARAMETERS", raising=False)
    monkeypatch.delenv("GIT_DIR", raising=False)


def test_reviewer_name_order(tmp_path, monkeypatch, no_git_config):
    import subprocess

    from translate.review.app import reviewer_name

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "user.name", "Gita  Git"], check=True)
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setenv("USER", "ursula")
    monkeypatch.setenv("LOGNAME", "logan")
    assert reviewer_name("  Rita   Reviewer ", repo) == "Rita Reviewer"  # --reviewer first
    assert reviewer_name(None, repo) == "Gita Git"  # then git's user.name in the project
    assert reviewer_name(None, repo / "sub-folder-that-is-missing") == "ursula"
    assert reviewer_name(None, plain) == "ursula"  # then $USER
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert reviewer_name(None, repo) == "ursula"  # no git at all: not an error
    monkeypatch.delenv("USER")
    monkeypatch.delenv("LOGNAME")
    assert reviewer_name(None, plain) == "reviewer"


def test_project_git_name_is_recorded_and_the_header_names_the_reviewer_once(guide, project, monkeypatch, no_git_config):
    import subprocess

    monkeypatch.delenv("USER", raising=False)
    monkeypatch.delenv("LOGNAME", raising=False)
    app = create_app([guide], project=project, token=TOKEN)
    assert app.reviewer == "reviewer"
    _, page, _ = call(app, "GET", "/")
    assert 'approving as <span id="reviewer">reviewer</span>' in page
    assert "reviewer reviewer" not in page and "— reviewer" not in page
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "config", "user.name", "Gita Git"], check=True)
    app = create_app([guide], project=project, token=TOKEN, today=lambda: dt.date(2026, 11, 28))
    _, page, _ = call(app, "GET", "/")
    assert 'approving as <span id="reviewer">Gita Git</span>' in page
    i = index_of(app, "The river rises in spring.")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "approve", "msgstr": "El río crece en primavera."})
    assert status == 200 and data["entry"]["reviewed"] == "reviewed: Gita Git, 2026-11-28"


# -- deep links: the entry whose msgid starts at a line ---------------------------------------------------


def test_locate_finds_the_entry_at_or_after_a_line(guide, project):
    app = make_app(guide, project)
    text = guide.read_text(encoding="utf-8").splitlines()
    starts = [n for n, line in enumerate(text, 1) if line.startswith("msgid ")][1:]  # not the header
    cat = app.catalogues[0]
    assert len(starts) == len(cat.entries)
    for k, line in enumerate(starts):
        status, data, _ = call(app, "GET", f"/api/locate?line={line}")
        assert status == 200 and (data["i"], data["line"]) == (k, line)
        _, data, _ = call(app, "GET", f"/api/locate?line={line - 1}")  # the comment line above: same entry
        assert data["i"] == k
    _, data, _ = call(app, "GET", "/api/locate?line=1")
    assert data["i"] == 0
    # the line where polib sees an entry begin (its first comment), as the edition and the report link it
    for k, e in enumerate(e for e in read_po(guide) if not e.obsolete):
        _, data, _ = call(app, "GET", f"/api/locate?line={e.linenum}")
        assert data["i"] == k, (k, e.linenum)
    _, data, _ = call(app, "GET", f"/api/locate?line={len(text) + 50}")
    assert data["i"] == len(starts) - 1
    assert call(app, "GET", "/api/locate?line=x")[0] == 400
    assert call(app, "GET", "/api/locate?cat=3&line=1")[0] == 404
    # a save that adds lines moves the later entries: links use the file as it is now
    i = index_of(app, "The river rises in spring.")
    call(app, "POST", "/api/entry", {"cat": 0, "i": i, "action": "approve", "msgstr": "El río crece en primavera."})
    text = guide.read_text(encoding="utf-8").splitlines()
    starts2 = [n for n, line in enumerate(text, 1) if line.startswith("msgid ")][1:]
    assert starts2 != starts
    last = len(starts2) - 1
    _, data, _ = call(app, "GET", f"/api/locate?line={starts2[last]}")
    assert (data["i"], data["line"]) == (last, starts2[last])
    _, data, _ = call(app, "GET", "/api/entries?filter=all")
    assert [e["line"] for e in data["items"]] == starts2


# -- saves can only produce what GNU gettext and our reader accept ------------------------------------


def _tiny(tmp_path: Path, body: str, *, charset: str = "UTF-8", newline: str = "\n") -> Path:
    po = tmp_path / "tiny.po"
    text = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n\n' + body
    po.write_bytes(text.replace("\n", newline).encode(charset))
    return po


@pytest.mark.parametrize(
    "msgid, msgstr",
    [("Hello\\n", "Hola"), ("\\nHello", "Hola"), ("Hello", "Hola\n"), ("Hello", "\nHola"), ("Hello", "Ho\0la")],
)
def test_a_save_that_msgfmt_would_refuse_is_refused(tmp_path, msgid, msgstr):
    po = _tiny(tmp_path, f'msgid "{msgid}"\nmsgstr ""\n')
    before = po.read_bytes()
    app = make_app(po, None)
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr": msgstr})
    assert status == 400 and ("msgfmt" in data["error"] or "NUL" in data["error"]), data
    assert po.read_bytes() == before


def test_unusual_line_separators_are_saved_and_read_back_equal(tmp_path):
    po = _tiny(tmp_path, 'msgid "One"\nmsgstr ""\n\nmsgid "Two"\nmsgstr "Dos"\n')
    app = make_app(po, None)
    text = "Uno\u2028dos\u2029tres\x85cuatro\x1c"
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr": text})
    assert status == 200, data
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True).returncode == 0
    again = read_po(po)
    assert again.find("One").msgstr == text and again.find("Two").msgstr == "Dos"
    # a second save still finds its entry in the file
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 1, "action": "save", "msgstr": "Dos y más"})
    assert status == 200 and read_po(po).find("Two").msgstr == "Dos y más"


def test_a_latin1_catalogue_stays_latin1_and_crlf(tmp_path):
    po = _tiny(tmp_path, 'msgid "Size"\nmsgstr ""\n', charset="ISO-8859-1", newline="\r\n")
    app = make_app(po, None)
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr": "Tamaño"})
    assert status == 200, data
    raw = po.read_bytes()
    assert "Tamaño".encode("latin-1") in raw and b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr": "Tamaño €"})
    assert status == 400 and "charset" in data["error"]
    assert "Tamaño".encode("latin-1") in po.read_bytes()


def test_a_symlinked_catalogue_stays_a_link(tmp_path):
    real = _tiny(tmp_path, 'msgid "Size"\nmsgstr ""\n')
    link = tmp_path / "link.po"
    link.symlink_to(real)
    app = make_app(link, None)
    status, data, _ = call(app, "POST", "/api/entry", {"cat": 0, "i": 0, "action": "save", "msgstr": "Tamaño"})
    assert status == 200, data
    assert link.is_symlink() and read_po(real).find("Size").msgstr == "Tamaño"


def test_deeply_nested_json_is_a_bad_request_not_a_crash(tmp_path):
    po = _tiny(tmp_path, 'msgid "Size"\nmsgstr ""\n')
    app = make_app(po, None)
    status, data, _ = call(app, "POST", "/api/entry", b"[" * 100_000 + b"]" * 100_000)
    assert status == 400 and data["error"] == "bad JSON"
