"""An incremental build (only documents whose inputs changed are rebuilt) gives exactly what a
cold build gives, after every kind of change: a translation, a reviewer's approval, a check
verdict, the source, the build options, the toolkit, an edition edited by hand, a corrupt
manifest, a full disk."""

from __future__ import annotations

import datetime as _dt
import errno
import shutil
from pathlib import Path

import pytest

from translate.config import Config
from translate.po.pofile import read_po, write_po
from translate.po.state import mark_reviewed
from translate.publish import manifest as manifest_mod
from translate.publish import stage

from .conftest import snapshot

DOCS = {
    "guide.md": "# Guide\n\nThe cat sleeps. The dog barks.\n\n- Open the *door*.\n- Close it.\n",
    "notes.txt": "Release notes\n\nThe build is faster now. Nothing else changed.\n",
    "faq.md": "# Questions\n\nWhy is the sky blue? Light scatters.\n",
}


@pytest.fixture
def built(project, run_cli, monkeypatch):
    """A project with three translated documents, built cold once; counts document builds."""
    for name, text in DOCS.items():
        (project / "source" / name).write_text(text, encoding="utf-8")
    for args in (("segment",), ("update", "--lang", "es"), ("update", "--lang", "en")):
        assert run_cli(project, *args).code == 0
    for po_path in (project / "locales" / "es" / "LC_MESSAGES").glob("*.po"):
        po = read_po(po_path)
        for e in po:
            e.msgstr = "ES " + e.msgid
            e.flags = ["fuzzy"]
        write_po(po_path, po)
    calls: list[str] = []
    real = stage._build_document

    def counting(config, lang, path, *args):
        calls.append(f"{lang}:{path.name}")
        return real(config, lang, path, *args)

    monkeypatch.setattr(stage, "_build_document", counting)
    config = Config(project)
    for lang in ("en", "es"):
        stage.build(config, lang)
    calls.clear()
    return config, calls


def _build_all(config: Config, **options) -> None:
    for lang in ("en", "es"):
        stage.build(config, lang, **options)


def _assert_same_as_cold(config: Config, **options) -> None:
    """The editions now on disk are what a build from nothing writes."""
    incremental = snapshot(config.editions_dir)
    shutil.rmtree(config.editions_dir)
    shutil.rmtree(config.project / stage.STATE_DIR)
    _build_all(config, **options)
    assert snapshot(config.editions_dir) == incremental


def _edit(po_path: Path, change) -> None:
    po = read_po(po_path)
    for e in po:
        change(e)
    write_po(po_path, po)


def _es(config: Config, domain: str) -> Path:
    return config.po_path("es", domain)


def test_nothing_changed_nothing_rebuilt(built):
    config, calls = built
    before = snapshot(config.editions_dir)
    shutil.rmtree(config.project / stage.STATE_DIR)
    cold = stage.build(config, "es")  # no manifest: every document built
    assert len(calls) == len(DOCS)
    calls.clear()
    results = stage.build(config, "es")
    assert calls == []
    assert snapshot(config.editions_dir) == before
    assert [(r.source, r.output, r.segments, r.counts, r.outputs, r.failing, r.fallback) for r in results] == [
        (r.source, r.output, r.segments, r.counts, r.outputs, r.failing, r.fallback) for r in cold
    ]
    assert all(r.counts["fuzzy"] > 0 and len(r.outputs) == 3 for r in results)


def test_a_changed_translation_rebuilds_only_its_document(built):
    config, calls = built

    def translate(e):
        if e.msgid == "The dog barks.":
            e.msgstr, e.flags = "El perro ladra.", []

    _edit(_es(config, "guide"), translate)
    _build_all(config)
    assert calls == ["es:guide.md"]
    assert "El perro ladra." in (config.editions_dir / "es" / "guide.md").read_text(encoding="utf-8")
    _assert_same_as_cold(config)


