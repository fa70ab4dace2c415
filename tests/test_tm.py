"""The translation memory: exact and near matches through `translate mt` (real Apertium for the
rest, real catalogues, msgfmt on what is written), and TMX import/export."""

from __future__ import annotations

import datetime as dt
import math
import xml.dom.minidom
from pathlib import Path

import polib
import pytest
from rapidfuzz import fuzz

from translate.config import Config
from translate.mt import plan
from translate.po import state
from translate.po.pofile import read_po, write_po
from translate.tm import stage as tm_stage
from translate.tm.adapt import adapt
from translate.tm.memory import Memory, Unit, one_line
from translate.tm.tmx import Pair, read_tmx, write_tmx

from .conftest import msgfmt_check, snapshot

WHEN = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
HUMAN = {
    "For more information, please contact the press office of the organization.":
        "Para más información, póngase en contacto con la oficina de prensa de la organización.",
    "The regional conference will take place in Geneva from 3 to 5 June.":
        "La conferencia regional se celebrará en Ginebra del 3 al 5 de junio.",
    "Delegates from twenty countries discussed the protection of migrant workers.":
        "Delegados de veinte países debatieron la protección de los trabajadores migrantes.",
}
EXACT = "For more information, please contact the press office of the organization."
NEAR = "The regional conference will take place in Geneva from 7 to 9 June."  # numbers changed
FARTHER = "Delegates from thirty countries discussed the rights of domestic workers."
NEW = "The cat sleeps on the warm roof."


def po_path(project: Path, domain: str) -> Path:
    return project / "locales" / "es" / "LC_MESSAGES" / f"{domain}.po"


