"""Protection rules, article agreement and quotation splitting, as pure functions (no engine)."""

from __future__ import annotations

import pytest

from translate.errors import UsageError
from translate.mt.agree import agree_articles, heads_phrase, parse_gender
from translate.mt.protect import GlossaryTerm, find_tokens, parse_glossary, restore, shield
from translate.mt.quotes import split

ILO = GlossaryTerm("ILO", "OIT", "", "f", "sg")
PRINCIPLES = GlossaryTerm("General Principles", "Principios generales", "", "m", "pl")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], k) for a, b, k in find_tokens(text)]


@pytest.mark.parametrize("text", ["Specify the <command> to run", "Usage: %s [OPTION]... <file>", "Choose an <option>."])
def test_word_placeholders_in_angle_brackets_are_not_tags(text):
    assert not [t for t, k in kinds(text) if k == "html tag"]


def test_function_code_placeholder_keeps_only_its_printf():
    assert kinds("unknown <function code %d> here") == [("%d", "printf")]


@pytest.mark.parametrize(
    "text, tags",
    [
        ("This is <b>important</b> news.", ["<b>", "</b>"]),
        ('See the <a href="%s">manual</a>.', ['<a href="%s">', "</a>"]),
        ("one<br>two", ["<br>"]),
        ("<b>Status opens a sentence", ["<b>"]),
        ("<schema id='%s'> is listed", ["<schema id='%s'>"]),
        ("use <PRIx64> and <text_view_markup> here", ["<PRIx64>", "<text_view_markup>"]),
        ("<option>one</option>", ["<option>", "</option>"]),
    ],
)
def test_real_markup_is_a_tag(text, tags):
    assert [t for t, k in kinds(text) if k == "html tag"] == tags


def test_gnu_quotes_are_not_one_code_span():
    text = "Use `foo' and then `bar' to continue."
    assert not [t for t, k in kinds(text) if k == "inline code"]
    assert shield(text).text == "Use ZXQ1 and then ZXQ2 to continue."  # a quoted word is kept, the rest translated
    assert shield("Use `show all' now.").text == "Use `show all' now."


def test_markdown_code_spans_are_still_code():
    assert [t for t, k in kinds("Run `make` and `make test` now.") if k == "inline code"] == ["`make`", "`make test`"]


def test_glued_tokens_are_padded_for_the_engine_and_unpadded_after():
    sh = shield("<b>Status</b> is 5%dMB")
    assert sh.text == "ZXQ1 Status ZXQ2 is 5 ZXQ3 MB"
    assert restore("ZXQ1 Estado ZXQ2 es 5 ZXQ3 MB", sh).text == "<b>Estado</b> es 5%dMB"
    # moved by the engine next to another word: the padding stays (it is a word boundary now)
    assert restore("Estado ZXQ1 ZXQ2 es 5 ZXQ3", sh).text == "Estado <b> </b> es 5%d"


@pytest.mark.parametrize("mark", ["#", "*", "@"])
def test_literal_mark_before_a_token_is_kept(mark):
    sh = shield(f"argument {mark}%d is bad")
    assert restore(sh.text.replace("argument", "argumento"), sh).text == f"argumento {mark}%d is bad"


def test_options_are_shielded_for_the_engine():
    assert shield("cannot use --create-slot with --start").text == "cannot use ZXQ1 with ZXQ2"


@pytest.mark.parametrize(
    "engine, fixed",
    [
        ("por el ZXQ1.", "por la OIT."),
        ("miembros del ZXQ1.", "miembros de la OIT."),
        ("El ZXQ1 dijo", "La OIT dijo"),
        ("dio al ZXQ1 un", "dio a la OIT un"),
        ("un ZXQ1", "una OIT"),
        ("la ZXQ1", "la OIT"),
    ],
)
def test_article_agrees_with_a_feminine_term(engine, fixed):
    sh = shield("by the ILO.", [ILO])
    assert restore(engine, sh).text == fixed


