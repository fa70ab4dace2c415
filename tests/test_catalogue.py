"""Templates, the msgmerge-style update, statistics; every file we write passes msgfmt -c."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po as babel_read_po

from translate.po import catalogue
from translate.errors import CatalogError, UsageError
from translate.po.pofile import generate_po, parse_po, read_po, write_po
from translate.segment.document import parse_document

from .conftest import msgfmt_check

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)


def template(text: str, fmt: str = "txt", name: str = "source/doc.txt") -> polib.POFile:
    return catalogue.make_template("doc", [parse_document(text, name, fmt)], NOW)


def po_text(po: polib.POFile) -> str:
    return "".join(generate_po(po))


def reread(po: polib.POFile) -> polib.POFile:
    return parse_po(po_text(po).encode())


# -- templates -----------------------------------------------------------------------------------


def test_identical_sentences_share_one_entry_with_all_references():
    pot = template("Hello there. Bye.\n\nHello there.\n\n# x\n", name="source/doc.txt")
    entry = pot.find("Hello there.")
    assert entry.occurrences == [("source/doc.txt", "1"), ("source/doc.txt", "3")]
    assert len([e for e in pot if e.msgid == "Hello there."]) == 1


def test_extracted_comment_names_the_kind_of_segment():
    pot = template("# Title\n\n- item one\n\n| a |\n|---|\n| cell |\n", fmt="md", name="source/doc.md")
    assert pot.find("Title").comment == "heading (level 1)"
    assert pot.find("item one").comment == "list item"
    assert pot.find("cell").comment == "table cell"


def test_headers_are_made_with_babel():
    po, _ = catalogue.merge(template("One sentence.\n"), None, "es", "doc", NOW)

    assert po.metadata["Language"] == "es"
    # GNU msginit's and Debian's Spanish plural forms, not CLDR's nplurals=3
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=utf-8"
    assert po.metadata["POT-Creation-Date"].startswith("2026-11-28")
    assert "Project-Id-Version" in po.metadata


def test_unknown_language_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown language code 'xx'"):
        catalogue.parse_locale("xx")
    with pytest.raises(UsageError):
        catalogue.parse_locale("../es")


# -- update semantics, each case on its own -------------------------------------------------


def translated(po: polib.POFile, **pairs: str) -> polib.POFile:
    for e in po:
        if e.msgid in pairs:
            e.msgstr = pairs[e.msgid]
    return po


def es_catalogue(text: str) -> polib.POFile:
    po, _ = catalogue.merge(template(text), None, "es", "doc", NOW)
    return po


def test_update_keeps_existing_translations():
    old = es_catalogue("The cat sleeps.\n")
    old.find("The cat sleeps.").msgstr = "El gato duerme."
    old.find("The cat sleeps.").tcomment = "checked by Ana"
    new, rep = catalogue.merge(template("The cat sleeps.\n\nA new line here.\n"), reread(old), "es", "doc", NOW)
    e = new.find("The cat sleeps.")
    assert e.msgstr == "El gato duerme." and "fuzzy" not in e.flags and e.tcomment == "checked by Ana"
    assert rep.kept == 1 and rep.new == 1


def test_update_makes_slightly_changed_msgid_fuzzy_with_previous_msgid():
    old = es_catalogue("The cat sleeps on the mat.\n")
    old.find("The cat sleeps on the mat.").msgstr = "El gato duerme en la alfombra."
    new, rep = catalogue.merge(template("The cat sleeps on the red mat.\n"), reread(old), "es", "doc", NOW)
    e = new.find("The cat sleeps on the red mat.")
    assert e.msgstr == "El gato duerme en la alfombra."
    assert "fuzzy" in e.flags
    assert e.previous_msgid == "The cat sleeps on the mat."
    assert rep.fuzzy == 1
    text = po_text(new)
    assert '#| msgid "The cat sleeps on the mat."' in text


def test_update_does_not_fuzzy_match_unrelated_sentences():
    old = es_catalogue("The cat sleeps on the mat.\n")
    old.find("The cat sleeps on the mat.").msgstr = "El gato duerme en la alfombra."
    new, rep = catalogue.merge(template("Quarterly revenue grew by four percent.\n"), reread(old), "es", "doc", NOW)
    assert new.find("Quarterly revenue grew by four percent.").msgstr == ""
    assert rep.new == 1 and rep.fuzzy == 0


def test_update_makes_vanished_entries_obsolete_never_dropped():
    old = es_catalogue("Keep me.\n\nGone tomorrow entirely.\n")
    old.find("Gone tomorrow entirely.").msgstr = "Mañana desaparece."
    new, rep = catalogue.merge(template("Keep me.\n"), reread(old), "es", "doc", NOW)
    gone = [e for e in new if e.msgid == "Gone tomorrow entirely."]
    assert len(gone) == 1 and gone[0].obsolete and gone[0].msgstr == "Mañana desaparece."
    assert rep.obsoleted == 1
    assert '#~ msgid "Gone tomorrow entirely."' in po_text(new)


def test_update_revives_obsolete_entry_when_the_sentence_returns():
    old = es_catalogue("Keep me.\n\nBack again later.\n")
    old.find("Back again later.").msgstr = "De vuelta."
    mid, _ = catalogue.merge(template("Keep me.\n"), reread(old), "es", "doc", NOW)
    new, rep = catalogue.merge(template("Keep me.\n\nBack again later.\n"), reread(mid), "es", "doc", NOW)
    e = new.find("Back again later.")
    assert e is not None and not e.obsolete and e.msgstr == "De vuelta."
    assert rep.revived == 1
    assert not [x for x in new if x.obsolete]


def test_update_keeps_the_toolkits_own_comments_and_refreshes_references():
    old = es_catalogue("A sentence.\n")
    e = old.find("A sentence.")
    e.msgstr = "Una frase."
    e.flags.append("fuzzy")
    e.comment = e.comment + "\nmt: apertium 3.8 / apertium-eng-spa, 2026-11-28"
    new, _ = catalogue.merge(template("Intro here.\n\nA sentence.\n"), reread(old), "es", "doc", NOW)
    e2 = new.find("A sentence.")
    assert "mt: apertium 3.8 / apertium-eng-spa, 2026-11-28" in e2.comment
    assert e2.occurrences == [("source/doc.txt", "3")]
    assert "fuzzy" in e2.flags


def test_update_keeps_header_of_existing_catalogue():
    old = es_catalogue("A sentence.\n")
    old.metadata["Last-Translator"] = "Ana <ana@example.org>"
    new, _ = catalogue.merge(template("A sentence.\n"), reread(old), "es", "doc", NOW)
    assert new.metadata["Last-Translator"] == "Ana <ana@example.org>"


# -- files: msgfmt, polib and babel read what we write identically -----------------------------

TRICKY = (
    'He said "hi" \\ then left.\tTabbed. A very long sentence that goes on and on and on well past the '
    "seventy-nine column limit of gettext so that it must wrap over several lines in the file. "
    "Ünïcödé 🎉 ok.\n\n# Heading\n"
)


def _entries_polib(path: Path):
    return [
        (e.msgid, e.msgstr, e.comment or "", e.tcomment or "", tuple(e.flags), tuple(map(tuple, e.occurrences)), e.obsolete, e.previous_msgid)
        for e in polib.pofile(str(path))
    ]


def _entries_babel(path: Path):
    with path.open("rb") as f:
        cat = babel_read_po(f, abort_invalid=True)
    def split(comments):
        # babel reads ``#| msgid "..."`` (previous msgid) as a user comment starting with "|"
        user = [c for c in comments if not c.startswith("|")]
        prev = [ast.literal_eval(c[len("| msgid ") :]) for c in comments if c.startswith("| msgid ")]
        return "\n".join(user), (prev[0] if prev else None)

    out = []
    for m in list(cat)[1:]:
        user, prev = split(m.user_comments)
        out.append((m.id, m.string, "\n".join(m.auto_comments), user, tuple(sorted(m.flags)), tuple((f, str(n)) for f, n in m.locations), False, prev))
    for m in cat.obsolete.values():
        user, prev = split(m.user_comments)
        out.append((m.id, m.string, "\n".join(m.auto_comments), user, tuple(sorted(m.flags)), (), True, prev))
    return out


def test_written_files_pass_msgfmt_and_read_back_identically(tmp_path):
    pot = catalogue.make_template("doc", [parse_document(TRICKY, "source/doc.md", "md")], NOW)
    pot_path = tmp_path / "doc.pot"
    write_po(pot_path, pot)
    assert msgfmt_check(pot_path).returncode == 0, msgfmt_check(pot_path).stderr

    old, _ = catalogue.merge(pot, None, "es", "doc", NOW)
    for e in old:
        e.msgstr = "Traducción de: " + e.msgid
    old.find("Heading").flags.append("fuzzy")
    old.find("Heading").tcomment = "a translator's note"
    changed = catalogue.make_template("doc", [parse_document(TRICKY.replace("Heading", "Headings"), "source/doc.md", "md")], NOW)
    po, _ = catalogue.merge(changed, parse_po(po_text(old).encode()), "es", "doc", NOW)
    po.append(polib.POEntry(msgid="Vanished.", msgstr="Desaparecido.", obsolete=True))
    po_path = tmp_path / "doc.po"
    write_po(po_path, po)
    res = msgfmt_check(po_path)
    assert res.returncode == 0 and res.stderr == "", res.stderr

    # polib reads back what we meant, and babel reads the same entries as polib
    ours = [e for e in read_po(po_path)]
    assert [e.msgid for e in ours] == [e.msgid for e in po]
    assert [e.msgstr for e in ours] == [e.msgstr for e in po]
    by_polib = {(m[0], m[6]): m for m in _entries_polib(po_path)}
    by_babel = {(m[0], m[6]): m for m in _entries_babel(po_path)}
    assert set(by_polib) == set(by_babel)
    for key, p in by_polib.items():
        b = by_babel[key]
        assert p[1] == b[1], key  # msgstr
        assert p[2] == b[2], key  # extracted comments
        assert p[3] == b[3], key  # translator comments
        assert tuple(sorted(p[4])) == b[4], key  # flags
        if not key[1]:
            assert p[5] == b[5], key  # references
        assert p[7] == b[7], key  # previous msgid
    # and a second write is byte-identical (stable output)
    assert po_text(read_po(po_path)) == po_path.read_text(encoding="utf-8")


def test_malformed_po_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n\nmsgid "ok"\nmsgstr "bien"\n\nthis is not po\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_po(bad, display="locales/bad.po")
    assert info.value.path == "locales/bad.po" and info.value.line == 7


def test_duplicate_msgid_is_malformed(tmp_path):
    bad = tmp_path / "dup.po"
    bad.write_text('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="duplicate") as info:
        read_po(bad)
    assert info.value.line == 4


# -- stats ------------------------------------------------------------------------------------------


def test_stats_counts_entries_and_words_per_state():
    po = es_catalogue("One two three.\n\nFour five.\n\nSix.\n\nSeven eight nine ten.\n")
    po.find("One two three.").msgstr = "Uno dos tres."
    po.find("Four five.").msgstr = "Cuatro cinco."
    po.find("Four five.").flags.append("fuzzy")
    po.append(polib.POEntry(msgid="Old words here.", msgstr="Viejas.", obsolete=True))
    s = catalogue.stats(po)
    assert s.entries == {"translated": 1, "fuzzy": 1, "untranslated": 2, "obsolete": 1}
    assert s.words == {"translated": 3, "fuzzy": 2, "untranslated": 5, "obsolete": 3}


def test_an_existing_catalogue_keeps_its_own_plural_forms():
    old, _ = catalogue.merge(template("One sentence.\n"), None, "es", "doc", NOW)
    old.metadata["Plural-Forms"] = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"
    po, _ = catalogue.merge(template("One sentence.\n"), old, "es", "doc", NOW)
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")


def test_header_has_no_stray_empty_line_and_an_old_one_is_mended():
    import re

    from translate.po.pofile import dump_po, parse_po

    def header(po) -> str:
        return dump_po(po).decode("utf-8").split('msgid "One')[0]

    po, _ = catalogue.merge(template("One sentence.\n"), None, "es", "doc", NOW)
    assert re.search(r'"Generated-By: Babel [^"]*\\n"\n\n', header(po))  # ends the header, no empty line after
    # a catalogue an older version wrote: babel's value kept its newline, an empty header line
    old_text = re.sub(r'("Generated-By: Babel [^"]*\\n)"', r'\1\\n"', dump_po(po).decode("utf-8"))
    old = parse_po(old_text.encode("utf-8"))
    assert header(old).count('"\\n"\n') == 1  # written as GNU does: the stray line on its own
    merged, _ = catalogue.merge(template("One sentence.\n"), old, "es", "doc", NOW)
    assert '"\\n"\n' not in header(merged)


@pytest.mark.parametrize("when", ["2026-01-02T03:04", "1999-12-31T23:59", "2030-07-15T00:00"])
def test_template_header_written_without_babel_is_what_babel_writes(when):
    from babel.messages.catalog import Catalog

    now = dt.datetime.fromisoformat(when).replace(tzinfo=dt.timezone.utc)
    cat = Catalog(locale=None, domain="doc", project="doc", version="1.0", creation_date=now, revision_date=now, fuzzy=True)
    assert catalogue.header_fields("doc", None, now) == [(k, v.strip()) for k, v in cat.mime_headers]
