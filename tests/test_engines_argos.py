"""Tests of translate/engines/argos.py with tiny genuine Argos packages (tests/tiny_argos.py).

argostranslate reads ARGOS_PACKAGES_DIR, ARGOS_PACKAGE_INDEX and the XDG folders once, at
import time, and creates its folders then. So nothing here imports it: every scenario runs
tests/argos_subprocess.py in a fresh interpreter whose environment points all of argos'
folders into the test's tmp_path, with the package index on 127.0.0.1 (a closed port unless
a test serves one), so no test touches the network or the user's home.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from tiny_argos import build_tiny_argos_package, generate_text, run_argos_helper, serve_package_index  # noqa: E402

from .conftest import CLOSED_INDEX  # noqa: E402  (fixtures `packages` and `argos_env` live in conftest)


def run(env: dict[str, str], *args: str, request: dict | None = None) -> dict:
    proc = run_argos_helper(env, *args, request=request, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def install(env, *paths: Path) -> list[str]:
    result = run(env, "install-file", *map(str, paths))
    assert "error" not in result, result
    return result["labels"]


# --------------------------------------------------------------------------- the fixture package


def test_tiny_package_is_deterministic(packages, tmp_path):
    again = build_tiny_argos_package(tmp_path, "en", "es", seed=0)
    assert again.name == "translate-en_es-1_0.argosmodel"
    assert again.read_bytes() == packages["en-es"].read_bytes()
    other = build_tiny_argos_package(tmp_path / "other", "en", "es", seed=5)
    assert other.read_bytes() != again.read_bytes()


def test_tiny_package_layout(packages):
    with zipfile.ZipFile(packages["en-es"]) as zf:
        names = set(zf.namelist())
        metadata = json.loads(zf.read("translate-en_es-1_0/metadata.json"))
    for name in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json",
                 "model/shared_vocabulary.json", "minisbd/tiny-en.onnx"):
        assert f"translate-en_es-1_0/{name}" in names
    assert metadata["from_code"] == "en" and metadata["to_code"] == "es"
    assert metadata["package_version"] == "1.0" and metadata["type"] == "translate"


# --------------------------------------------------------------------------- installing


def test_import_has_no_side_effects(argos_env, tmp_path):
    assert run(argos_env, "import-only") == {"modules": []}
    for folder in ("data", "config", "cache", "packages"):
        assert not (tmp_path / folder).exists()


def test_install_from_file_and_installed_pairs(packages, argos_env, tmp_path):
    assert run(argos_env, "pairs") == {"pairs": []}
    labels = install(argos_env, packages["en-es"], packages["es-en"])
    assert labels == ["translate-en_es 1.0", "translate-es_en 1.0"]
    assert (tmp_path / "packages" / "translate-en_es-1_0" / "model" / "model.bin").is_file()
    assert run(argos_env, "pairs")["pairs"] == [
        ["en", "es", "translate-en_es 1.0"],
        ["es", "en", "translate-es_en 1.0"],
    ]
    # installing again replaces the package
    assert install(argos_env, packages["en-es"]) == ["translate-en_es 1.0"]
    assert len(run(argos_env, "pairs")["pairs"]) == 2


def test_install_from_index(packages, argos_env, tmp_path):
    with serve_package_index([packages["en-es"], packages["es-en"]]) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        env = dict(argos_env, ARGOS_PACKAGE_INDEX=url)
        assert run(env, "install-index", "en", "es") == {"label": "translate-en_es 1.0"}
        assert run(env, "pairs")["pairs"] == [["en", "es", "translate-en_es 1.0"]]
        missing = run(env, "install-index", "fr", "de")
    assert missing["error"] == "EngineMissingError"
    assert "fr→de" in missing["message"] and url in missing["message"]
    assert (tmp_path / "data" / "argos-translate" / "index.json").is_file()
    assert list((tmp_path / "cache" / "argos-translate" / "downloads").iterdir()) == []


def test_install_from_unreachable_index(argos_env):
    result = run(argos_env, "install-index", "en", "es")
    assert result["error"] == "EngineError"
    assert CLOSED_INDEX + "index.json" in result["message"]
    assert "\n" not in result["message"]


def test_install_from_index_with_a_corrupt_download(packages, argos_env, tmp_path):
    broken = packages["en-es"].read_bytes()[:5000]
    with serve_package_index([packages["en-es"]], replace={packages["en-es"].name: broken}) as url:
        result = run(dict(argos_env, ARGOS_PACKAGE_INDEX=url), "install-index", "en", "es")
    assert result["error"] == "EngineError"
    assert url + packages["en-es"].name in result["message"]
    assert "\n" not in result["message"]
    assert not (tmp_path / "packages").exists() or list((tmp_path / "packages").iterdir()) == []
    assert list((tmp_path / "cache" / "argos-translate" / "downloads").iterdir()) == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "no-metadata", "bad-json", "no-model"])
def test_corrupt_package_names_the_file(damage, packages, argos_env, tmp_path):
    bad = tmp_path / f"broken-{damage}.argosmodel"
    good = packages["en-es"].read_bytes()
    if damage == "garbage":
        bad.write_bytes(b"this is not a zip archive\n" * 10)
    elif damage == "truncated":
        bad.write_bytes(good[: len(good) // 2])
    else:
        with zipfile.ZipFile(packages["en-es"]) as src, zipfile.ZipFile(bad, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if damage == "no-metadata" and item.filename.endswith("metadata.json"):
                    continue
                if damage == "bad-json" and item.filename.endswith("metadata.json"):
                    data = b"{not json"
                if damage == "no-model" and "/model/" in item.filename:
                    continue
                dst.writestr(item, data)
    result = run(argos_env, "install-file", str(bad))
    assert result["error"] == "EngineError"
    assert str(bad) in result["message"]
    assert "\n" not in result["message"]
    packages_dir = tmp_path / "packages"
    assert not packages_dir.exists() or list(packages_dir.iterdir()) == []


def test_missing_file(argos_env, tmp_path):
    result = run(argos_env, "install-file", str(tmp_path / "nowhere.argosmodel"))
    assert result["error"] == "EngineError" and "nowhere.argosmodel" in result["message"]


def test_missing_pair(packages, argos_env):
    result = run(argos_env, "engine", "en", "es", request={"texts": ["Hello."]})
    assert result["error"] == "EngineMissingError"
    assert "en→es" in result["message"]
    install(argos_env, packages["es-en"])
    result = run(argos_env, "engine", "en", "fr", request={"texts": ["Hello."]})
    assert result["error"] == "EngineMissingError"


def test_broken_package_folder_is_named(packages, argos_env, tmp_path):
    install(argos_env, packages["en-es"])
    (tmp_path / "packages" / "stray-folder").mkdir()
    result = run(argos_env, "pairs")
    assert result["error"] == "EngineError" and "stray-folder" in result["message"]


# --------------------------------------------------------------------------- translating


TEXTS = generate_text(seed=11, lines=120)[::2] + [
    "",
    "   ",
    "The cat reads a book.",
    "\tIndented and trailing  ",
    "Two lines\nin one entry.",
    "Unknown characters: ü ß 漢字 😀 @#",
    "",
]


def test_translate_batch_one_output_per_input_in_order(packages, argos_env):
    install(argos_env, packages["en-es"], packages["es-en"])
    result = run(argos_env, "engine", "en", "es", request={"texts": TEXTS, "single": True})
    assert result["name"] == "argos"
    assert result["version"].startswith("argostranslate 1.")
    assert result["version"].endswith(" / translate-en_es 1.0")
    outputs = result["outputs"]
    assert len(outputs) == len(TEXTS)
    # batched output is what the same engine gives for each text alone, so nothing moved
    assert outputs == result["single_outputs"]
    for text, output in zip(TEXTS, outputs):
        if text.strip():
            assert output.strip(), text
            assert output.count("\n") == text.count("\n")
        else:
            assert output == ""
    assert outputs[TEXTS.index("\tIndented and trailing  ")].startswith("\t")
    assert outputs[TEXTS.index("\tIndented and trailing  ")].endswith("  ")
    # every nonblank line went to CTranslate2 in one call, batched by tokens
    units = sum(len([line for line in t.split("\n") if line.strip()]) for t in TEXTS)
    assert len(result["calls"]) == 1
    call = result["calls"][0]
    assert call["examples"] == units
    assert call["batch_type"] == "tokens" and call["max_batch_size"] == 4096 and call["beam_size"] == 2
    assert len(result["single_calls"]) == len([t for t in TEXTS if t.strip()])
    # the other direction is another model
    back = run(argos_env, "engine", "es", "en", request={"texts": TEXTS[:5]})
    assert back["version"].endswith("translate-es_en 1.0")
    assert back["outputs"] != outputs[:5]


def test_translate_batch_splits_large_inputs_into_a_few_calls(packages, argos_env):
    install(argos_env, packages["en-es"])
    texts = generate_text(seed=3, lines=300)
    big = run(argos_env, "engine", "en", "es", request={"texts": texts})
    small = run(argos_env, "engine", "en", "es", request={"texts": texts, "options": {"max_batch_tokens": 32}})
    assert len(big["calls"]) == 1
    assert 1 < len(small["calls"]) < 20
    assert sum(c["examples"] for c in small["calls"]) == len(texts)
    assert all(c["tokens"] <= 32 * 16 for c in small["calls"])
    # calls are sorted by length: short sentences first
    assert small["calls"][0]["tokens"] / small["calls"][0]["examples"] <= small["calls"][-1]["tokens"] / small["calls"][-1]["examples"]
    assert small["outputs"] == big["outputs"]


def test_engine_matches_argostranslate_translate(packages, argos_env):
    """With the same beam size, argos' own per-text path gives the same translations.

    This also shows that argostranslate.translate.translate() runs offline here: the tiny
    package ships a MiniSBD model, so argos' sentence splitter downloads nothing.
    """
    install(argos_env, packages["en-es"])
    texts = generate_text(seed=4, lines=20)  # one sentence each, no underscores
    engine = run(argos_env, "engine", "en", "es", request={"texts": texts})
    env = dict(argos_env, ARGOS_BEAM_SIZE="2", ARGOS_COMPUTE_TYPE="int8")
    argos = run(env, "argos-translate", "en", "es", request={"texts": texts})
    assert argos["outputs"] == engine["outputs"]


def test_target_prefix(packages, argos_env):
    install(argos_env, packages["en-es-prefix"])
    texts = ["The cat reads a book.", "Hello world!", ""]
    result = run(argos_env, "engine", "en", "es", request={"texts": texts, "single": True})
    assert result["calls"][0]["target_prefix"] == [["__es__"]] * 2
    assert result["outputs"] == result["single_outputs"]
    assert all("__es__" not in out for out in result["outputs"])
    assert result["outputs"][0] and result["outputs"][2] == ""
