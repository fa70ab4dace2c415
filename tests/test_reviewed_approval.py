"""A reviewer's approval survives: English edits, `update`, `mt --retranslate machine`, and
review saves while a command holds the project lock (issue 13, the data-loss items)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import polib
import pytest

import translate.po.catalogue as po_catalogue
from translate.config import Config
from translate.errors import LockedError
from translate.fsutil import project_lock
from translate.mt import plan
from translate.po import state
from translate.po.pofile import read_po
from translate.review.app import create_app

from .conftest import msgfmt_check

TOKEN = "approval-token"
DAY = dt.date(2026, 11, 28)
APERTIUM = pytest.mark.skipif(not shutil.which("apertium"), reason="needs Apertium (eng-spa)")

DOOR = "Open the red door before you leave the house."
DOORS = "Open the red doors before you leave the house."


def call(app, path: str, body: dict) -> tuple[int, dict]:
    data = json.dumps(body).encode()
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "HTTP_HOST": "127.0.0.1:8765",
        "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json",
        "HTTP_X_REVIEW_TOKEN": TOKEN,
    }
    out: dict = {}
    raw = b"".join(app(env, lambda status, headers: out.setdefault("status", int(status.split()[0]))))
    return out["status"], json.loads(raw)


def approve(app, msgid: str, msgstr: str | None = None) -> tuple[int, dict]:
    cat = app.catalogues[0]
    i = next(k for k, e in enumerate(cat.entries) if e.msgid == msgid)
    body = {"cat": 0, "i": i, "action": "approve", "digest": cat.digest}
    if msgstr is not None:
        body["msgstr"] = msgstr
    return call(app, "/api/entry", body)


def machine_project(project: Path, run_cli) -> Path:
    (project / "source" / "guide.txt").write_text(f"The cat sleeps on the warm chair.\n\n{DOOR}\n", encoding="utf-8")
    for args in (["segment"], ["update", "--lang", "es"], ["mt", "--lang", "es", "--engine", "apertium"]):
        assert run_cli(project, *args).code == 0
    return project / "locales" / "es" / "LC_MESSAGES" / "guide.po"


def entry(po_path: Path, msgid: str) -> polib.POEntry:
    return next(e for e in read_po(po_path) if e.msgid == msgid and not e.obsolete)


# -- the reported bug, end to end ------------------------------------------------------------------


@APERTIUM
@pytest.mark.parametrize("edited", [False, True], ids=["approved-as-is", "approved-after-editing"])
def test_an_approval_survives_an_english_edit_update_and_retranslate(project, run_cli, edited):
    po_path = machine_project(project, run_cli)
    app = create_app([po_path], project=project, token=TOKEN, reviewer="Rita Reviewer", today=lambda: DAY)
    status, resp = approve(app, DOOR, "Abre la puerta roja antes de salir de casa." if edited else None)
    assert status == 200 and resp["saved"]
    approved = entry(po_path, DOOR).msgstr
    assert state.is_reviewed(entry(po_path, DOOR))

    src = project / "source" / "guide.txt"
    src.write_text(src.read_text(encoding="utf-8").replace(DOOR, DOORS), encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0
    e = entry(po_path, DOORS)
    # msgmerge semantics: the approved text stays, fuzzy, with the English it translated
    assert e.msgstr == approved and "fuzzy" in e.flags and e.previous_msgid == DOOR
    # the mark now says which text it approved, and that text is not machine work
    assert state.reviewed_line(e).endswith(f"sha256:{state.checksum(approved)}")
    assert state.is_approved(e) and not state.is_reviewed(e) and not state.is_machine(e)
    assert not plan.wants_translation(e, "machine")

    before = po_path.read_bytes()
    r = run_cli(project, "mt", "--lang", "es", "--engine", "apertium", "--retranslate", "machine")
    assert r.code == 0
    e = entry(po_path, DOORS)
    assert e.msgstr == approved and e.previous_msgid == DOOR and state.is_approved(e)
    # the other (machine, unreviewed) entry may be redone; the approved one is byte-identical
    block = f'msgid "{DOORS}"\nmsgstr "{approved}"'
    assert block in before.decode() and block in po_path.read_text(encoding="utf-8")
    assert msgfmt_check(po_path).returncode == 0


@APERTIUM
def test_an_approval_whose_sentence_left_is_kept_obsolete_and_comes_back(project, run_cli):
    po_path = machine_project(project, run_cli)
    app = create_app([po_path], project=project, token=TOKEN, reviewer="Rita", today=lambda: DAY)
    assert approve(app, DOOR, "Abre la puerta roja.")[0] == 200
    src = project / "source" / "guide.txt"
    src.write_text("The cat sleeps on the warm chair.\n", encoding="utf-8")
    for args in (["segment"], ["update", "--lang", "es"], ["mt", "--lang", "es", "--engine", "apertium", "--retranslate", "machine"]):
        assert run_cli(project, *args).code == 0
    gone = [e for e in read_po(po_path) if e.msgid == DOOR]
    assert len(gone) == 1 and gone[0].obsolete and gone[0].msgstr == "Abre la puerta roja."
    src.write_text(f"The cat sleeps on the warm chair.\n\n{DOOR}\n", encoding="utf-8")
    for args in (["segment"], ["update", "--lang", "es"], ["mt", "--lang", "es", "--engine", "apertium", "--retranslate", "machine"]):
        assert run_cli(project, *args).code == 0
    back = entry(po_path, DOOR)
    assert back.msgstr == "Abre la puerta roja." and state.is_reviewed(back)


# -- the review mark describes the text it approved ---------------------------------------------------


def test_mark_reviewed_records_the_checksum_of_the_approved_text():
    e = polib.POEntry(msgid="Hi.", msgstr="Hola.", flags=["fuzzy"], previous_msgid="Hello.", comment="paragraph")
    state.mark_reviewed(e, "  Rita   Reviewer ", DAY)
    assert e.tcomment.split("\n")[-1] == f"reviewed: Rita Reviewer, 2026-11-28, sha256:{state.checksum('Hola.')}"
    assert "fuzzy" not in e.flags and e.previous_msgid is None
    assert state.is_reviewed(e) and state.is_approved(e)
    e.msgstr = "Hola a todos."  # edited after the approval: the mark is not trusted any more
    assert not state.is_approved(e) and not state.is_reviewed(e)
    assert state.is_human(e)  # still a person's text, never the machine's


def test_old_marks_are_trusted_unless_the_machine_wrote_after_them():
    sha = state.checksum("Abierto la puerta.")
    approved_machine_text = polib.POEntry(
        msgid="Open the door.", msgstr="Abierto la puerta.", flags=["fuzzy"],
        comment=f"paragraph\nmt: apertium (3.8), 2026-11-01 sha256:{sha}\nreviewed: Rita, 2026-11-02",
    )
    assert state.is_approved(approved_machine_text) and not state.is_machine(approved_machine_text)
    # what `mt` used to leave: the mark from an earlier approval above the machine's new line
    stale = polib.POEntry(
        msgid="Open the door.", msgstr="Abierto la puerta.", flags=["fuzzy"],
        comment=f"paragraph\nreviewed: Rita, 2026-11-02\nmt: apertium (3.8), 2026-11-03 sha256:{sha}",
    )
    assert not state.is_approved(stale) and state.is_machine(stale)
    for e in (approved_machine_text, stale):
        assert state.reviewed_line(e) == "reviewed: Rita, 2026-11-02"


def test_update_gives_old_marks_their_checksum_and_drops_stale_ones():
    pot = polib.POFile()
    for msgid in ("Open the door now.", "Close the window now.", "Kept as it was."):
        pot.append(polib.POEntry(msgid=msgid, msgstr="", comment="paragraph"))
    old = polib.POFile()
    sha_a, sha_b = state.checksum("Abre la puerta."), state.checksum("Cierra la ventana.")
    old.append(polib.POEntry(msgid="Open the door.", msgstr="Abre la puerta.",
                             comment=f"paragraph\nmt: x (1), 2026-11-01 sha256:{sha_a}\nreviewed: Rita, 2026-11-02"))
    old.append(polib.POEntry(msgid="Close the window.", msgstr="Cierra la ventana.", flags=["fuzzy"],
                             comment=f"paragraph\nreviewed: Rita, 2026-11-02\nmt: x (1), 2026-11-03 sha256:{sha_b}"))
    old.append(polib.POEntry(msgid="Kept as it was.", msgstr="Igual.", comment="paragraph\nreviewed: Ana, 2026-10-01"))
    new, rep = po_catalogue.merge(pot, old, "es", "doc", dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc))
    door, window, kept = (new.find(m) for m in ("Open the door now.", "Close the window now.", "Kept as it was."))
    assert rep.fuzzy == 2 and rep.kept == 1
    assert door.msgstr == "Abre la puerta." and "fuzzy" in door.flags and door.previous_msgid == "Open the door."
    assert state.reviewed_line(door) == f"reviewed: Rita, 2026-11-02, sha256:{sha_a}"
    assert state.is_approved(door) and not state.is_machine(door)
    assert state.reviewed_line(window) is None and state.is_machine(window)  # the stale mark is gone
    assert state.reviewed_line(kept) == f"reviewed: Ana, 2026-10-01, sha256:{state.checksum('Igual.')}"
    assert state.is_reviewed(kept)
    # a second update changes nothing more
    again, _ = po_catalogue.merge(pot, new, "es", "doc", dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc))
    assert [(e.msgid, e.comment, e.tcomment) for e in again] == [(e.msgid, e.comment, e.tcomment) for e in new]


def test_mt_never_writes_a_machine_text_under_a_review_mark():
    e = polib.POEntry(msgid="Open the door.", msgstr="", comment="paragraph\nreviewed: Rita, 2026-11-02\ncheck: pass")
    plan.apply(e, plan.Result("Abre la puerta.", "mt: x (1), 2026-11-28"))
    assert state.reviewed_line(e) is None
    assert state.is_machine(e) and e.msgstr == "Abre la puerta."


def test_translation_memory_reuses_settled_human_text_only():
    sha = state.checksum("Máquina.")
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Human.", msgstr="Humano."))
    po.append(polib.POEntry(msgid="Approved, English changed.", msgstr="Aprobado.", flags=["fuzzy"],
                            previous_msgid="Approved.", comment=f"reviewed: R, 2026-11-02, sha256:{state.checksum('Aprobado.')}"))
    po.append(polib.POEntry(msgid="Machine.", msgstr="Máquina.", flags=["fuzzy"], comment=f"mt: x (1), 2026-11-01 sha256:{sha}"))
    po.append(polib.POEntry(msgid="Old.", msgstr="Viejo.", obsolete=True))
    tm = plan.translation_memory([("a.po", po)])
    assert tm == {"Human.": ("Humano.", "a.po")}


# -- lock before read ----------------------------------------------------------------------------------------


def _guard_catalogue_reads(monkeypatch, locales: Path, reads: list[str]) -> None:
    """Every read of a .po/.pot under locales/ must happen while the project lock is held."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.suffix in (".po", ".pot") and locales.resolve() in self.resolve().parents:
            try:
                with project_lock(locales):
                    held = False
            except LockedError:
                held = True
            reads.append(f"{self.name}:{'locked' if held else 'UNLOCKED'}")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@APERTIUM
