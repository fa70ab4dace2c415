"""The verdict cache of `translate check`: hits skip the engine, any change of the entry, the
engine or the check invalidates, a corrupt cache is rebuilt, and the output is the same bytes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from translate.check import cache as CC
from translate.check.roundtrip import catalogue_round_trip
from translate.check.runner import BackTranslator, load_back_translator
from translate.check.stage import check_catalogue_file
from translate.po.pofile import read_po, write_po

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. a note for the translator
#, c-format
msgid "Cannot open the file %s for reading."
msgstr "No se puede abrir el archivo %s para leer."

msgid "The printer is out of paper and ink."
msgstr "La impresora se ha quedado sin papel ni tinta."

msgid "Save the document before closing the window."
msgstr "Guarde el documento antes de cerrar la ventana."

msgid "One file was deleted from the folder."
msgid_plural "%d files were deleted from the folder."
msgstr[0] "Se borró un archivo de la carpeta."
msgstr[1] "Se borraron %d archivos de la carpeta."

msgid "Open the settings"
msgstr "Open the settings"
"""


class Counting:
    """An engine that counts its calls and the texts it was given (everything else delegated)."""

    def __init__(self, engine, version: str | None = None):
        self._engine = engine
        self.version = version or engine.version
        self.calls = 0
        self.texts: list[str] = []

    def __getattr__(self, name):
        attr = getattr(self._engine, name)
        if not name.startswith("translate_batch"):
            return attr

        def counted(texts, *a, **k):
            self.calls += 1
            self.texts += list(texts)
            return attr(texts, *a, **k)

        return counted


@pytest.fixture(scope="module")
def apertium() -> BackTranslator:
    back = load_back_translator("apertium")
    assert back.engine is not None, back.note
    return back


def counting(back: BackTranslator, version: str | None = None) -> BackTranslator:
    return BackTranslator(Counting(back.engine, version), back.note, Counting(back.forward, version))


def calls(back: BackTranslator) -> int:
    return back.engine.calls + back.forward.calls


def run(path: Path, back: BackTranslator, cache: CC.VerdictCache | None, *, write: bool = True):
    rep = check_catalogue_file(path, back=back, cache=cache, write=write)
    if cache is not None:
        cache.flush()
    return rep


def as_json(rep) -> list[dict]:
    return [r.to_dict() for r in rep.results]


@pytest.fixture
def po_file(tmp_path) -> Path:
    p = tmp_path / "x.po"
    p.write_text(PO, encoding="utf-8")
    return p


def test_a_hit_skips_the_engine_and_gives_the_same_results(tmp_path, po_file, apertium):
    store = tmp_path / "cache.sqlite3"
    cold = counting(apertium)
    first = run(po_file, cold, CC.VerdictCache(store), write=False)
    assert calls(cold) == 2  # one back, one forward batch
    warm = counting(apertium)
    cache = CC.VerdictCache(store)
    second = run(po_file, warm, cache, write=False)
    assert calls(warm) == 0
    assert (cache.hits, cache.misses) == (5, 0)
    assert as_json(second) == as_json(first)
    assert any(r.back_translation for r in second.results)
    assert {r.verdict for r in second.results} >= {"pass", "fail"}  # the untranslated entry fails


def test_changing_one_msgstr_rechecks_that_entry_only(tmp_path, po_file, apertium):
    store = tmp_path / "cache.sqlite3"
    run(po_file, apertium, CC.VerdictCache(store))
    po = read_po(po_file)
    changed = next(e for e in po if e.msgid.startswith("The printer"))
    changed.msgstr = "La impresora no tiene papel ni tinta."
    write_po(po_file, po)
    again = counting(apertium)
    cache = CC.VerdictCache(store)
    rep = run(po_file, again, cache)
    assert (cache.hits, cache.misses) == (4, 1)
    assert again.engine.texts == ["La impresora no tiene papel ni tinta."]
    assert again.forward.texts == ["The printer is out of paper and ink."]
    fresh = next(r for r in rep.results if r.msgid.startswith("The printer"))
    assert fresh.msgstr == "La impresora no tiene papel ni tinta." and "paper" in fresh.back_translation


