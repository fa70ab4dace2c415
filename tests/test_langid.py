"""The language identifier of `translate check` (translate/check/langid.py and its shipped model)."""

from __future__ import annotations

import pytest

from translate.check import cache, langid


@pytest.mark.parametrize(
    "lang,text",
    [
        ("es", "No se pudo leer el archivo de configuración"),
        ("en", "The configuration file could not be read"),
        ("pt", "Não foi possível ler o arquivo de configuração"),
        ("it", "Impossibile leggere il file di configurazione"),
        ("fr", "Impossible de lire le fichier de configuration"),
        ("ca", "No s'ha pogut llegir el fitxer de configuració"),
        ("de", "Die Konfigurationsdatei konnte nicht gelesen werden"),
    ],
)
def test_each_language_is_told_apart(lang, text):
    scores = langid.language_scores([text])[0]
    assert set(scores) == set(langid.LANGUAGES)
    assert max(scores, key=scores.get) == lang
    assert abs(sum(scores.values()) - 1.0) < 1e-9


def test_text_without_known_ngrams_has_no_scores():
    assert langid.language_scores(["", "日本語のテキスト"]) == [{}, {}]


def test_ngrams_stay_inside_words_and_see_their_edges():
    assert langid.ngrams("De la", 3) == [" de", "de ", " la", "la "]
    assert langid.ngrams("Ab", 1) == ["a", "b"]


def test_the_model_is_a_file_of_the_check_package_so_the_verdict_cache_follows_it():
    # cache.package_version hashes every file of the check package: a refitted model is a new version
    assert langid.MODEL_PATH.parent == cache.Path(cache.__file__).resolve().parent
    assert langid.model().languages == langid.LANGUAGES
