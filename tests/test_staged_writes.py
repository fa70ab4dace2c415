"""`segment` and `update` make one document's file at a time (memory holds one document) yet leave
nothing half-written: a bad document or a full disk later on changes no file."""

from __future__ import annotations

import errno

from translate.po import staging

from .conftest import snapshot


def _three_documents(project, run_cli):
    for name in ("a", "b", "c"):
        (project / "source" / f"{name}.txt").write_text(f"Document {name} says hello. It ends here.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0


def _no_temporary_files(folder) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".build-")]


def test_a_bad_last_document_leaves_every_template_as_it_was(project, run_cli):
    _three_documents(project, run_cli)
    before = snapshot(project / "locales")
    (project / "source" / "a.txt").write_text("Document a changed. It has a new sentence.\n", encoding="utf-8")
    (project / "source" / "c.txt").write_bytes(b"Bad \xff byte.\n")
    r = run_cli(project, "segment")
    assert r.code == 2 and r.err.count("\n") == 1 and "c.txt" in r.err, r.err
    assert snapshot(project / "locales") == before and _no_temporary_files(project)
    (project / "source" / "c.txt").write_text("Document c says hello. It ends here.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    assert "Document a changed." in (project / "locales" / "a.pot").read_text(encoding="utf-8")


def test_a_malformed_last_template_leaves_every_catalogue_as_it_was(project, run_cli):
    _three_documents(project, run_cli)
    before = snapshot(project / "locales")
    (project / "source" / "a.txt").write_text("Document a changed. It has a new sentence.\n", encoding="utf-8")
    assert run_cli(project, "segment", str(project / "source" / "a.txt")).code == 0
    (project / "locales" / "c.pot").write_text('msgid "unterminated\n', encoding="utf-8")
    templates = snapshot(project / "locales")
    r = run_cli(project, "update", "--lang", "es")
    assert r.code == 2 and "c.pot" in r.err, r.err
    assert snapshot(project / "locales") == templates and _no_temporary_files(project)
    assert {k: v for k, v in before.items() if k.startswith("es/")} == {k: v for k, v in templates.items() if k.startswith("es/")}


def test_a_full_disk_during_update_changes_no_catalogue(project, run_cli, monkeypatch):
    _three_documents(project, run_cli)
    for name in ("a", "b", "c"):
        (project / "source" / f"{name}.txt").write_text(f"Document {name} changed. It ends here.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    before = snapshot(project / "locales")
    real = staging.os.fsync
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(staging.os, "fsync", fsync)
    r = run_cli(project, "update", "--lang", "es")
    assert r.code == 2 and "No space left on device" in r.err, r.err
    assert snapshot(project / "locales") == before and _no_temporary_files(project)
    monkeypatch.setattr(staging.os, "fsync", real)
    assert run_cli(project, "update", "--lang", "es").code == 0
    assert all("changed" in (project / "locales" / "es" / "LC_MESSAGES" / f"{n}.po").read_text(encoding="utf-8") for n in "abc")