def test_article_agrees_with_a_plural_term():
    sh = shield("such as the General Principles and more", [PRINCIPLES])
    assert restore("como el ZXQ1 y más", sh).text == "como los Principios generales y más"
    assert restore("como del ZXQ1 y más", sh).text == "como de los Principios generales y más"


def test_a_term_modifying_a_noun_leaves_the_article_to_that_noun():
    sh = shield("Carella, the ILO Labour Migration Specialist, said", [ILO])
    assert restore("Carella, el ZXQ1 Especialista, dijo", sh).text == "Carella, el OIT Especialista, dijo"
    for text in ("the ILO said it", "the ILO, which", "the ILO.", "the ILO's staff", "the ILO discussed"):
        end = text.index("ILO") + 3
        assert heads_phrase(text, end), text
    assert not heads_phrase("the ILO countries", 7)


def test_agreement_without_gender_changes_nothing():
    assert agree_articles("el ZXQ1", {"ZXQ1": ("", "")}) == "el ZXQ1"


@pytest.mark.parametrize("cell, gn", [("f", ("f", "sg")), ("m pl", ("m", "pl")), ("fem. plural", ("f", "pl")), ("", ("", ""))])
def test_gender_column(cell, gn):
    assert parse_gender(cell) == gn


def test_glossary_with_and_without_the_gender_column():
    old = parse_glossary([["source term", "Spanish term", "note"], ["IOM", "OIM", "x"]])
    assert old == [GlossaryTerm("IOM", "OIM", "x")]
    new = parse_glossary([["source term", "Spanish term", "note", "gender"], ["IOM", "OIM", "", "f"], ["Rules", "Reglas", "", "f pl"]])
    assert [(t.gender, t.number) for t in new] == [("f", "sg"), ("f", "pl")]
    with pytest.raises(UsageError):
        parse_glossary([["IOM"]])


def test_quotation_split_from_its_attribution():
    sh = shield("“The involvement of all countries is key,” said Marcelo Pisani, IOM Regional Director.")
    pieces = split(sh)
    assert pieces.texts == ("“The involvement of all countries is key,”", "ZXQ1 Marcelo Pisani, IOM Regional Director.")
    assert pieces.shielded.tokens[0].target == "dijo"
    assert pieces.join(["“La implicación es clave,”", "ZXQ1 Marcelo Pisani."]) == "“La implicación es clave,” ZXQ1 Marcelo Pisani."


def test_attribution_before_the_quotation():
    pieces = split(shield("Carella said, “International conventions help states govern migration.”"))
    assert pieces.texts == ("Carella said,", "“International conventions help states govern migration.”")


@pytest.mark.parametrize("text", ["Click “Save” to continue.", "A “short quote,” he said.", "No quotation at all."])
def test_short_or_inline_quotations_stay_whole(text):
    assert split(shield(text)).texts == (text,)


def test_option_column_is_kept_apart_from_its_description():
    pieces = split(shield("  -h, --help                  display this help and exit\n"))
    assert pieces.texts == ("display this help and exit",)
    assert pieces.join(["muestra esta ayuda y sale"]) == "  ZXQ1, ZXQ2                  muestra esta ayuda y sale\n"


def test_a_printf_column_is_not_an_option_column():
    assert split(shield("%9.2f   Percent of the file\n")).texts == ("ZXQ1   Percent of the file\n",)


def test_short_options_are_shielded():
    assert shield("use -a, -b or -c=3 but not e-mail").text == "use ZXQ1, ZXQ2 or ZXQ3=3 but not e-mail"


def test_a_piece_starting_in_lower_case_stays_so():
    pieces = split(shield("  -d, --dbname=DBNAME       database to cluster\n"))
    assert pieces.texts == ("DBNAME", "database to cluster")  # the argument name is translated too
    assert pieces.join(["Base", "Base de datos a agrupar"]) == "  ZXQ1, ZXQ2=BASE       base de datos a agrupar\n"
    assert pieces.join(["x", "OIT y más"]).endswith("OIT y más\n")


def test_a_token_before_digits_comes_back_whole():
    sh = shield("operand %s0x%lx out of range.")
    assert restore(sh.text.replace("operand", "operando"), sh).text == "operando %s0x%lx out of range."
