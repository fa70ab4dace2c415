"""The check stage: round trips, verdicts written back, reports, exit codes, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from translate.check import runner as K
from translate.check.roundtrip import catalogue_round_trip
from translate.check.stage import check_project
from translate.config import Config
from translate.po.pofile import read_po, write_po

from .conftest import DATA, msgfmt_check

DOC = """# Annual report

The office opened in 2024. It now serves 1,500 people every month.

- Visit [our site](https://example.org/about) for details.
- Write to info@example.org with questions.

```
make install
```

Thank you for reading.
"""

SPANISH = {
    "Annual report": "Informe anual",
    "The office opened in 2024.": "La oficina abrió en 2024.",
    "It now serves 1,500 people every month.": "Ahora atiende a 1.500 personas cada mes.",
    "Visit [our site](https://example.org/about) for details.": "Visite [nuestro sitio](https://example.org/about) para más detalles.",
    "Write to info@example.org with questions.": "Escriba a info@example.org si tiene preguntas.",
    "Thank you for reading.": "Muchas gracias por leer.",
}


@pytest.fixture
def translated(project, run_cli) -> Path:
    (project / "source" / "report.md").write_text(DOC)
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "report.po"
    po = read_po(po_path)
    assert {e.msgid for e in po} == set(SPANISH), {e.msgid for e in po}
    for e in po:
        e.msgstr = SPANISH[e.msgid]
        e.tcomment = "Translator: checked with the office"
    write_po(po_path, po)
    return po_path


def entry_of(po_path: Path, msgid: str) -> polib.POEntry:
    return next(e for e in read_po(po_path) if e.msgid == msgid)


# -- check_one / verdict_of / write-back --------------------------------------------------------


def test_check_one_interface():
    r = K.check_one("The file was saved.", "Se guardó el archivo.")
    assert r.verdict == "pass" and r.findings == [] and r.back_translation is None
    r = K.check_one("Cannot open %s", "No se puede abrir", flags=("c-format",))
    assert r.verdict == "fail" and r.failed == ["placeholders"]
    r = K.check_one("The file was saved.", "Se guardó el archivo")
    assert r.verdict == "warn" and r.warned == ["punctuation"]


def test_comment_lines_and_verdict_of():
    e = polib.POEntry(msgid="Cannot open %s", msgstr="No se puede abrir", flags=["c-format", "fuzzy"])
    e.comment = "mt: apertium (1.0), 2026-01-01 sha256:abc\nglossary: IOM → OIM (used)"
    e.tcomment = "a translator's note"
    assert K.verdict_of(e) is None
    r = K.check_one(e.msgid, e.msgstr, flags=e.flags, back_translation="It can not open")
    assert K.write_back(e, r)
    lines = e.comment.split("\n")
    assert lines[:2] == ["mt: apertium (1.0), 2026-01-01 sha256:abc", "glossary: IOM → OIM (used)"]
    assert lines[2].startswith("check: fail: ") and "placeholders" in lines[2]
    assert any(x.startswith("check: placeholders: missing") for x in lines)
    assert lines[-1] == "back-translation: It can not open"
    assert K.verdict_of(e) == "fail"
    # a rerun replaces, never duplicates, and keeps msgstr, flags and the translator's comment
    e.msgstr = "No se puede abrir %s"
    r2 = K.check_one(e.msgid, e.msgstr, flags=e.flags, back_translation="It can not open %s")
    K.write_back(e, r2)
    assert K.verdict_of(e) == "pass"
    assert sum(x.startswith("check: ") for x in e.comment.split("\n")) == 1
    assert e.msgstr == "No se puede abrir %s" and e.flags == ["c-format", "fuzzy"] and e.tcomment == "a translator's note"
    assert not K.write_back(e, r2)  # unchanged the second time


# -- a project ---------------------------------------------------------------------------------


def test_project_check_passes_and_writes_back_only_comments(translated, project, run_cli):
    before = read_po(translated)
    r = run_cli(project, "check", "--lang", "es", "--engine", "apertium", "--json", str(project / "c.json"))
    assert r.code == 0, r.out + r.err
    assert "6 entries checked: 6 pass" in r.out
    data = json.loads((project / "c.json").read_text())
    trips = {t["check"]: t["ok"] for t in data["summary"]["catalogues"][0]["round_trips"]}
    assert trips == {
        "every-sentence-has-entry": True, "no-orphans": True, "english-edition-identical": True,
        "spanish-skeleton": True, "msgfmt": True, "babel-compile": True, "gettext-mo": True, "polib-babel": True,
    }
    after = read_po(translated)
    for a, b in zip(before, after):
        assert (a.msgid, a.msgstr, a.tcomment, a.flags) == (b.msgid, b.msgstr, b.tcomment, b.flags)
        ours = [x for x in b.comment.split("\n") if x.startswith(("check:", "back-translation:"))]
        assert ours[0] == "check: pass"
        assert b.comment.split("\n")[0] == a.comment.split("\n")[0]  # the template's comment stays first
        assert any(x.startswith("back-translation: ") for x in b.comment.split("\n"))
    assert msgfmt_check(translated).returncode == 0
    assert (project / "reports" / "check-es.html").exists()


def test_skeleton_link_and_number_errors_fail(translated, project, run_cli):
    po = read_po(translated)
    for e in po:
        if e.msgid.startswith("Visit"):
            e.msgstr = "Visite [nuestro sitio](https://example.org/acerca) para más detalles."
        if e.msgid.startswith("It now"):
            e.msgstr = "Ahora atiende a 1.600 personas cada mes."
    write_po(translated, po)
    r = run_cli(project, "check", "--lang", "es", "--engine", "none")
    assert r.code == 1
    assert "FAIL spanish-skeleton" in r.out.replace("report.po: ", "") or "FAIL spanish-skeleton" in r.out
    assert K.verdict_of(entry_of(translated, "It now serves 1,500 people every month.")) == "fail"
    assert "numbers" in entry_of(translated, "It now serves 1,500 people every month.").comment
    assert "back-translation skipped" in r.out


def test_orphan_and_missing_entries(translated, project, run_cli):
    po = read_po(translated)
    po.append(polib.POEntry(msgid="A sentence that is in no document.", msgstr="Una frase que no está en ningún documento."))
    po.remove(next(e for e in po if e.msgid == "Thank you for reading."))
    write_po(translated, po)
    rep = check_project(Config(project=project, quiet=True), "es", engine="none", write=False)
    trips = {t.check: t for c in rep.catalogues for t in c.round_trips}
    assert not trips["no-orphans"].ok and "in no sentence" in trips["no-orphans"].detail
    assert not trips["every-sentence-has-entry"].ok
    assert rep.exit_code() == 1


def test_fail_on_warn_and_no_write(translated, project, run_cli):
    po = read_po(translated)
    next(e for e in po if e.msgid == "Thank you for reading.").msgstr = "Muchas gracias por leer"  # punctuation: warn
    write_po(translated, po)
    data = translated.read_bytes()
    r = run_cli(project, "check", "--lang", "es", "--engine", "none", "--no-write")
    assert r.code == 0 and "1 warn" in r.out
    assert translated.read_bytes() == data
    r = run_cli(project, "check", "--lang", "es", "--engine", "none", "--no-write", "--fail-on", "warn")
    assert r.code == 1


def test_bad_input_exits_2(project, run_cli, tmp_path):
    r = run_cli(project, "check")
    assert r.code == 2 and "either --lang" in r.err
    r = run_cli(project, "check", str(tmp_path / "missing.po"))
    assert r.code == 2 and "no such catalogue" in r.err
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "a"\nmsgstr "b"\nmsgid "a"\nnot a po file at all\n')
    r = run_cli(project, "check", str(bad), "--engine", "none")
    assert r.code == 2 and "Traceback" not in r.err
    r = run_cli(project, "check", "--lang", "es", "--engine", "none")
    assert r.code == 2 and "translate update" in r.err


# -- any .po file --------------------------------------------------------------------------------


def test_clean_human_po_passes_structurally_and_comments_stay(tmp_path, run_cli, project):
    po_path = tmp_path / "grep-es.po"
    shutil.copy(DATA / "grep-es.po", po_path)
    before = polib.pofile(str(po_path))
    json_path = tmp_path / "r.json"
    r = run_cli(project, "check", str(po_path), "--engine", "apertium", "--json", str(json_path))
    assert r.code in (0, 1)
    data = json.loads(json_path.read_text())
    # the JSON schema
    assert set(data) == {"summary", "entries"}
    assert set(data["summary"]["verdicts"]) == {"pass", "warn", "fail"}
    assert data["summary"]["entries"] == len(data["entries"]) == sum(data["summary"]["verdicts"].values())
    for x in data["entries"]:
        assert {"msgid", "msgctxt", "msgstr", "verdict", "failed", "back_translation", "findings"} <= set(x)
        assert x["verdict"] in ("pass", "warn", "fail") and isinstance(x["failed"], list)
        assert (x["verdict"] == "fail") == bool(x["failed"])
    trips = {t["check"]: t["ok"] for t in data["summary"]["catalogues"][0]["round_trips"]}
    assert all(trips.values()), trips
    # a real human catalogue: most entries pass, few fail
    v = data["summary"]["verdicts"]
    assert v["pass"] >= 0.8 * data["summary"]["entries"] and v["fail"] <= 0.05 * data["summary"]["entries"]
    after = polib.pofile(str(po_path))
    for a, b in zip(before, after):
        assert (a.msgid, a.msgstr, a.tcomment, a.flags, a.occurrences) == (b.msgid, b.msgstr, b.tcomment, b.flags, b.occurrences)
        if a.msgid and a.msgstr:
            assert K.verdict_of(b) is not None
    assert (po_path.with_suffix(".check.html")).read_text().count("<tr") == data["summary"]["entries"] + 1
    assert msgfmt_check(po_path).returncode == 0
    # rerun: same comments, nothing duplicated
    text = po_path.read_text()
    assert run_cli(project, "check", str(po_path), "--engine", "apertium").code == r.code
    assert po_path.read_text() == text


def test_eval_set_wrong_kinds_fail_and_correct_pass():
    """A slice of the labelled set (tests/data/eval): the accuracy targets on it, with back-translation."""
    back = K.load_back_translator("apertium")
    assert back.engine is not None, back.note  # Apertium spa-eng is part of the test environment
    eval_dir = DATA / "eval"
    correct = K.check_entries(list(read_po(eval_dir / "correct.po"))[:150], back=back)
    false_alarms = sum(r.verdict == "fail" for _e, r in correct)
    assert false_alarms <= 0.05 * len(correct)
    wrong = []
    for kind in ("other_sentence", "english", "cut", "number", "placeholder", "other_language", "gibberish"):
        wrong += K.check_entries(list(read_po(eval_dir / f"{kind}.po"))[:15], back=back)
    detected = sum(r.verdict == "fail" for _e, r in wrong)
    assert detected >= 0.9 * len(wrong)


def test_catalogue_round_trip_catches_a_broken_format(tmp_path):
    p = tmp_path / "x.po"
    p.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n#, c-format\nmsgid "open %s"\nmsgstr "abrir"\n')
    trips = {t.check: t for t in catalogue_round_trip(p, polib.pofile(str(p)))}
    assert not trips["msgfmt"].ok and "format" in trips["msgfmt"].detail
    assert trips["gettext-mo"].ok and trips["polib-babel"].ok


def test_failing_entries_for_build():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Open %s", msgstr="Abrir", flags=["c-format"]))
    po.append(polib.POEntry(msgid="The file was saved.", msgstr="Se guardó el archivo."))
    e = polib.POEntry(msgid="The weather is nice today.", msgstr="El tren sale a las ocho.")
    e.comment = "check: fail: back-translation\ncheck: back-translation: chrF 10 < 22: the meaning differs"
    po.append(e)
    failing = [x.msgid for x, _r in K.failing_entries(po)]
    assert failing == ["Open %s", "The weather is nice today."]


def test_line_numbers_in_the_report_are_those_of_the_file_as_written(tmp_path):
    from translate.check.stage import check_file

    po = tmp_path / "x.po"
    body = "".join(f'msgid "Sentence number {i} here."\nmsgstr "Frase número {i} aquí."\n\n' for i in range(1, 30))
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")
    report = check_file(po, engine="none", write=True)
    lines = po.read_text(encoding="utf-8").splitlines()
    for r in report.results:
        assert lines[r.line - 1] == f'msgid "{r.msgid}"', (r.line, r.msgid)
    assert report.results[-1].line > 29 * 3  # the check lines pushed it down