@pytest.mark.parametrize(
    "args",
    [
        ("segment",),
        ("update", "--lang", "es"),
        ("mt", "--lang", "es", "--engine", "apertium", "--retranslate", "machine"),
        ("check", "--lang", "es", "--engine", "none"),
    ],
    ids=lambda a: a[0],
)
def test_every_writing_command_locks_before_it_reads_the_catalogues(project, run_cli, monkeypatch, args):
    machine_project(project, run_cli)
    src = project / "source" / "guide.txt"
    src.write_text(src.read_text(encoding="utf-8").replace(DOOR, DOORS), encoding="utf-8")
    if args[0] != "segment":
        assert run_cli(project, "segment").code == 0
    reads: list[str] = []
    _guard_catalogue_reads(monkeypatch, project / "locales", reads)
    r = run_cli(project, *args)
    assert r.code in (0, 1), r.err
    assert reads and all(x.endswith(":locked") for x in reads), reads


@APERTIUM
def test_a_review_save_while_update_holds_the_lock_is_refused_then_succeeds(project, run_cli, monkeypatch):
    po_path = machine_project(project, run_cli)
    app = create_app([po_path], project=project, token=TOKEN, reviewer="Rita", today=lambda: DAY)
    src = project / "source" / "guide.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\nA new sentence arrives today.\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    during: list[tuple[int, dict, bool]] = []
    real_merge = po_catalogue.merge

    def merge(*a, **k):  # the reviewer clicks "approve" while update is merging
        before = po_path.read_bytes()
        status, resp = approve(app, DOOR, "Abre la puerta roja, por favor.")
        during.append((status, resp, po_path.read_bytes() == before))
        return real_merge(*a, **k)

    monkeypatch.setattr(po_catalogue, "merge", merge)
    assert run_cli(project, "update", "--lang", "es").code == 0
    monkeypatch.setattr(po_catalogue, "merge", real_merge)
    [(status, resp, untouched)] = during
    assert status in (409, 423) and untouched and not resp.get("saved")
    assert "Abre la puerta roja, por favor." not in po_path.read_text(encoding="utf-8")
    assert "locked" in resp["error"] or "reload" in resp["error"]
    # the page says so; the reviewer reloads and approves again
    assert call(app, "/api/reload", {"cat": 0})[0] == 200
    status, resp = approve(app, DOOR, "Abre la puerta roja, por favor.")
    assert status == 200 and resp["saved"]
    e = entry(po_path, DOOR)
    assert e.msgstr == "Abre la puerta roja, por favor." and state.is_reviewed(e)
    assert entry(po_path, "A new sentence arrives today.").msgstr == ""  # update's work is there too
    assert msgfmt_check(po_path).returncode == 0


