"""The per-entry checks of translate.checks: entries that must pass and entries that must fail."""

from __future__ import annotations

import pytest

from translate.check import signals as C
from translate.check.runner import check_one
from translate.check.signals import Context, Message
from translate.mt.protect import GlossaryTerm


def run(name: str, msgid: str, msgstr: str, **ctx) -> list[C.Finding]:
    return C.REGISTRY[name](Message(msgid, msgstr), Context(**ctx))


def severities(findings) -> set[str]:
    return {f.severity for f in findings}


def test_registry_has_every_check():
    assert {"untranslated", "language", "numbers", "placeholders", "glossary", "length", "repeated-words",
            "brackets", "punctuation", "back-translation", "unknown-words"} <= set(C.REGISTRY)


# -- untranslated ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("The file could not be opened.", "The file could not be opened."),
        ("Cannot open the configuration file", "cannot open the configuration file."),
        ("Save the document before closing the window", "Save the document antes de closing the window"),
    ],
)
def test_untranslated_fails(msgid, msgstr):
    assert "fail" in severities(run("untranslated", msgid, msgstr))


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("Mozilla Firefox", "Mozilla Firefox"),  # a name stays the same
        ("GNU tar 1.34", "GNU tar 1.34"),
        ("https://example.org/docs/", "https://example.org/docs/"),  # only a URL
        ("42", "42"),
        ("`make install`", "`make install`"),
        ("The file could not be opened.", "No se pudo abrir el archivo."),
    ],
)
def test_untranslated_passes(msgid, msgstr):
    assert run("untranslated", msgid, msgstr) == []


def test_untranslatable_by_nature_passes_every_check():
    for msgid in ("Mozilla Firefox", "https://example.org/a", "1.000", "info@example.org", "`ls -l`"):
        assert check_one(msgid, msgid).verdict == "pass", msgid


# -- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("The configuration file could not be read.", "Não foi possível ler o arquivo de configuração."),  # pt
        ("The configuration file could not be read.", "Impossibile leggere il file di configurazione perché è bloccato."),  # it
        ("The configuration file could not be read.", "Le fichier de configuration n'a pas pu être lu."),  # fr
        ("The configuration file could not be read.", "Die Konfigurationsdatei konnte nicht gelesen werden, weil sie gesperrt ist."),  # de
        ("The configuration file could not be read.", "No s'ha pogut llegir el fitxer de configuració perquè està bloquejat."),  # ca
    ],
)
def test_other_language_fails(msgid, msgstr):
    assert "fail" in severities(run("language", msgid, msgstr))


def test_spanish_passes_language():
    assert run("language", "The configuration file could not be read.", "No se pudo leer el archivo de configuración.") == []


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("The population is 1,000.5 people.", "La población es de 1.000,5 personas."),  # Spanish formatting
        ("The population is 1,000.5 people.", "La población es de 1 000,5 personas."),
        ("It cost 25 million dollars.", "Costó 25 millones de dólares."),
        ("Version 2.0 was released in 2024.", "La versión 2.0 salió en 2024."),
        ("Wait 3 seconds.", "Espere tres segundos."),
        ("bzip2 failed", "falló bzip2"),
    ],
)
def test_numbers_pass(msgid, msgstr):
    assert run("numbers", msgid, msgstr) == []


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("The population is 1,000.5 people.", "La población es de 1.000,6 personas."),
        ("It cost 25 million dollars.", "Costó 26 millones de dólares."),
        ("User signal 2", "Señal de usuario 3"),
        ("atan2: received a non-numeric argument", "atan3: recibió un argumento no numérico"),
        ("Wait 3 seconds.", "Espere unos segundos."),
    ],
)
def test_numbers_fail(msgid, msgstr):
    assert "fail" in severities(run("numbers", msgid, msgstr))


# -- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("Cannot open %s: %d errors", "No se puede abrir %s: %d errores"),
        ("Hello {name}, see https://example.org/x or mail info@example.org.", "Hola {name}, vea https://example.org/x o escriba a info@example.org."),
        ("Run `make` and read [the guide](docs/guide.md).", "Ejecute `make` y lea [la guía](docs/guide.md)."),
        ("Call +34 912 345 678 today.", "Llame hoy al +34 912 345 678."),
        ("output wrapper `%s' failed to open `%s'", "falló el envoltorio de salida «%s» al abrir «%s»"),  # GNU quotes
        ("%1$s of %2$s", "%2$s de %1$s"),
    ],
)
def test_placeholders_pass(msgid, msgstr):
    assert [f for f in run("placeholders", msgid, msgstr, flags=("c-format",)) if f.severity == "fail"] == []


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("Cannot open %s: %d errors", "No se puede abrir: %d errores"),
        ("Hello {name}!", "¡Hola!"),
        ("See https://example.org/x for details.", "Vea https://example.org/y para más detalles."),
        ("Run `make install` now.", "Ejecute make install ahora."),
        ("Read [the guide](docs/guide.md).", "Lea [la guía](docs/guia.md)."),
        ("Write to info@example.org.", "Escriba a info@ejemplo.org."),
    ],
)
def test_placeholders_fail(msgid, msgstr):
    assert "fail" in severities(run("placeholders", msgid, msgstr))


# -- glossary, length, repeated words, brackets, punctuation ----------------------------------


def test_glossary():
    g = (GlossaryTerm("IOM", "OIM"),)
    assert run("glossary", "The IOM office is open.", "La oficina de la OIM está abierta.", glossary=g) == []
    assert "fail" in severities(run("glossary", "The IOM office is open.", "La oficina de la IOM está abierta.", glossary=g))