def test_flags_and_comments_are_part_of_the_key_but_our_own_lines_are_not(tmp_path, po_file, apertium):
    store = tmp_path / "cache.sqlite3"
    run(po_file, apertium, CC.VerdictCache(store))  # writes the check: lines back
    assert "#. check:" in po_file.read_text(encoding="utf-8")
    cache = CC.VerdictCache(store)
    run(po_file, apertium, cache)
    assert cache.misses == 0  # our own lines written back do not change the key
    po = read_po(po_file)
    e = next(e for e in po if e.msgid.startswith("Cannot open"))
    e.flags.remove("c-format")
    write_po(po_file, po)
    cache = CC.VerdictCache(store)
    run(po_file, apertium, cache)
    assert (cache.hits, cache.misses) == (4, 1)


def test_another_engine_version_or_check_version_rechecks_everything(tmp_path, po_file, apertium):
    store = tmp_path / "cache.sqlite3"
    run(po_file, apertium, CC.VerdictCache(store), write=False)
    newer = counting(apertium, version="apertium 9.9 / apertium-eng-spa 9.9")
    cache = CC.VerdictCache(store)
    run(po_file, newer, cache, write=False)
    assert cache.misses == 5 and calls(newer) == 2
    cache = CC.VerdictCache(store)
    cache.version = "a check edited since"
    run(po_file, apertium, cache, write=False)
    assert cache.hits == 0 and cache.misses == 5
    # rows of other check versions are dropped when a run stores its results
    with sqlite3.connect(store) as db:
        assert {v for (v,) in db.execute("SELECT DISTINCT version FROM verdicts")} == {"a check edited since"}


def test_the_check_version_follows_the_package_files(tmp_path):
    package = Path(CC.__file__).resolve().parent.parent
    copy = tmp_path / "translate"
    shutil.copytree(package / "check", copy / "check", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "mt").mkdir()
    shutil.copy(package / "mt" / "protect.py", copy / "mt" / "protect.py")
    v0 = CC.package_version(copy / "check")
    assert v0 == CC.package_version(copy / "check")
    assert v0 == CC.check_version()  # the same files give the same version
    (copy / "check" / "score.py").write_text("WEIGHTS = (1.0, 2.0)\n")  # a new module
    v1 = CC.package_version(copy / "check")
    (copy / "check" / "score.py").write_text("WEIGHTS = (1.0, 2.5)\n")  # a refitted model
    v2 = CC.package_version(copy / "check")
    (copy / "mt" / "protect.py").write_text((package / "mt" / "protect.py").read_text() + "\n# edited\n")
    v3 = CC.package_version(copy / "check")
    assert len({v0, v1, v2, v3}) == 4


@pytest.mark.parametrize("garbage", [b"not a database at all\n" * 50, b"SQLite format 3\0" + b"\xff" * 3000, b""])
def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path, po_file, apertium, garbage):
    store = tmp_path / "cache.sqlite3"
    reference = run(po_file, apertium, None, write=False)
    store.write_bytes(garbage)
    cache = CC.VerdictCache(store)
    rep = run(po_file, apertium, cache, write=False)
    assert as_json(rep) == as_json(reference) and cache.misses == 5
    cache = CC.VerdictCache(store)
    assert as_json(run(po_file, apertium, cache, write=False)) == as_json(reference)
    assert cache.hits == 5  # rebuilt, and used


def test_the_catalogue_round_trip_is_cached_by_the_file_bytes(tmp_path, po_file, monkeypatch):
    compiled = []

    def counted(path, po):
        compiled.append(path)
        return catalogue_round_trip(path, po)

    monkeypatch.setattr(CC, "catalogue_round_trip", counted)
    store, none = tmp_path / "cache.sqlite3", load_back_translator("none")
    first = run(po_file, none, CC.VerdictCache(store), write=False).round_trips
    second = run(po_file, none, CC.VerdictCache(store), write=False).round_trips
    assert len(compiled) == 1 and second == first and {rt.check for rt in first} >= {"msgfmt", "gettext-mo"}
    po_file.write_text(PO.replace("Guarde el documento", "Guarde el fichero"), encoding="utf-8")
    run(po_file, none, CC.VerdictCache(store), write=False)
    assert len(compiled) == 2


def test_a_busy_cache_is_left_alone(tmp_path, po_file, apertium):
    store = tmp_path / "cache.sqlite3"
    run(po_file, apertium, CC.VerdictCache(store), write=False)
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another run is writing
    try:
        cache = CC.VerdictCache(store)
        cache.timeout = 0.1
        rep = run(po_file, apertium, cache, write=False)  # waits, gives up, checks without it
        assert cache.misses == 5 and len(rep.results) == 5
    finally:
        other.execute("ROLLBACK")
        other.close()
    cache = CC.VerdictCache(store)
    run(po_file, apertium, cache, write=False)
    assert cache.hits == 5  # not deleted


