"""Whole-corpus measurements on the Spanish catalogues of the Debian programs installed here.

Every ``/usr/share/locale/es/LC_MESSAGES/*.mo`` is decompiled with ``msgunfmt``; the tests
assert 100 %: our writer reproduces ``msgcat``'s output byte for byte, and writing ``check``
verdicts into a file changes nothing but those comment lines (same ``.mo`` before and after).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from translate.check.runner import EntryResult, _checkable, is_check_comment, write_back
from translate.po.pofile import dump_po, patch_comments, read_po

from .conftest import DATA

MO_DIR = Path("/usr/share/locale/es/LC_MESSAGES")


@pytest.fixture(scope="module")
def debian(tmp_path_factory) -> list[tuple[Path, Path]]:
    """(msgunfmt output, msgcat of it) for every installed Spanish catalogue."""
    assert shutil.which("msgunfmt") and shutil.which("msgcat"), "GNU gettext is required"
    mos = sorted(MO_DIR.glob("*.mo"))
    assert mos, f"no Spanish catalogues in {MO_DIR}"
    d = tmp_path_factory.mktemp("debian")
    out = []
    for mo in mos:
        x, y = d / f"{mo.stem}.po", d / f"{mo.stem}.msgcat.po"
        subprocess.run(["msgunfmt", str(mo), "-o", str(x)], check=True, capture_output=True)
        subprocess.run(["msgcat", str(x), "-o", str(y)], check=True, capture_output=True)
        out.append((x, y))
    return out


OURS = (b"#. check:", b"#. back-translation:")


def _only_ours_changed(before: bytes, after: bytes) -> bool:
    """Is ``after`` ``before`` with only check / back-translation comment lines added, removed or replaced?"""
    strip = lambda data: [ln for ln in data.split(b"\n") if not ln.startswith(OURS)]  # noqa: E731
    return strip(before) == strip(after)


def _mo(path: Path, out: Path) -> bytes:
    subprocess.run(["msgfmt", "-o", str(out), str(path)], check=True, capture_output=True)
    return out.read_bytes()


def test_writer_reproduces_msgcat_on_every_debian_catalogue(debian):
    same = [y.name for _x, y in debian if dump_po(read_po(y)) == y.read_bytes()]
    assert len(same) == len(debian), sorted({y.name for _x, y in debian} - set(same))


def test_writer_reproduces_msgcat_on_our_own_catalogues(tmp_path):
    files = sorted(DATA.rglob("*.po"))
    assert files
    for f in files:
        y = tmp_path / f"{len(list(tmp_path.iterdir()))}.po"
        subprocess.run(["msgcat", str(f), "-o", str(y)], check=True, capture_output=True)
        assert dump_po(read_po(y)) == y.read_bytes(), f


def test_verdicts_change_only_their_comment_lines_on_every_debian_catalogue(debian, tmp_path):
    """Every checkable entry gets verdict lines, then different ones: only those lines change."""
    for x, _y in debian:
        p = tmp_path / x.name
        shutil.copy(x, p)
        original = p.read_bytes()
        mo_before = _mo(p, tmp_path / "a.mo")
        for round_, verdict in enumerate(("pass", "fail")):
            before = p.read_bytes()
            po = read_po(p)
            todo = [e for e in po if _checkable(e)]
            changed = [
                e
                for e in todo
                if write_back(e, EntryResult(e.msgid, e.msgstr, verdict=verdict, back_translation=f"bt {round_} \\"))
            ]
            assert patch_comments(p, po, changed, is_check_comment) == bool(changed)
            after = p.read_bytes()
            assert _only_ours_changed(before, after), x.name
            assert _mo(p, tmp_path / "b.mo") == mo_before, x.name
            again = read_po(p)
            assert [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in again] == [
                (e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in po
            ]
            assert sum(1 for e in again if e.comment.endswith("back-translation: bt %d \\x5c" % round_)) == len(todo)
        assert len(p.read_bytes().split(b"\n")) == len(original.split(b"\n")) + 2 * len(todo)


SAMPLE = ("grep", "sed", "diffutils")


def test_check_command_changes_only_its_comment_lines(debian, tmp_path, run_cli):
    """The real ``translate check FILE --engine none`` on a sample (its language checks are slow)."""
    chosen = [x for x, _y in debian if x.stem in SAMPLE] or [x for x, _y in debian][:3]
    for x in chosen:
        p = tmp_path / x.name
        shutil.copy(x, p)
        before = p.read_bytes()
        mo_before = _mo(p, tmp_path / "a.mo")
        r = run_cli(tmp_path, "check", str(p), "--engine", "none")
        assert r.code in (0, 1), (x.name, r.err)
        after = p.read_bytes()
        assert after != before
        assert _only_ours_changed(before, after), x.name
        assert _mo(p, tmp_path / "b.mo") == mo_before
