"""Machine translation above the engines: never overwrite human work, resume, batch, record.

A fake engine (upper-cases the text) stands in for the engines here; the engines themselves
are tested for real in test_engines_*.py and in the end-to-end tests below.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule


from translate.mt import stage as mt_stage
from translate.po import stage as po_stage
from translate.po import state
from translate.segment import stage as segment_stage
from translate.config import Config
from translate.errors import EngineError, PartialError
from translate.po.pofile import read_po

from .conftest import ROOT, msgfmt_check

TODAY = dt.date(2026, 11, 28)


class FakeEngine:
    name = "fake"
    version = "fake 1.0"
    source_lang = "en"
    target_lang = "es"

    def __init__(self, fail_after: int | None = None, drop_placeholders: bool = False):
        self.calls: list[list[str]] = []
        self.fail_after = fail_after
        self.drop = drop_placeholders

    def translate_batch(self, texts):
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise EngineError("fake engine crashed")
        self.calls.append(list(texts))
        out = []
        for t in texts:
            s = "ES " + t.upper().replace("ZXQ", "ZXQ")
            if self.drop:
                import re

                s = re.sub(r"ZXQ\d+", "", s)
            out.append(s)
        return out


def make_project(tmp_path: Path, text: str, name: str = "doc.txt") -> Config:
    (tmp_path / "source").mkdir(exist_ok=True)
    (tmp_path / "source" / name).write_text(text, encoding="utf-8")
    cfg = Config(project=tmp_path, quiet=True)
    segment_stage.segment(cfg)
    po_stage.update(cfg, "es")
    return cfg


def po_of(cfg: Config, domain: str = "doc") -> polib.POFile:
    return read_po(cfg.po_path("es", domain))


def save(cfg: Config, po: polib.POFile, domain: str = "doc") -> None:
    from translate.po.pofile import write_po

    write_po(cfg.po_path("es", domain), po)


TEXT = "The cat sleeps. The dog barks.\n\nSee https://example.org/a?b=1 or mail info@example.org today.\n"


def test_fills_untranslated_entries_as_fuzzy_with_provenance(tmp_path):
    cfg = make_project(tmp_path, TEXT)
    eng = FakeEngine()
    r = mt_stage.machine_translate(cfg, "es", engine=eng, today=TODAY)
    assert r.translated == 3 and len(eng.calls) == 1  # one batch, not one call per msgid
    po = po_of(cfg)
    for e in po:
        assert e.msgstr.startswith("ES ")
        assert "fuzzy" in e.flags
        assert f"mt: fake (fake 1.0), {TODAY.isoformat()} sha256:{state.checksum(e.msgstr)}" in e.tcomment  # where msgmerge keeps it
        assert state.is_machine(e)
    # protected tokens went to the engine as placeholders and came back exactly
    e = po.find("See https://example.org/a?b=1 or mail info@example.org today.")
    assert "https://example.org/a?b=1" in e.msgstr and "info@example.org" in e.msgstr
    assert not any("example.org" in t for t in eng.calls[0])
    assert msgfmt_check(cfg.po_path("es", "doc")).returncode == 0


def test_second_run_on_unchanged_sources_makes_no_engine_call(tmp_path):
    cfg = make_project(tmp_path, TEXT)
    mt_stage.machine_translate(cfg, "es", engine=FakeEngine(), today=TODAY)
    before = cfg.po_path("es", "doc").read_bytes()
    eng = FakeEngine()
    r = mt_stage.machine_translate(cfg, "es", engine=eng, today=TODAY)
    assert eng.calls == [] and r.translated == 0
    assert cfg.po_path("es", "doc").read_bytes() == before


def test_human_translations_are_never_overwritten_even_with_retranslate(tmp_path):
    cfg = make_project(tmp_path, TEXT)
    mt_stage.machine_translate(cfg, "es", engine=FakeEngine(), today=TODAY)
    po = po_of(cfg)
    approved = po.find("The cat sleeps.")
    approved.msgstr = "El gato duerme."
    approved.flags.remove("fuzzy")  # a reviewer approved it
    edited = po.find("The dog barks.")
    edited.msgstr = "El perro ladra."  # edited in an editor, fuzzy left on
    save(cfg, po)
    eng = FakeEngine()
    mt_stage.machine_translate(cfg, "es", engine=eng, retranslate="machine", today=TODAY)
    po = po_of(cfg)
    assert po.find("The cat sleeps.").msgstr == "El gato duerme."
    assert po.find("The dog barks.").msgstr == "El perro ladra."
    # only the machine-made, unreviewed entry was redone
    assert [len(c) for c in eng.calls] == [1]


def test_an_approved_machine_text_whose_english_changed_is_not_redone(tmp_path):
    """Approve a machine text, change its English, update: the approval is kept, fuzzy, untouched by mt."""
    cfg = make_project(tmp_path, "The cat sleeps.\n\nThe dog barks loudly at night.\n")
    mt_stage.machine_translate(cfg, "es", engine=FakeEngine(), today=TODAY)
    po = po_of(cfg)
    e = po.find("The dog barks loudly at night.")
    approved = e.msgstr
    state.mark_reviewed(e, "Rita", TODAY)
    save(cfg, po)
    (tmp_path / "source" / "doc.txt").write_text("The cat sleeps.\n\nThe dog barks loudly at midnight.\n", encoding="utf-8")
    segment_stage.segment(cfg)
    po_stage.update(cfg, "es")

    class Other(FakeEngine):
        name, version = "other", "other 2.0"

    eng = Other()
    mt_stage.machine_translate(cfg, "es", engine=eng, retranslate="machine", today=TODAY)
    assert eng.calls == [["The cat sleeps."]]  # only the unreviewed machine entry
    e = po_of(cfg).find("The dog barks loudly at midnight.")
    assert e.msgstr == approved and "fuzzy" in e.flags and e.previous_msgid == "The dog barks loudly at night."
    assert state.is_approved(e) and not state.is_machine(e) and "mt: other" not in e.tcomment
    # nor is it reused by the memory: its English changed
    assert "The dog barks loudly at midnight." not in mt_stage.mt.translation_memory([("doc", po_of(cfg))])
    assert msgfmt_check(cfg.po_path("es", "doc")).returncode == 0


def test_retranslate_machine_redoes_machine_entries(tmp_path):
    cfg = make_project(tmp_path, TEXT)
    mt_stage.machine_translate(cfg, "es", engine=FakeEngine(), today=TODAY)

    class Other(FakeEngine):
        name, version = "other", "other 2.0"

    mt_stage.machine_translate(cfg, "es", engine=Other(), retranslate="machine", today=TODAY)
    for e in po_of(cfg):
        assert "mt: other (other 2.0)" in e.tcomment
        assert e.tcomment.count("mt: other") == 1 and "mt: fake" not in e.tcomment + e.comment


def test_translation_memory_reuses_reviewed_translations_from_any_catalogue(tmp_path):
    cfg = make_project(tmp_path, "The cat sleeps.\n", name="a.txt")
    po = po_of(cfg, "a")
    po.find("The cat sleeps.").msgstr = "El gato duerme."
    save(cfg, po, "a")
    (tmp_path / "source" / "b.txt").write_text("The cat sleeps. New words here.\n", encoding="utf-8")
    segment_stage.segment(cfg)
    po_stage.update(cfg, "es")
    eng = FakeEngine()
    r = mt_stage.machine_translate(cfg, "es", engine=eng, today=TODAY)
    assert r.from_memory == 1
    assert eng.calls == [["New words here."]]
    b = po_of(cfg, "b").find("The cat sleeps.")
    assert b.msgstr == "El gato duerme." and "tm: reused the reviewed translation in locales/es/LC_MESSAGES/a.po" in b.tcomment
    assert "fuzzy" in b.flags  # a reviewer confirms it in its new context


def test_glossary_terms_are_used_and_recorded(tmp_path):
    cfg = make_project(tmp_path, "The IOM and the ILO met in Mexico City.\n")
    (tmp_path / "locales" / "glossary.csv").write_text(
        "source term,Spanish term,note\nIOM,OIM,\nILO,OIT,\nMexico City,Ciudad de México,\n", encoding="utf-8"
    )
    mt_stage.machine_translate(cfg, "es", engine=FakeEngine(), today=TODAY)
    e = po_of(cfg).find("The IOM and the ILO met in Mexico City.")
    assert "OIM" in e.msgstr and "OIT" in e.msgstr and "Ciudad de México" in e.msgstr
    assert "glossary: IOM → OIM (used); ILO → OIT (used); Mexico City → Ciudad de México (used)" in e.comment


def test_a_dropped_placeholder_is_flagged_not_guessed(tmp_path):
    cfg = make_project(tmp_path, "Run `make test` and read https://example.org/docs now.\n")
    r = mt_stage.machine_translate(cfg, "es", engine=FakeEngine(drop_placeholders=True), today=TODAY)
    e = po_of(cfg).find("Run `make test` and read https://example.org/docs now.")
    assert r.flagged == 1
    assert "mt: problem: inline code '`make test`' was dropped by the engine" in e.comment
    assert "mt: problem: url 'https://example.org/docs' was dropped by the engine" in e.comment
    assert "make test" not in e.msgstr  # not re-inserted at a guessed place


def test_engine_failure_mid_run_keeps_finished_batches(tmp_path):
    text = "\n\n".join(f"Sentence number {i} is here." for i in range(10)) + "\n"
    cfg = make_project(tmp_path, text)
    with pytest.raises(PartialError) as info:
        mt_stage.machine_translate(cfg, "es", engine=FakeEngine(fail_after=2), batch_size=3, today=TODAY)
    assert info.value.exit_code == 1 and "6 of 10" in str(info.value)
    po = po_of(cfg)
    assert sum(1 for e in po if e.msgstr) == 6
    eng = FakeEngine()
    mt_stage.machine_translate(cfg, "es", engine=eng, batch_size=3, today=TODAY)
    assert sum(len(c) for c in eng.calls) == 4  # continues where it stopped
    assert all(e.msgstr for e in po_of(cfg))


def test_engine_failure_before_anything_is_done_is_exit_2(tmp_path):
    cfg = make_project(tmp_path, TEXT)
    before = cfg.po_path("es", "doc").read_bytes()
    with pytest.raises(EngineError) as info:
        mt_stage.machine_translate(cfg, "es", engine=FakeEngine(fail_after=0), today=TODAY)
    assert info.value.exit_code == 2
    assert cfg.po_path("es", "doc").read_bytes() == before


# -- never overwrite: a property test over random sequences of operations ----------------------

SENTENCES = [
    "The cat sleeps.",
    "The dog barks loudly.",
    "Rain falls in spring.",
    "The meeting was held in Mexico City.",
    "Prices rose by 4.5 percent.",
    "See the report for details.",
]


class NeverOverwrite(RuleBasedStateMachine):
    """segment / update / mt / manual edit / approve / source change, in any order."""

    def __init__(self):
        super().__init__()
        import tempfile

        self.dir = Path(tempfile.mkdtemp(prefix="never-overwrite-"))
        (self.dir / "source").mkdir()
        self.cfg = Config(project=self.dir, quiet=True)
        self.sentences = SENTENCES[:3]
        self.human: dict[str, str] = {}  # msgid -> what a person wrote
        self.write_source()
        segment_stage.segment(self.cfg)
        po_stage.update(self.cfg, "es")

    def teardown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write_source(self):
        (self.dir / "source" / "doc.txt").write_text("\n\n".join(self.sentences) + "\n", encoding="utf-8")

    @rule(i=st.integers(0, len(SENTENCES) - 1))
    def change_source(self, i):
        s = SENTENCES[i]
        if s in self.sentences:
            if len(self.sentences) > 1:
                self.sentences.remove(s)
        else:
            self.sentences.append(s)
        self.write_source()

    @rule()
    def segment_and_update(self):
        segment_stage.segment(self.cfg)
        po_stage.update(self.cfg, "es")

    @rule(retranslate=st.sampled_from([None, "machine"]))
    def machine(self, retranslate):
        mt_stage.machine_translate(self.cfg, "es", engine=FakeEngine(), retranslate=retranslate, today=TODAY)

    @rule(i=st.integers(0, 10), approve=st.booleans(), text=st.sampled_from(["Hecho a mano.", "Traducción humana."]))
    def edit(self, i, approve, text):
        path = self.cfg.po_path("es", "doc")
        po = read_po(path)
        live = [e for e in po if not e.obsolete]
        if not live:
            return
        e = live[i % len(live)]
        e.msgstr = text + " " + e.msgid
        if approve and "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        self.human[e.msgid] = e.msgstr
        save(self.cfg, po)

    @invariant()
    def human_work_is_never_changed_or_lost(self):
        po = read_po(self.cfg.po_path("es", "doc"))
        by_id = {}
        for e in po:
            by_id.setdefault(e.msgid, []).append(e)
        for msgid, text in self.human.items():
            # live or obsolete, the translation is still there; a fuzzy match may carry it too
            carriers = [e for e in po if e.msgstr == text]
            assert carriers, f"human translation of {msgid!r} was lost"
            for e in by_id.get(msgid, []):
                assert e.msgstr == text, f"human translation of {msgid!r} was overwritten: {e.msgstr!r}"


TestNeverOverwrite = NeverOverwrite.TestCase
TestNeverOverwrite.settings = settings(
    max_examples=40, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# -- end to end with real Apertium ----------------------------------------------------------------


def test_cli_mt_with_apertium_end_to_end(project, run_cli):
    shutil.copy(ROOT / "source" / "labor-migration-governance.txt", project / "source")
    shutil.copytree(ROOT / "locales", project / "locales", ignore=shutil.ignore_patterns("*.po", "*.pot", ".lock"))
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0
    r = run_cli(project, "mt", "--lang", "es", "--engine", "apertium")
    assert r.code == 0, r.err
    assert "engine: apertium" in r.out
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "labor-migration-governance.po"
    res = msgfmt_check(po_path)
    assert res.returncode == 0 and res.stderr == ""
    po = read_po(po_path)
    assert all(e.msgstr and "fuzzy" in e.flags and "mt: apertium (apertium " in e.tcomment for e in po)
    contact = next(e for e in po if e.msgid.startswith("For more information"))
    assert "+506 2212 5304" in contact.msgstr and "abonnie@iom.int" in contact.msgstr
    hosted = next(e for e in po if e.msgid.startswith("Hosted by"))
    assert "(OIM)" in hosted.msgstr and "(OIT)" in hosted.msgstr
    assert "glossary: " in hosted.comment and "(used)" in hosted.comment
    # unknown-word markers are stripped from the msgstr and kept for the check step
    assert not any("*" in e.msgstr for e in po)
    assert any("mt: unknown words:" in e.comment for e in po)
    # a second run calls no engine
    r = run_cli(project, "mt", "--lang", "es")
    assert r.code == 0 and "nothing to translate" in r.out


def test_cli_mt_without_any_engine_names_the_install_commands(project, tmp_path):
    (project / "source" / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent), ARGOS_PACKAGES_DIR=str(tmp_path / "argos"),
               XDG_DATA_HOME=str(tmp_path / "xdg"), XDG_CONFIG_HOME=str(tmp_path / "xdgc"), XDG_CACHE_HOME=str(tmp_path / "xdgk"))
    base = [sys.executable, "-m", "translate", "--project", str(project)]
    for args in (["segment"], ["update", "--lang", "es"]):
        assert subprocess.run(base + args, env=env, capture_output=True).returncode == 0
    before = (project / "locales" / "es" / "LC_MESSAGES" / "a.po").read_bytes()
    r = subprocess.run(base + ["mt", "--lang", "es"], env=env, capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert "apt-get install -y apertium-eng-spa" in r.stderr and "translate engines install argos en es" in r.stderr
    assert (project / "locales" / "es" / "LC_MESSAGES" / "a.po").read_bytes() == before


def test_interrupted_run_keeps_finished_batches_and_rerun_completes(project):
    words = (ROOT / "tests" / "data" / "real" / "common-licenses-Apache-2.0.txt").read_text(encoding="utf-8").split()
    sentences = [" ".join(words[i : i + 12]).replace(".", "") + f" item {i}." for i in range(0, 12 * 3000, 12)]
    (project / "source" / "big.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    base = [sys.executable, "-m", "translate", "--project", str(project), "-q"]
    assert subprocess.run(base + ["segment"]).returncode == 0
    assert subprocess.run(base + ["update", "--lang", "es"]).returncode == 0
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "big.po"
    start_bytes = po_path.read_bytes()
    proc = subprocess.Popen(base + ["mt", "--lang", "es", "--engine", "apertium", "--batch-size", "200"])
    deadline = time.monotonic() + 300
    while po_path.read_bytes() == start_bytes and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert msgfmt_check(po_path).returncode == 0
    po = read_po(po_path)
    done = {e.msgid: e.msgstr for e in po if e.msgstr}
    total = len([e for e in po if not e.obsolete])
    assert 0 < len(done) < total, (len(done), total)
    r = subprocess.run(base + ["mt", "--lang", "es", "--engine", "apertium", "--batch-size", "1000"])
    assert r.returncode == 0
    po = read_po(po_path)
    assert all(e.msgstr for e in po)
    for msgid, text in done.items():
        assert po.find(msgid).msgstr == text  # finished work was kept, not redone


def test_markdown_reference_links_are_kept_so_links_still_work(tmp_path):
    text = "Read [the install guide] and [INSTALL][] first, or [the docs](https://x.org/d).\n\n[the install guide]: https://x.org/i\n[INSTALL]: INSTALL\n"
    cfg = make_project(tmp_path, text, name="doc.md")
    eng = FakeEngine()
    mt_stage.machine_translate(cfg, "es", engine=eng, today=TODAY)
    e = po_of(cfg).find("Read [the install guide] and [INSTALL][] first, or [the docs](https://x.org/d).")
    assert "[the install guide]" in e.msgstr and "[INSTALL][]" in e.msgstr
    assert "[THE DOCS](https://x.org/d)" in e.msgstr  # inline link text is translated, its target kept
    # in a plain-text document brackets are just text
    (tmp_path / "txt").mkdir()
    cfg2 = make_project(tmp_path / "txt", "See [the note] below.\n")
    mt_stage.machine_translate(cfg2, "es", engine=FakeEngine(), today=TODAY)
    assert po_of(cfg2).find("See [the note] below.").msgstr == "ES SEE [THE NOTE] BELOW."


def test_brackets_inside_inline_code_do_not_unprotect_the_code():
    from translate.mt.protect import shield

    sh = shield("`:semver(16.0.0, :attr(engines, [node]))` returns [the nodes].", markdown=True)
    assert [t.kind for t in sh.tokens] == ["inline code", "reference link"]
    assert sh.text == "ZXQ1 returns ZXQ2."


def test_entries_with_msgctxt_are_translated_like_any_other(tmp_path):
    cfg = make_project(tmp_path, "The cat sleeps.\n")
    po = po_of(cfg)
    e = polib.POEntry(msgctxt="menu", msgid="Open", msgstr="")
    po.append(e)
    save(cfg, po)
    r = mt_stage.machine_translate(cfg, "es", engine=FakeEngine(), today=TODAY)
    assert r.translated == 2
    got = po_of(cfg).find("Open", msgctxt="menu")
    assert got.msgstr == "ES OPEN" and state.is_machine(got)
    assert msgfmt_check(cfg.po_path("es", "doc")).returncode == 0


def test_a_new_machine_translation_drops_the_verdict_of_the_old_text():
    """check:/back-translation: lines judged the text mt replaces: they go, the rest stays, and
    the new notes follow the document's own comment (where `update` keeps them)."""
    from translate.mt import plan

    e = polib.POEntry(msgid="Boats wait.", msgstr="Barcos esperan.", flags=["fuzzy"],
                      comment="paragraph\ncheck: fail: language\ncheck: score: 12/100 (same-engine round trip)\n"
                              "back-translation: Boats wait.",
                      tcomment="check: a person's note stays")
    plan.apply(e, plan.Result(text="Las barcas esperan.", origin="mt: apertium (x), 2026-11-28",
                              notes=("mt: unknown words: Boats",)))
    assert e.comment.split("\n") == ["paragraph", "mt: unknown words: Boats"]
    assert "check: a person's note stays" in e.tcomment and e.msgstr == "Las barcas esperan."
    bare = polib.POEntry(msgid="A.", msgstr="", comment="paragraph\n\ncheck: pass")
    plan.apply(bare, plan.Result(text="Una.", origin="mt: apertium (x), 2026-11-28"))
    assert bare.comment == "paragraph"