def test_the_oldest_rows_go_beyond_the_limit(tmp_path, po_file, apertium, monkeypatch):
    store = tmp_path / "cache.sqlite3"
    monkeypatch.setattr(CC, "MAX_ROWS", 3)
    run(po_file, apertium, CC.VerdictCache(store), write=False)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone() == (3,)
    cache = CC.VerdictCache(store)
    run(po_file, apertium, cache, write=False)
    assert cache.hits == 2  # the catalogue round trip and two entries are left of six rows


def test_a_bad_po_writes_no_cache(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello there"\nmsgstr "Hola\n', encoding="utf-8")
    r = run_cli(tmp_path, "check", str(bad), "--engine", "none")
    assert r.code == 2 and "bad.po:5" in r.err
    assert not CC.user_cache_path().exists()


def _project_check(project: Path, run_cli, *extra: str) -> tuple[bytes, dict]:
    r = run_cli(project, "check", "--lang", "es", "--engine", "apertium", "--json", str(project / "r.json"), *extra)
    assert r.code in (0, 1), r.err
    report = json.loads((project / "r.json").read_text(encoding="utf-8"))
    report["summary"].pop("seconds")
    return (project / "locales" / "es" / "LC_MESSAGES" / "doc.po").read_bytes(), report


def test_output_bytes_are_the_same_with_and_without_the_cache(tmp_path, project, run_cli):
    (project / "source" / "doc.txt").write_text(
        "The printer is out of paper. Save the document before closing the window.\n\n"
        "Open the settings and choose a new folder for the files.\n",
        encoding="utf-8",
    )
    for step in (["segment"], ["update", "--lang", "es"], ["mt", "--lang", "es", "--engine", "apertium"]):
        assert run_cli(project, *step).code == 0
    other = tmp_path / "other"
    shutil.copytree(project, other)
    without = _project_check(other, run_cli, "--no-cache")
    assert not (other / "locales" / ".cache").exists()
    _project_check(project, run_cli, "--no-write")
    assert not (project / "locales" / ".cache").exists()  # --no-write: the project's cache is only read
    cold = _project_check(project, run_cli)
    assert (project / "locales" / ".cache" / "check.sqlite3").is_file()
    warm = _project_check(project, run_cli)
    assert cold == without and warm == without
    assert b"#. check:" in warm[0] and len(warm[1]["entries"]) == 3


# -- the language identifier is loaded only when an entry needs it ---------------------------------

LOADED = """
import sys
from pathlib import Path
from translate.check.cache import VerdictCache
from translate.check.runner import load_back_translator
from translate.check.stage import check_catalogue_file
cache = VerdictCache(Path(sys.argv[2])) if len(sys.argv) > 2 else None
rep = check_catalogue_file(Path(sys.argv[1]), back=load_back_translator("none"), cache=cache, write=False)
if cache is not None:
    cache.flush()
from translate.check import langid
print(len(rep.results), langid.model.cache_info().currsize > 0)
"""

NO_LANGUAGE_NEEDED = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Save"
msgstr "Guardar"

msgid "Mozilla Firefox"
msgstr "Mozilla Firefox"

#, c-format
msgid "%s: %d"
msgstr "%s: %d"

msgid "Keep the original file in the folder."
msgstr "Conserva o ficheiro orixinal no cartafol, não."
"""


def _loaded(tmp_path: Path, text: str, *cache: Path) -> tuple[int, bool]:
    import subprocess
    import sys

    po = tmp_path / "lid.po"
    po.write_text(text, encoding="utf-8")
    p = subprocess.run([sys.executable, "-c", LOADED, str(po), *map(str, cache)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    n, loaded = p.stdout.split()
    return int(n), loaded == "True"


def test_the_language_identifier_is_not_loaded_when_no_entry_needs_it(tmp_path):
    # short strings, names, placeholders, and a msgstr whose letters (ã) already decide
    assert _loaded(tmp_path, NO_LANGUAGE_NEEDED) == (4, False)
    text = NO_LANGUAGE_NEEDED + '\nmsgid "Keep a copy of the file."\nmsgstr "Conserve una copia del archivo."\n'
    assert _loaded(tmp_path, text) == (5, True)  # a Spanish sentence needs it
    store = tmp_path / "c.sqlite3"
    assert _loaded(tmp_path, text, store) == (5, True)
    assert _loaded(tmp_path, text, store) == (5, False)  # every verdict cached: not loaded