def translated_release(project: Path, run_cli) -> None:
    """a.txt segmented, and translated by a person (settled: not fuzzy, no machine line)."""
    (project / "source" / "a.txt").write_text("\n\n".join(HUMAN) + "\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0
    po = read_po(po_path(project, "a"))
    for e in po:
        e.msgstr = HUMAN[e.msgid]
    write_po(po_path(project, "a"), po)


def new_release(project: Path, run_cli, *sentences: str) -> None:
    (project / "source" / "b.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    assert run_cli(project, "segment").code == 0
    assert run_cli(project, "update", "--lang", "es").code == 0


def mt(project: Path, run_cli, *args: str):
    r = run_cli(project, "mt", "--lang", "es", "--engine", "apertium", *args)
    assert r.code == 0, r.err
    return r


def test_exact_and_near_matches_through_mt_with_apertium_for_the_rest(project, run_cli):
    translated_release(project, run_cli)
    new_release(project, run_cli, EXACT, NEAR, NEW)
    r = mt(project, run_cli)
    assert "2 sentences reused" in r.out and "1 near" in r.out and "engine: apertium" in r.out
    po = read_po(po_path(project, "b"))

    exact = po.find(EXACT)  # as before: the person's text, fuzzy for a look in its new context
    assert exact.msgstr == HUMAN[EXACT] and "fuzzy" in exact.flags
    assert "tm: reused the reviewed translation in locales/es/LC_MESSAGES/a.po" in exact.tcomment
    assert not state.is_machine(exact)

    near = po.find(NEAR)  # the person's text, the numbers carried over
    assert near.msgstr == "La conferencia regional se celebrará en Ginebra del 7 al 9 de junio."
    old = "The regional conference will take place in Geneva from 3 to 5 June."
    pct = math.floor(fuzz.ratio(NEAR, old))
    assert f"tm: {pct}% {old}" in near.comment.split("\n")  # a #. line, the English it came from
    assert "fuzzy" in near.flags and state.is_machine(near)
    assert not state.is_reviewed(near) and state.reviewed_line(near) is None
    assert near.tcomment.startswith(f"mt: translation memory, {pct}% match in locales/es/LC_MESSAGES/a.po")

    new = po.find(NEW)
    assert "mt: apertium (apertium " in new.tcomment and new.msgstr and "tm:" not in new.comment
    res = msgfmt_check(po_path(project, "b"))
    assert res.returncode == 0 and res.stderr == ""
    raw = po_path(project, "b").read_text(encoding="utf-8")
    assert f"#. tm: {pct}% {old}\n" in raw


def test_the_threshold_is_respected(project, run_cli):
    translated_release(project, run_cli)
    new_release(project, run_cli, FARTHER)
    source = "Delegates from twenty countries discussed the protection of migrant workers."
    score = fuzz.ratio(FARTHER, source)
    assert all(fuzz.ratio(FARTHER, s) < score for s in HUMAN if s != source)
    assert 75 <= score < 99

    mt(project, run_cli, "--tm-threshold", str(math.floor(score) + 1))  # just above: the engine
    e = read_po(po_path(project, "b")).find(FARTHER)
    assert "mt: apertium (" in e.tcomment and "tm:" not in e.comment and e.msgstr != HUMAN[source]

    # just at it: the memory, and --retranslate machine redoes the engine's entry
    mt(project, run_cli, "--retranslate", "machine", "--tm-threshold", str(math.floor(score)))
    e = read_po(po_path(project, "b")).find(FARTHER)
    assert e.msgstr == HUMAN[source] and "mt: apertium" not in e.tcomment
    assert f"tm: {math.floor(score)}% {source}" in e.comment and state.is_machine(e)

    mt(project, run_cli, "--retranslate", "machine", "--tm-threshold", "100")  # exact only
    e = read_po(po_path(project, "b")).find(FARTHER)
    assert "mt: apertium (" in e.tcomment and "tm:" not in e.comment


def test_a_near_match_is_redone_by_retranslate_until_a_person_edits_it(project, run_cli):
    translated_release(project, run_cli)
    new_release(project, run_cli, NEAR, FARTHER)
    mt(project, run_cli)
    # the person improves the stored translation: the machine-made near matches follow it
    po = read_po(po_path(project, "a"))
    po.find("The regional conference will take place in Geneva from 3 to 5 June.").msgstr = (
        "La conferencia regional tendrá lugar en Ginebra del 3 al 5 de junio."
    )
    write_po(po_path(project, "a"), po)
    mt(project, run_cli, "--retranslate", "machine")
    b = read_po(po_path(project, "b"))
    assert b.find(NEAR).msgstr == "La conferencia regional tendrá lugar en Ginebra del 7 al 9 de junio."
    assert b.find(NEAR).tcomment.count("mt: translation memory") == 1
    assert b.find(NEAR).comment.count("tm: ") == 1

    b.find(NEAR).msgstr = "La conferencia regional será en Ginebra del 7 al 9 de junio."  # fuzzy left on
    write_po(po_path(project, "b"), b)
    assert not state.is_machine(read_po(po_path(project, "b")).find(NEAR))
    mt(project, run_cli, "--retranslate", "machine")
    assert read_po(po_path(project, "b")).find(NEAR).msgstr == "La conferencia regional será en Ginebra del 7 al 9 de junio."


def test_a_near_match_whose_numbers_cannot_be_carried_over_is_not_used():
    memory = Memory([Unit("It costs 2,000 dollars a year.", "Cuesta 2.000 dólares al año.", "a.po")])
    assert memory.lookup("It costs 3,000 dollars a year.") is None  # the translation spells it 2.000
    assert memory.lookup("It costs 2,000 dollars a month.") is not None
    assert adapt("At 4 on day 3.", "At 3 on day 4.", "A las 3 el día 4.") == "A las 4 el día 3."  # swapped, at once
    assert adapt("At 3 on day 4 and 5.", "At 3 on day 4.", "A las 3 el día 4.") is None  # a number added
    # a number glued to a name is not a number; the same token twice is replaced by position
    assert adapt("Python 4.15 and 3.15t.", "Python 3.15 and 3.15t.", "Python 3.15 y 3.15t.") == "Python 4.15 y 3.15t."
    assert adapt("Python 4.15 and 3.15t.", "Python 3.15 and 3.15t.", "3.15t y 3.15 de Python.") == "3.15t y 4.15 de Python."
    assert adapt("At 3 and 4.", "At 3 and 3.", "A las 3 y las 3.") == "A las 3 y las 4."  # by position
    assert adapt("At 3 and 4.", "At 3 and 3.", "Las 3, a las 3 y 3.") is None  # no order to follow


def test_the_english_in_the_comment_is_one_valid_po_line(tmp_path):
    source = 'Line one\nline "two"\twith a \\ backslash\x01'
    memory = Memory([Unit(source, "Línea uno\nlínea dos", "a.po")])
    hit = memory.lookup('Line one\nline "two"\twith a \\ backslash!\n')
    assert hit is not None and not hit.exact and hit.text == "Línea uno\nlínea dos\n"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    e = polib.POEntry(msgid='Line one\nline "two"\twith a \\ backslash!\n', msgstr="")  # msgfmt -c: the final \n too
    po.append(e)
    plan.apply(e, plan.memory_result(hit, WHEN.date()))
    write_po(tmp_path / "x.po", po)
    lines = [x for x in (tmp_path / "x.po").read_text(encoding="utf-8").splitlines() if x.startswith("#. tm:")]
    assert lines == [f"#. tm: {hit.percent}% {one_line(source)}"]
    assert one_line(source) == 'Line one\\nline "two"\\twith a \\\\ backslash\\x01'
    res = msgfmt_check(tmp_path / "x.po")
    assert res.returncode == 0, res.stderr
    assert state.is_machine(read_po(tmp_path / "x.po")[0])


def test_near_matches_are_found_among_thousands():
    units = [Unit(f"Sentence number {k} talks about topic {k * 7} in a long sentence.", f"Frase {k}.", "a.po")
             for k in range(3000)]
    memory = Memory(units)
    hit = memory.lookup("Sentence number 1234 talks about topic 8638 in a long sentence!")
    assert hit is not None and hit.unit.source == units[1234].source and hit.score >= 75


# -- TMX --------------------------------------------------------------------------------------------

XML_NS = "http://www.w3.org/XML/1998/namespace"


def test_export_is_tmx_14b_that_a_strict_parser_reads_and_import_gives_the_same_units(project, run_cli, tmp_path):
    translated_release(project, run_cli)
    out = tmp_path / "memory.tmx"
    r = run_cli(project, "tm", "export", "--lang", "es", str(out))
    assert r.code == 0, r.err
    doc = xml.dom.minidom.parse(str(out))  # expat: any well-formedness error raises
    root = doc.documentElement
    assert root.tagName == "tmx" and root.getAttribute("version") == "1.4"
    header = root.getElementsByTagName("header")[0]
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.getAttribute(attr), attr
    assert header.getAttribute("srclang") == "en"
    units = {}
    for tu in root.getElementsByTagName("tu"):
        segs = {tuv.getAttributeNS(XML_NS, "lang"): tuv.getElementsByTagName("seg")[0].firstChild.data
                for tuv in tu.getElementsByTagName("tuv")}
        units[segs["en"]] = segs["es"]
    assert units == HUMAN

    other = tmp_path / "other"
    (other / "source").mkdir(parents=True)
    r = run_cli(other, "tm", "import", str(out))
    assert r.code == 0, r.err
    assert "3 units imported (3 new, 0 replaced)" in r.out
    assert {u.source: u.target for u in tm_stage.imported_units(Config(other), "es")} == HUMAN
    # and the other project exports what it imported, unit for unit
    (other / "source" / "c.txt").write_text("Nothing in common here.\n", encoding="utf-8")
    assert run_cli(other, "segment").code == 0 and run_cli(other, "update", "--lang", "es").code == 0
    again = tmp_path / "again.tmx"
    assert run_cli(other, "tm", "export", "--lang", "es", str(again)).code == 0
    assert {p.source: p.target for p in read_tmx(again.read_bytes(), "again.tmx", "es").pairs} == HUMAN


def test_imported_units_are_used_by_mt(project, run_cli, tmp_path):
    tmx, _ = write_tmx([Pair(s, t) for s, t in HUMAN.items()], "es", tool_version="1",
                       created=WHEN)
    (tmp_path / "earlier.tmx").write_bytes(tmx)
    assert run_cli(project, "tm", "import", str(tmp_path / "earlier.tmx")).code == 0
    assert (project / "locales" / ".tm" / "es.tmx").is_file()
    new_release(project, run_cli, EXACT, NEAR, NEW)
    mt(project, run_cli)
    po = read_po(po_path(project, "b"))
    assert po.find(EXACT).msgstr == HUMAN[EXACT]
    assert "tm: reused the reviewed translation in earlier.tmx (imported)" in po.find(EXACT).tcomment
    assert po.find(NEAR).msgstr.endswith("del 7 al 9 de junio.") and "match in earlier.tmx (imported)" in po.find(NEAR).tcomment
    assert msgfmt_check(po_path(project, "b")).returncode == 0


def test_tmx_text_round_trips_exactly():
    pairs = [Pair("  a & b < c > d ]]> \"e\" 'f'\n", "  á & ü\r\nñ\t"), Pair("x", "y", "o.po")]
    data, left_out = write_tmx([*pairs, Pair("bell\x07", "z")], "es", tool_version="1",
                               created=WHEN)
    assert left_out == 1  # XML 1.0 cannot carry a BEL
    xml.dom.minidom.parseString(data)
    assert read_tmx(data, "x.tmx", "es").pairs == pairs


def test_a_trados_style_utf16_file_with_a_doctype_and_regional_tags_is_read():
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
        '<header creationtool="SDL" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US" '
        'srclang="en-US" datatype="xml"/>\n<body>\n<tu><tuv xml:lang="en-US"><seg>Open <ph x="1">&lt;b&gt;</ph>now</seg></tuv>'
        '<tuv xml:lang="es-ES"><seg>Abra <ph x="1">&lt;b&gt;</ph>ya</seg></tuv></tu>\n'
        '<tu><tuv xml:lang="en-US"><seg>Only English</seg></tuv><tuv xml:lang="fr-FR"><seg>Seulement</seg></tuv></tu>\n'
        "</body>\n</tmx>\n"
    )
    read = read_tmx(text.encode("utf-16"), "t.tmx", "es")
    assert read.pairs == [Pair("Open <b>now", "Abra <b>ya")] and read.skipped == 1


HEAD = '<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en" adminlang="en" segtype="sentence" datatype="plaintext" o-tmf="x" creationtool="t" creationtoolversion="1"/>\n<body>\n'
GOOD_TU = '<tu><tuv xml:lang="en"><seg>Hello.</seg></tuv><tuv xml:lang="es"><seg>Hola.</seg></tuv></tu>\n'
BAD_TMX = {
    "malformed": (HEAD + GOOD_TU + "<tu><tuv xml:lang='en'><seg>x</tuv></tu>\n</body></tmx>", 6, "not well-formed XML"),
    "no-xml-lang": (HEAD + GOOD_TU + GOOD_TU + '<tu>\n<tuv><seg>x</seg></tuv></tu>\n</body></tmx>', 8, "without xml:lang"),
    "no-english": (HEAD + GOOD_TU + '<tu><tuv xml:lang="es"><seg>x</seg></tuv></tu>\n</body></tmx>', 6, "its English"),
    "no-spanish": (HEAD + '<tu><tuv xml:lang="en"><seg>x</seg></tuv><tuv xml:lang="fr"><seg>y</seg></tuv></tu>\n</body></tmx>',
                   4, "no unit translates English into 'es'"),
    "german-source": (HEAD.replace('srclang="en"', 'srclang="de"') + GOOD_TU + "</body></tmx>", 3, "source language is 'de'"),
    "not-tmx": ('<?xml version="1.0"?>\n<html><body/></html>', 2, "not a TMX file"),
    "entities": ('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                 + HEAD.split("\n", 1)[1] + GOOD_TU + "</body></tmx>", 2, "declares an XML entity"),
}


@pytest.mark.parametrize("name", sorted(BAD_TMX))
def test_a_bad_tmx_is_refused_with_file_and_line_and_nothing_is_written(project, run_cli, tmp_path, name):
    text, line, why = BAD_TMX[name]
    # a project that already holds an imported memory: it must stay as it was
    good = tmp_path / "good.tmx"
    good.write_text(HEAD + GOOD_TU + "</body></tmx>", encoding="utf-8")
    assert run_cli(project, "tm", "import", str(good)).code == 0
    before = snapshot(project / "locales")
    bad = tmp_path / f"{name}.tmx"
    bad.write_text(text, encoding="utf-8")
    r = run_cli(project, "tm", "import", str(bad))
    assert r.code == 2
    assert r.err.startswith(f"translate: error: {bad}:{line}: ") and why in r.err and len(r.err.strip().splitlines()) == 1
    assert snapshot(project / "locales") == before


def test_tm_cli_usage(project, run_cli, tmp_path):
    r = run_cli(project, "tm", "--help")
    assert r.code == 0 and "import" in r.out and "export" in r.out and "TMX" in r.out
    r = run_cli(project, "tm", "import", str(tmp_path / "missing.tmx"))
    assert r.code == 2 and "missing.tmx: no such file" in r.err
    r = run_cli(project, "tm", "export", "--lang", "en", str(tmp_path / "x.tmx"))
    assert r.code == 2 and "--lang en" in r.err and not (tmp_path / "x.tmx").exists()
    r = run_cli(project, "mt", "--lang", "es", "--tm-threshold", "101")
    assert r.code == 2


def test_import_is_refused_while_another_run_holds_the_lock(project, run_cli, tmp_path):
    from translate.fsutil import project_lock

    good = tmp_path / "good.tmx"
    good.write_text(HEAD + GOOD_TU + "</body></tmx>", encoding="utf-8")
    with project_lock(project / "locales"):
        r = run_cli(project, "tm", "import", str(good))
    assert r.code == 2 and "locked by another run" in r.err
    assert not (project / "locales" / ".tm").exists()
    assert run_cli(project, "tm", "import", str(good)).code == 0  # and once it is free
    assert [u.source for u in tm_stage.imported_units(Config(project), "es")] == ["Hello."]


def test_the_catalogues_win_over_imported_units_and_the_latest_import_wins(project, run_cli, tmp_path):
    memory = plan.translation_memory([], [Unit("Hello.", "Hola (importado).", "x.tmx (imported)")])
    assert memory.lookup("Hello.").text == "Hola (importado)."
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Hello.", msgstr="Hola."))
    memory = plan.translation_memory([("a.po", po)], [Unit("Hello.", "Hola (importado).", "x.tmx (imported)")])
    assert memory.lookup("Hello.").text == "Hola." and memory.lookup("Hello.").unit.where == "a.po"

    first, second = tmp_path / "first.tmx", tmp_path / "second.tmx"
    first.write_text(HEAD + GOOD_TU + "</body></tmx>", encoding="utf-8")
    second.write_text(HEAD + GOOD_TU.replace("Hola.", "¡Hola!") + "</body></tmx>", encoding="utf-8")
    assert run_cli(project, "tm", "import", str(first)).code == 0
    r = run_cli(project, "tm", "import", str(second))
    assert r.code == 0 and "1 unit imported (0 new, 1 replaced)" in r.out
    assert [(u.target, u.where) for u in tm_stage.imported_units(Config(project), "es")] == [("¡Hola!", "second.tmx (imported)")]
