"""The command line: the main flow, exit codes and one-line messages for bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, msgfmt_check, snapshot

PRESS = ROOT / "source" / "labor-migration-governance.txt"


def test_segment_update_build_round_trip_on_the_press_release(project, run_cli):
    shutil.copy(PRESS, project / "source")
    r = run_cli(project, "segment")
    assert r.code == 0, r.err
    assert "labor-migration-governance.pot" in r.out
    pot = project / "locales" / "labor-migration-governance.pot"
    assert msgfmt_check(pot).returncode == 0
    for lang in ("es", "en"):
        r = run_cli(project, "update", "--lang", lang)
        assert r.code == 0, r.err
        po = project / "locales" / lang / "LC_MESSAGES" / "labor-migration-governance.po"
        res = msgfmt_check(po)
        assert res.returncode == 0 and res.stderr == "", res.stderr
    r = run_cli(project, "build", "--lang", "en")
    assert r.code == 0, r.err
    assert (project / "editions" / "en" / PRESS.name).read_bytes() == PRESS.read_bytes()
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 0 and "17 left in English" in r.out
    r = run_cli(project, "stats")
    assert r.code == 0 and "untranslated" in r.out and "17 (" in r.out


def test_segment_twice_leaves_the_template_unchanged(project, run_cli):
    shutil.copy(PRESS, project / "source")
    assert run_cli(project, "segment").code == 0
    before = snapshot(project / "locales")
    r = run_cli(project, "segment")
    assert r.code == 0 and "unchanged" in r.out
    assert snapshot(project / "locales") == before


def test_english_edition_of_every_real_world_document_equals_its_source(project, run_cli):
    real = [p for p in (DATA / "real").iterdir() if p.suffix in (".md", ".txt") and p.name != "SOURCES.md"]
    for p in real:
        shutil.copy(p, project / "source" / p.name)
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "en").code == 0
    r = run_cli(project, "build", "--lang", "en")
    assert r.code == 0, r.err
    for p in real:
        assert (project / "editions" / "en" / p.name).read_bytes() == p.read_bytes(), p.name
    for pot in (project / "locales").glob("*.pot"):
        assert msgfmt_check(pot).returncode == 0, pot
    # what we write is what GNU msgcat writes: no diff between the two tools, byte for byte
    assert run_cli(project, "update", "--lang", "es").code == 0
    assert run_cli(project, "mt", "--lang", "es", "--engine", "apertium").code == 0
    written = list((project / "locales").glob("*.pot")) + list((project / "locales").glob("*/LC_MESSAGES/*.po"))
    assert len(written) == 3 * len(real)
    differ = [p.name for p in written if subprocess.run(["msgcat", str(p)], capture_output=True).stdout != p.read_bytes()]
    assert differ == [], f"{len(differ)} of {len(written)} differ from msgcat: {differ[:5]}"


def test_spanish_edition_uses_translations_and_counts_fallbacks(project, run_cli):
    (project / "source" / "doc.md").write_text("# Hello\n\nThe cat sleeps. The dog barks.\n", encoding="utf-8")
    run_cli(project, "segment")
    run_cli(project, "update", "--lang", "es")
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "doc.po"
    text = po_path.read_text(encoding="utf-8")
    text = text.replace('msgid "Hello"\nmsgstr ""', 'msgid "Hello"\nmsgstr "Hola"')
    text = text.replace('msgid "The cat sleeps."\nmsgstr ""', '#, fuzzy\nmsgid "The cat sleeps."\nmsgstr "El gato duerme."')
    po_path.write_text(text, encoding="utf-8")
    r = run_cli(project, "build", "--lang", "es")
    assert r.code == 0, r.err
    assert "1 translated, 1 machine/fuzzy, 1 left in English" in r.out
    assert (project / "editions" / "es" / "doc.md").read_text(encoding="utf-8") == "# Hola\n\nEl gato duerme. The dog barks.\n"


# -- bad input: one line on stderr, exit code 2, nothing written --------------------------------


def _assert_bad(r, *fragments):
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.err.count("\n") == 1, r.err  # one line
    assert r.err.startswith("translate: error: ")
    assert "Traceback" not in r.err
    for f in fragments:
        assert f in r.err, (f, r.err)


@pytest.mark.parametrize(
    "name,data,fragments",
    [
        ("empty.txt", b"", ["source/empty.txt", "empty"]),
        ("blank.md", b"  \n\n", ["source/blank.md", "empty"]),
        ("binary.txt", b"PK\x03\x04\x00\x00binary", ["source/binary.txt", "binary", "offset 4"]),
        ("latin1.txt", "Hello.\nCafé in Latin-1.\n".encode("latin-1"), ["source/latin1.txt:2", "UTF-8", "offset 10"]),
    ],
)
def test_bad_source_documents(project, run_cli, name, data, fragments):
    (project / "source" / "good.txt").write_text("A good document.\n", encoding="utf-8")
    (project / "source" / name).write_bytes(data)
    before = snapshot(project)
    _assert_bad(run_cli(project, "segment"), *fragments)
    assert snapshot(project) == before
    assert not (project / "locales").exists() or not list((project / "locales").glob("*.pot"))


def test_missing_source_folder(tmp_path, run_cli):
    _assert_bad(run_cli(tmp_path, "segment"), "no source/ folder")
    assert list(tmp_path.iterdir()) == []


def test_directory_given_as_a_file(project, run_cli, monkeypatch):
    (project / "source" / "sub.md").mkdir()
    monkeypatch.chdir(project)
    _assert_bad(run_cli(project, "segment", "source/sub.md"), "source/sub.md", "is a directory")
    assert not (project / "locales").exists()


def test_unknown_language_code(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    before = snapshot(project)
    _assert_bad(run_cli(project, "update", "--lang", "xx"), "unknown language code 'xx'")
    _assert_bad(run_cli(project, "build", "--lang", "zz"), "unknown language code 'zz'")
    assert snapshot(project) == before


def test_malformed_existing_po_names_file_and_line(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    run_cli(project, "segment")
    po = project / "locales" / "es" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello there."\nmsgstr "Hola"\n\ngarbage line\n', encoding="utf-8")
    before = snapshot(project)
    _assert_bad(run_cli(project, "update", "--lang", "es"), "locales/es/LC_MESSAGES/a.po:7", "malformed")
    assert snapshot(project) == before


def test_stale_catalogue_refuses_english_build(project, run_cli):
    src = project / "source" / "a.txt"
    src.write_text("Hello there.\n", encoding="utf-8")
    run_cli(project, "segment")
    src.write_text("Hello there.\n\nA new sentence.\n", encoding="utf-8")
    _assert_bad(run_cli(project, "build", "--lang", "en"), "source/a.txt:3", "stale")
    assert not (project / "editions").exists()


def test_update_without_templates(project, run_cli):
    _assert_bad(run_cli(project, "update", "--lang", "es"), "translate segment")


def test_locked_catalogues(project, run_cli):
    import fcntl

    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    (project / "locales").mkdir()
    with open(project / "locales" / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        # another process holds it: a subprocess sees the lock
        r = subprocess.run(
            [sys.executable, "-m", "translate", "--project", str(project), "segment"], capture_output=True, text=True
        )
    assert r.returncode == 2 and "locked by another run" in r.stderr
    assert not list((project / "locales").glob("*.pot"))


def test_help_has_examples(run_cli, tmp_path):
    for cmd in ("segment", "update", "build", "stats", "run"):
        r = run_cli(tmp_path, cmd, "--help")
        assert r.code == 0 and "Example" in r.out, cmd


def test_console_script_entry_point(tmp_path):
    exe = Path(sys.executable).parent / "translate"
    r = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "segment" in r.stdout


def test_run_is_the_whole_job_on_the_press_release(project, run_cli):
    shutil.copy(PRESS, project / "source")
    (project / "locales").mkdir()
    shutil.copy(ROOT / "locales" / "glossary.csv", project / "locales")
    r = run_cli(project, "run", "--engine", "apertium")
    assert r.code in (0, 1), r.err  # 1 only if some entry fails its checks
    assert "Editions: editions/en/, editions/es/ and editions/en-es/" in r.out
    assert "Check report: reports/check-es.html" in r.out
    assert (project / "editions" / "en" / PRESS.name).read_bytes() == PRESS.read_bytes()
    es = (project / "editions" / "es" / PRESS.name).read_text(encoding="utf-8")
    assert "Organización Internacional del Trabajo (OIT)" in es  # glossary applied
    assert (project / "editions" / "en-es" / "labor-migration-governance.html").exists()
    import json

    report = json.loads((project / "reports" / "check-es.json").read_text(encoding="utf-8"))
    assert len(report["entries"]) == 17 and {e["verdict"] for e in report["entries"]} <= {"pass", "warn", "fail"}
    # one table of the steps, not a page of per-command lines
    assert "step" in r.out and "check --lang es" in r.out and "build --lang es" in r.out
    assert len(r.out.splitlines()) <= 16, r.out
    assert "next: translate review --lang es" in r.out


def test_run_passes_the_house_style_and_memory_threshold_to_mt(project, run_cli):
    (project / "source" / "note.txt").write_text(
        "The minister spoke.\n\n“Migrants matter to the economy of every country,” she said.\n", encoding="utf-8"
    )
    r = run_cli(project, "run", "--engine", "apertium", "--quotes", "angle", "--tm-threshold", "100")
    assert r.code in (0, 1), r.err
    es = (project / "editions" / "es" / "note.txt").read_text(encoding="utf-8")
    assert "«" in es and "»" in es and "“" not in es, es
    assert run_cli(project, "run", "--tm-threshold", "0").code == 2


# -- conventions: --version, global options after the command, --lang, grammar ---------------


def test_version(run_cli, tmp_path):
    from translate import __version__

    r = run_cli(tmp_path, "--version")
    assert r.code == 0 and r.out.strip() == f"translate {__version__}"


def test_global_options_after_the_command(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    other = project / "other"
    other.mkdir()
    # the fixture passes --project before the command; the one after it wins
    r = run_cli(other, "segment", "--project", str(project), "-q")
    assert r.code == 0 and r.out == "", r.out
    assert (project / "locales" / "a.pot").is_file()
    assert not (other / "locales").exists()
    r = run_cli(other, "update", "-q", "--lang", "es", "--project", str(project))
    assert r.code == 0 and r.out == ""
    assert (project / "locales" / "es" / "LC_MESSAGES" / "a.po").is_file()


@pytest.mark.parametrize("command", [("update",), ("mt",), ("stats",), ("build",), ("check",), ("run",)])
def test_a_language_the_toolkit_does_not_make_is_refused_the_same_way(project, run_cli, command):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    before = snapshot(project)
    _assert_bad(run_cli(project, *command, "--lang", "fr"), "unsupported language 'fr'", "Spanish")
    assert snapshot(project) == before
    _assert_bad(run_cli(project, *command, "--lang", "xx"), "unknown language code 'xx'")


def test_stats_of_one_language_lists_no_templates(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    run_cli(project, "segment")
    run_cli(project, "update", "--lang", "es")
    r = run_cli(project, "stats", "--lang", "es")
    assert r.code == 0 and "a.po" in r.out and ".pot" not in r.out and "template" not in r.out
    assert ".pot" in run_cli(project, "stats").out


def test_counts_in_the_right_number_and_next_steps(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    r = run_cli(project, "segment")
    assert "1 entry (1 sentence, 2 words)" in r.out and "next: translate update --lang es" in r.out
    r = run_cli(project, "update", "--lang", "es")
    assert "next: translate mt --lang es" in r.out
    r = run_cli(project, "mt", "--lang", "es", "--engine", "apertium")
    assert r.code == 0, r.err
    assert "1 sentence machine-translated into 1 entry" in r.out and "1 engine batch)" in r.out
    assert "next: translate check --lang es" in r.out


def test_plural_helper():
    from translate.text import plural

    assert [plural(n, "entry", "entries") for n in (0, 1, 2, 1000)] == ["0 entries", "1 entry", "2 entries", "1,000 entries"]
    assert plural(1, "batch", "batches") == "1 batch" and plural(3, "word") == "3 words"


# -- refusing badly made projects in one line -------------------------------------------------


def test_locales_being_a_file_is_one_line(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    (project / "locales").write_text("not a folder", encoding="utf-8")
    _assert_bad(run_cli(project, "segment"), "locales", "a file where a folder is needed")
    assert (project / "locales").read_text(encoding="utf-8") == "not a folder"


def test_source_file_name_with_a_newline_is_refused(project, run_cli):
    (project / "source" / "a\nb.txt").write_text("Hello there.\n", encoding="utf-8")
    _assert_bad(run_cli(project, "segment"), "control character")
    assert not (project / "locales").exists()


def test_a_link_in_source_to_a_file_outside_the_project_is_not_read(project, run_cli, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("Private text.\n", encoding="utf-8")
    (project / "source" / "a.txt").symlink_to(outside)
    _assert_bad(run_cli(project, "segment"), "source/a.txt", "outside the project")
    assert not (project / "locales").exists()


def test_glossary_cell_over_the_csv_limit_is_one_line(project, run_cli):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    run_cli(project, "segment")
    run_cli(project, "update", "--lang", "es")
    before = snapshot(project)
    (project / "locales" / "glossary.csv").write_text("source,es\nhello," + "x" * 200_000 + "\n", encoding="utf-8")
    before = snapshot(project)
    _assert_bad(run_cli(project, "mt", "--lang", "es", "--engine", "apertium"), "locales/glossary.csv:2")
    assert snapshot(project) == before


def test_check_no_write_writes_nothing_beside_the_file(tmp_path, run_cli):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Hello"\nmsgstr "Hola"\n', encoding="utf-8"
    )
    before = snapshot(tmp_path)
    r = run_cli(tmp_path, "check", str(po), "--no-write", "--engine", "none")
    assert r.code == 0, r.err
    assert snapshot(tmp_path) == before


def test_check_of_a_malformed_po_is_one_line_and_exit_2(tmp_path, run_cli):
    po = tmp_path / "bad.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Hello"\nmsgstr "Hola mundo\n', encoding="utf-8")
    before = snapshot(tmp_path)
    _assert_bad(run_cli(tmp_path, "check", str(po), "--engine", "none"), "bad.po:6")
    assert snapshot(tmp_path) == before
