"""The defects of issue 9, end to end with real Apertium, and msgfmt on what `mt` writes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from translate.config import Config
from translate.mt import plan as mt
from translate.mt import stage as mt_stage
from translate.mt.engines.apertium import ApertiumEngine
from translate.mt.engines.select import translate_with_markers
from translate.mt.glossary import load_glossary, with_genders
from translate.mt.postedit import postedit
from translate.mt.protect import GlossaryTerm
from translate.tm.memory import Memory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def engine():
    return ApertiumEngine.load("en", "es")


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    """The press release's glossary, as `translate mt` loads it (genders from Apertium's analyser)."""
    proj = tmp_path_factory.mktemp("g")
    (proj / "locales").mkdir()
    shutil.copy(ROOT / "locales" / "glossary.csv", proj / "locales" / "glossary.csv")
    return load_glossary(Config(proj, quiet=True))


def translate(engine, text: str, glossary=(), quotes: str = "keep") -> str:
    plan = mt.make_plan([text], Memory(), glossary, quotes=quotes)
    outs, unknown = translate_with_markers(engine, mt.engine_texts(plan.jobs))
    outs, unknown = mt.regroup(plan.jobs, outs, unknown)
    return mt.finish(plan.jobs[0], outs[0], "", unknown[0]).text


def raw(engine, text: str) -> str:
    return engine.translate_batch([text], mark_unknown=False)[0]


# -- 1. glossary terms that agree ------------------------------------------------------------


def test_genders_come_from_apertiums_analyser_without_a_column():
    terms = with_genders([GlossaryTerm("ILO", "Organización Internacional del Trabajo"), GlossaryTerm("GP", "Principios generales")])
    assert [(t.gender, t.number) for t in terms] == [("f", "sg"), ("m", "pl")]
    acronym = with_genders([GlossaryTerm("ILO (x)", "Organización Internacional del Trabajo (OIT)"), GlossaryTerm("ILO", "OIT")])
    assert (acronym[1].gender, acronym[1].number) == ("f", "sg")


@pytest.mark.parametrize(
    "english, right, wrong",
    [
        ("The meeting was supported by the International Labour Organization (ILO).", "la Organización Internacional", "el Organización"),
        ("Member countries of the Regional Conference on Migration (RCM) discussed the challenges.", "de la Conferencia Regional", "del Conferencia"),
        ("He is the Director General at the Ministry of Foreign Affairs of Mexico.", "la Secretaría", "el Secretaría"),
        ("Other instruments exist, such as the General Principles for Fair Recruitment.", "los Principios generales", "el Principios"),
    ],
)
def test_articles_agree_with_glossary_terms(engine, glossary, english, right, wrong):
    out = translate(engine, english, glossary)
    assert right in out and wrong not in out, out


def test_a_term_inside_a_longer_noun_phrase_keeps_the_engines_article(engine, glossary):
    text = "Francesco Carella, the ILO Labour Migration Specialist, spoke."
    genderless = [GlossaryTerm(t.source, t.target, t.note) for t in glossary]
    assert translate(engine, text, glossary) == translate(engine, text, genderless)


# -- 2. typography post-edit --------------------------------------------------------------------


def test_no_double_space_where_apertium_drops_a_pronoun(engine):
    text = "Mexico recognizes the vital importance of migrants and what they represent for the economy."
    assert "  " in raw(engine, text)  # the defect is Apertium's
    assert "  " not in translate(engine, text)


def test_question_opens_with_inverted_mark(engine):
    assert not raw(engine, "What do they represent?").startswith("¿")
    assert translate(engine, "What do they represent?") == "¿Qué representan?"


def test_no_capital_invented_after_a_leading_placeholder(engine):
    for text in ("`%s' is not a directory", "%s cannot be applied to a function"):
        out = translate(engine, text)
        assert re.search(r"[%']\S* [a-záéíóú]", out), out


def test_capital_after_opening_quote_kept_as_in_the_source(engine):
    text = "Francesco Carella said, “International conventions on migrant workers help states govern labour migration.”"
    out = translate(engine, text)
    assert re.search(r"“[A-ZÁÉÍÓÚ]", out), out


def test_house_style_of_quotation_marks(engine):
    text = "“The involvement of all countries in the planning of policies is key,” said Pisani."
    out = translate(engine, text, quotes="angle")
    assert "«" in out and "»" in out and "“" not in out
    assert postedit("“a b c d.”", "“a b c d.”", "curly") == "“a b c d.”"


# -- 3. quotations apart from their attribution -----------------------------------------------


def test_the_name_stays_outside_the_quotation(engine, glossary):
    text = (
        "“The involvement of all RCM countries in the planning of labour migration policies is key,” "
        "said Marcelo Pisani, IOM Regional Director for Central America."
    )
    out = translate(engine, text, glossary)
    quote_end = out.index("”")
    assert out.index("Marcelo Pisani") > quote_end, out
    assert "dijo Marcelo Pisani" in out and " ," not in out


# -- 4. protection -------------------------------------------------------------------------------


def test_word_placeholders_are_translated_and_html_is_kept(engine):
    assert "<orden>" in translate(engine, "Specify the <command> to run")
    out = translate(engine, "This is <b>important</b> news.")
    assert re.search(r"<b>\w+</b>", out) and "<b>important</b>" not in out


def test_words_between_gnu_quotes_are_translated(engine):
    out = translate(engine, "Use `foo' and then `bar' to continue.")
    assert "`foo'" in out and "`bar'" in out and "and then" not in out, out  # one quoted word is kept
    assert "show all" not in translate(engine, "Use `show all' to see them.")  # several are translated


def test_tokens_never_glue_to_the_next_word(engine):
    out = translate(engine, "<b>Status</b> is fine")
    assert "ZXQ" not in out and "Status" not in out and re.search(r"<b>\w+</b>", out), out


@pytest.mark.parametrize("mark", ["#", "*", "@"])
def test_literal_mark_before_a_placeholder_survives(engine, mark):
    assert f"{mark}%d" in translate(engine, f"argument {mark}%d is invalid")


@pytest.mark.parametrize("msgid", ["Hello world\n", "  -a, --all     show all entries\n", "\nThe end.", "  indented line"])
def test_outer_whitespace_of_the_msgid_is_kept(engine, msgid):
    out = translate(engine, msgid)
    lead, trail = msgid[: len(msgid) - len(msgid.lstrip())], msgid[len(msgid.rstrip()) :]
    assert out.startswith(lead) and out.endswith(trail) and out.strip()


PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: es\n"

#, c-format
msgid "Usage: %s [OPTION]... FILE\n"
msgstr ""

msgid "  -h, --help     display this help and exit\n"
msgstr ""

msgid "\nReport bugs to the address below.\n"
msgstr ""

#, c-format
msgid "  %d files were copied"
msgstr ""

#, c-format
msgid "argument #%d is invalid"
msgstr ""
'''


def test_msgfmt_accepts_what_mt_writes(tmp_path):
    folder = tmp_path / "locales" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "tool.po"
    po.write_text(PO, encoding="utf-8")
    cfg = Config(tmp_path, quiet=True)
    r = mt_stage.machine_translate(cfg, "es", engine="apertium")
    assert r.entries == 5
    assert all(e.msgstr for e in polib.pofile(str(po)) if e.msgid)
    res = subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", str(tmp_path / "x.mo"), str(po)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_cli_quotes_option_sets_the_house_style(tmp_path):
    import sys

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "note.txt").write_text(
        "“The planning of labour migration policies is key,” said Pisani.\n", encoding="utf-8"
    )

    def run(*args):
        return subprocess.run([sys.executable, "-m", "translate", "--project", str(tmp_path), *args], capture_output=True, text=True)

    assert run("segment").returncode == 0 and run("update", "--lang", "es").returncode == 0
    res = run("mt", "--lang", "es", "--engine", "apertium", "--quotes", "angle")
    assert res.returncode == 0, res.stderr
    msgstr = next(e.msgstr for e in polib.pofile(str(tmp_path / "locales/es/LC_MESSAGES/note.po")) if e.msgid)
    assert msgstr.startswith("«") and "»" in msgstr and "“" not in msgstr, msgstr
    assert run("mt", "--lang", "es", "--quotes", "straight").returncode == 2