def test_holding_the_lock_refuses_a_second_writer(tmp_path):
    cfg = Config(project=tmp_path)
    with project_lock(cfg.locales_dir):
        with pytest.raises(LockedError, match="locked by another run"):
            with project_lock(cfg.locales_dir):
                pass
    with project_lock(cfg.locales_dir):  # released: free again
        pass


# -- the state survives the standard tools (GNU msgmerge, msgcat, a polib load/save) -------------------


def test_state_survives_msgmerge_msgcat_and_polib_then_retranslate_redoes_exactly_the_machine_entries(tmp_path, capsys):
    import subprocess

    from translate.mt.stage import machine_translate
    from translate.po.pofile import read_po as strict_read, write_po as strict_write
    from translate.po.stage import update
    from translate.segment.stage import segment

    cfg = Config(project=tmp_path, quiet=True)
    (tmp_path / "source").mkdir()
    sentences = [f"The harbour opens at {h} o'clock on day number {h + 1} of the long summer season." for h in range(1, 9)]
    (tmp_path / "source" / "doc.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    segment(cfg)
    update(cfg, "es")
    machine_translate(cfg, "es", engine="apertium")
    path = cfg.po_path("es", "doc")
    po = strict_read(path)
    entries = [e for e in po if e.msgid]
    state.mark_reviewed(entries[0], "Rita", dt.date(2026, 11, 28))  # approved as the machine wrote it
    entries[1].msgstr = "Traducción de una persona."  # a person's edit, fuzzy left on
    strict_write(path, po)
    machine = {e.msgid for e in strict_read(path) if state.is_machine(e)}
    assert len(machine) == len(entries) - 2

    pot = cfg.template_path("doc")
    subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", str(path), str(path), str(pot)], check=True)
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    wrapped = polib.pofile(str(path), wrapwidth=40)  # a narrow polib save re-wraps the comments
    wrapped.save(str(path))
    raw = path.read_text(encoding="utf-8").splitlines()
    assert any(x.startswith("# ") and "sha256:" in x and "mt:" not in x for x in raw)  # it did re-wrap them

    after = strict_read(path)
    assert {e.msgid for e in after if state.is_machine(e)} == machine
    assert state.is_reviewed(after.find(entries[0].msgid))
    redone = machine_translate(cfg, "es", engine="apertium", retranslate="machine")
    with capsys.disabled():
        print(f"\nafter msgmerge, msgcat and a polib save: {redone.entries} of {len(entries)} entries redone "
              f"({len(machine)} machine, 1 approved, 1 edited by a person)")
    assert redone.entries == len(machine)  # by the engine, or by the memory (near matches of the approved one)
    final = strict_read(path)
    assert final.find(entries[0].msgid).msgstr == entries[0].msgstr
    assert final.find(entries[1].msgid).msgstr == "Traducción de una persona."