def test_length_bounds_are_learned_not_fixed():
    msgid = "The configuration file could not be read because it is locked by another process."
    assert run("length", msgid, "No se pudo leer el archivo de configuración porque otro proceso lo tiene bloqueado.") == []
    assert "fail" in severities(run("length", msgid, "No se pudo leer el archivo"))  # cut in half
    assert "fail" in severities(run("length", msgid, msgid * 3))  # far below a fixed 10×


def test_repeated_words():
    assert "fail" in severities(run("repeated-words", "Students enrolled", "estudiantes matriculados matriculados"))
    assert "fail" in severities(run("repeated-words", "x", "o o o o S o o"))
    assert run("repeated-words", "Students enrolled", "estudiantes matriculados") == []
    assert run("repeated-words", "that that is", "que que es") == []  # the English repeats too


def test_brackets_and_punctuation():
    assert run("brackets", "Open (read only)", "Abrir (solo lectura") != []
    assert run("brackets", "Open (read only)", "Abrir (solo lectura)") == []
    assert run("brackets", "Are you sure?", "¿Está seguro") != []
    assert run("punctuation", "The file was saved.", "Se guardó el archivo") != []
    assert run("punctuation", "Are you sure?", "¿Está seguro?") == []
    assert run("punctuation", "Loading...", "Cargando…") == []


def test_unknown_word_markers_and_mt_comments():
    assert "fail" in severities(run("unknown-words", "The cat sleeps.", "El *cat duerme."))
    f = run("unknown-words", "The cat sleeps.", "El cat duerme.", comment="mt: unknown words: cat")
    assert f and f[0].severity == "warn"
    assert "fail" in severities(run("unknown-words", "The cat sleeps.", "El gato duerme.", comment="mt: problem: url dropped"))
    assert run("unknown-words", "The cat sleeps.", "El gato duerme.") == []


# -- back-translation (chrF by sacrebleu) -----------------------------------------------------


def test_back_translation_chrf():
    msgid = "The configuration file could not be read."
    good = check_one(msgid, "No se pudo leer el archivo de configuración.", back_translation="The configuration file could not be read.")
    bad = check_one(msgid, "Hoy hace buen tiempo en la playa.", back_translation="Today the weather is good at the beach.")
    assert "back-translation" not in good.failed
    assert "back-translation" in bad.failed and bad.verdict == "fail"
    skipped = check_one(msgid, "Hoy hace buen tiempo en la playa.")  # no back-translation: no such check
    assert all(f.check != "back-translation" for f in skipped.findings)


def test_tiny_argos_gibberish_fails():
    """Output of the tiny Argos test package (random weights) for real msgids: every one fails."""
    import json
    from pathlib import Path

    table = json.loads((Path(__file__).parent / "data" / "eval" / "gibberish.json").read_text())
    results = [check_one(k, v) for k, v in list(table.items())[:20]]
    assert results and all(r.verdict == "fail" for r in results), [(r.msgstr, r.findings) for r in results if r.verdict != "fail"]


def test_verdict_order():
    assert C.verdict([]) == "pass"
    assert C.verdict([C.Finding("x", "warn", "")]) == "warn"
    assert C.verdict([C.Finding("x", "warn", ""), C.Finding("y", "fail", "")]) == "fail"


def test_live_tiny_argos_gibberish_fails(packages, argos_env):
    """The tiny Argos test package (seeded random weights), run now: its output fails."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parent / "argos_subprocess.py"

    def run(*args, request=None):
        p = subprocess.run([sys.executable, str(script), *args], input=json.dumps(request or {}),
                           capture_output=True, text=True, env=argos_env)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)

    assert "error" not in run("install-file", str(packages["en-es"]))
    msgids = [
        "The office opened in 2024 and now serves many people.",
        "Please read the instructions before you start.",
        "The configuration file could not be read.",
        "Write to us if you have any questions about the report.",
    ]
    out = run("engine", "en", "es", request={"texts": msgids})["outputs"]
    results = [check_one(i, o) for i, o in zip(msgids, out)]
    assert all(r.verdict == "fail" for r in results), [(r.msgstr, r.findings) for r in results]


def test_truncated():
    msgid = "obsolete compression type; use xz or gzip instead"
    assert "fail" in severities(run("truncated", msgid, "tipo de compresión obsoleto; utilice xz o"))
    assert "fail" in severities(run("truncated", "Save the file to disk", "Guardar el archivo en el"))
    assert run("truncated", msgid, "tipo de compresión obsoleto; utilice xz o gzip") == []
    assert run("truncated", "Look it up", "Búsquelo") == []


def test_catalan_elision_and_foreign_letters_fail():
    assert "fail" in severities(run("language", "%s: input contains an odd number of tokens",
                                    "%s: l’entrada conté un nombre senar de components"))
    assert "fail" in severities(run("language", "malloc failed", "malloc não funcionou"))
    assert run("language", "Argument is not a number", "El argumento no es un número") == []
    assert run("language", "ambiguous input", "entrada ambigua, pingüino") == []  # güi is Spanish


def test_markdown_code_spans_with_quotes_are_not_gnu_quotes():
    """`'prod'` and `1.0.0` when it's … are Markdown code spans; `--help' is a GNU quotation."""
    from translate.check.signals import _tokens

    text = "Use `'prod'` or `1.0.0` when it's a child of `x`; see `--help' too."
    assert [text[a:b] for a, b, _k in _tokens(text)] == ["`'prod'`", "`1.0.0`", "`x`"]
