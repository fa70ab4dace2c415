"""The quality score of `translate check`: real Apertium analysers, the fitted model shipped in
the package, verdicts on plain cases, and which round trip each entry had."""

from __future__ import annotations

import polib
import pytest

from translate.check import crossrt, quality
from translate.check.lexicon import Lexicon, analyser_path
from translate.check.runner import check_entries, load_back_translator
from translate.check.words import coverage, left_in_english

pytestmark = pytest.mark.skipif(analyser_path("es") is None, reason="apertium-eng-spa is a test dependency (DEBS_RUN)")


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon()


@pytest.fixture(scope="module")
def back():
    return load_back_translator("apertium")


def run(pairs, back=None, comment: str = "") -> list:
    entries = [polib.POEntry(msgid=i, msgstr=s, comment=comment) for i, s in pairs]
    return [r for _e, r in check_entries(entries, back=back)]


def test_analysers_tell_spanish_english_names_and_glued_words(lex):
    lex.learn("es", ["archivos", "recientes", "files", "operacionesdenivel"])
    assert lex.spanish("archivos") and lex.spanish("recientes")
    assert not lex.spanish("operacionesdenivel")
    assert lex.english("files") and not lex.spanish("files")
    cov = coverage("Level operations in GitHub", "operacionesdenivel en GitHub", lex)
    assert cov.glued == ("operacionesdenivel",)
    assert cov.counts["name"] == 1 and cov.counts["es"] == 1  # GitHub is a name, "en" Spanish
    cov = coverage("Recent files", "Recent files", lex)
    assert set(cov.english) == {"Recent", "files"} and left_in_english("Recent files", "Recent files", cov)


def test_the_fitted_model_ships_in_the_package():
    models = quality.load_model()
    assert models is not None and set(models) == {"machine", "human"}
    for m in models.values():
        assert len(m.features) == len(m.coef) == len(m.mean) >= 10
        assert 0 <= m.fail_below <= m.warn_below <= 100
        assert "numbers" in m.certain and "placeholders" in m.certain
    assert len(quality.load_vocab()) > 1000
    assert "archivo" in quality.load_vocab()


def test_score_is_higher_for_a_right_translation_than_for_wrong_ones(back):
    msgid = "Could not open the configuration file for reading."
    good, english, italian, other = run(
        [
            (msgid, "No se pudo abrir el archivo de configuración para su lectura."),
            (msgid + " ", msgid),
            (msgid + "  ", "Impossibile aprire il file di configurazione in lettura."),
            (msgid + "   ", "Se ha instalado el paquete correctamente."),
        ],
        back,
    )
    assert all(r.score is not None for r in (good, english, italian, other))
    assert good.score > max(english.score, italian.score, other.score)
    assert good.verdict != "fail"
    assert english.verdict == "fail" and italian.verdict == "fail"


def test_recent_files_left_in_english_fails_names_and_identifiers_pass(back):
    recent, size, github, gzip, utf8, fmt = run(
        [("Recent files", "Recent files"), ("Size differs", "Size differs"), ("GitHub", "GitHub"), ("gzip", "gzip"),
         ("UTF-8", "UTF-8"), ("%s: %s", "%s: %s")],
        back,
    )
    assert recent.verdict == "fail" and "left-in-english" in recent.failed
    assert size.verdict == "fail"
    for r in (github, gzip, utf8, fmt):
        assert r.verdict == "pass", (r.msgid, r.findings)


def test_score_in_the_comment_json_and_a_changed_number_fails(back):
    (r,) = run([("Wait 15 seconds before retrying.", "Espere 16 segundos antes de reintentar.")], back)
    assert r.verdict == "fail" and "numbers" in r.failed
    assert any(x.startswith("check: score: ") for x in r.comment_lines())
    assert r.to_dict()["score"] == r.score


def test_round_trip_kind_recorded(back):
    made_by_apertium = "mt: apertium (0.8), 2026-11-28 sha256:" + "0" * 64
    made_by_argos = "mt: argos (1.0), 2026-11-28 sha256:" + "0" * 64
    (same,) = run([("Please read the file for instructions.", "Complacer leído la lima para instrucciones.")], back,
                  comment=made_by_apertium)
    (cross,) = run([("Please read the file for instructions.", "Lea el archivo para ver las instrucciones.")], back,
                   comment=made_by_argos)
    (human,) = run([("Please read the file for instructions.", "Lea el archivo para ver las instrucciones.")], back)
    if back.cross is None:  # one engine installed: Apertium's own text makes a same-engine round trip
        assert same.round_trip.startswith(crossrt.SAME) and "weak" in same.round_trip
    else:
        assert same.round_trip.startswith(crossrt.CROSS)
    assert cross.round_trip.startswith(crossrt.CROSS) and "argos" in cross.round_trip and "apertium" in cross.round_trip
    assert human.round_trip.startswith(crossrt.HUMAN)
    assert same.to_dict()["round_trip"] == same.round_trip


def test_report_and_review_page_put_the_lowest_scores_first(tmp_path, back):
    from translate.check.report import CatalogueReport, Report, render_html
    from translate.po.state import score_of
    from translate.review.entries import count_and_filter, summarize

    pairs = [("Recent files", "Recent files"), ("Could not open the file.", "No se pudo abrir el archivo."),
             ("Package files", "Limas de envase")]
    entries = [polib.POEntry(msgid=i, msgstr=s) for i, s in pairs]
    results = check_entries(entries, back=back)
    rep = Report(catalogues=[CatalogueReport(tmp_path / "x.po", "x.po", [r for _e, r in results])])
    html = render_html(rep)
    assert '<th scope="col">Score</th>' in html
    scores = sorted(r.score for _e, r in results)
    assert html.index(f'<td class="score" title="human text: back-translated by apertium">{scores[0]}</td>') < \
        html.index(f'<td class="score" title="human text: back-translated by apertium">{scores[-1]}</td>')
    for e, r in results:  # the review page reads the score back from the comment written
        e.comment = "\n".join(r.comment_lines())
        assert score_of(e) == r.score
    rows = [summarize(e) for e, _r in results]
    counts, hits = count_and_filter(rows, "worst", "")
    assert counts["worst"] == 3
    assert [rows[i]["score"] for i in hits if rows[i]["verdict"] == "fail"] == sorted(
        rows[i]["score"] for i in hits if rows[i]["verdict"] == "fail")
    assert rows[hits[0]]["verdict"] == "fail"