def test_an_approval_and_a_check_verdict_change_the_bilingual_edition(built):
    config, calls = built
    bilingual = config.editions_dir / "en-es" / "faq.html"
    before = bilingual.read_bytes()

    def check_fail(e):
        if e.msgid == "Light scatters.":  # as `translate check` writes a verdict
            e.comment = "\n".join(filter(None, [e.comment, "check: fail: meaning changed"]))

    _edit(_es(config, "faq"), check_fail)
    stage.build(config, "en")
    built = stage.build(config, "es")
    assert calls == ["es:faq.md"] and bilingual.read_bytes() != before
    assert [r.failing for r in stage.build(config, "es")] == [r.failing for r in built]  # skipped: as reported
    assert [f[0] for r in built for f in r.failing] == ["Light scatters."]
    failing = bilingual.read_bytes()
    _assert_same_as_cold(config)
    calls.clear()

    def approve(e):
        if e.msgid == "Light scatters.":
            mark_reviewed(e, "Rita", _dt.date(2026, 11, 28))

    _edit(_es(config, "faq"), approve)
    _build_all(config)
    assert calls == ["es:faq.md"] and bilingual.read_bytes() != failing
    _assert_same_as_cold(config)


def test_a_changed_source_rebuilds_its_document_in_both_languages(built, run_cli):
    config, calls = built
    doc = config.source_dir / "notes.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Nothing else changed.", "Nothing else did."), encoding="utf-8")
    for args in (("segment",), ("update", "--lang", "es"), ("update", "--lang", "en")):
        assert run_cli(config.project, *args).code == 0
    _build_all(config)
    assert sorted(calls) == ["en:notes.txt", "es:notes.txt"]
    _assert_same_as_cold(config)


def test_other_options_or_another_toolkit_rebuild_everything(built, monkeypatch):
    config, calls = built
    _build_all(config, fallback="mark")
    assert len(calls) == 2 * len(DOCS)
    _assert_same_as_cold(config, fallback="mark")
    calls.clear()
    _build_all(config, fallback="mark")
    assert calls == []
    monkeypatch.setattr(stage, "toolkit_digest", lambda: "another version")
    _build_all(config, fallback="mark")
    assert len(calls) == 2 * len(DOCS)


def test_an_edition_edited_or_deleted_by_hand_is_rebuilt(built):
    config, calls = built
    (config.editions_dir / "es" / "guide.html").write_text("edited", encoding="utf-8")
    (config.editions_dir / "en-es" / "notes.html").unlink()
    _build_all(config)
    assert sorted(calls) == ["es:guide.md", "es:notes.txt"]
    _assert_same_as_cold(config)


@pytest.mark.parametrize("content", ["{not json", '{"format": 1, "documents": []}', '{"format": 999, "documents": {}}', ""])
def test_a_corrupt_or_foreign_manifest_means_a_full_build(built, content):
    config, calls = built
    (config.project / stage.STATE_DIR / "build-es.json").write_text(content, encoding="utf-8")
    stage.build(config, "es")
    assert len(calls) == len(DOCS)
    _assert_same_as_cold(config)


def test_a_full_disk_during_an_incremental_build_changes_nothing(built, monkeypatch):
    config, calls = built
    manifest = config.project / stage.STATE_DIR / "build-es.json"
    before, recorded = snapshot(config.editions_dir), manifest.read_bytes()

    def translate(e):
        e.msgstr, e.flags = "ES2 " + e.msgid, []

    for domain in ("guide", "notes"):
        _edit(_es(config, domain), translate)
    real_fsync = stage.os.fsync
    writes = []

    def fsync(fd):
        writes.append(fd)
        if len(writes) == 4:  # a file of the second document
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(stage.os, "fsync", fsync)
    with pytest.raises(OSError):
        stage.build(config, "es")
    monkeypatch.setattr(stage.os, "fsync", real_fsync)
    assert snapshot(config.editions_dir) == before  # nothing half-written, no staging left behind
    assert manifest.read_bytes() == recorded
    calls.clear()
    stage.build(config, "es")
    assert sorted(calls) == ["es:guide.md", "es:notes.txt"]
    _assert_same_as_cold(config)


def test_the_toolkit_digest_changes_with_any_template_or_module(tmp_path):
    package = Path(stage.__file__).resolve().parent.parent
    copy = tmp_path / "translate"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    first = manifest_mod.tree_digest(copy)
    assert first == manifest_mod.tree_digest(package)
    page = copy / "publish" / "templates" / "edition.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert manifest_mod.tree_digest(copy) != first
    (copy / "publish" / "templates" / "edition.html").unlink()
    assert manifest_mod.tree_digest(copy) not in (first, manifest_mod.tree_digest(package))
    assert manifest_mod.digest("ab", "c") != manifest_mod.digest("a", "bc")
