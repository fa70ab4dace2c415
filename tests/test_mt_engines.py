"""`translate mt` through the real engines: Argos (a tiny genuine package) and Apertium.

Argos runs in subprocesses whose environment keeps every argos folder in tmp_path
(argostranslate reads its settings at import time).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from translate.mt.engines.apertium import ApertiumEngine
from translate.po.pofile import read_po
from translate.mt.protect import Shielded, restore, shield

from .conftest import msgfmt_check

TOKENS = {
    "url": "Read https://example.org/path/a.html?x=1 first.",
    "email": "Write to press@example.org today.",
    "phone": "Call +506 2212 5304 now.",
    "printf": "Saved %d files in %s.",
    "python-format": "Hello %(name)s, welcome.",
    "placeholder": "You have {count} new messages.",
    "inline code": "Run `make test` before you commit.",
    "link target": "See [the guide](https://example.org/guide.md) for details.",
    "html tag": "This is <b>important</b> news.",
}


def cli(env: dict[str, str], project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "translate", "--project", str(project), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_mt_with_argos_package_installed_through_the_cli(argos_env, packages, project):
    # install both directions from .argosmodel files with our CLI
    for key in ("en-es", "es-en"):
        r = cli(argos_env, project, "engines", "install", "argos", *key.split("-"), "--file", str(packages[key]))
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("installed ")
    r = cli(argos_env, project, "engines")
    assert r.returncode == 0
    assert "argos     en → es" in r.stdout and "argos     es → en" in r.stdout

    sentences = [f"The report number {i} was published today." for i in range(40)] + list(TOKENS.values())
    (project / "source" / "doc.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    assert cli(argos_env, project, "segment").returncode == 0
    assert cli(argos_env, project, "update", "--lang", "es").returncode == 0
    r = cli(argos_env, project, "mt", "--lang", "es", "--batch-size", "1000")  # auto: Argos is installed
    assert r.returncode == 0, r.stderr
    assert "engine: argos (argostranslate" in r.stdout
    assert "1 engine batch)" in r.stdout  # all segments in one batched call
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "doc.po"
    assert msgfmt_check(po_path).returncode == 0
    po = read_po(po_path)
    live = [e for e in po if not e.obsolete]
    assert len(live) == len(sentences)
    for e in live:
        # gibberish, but one output per input, each with its provenance naming the package
        assert "fuzzy" in e.flags
        assert "mt: argos (argostranslate " in e.tcomment and "translate-en_es" in e.tcomment
        assert e.msgstr
    # tokens the tiny model did not carry through are flagged, never re-inserted by guess
    for kind, text in TOKENS.items():
        e = po.find(text)
        shielded = shield(text)
        for tok in shielded.tokens:
            assert tok.source in e.msgstr or "was dropped by the engine" in e.comment or "repeated" in e.comment, kind
    # second run: no engine call
    r = cli(argos_env, project, "mt", "--lang", "es")
    assert r.returncode == 0 and "nothing to translate" in r.stdout


def test_mt_engine_missing_one_direction_is_reported(argos_env, packages, project):
    r = cli(argos_env, project, "engines", "install", "argos", "en", "es", "--file", str(packages["en-es"]))
    assert r.returncode == 0, r.stderr
    r = cli(argos_env, project, "engines")
    assert "argos     en → es" in r.stdout
    assert "argos     es → en" not in r.stdout


def test_corrupt_argosmodel_is_a_one_line_error(argos_env, project, tmp_path):
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    r = cli(argos_env, project, "engines", "install", "argos", "en", "es", "--file", str(bad))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "broken.argosmodel" in r.stderr


@pytest.mark.parametrize("kind", sorted(TOKENS))
def test_every_protected_token_survives_apertium(kind):
    text = TOKENS[kind]
    shielded = shield(text)
    assert shielded.tokens, kind
    out = ApertiumEngine.load("en", "es").translate_batch([shielded.text])[0]
    restored = restore(out, shielded)
    assert restored.problems == (), (kind, out)
    for tok in shielded.tokens:
        assert restored.text.count(tok.source) == 1, (kind, restored.text)


def test_a_mangled_token_is_flagged():
    shielded = shield("Run `make test` and call +506 2212 5304.")
    assert len(shielded.tokens) == 2
    restored = restore("Ejecuta ZXQ1 y llama ZXQ1.", shielded)
    assert "phone '+506 2212 5304' was dropped by the engine" in restored.problems
    assert "inline code '`make test`' was repeated 2 times by the engine" in restored.problems
    assert restore("Sin nada.", Shielded("x", shielded.tokens)).problems


def test_reference_link_whose_label_holds_inline_code_stays_whole():
    from translate.mt.protect import find_tokens

    text = "See [`==` operator][] and `a[0]` here."
    assert [(text[a:b], k) for a, b, k in find_tokens(text, markdown=True)] == [
        ("[`==` operator][]", "reference link"),
        ("`a[0]`", "inline code"),
    ]
    shielded = shield(text, markdown=True)
    assert "operator" not in shielded.text and "[" not in shielded.text
    assert restore(shielded.text, shielded).text == text
