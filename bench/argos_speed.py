"""Batched ArgosEngine vs argostranslate.translate.translate() once per sentence.

Builds the tiny en→es test package (tests/tiny_argos.py), installs it into a temporary
ARGOS_PACKAGES_DIR, and times both paths on the same short English sentences, each in
its own interpreter (argos reads its settings at import time), after the model is
loaded. Both use the same beam size and compute type, and the outputs are compared.

    .venv/bin/python bench/argos_speed.py [--sentences 2000] [--beam 2]

The tiny model does little arithmetic, so this measures mostly per-call overhead (argos
runs its sentence splitter and one CTranslate2 call per sentence); with a real model the
batching gain is smaller in ratio but larger in seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
sys.path.insert(0, str(TESTS))

from tiny_argos import build_tiny_argos_package, generate_text, isolated_argos_env, run_argos_helper  # noqa: E402


def _run(env: dict[str, str], *args: str, request: dict | None = None) -> dict:
    proc = run_argos_helper(env, *args, request=request)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    result = json.loads(proc.stdout)
    if "error" in result:
        raise SystemExit(f"{result['error']}: {result['message']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--beam", type=int, default=2)
    options = parser.parse_args()

    # English lines of the generator: 3-12 words, some with a comma or a number, one sentence each
    sentences = generate_text(seed=42, lines=2 * options.sentences)[::2]

    with tempfile.TemporaryDirectory(prefix="argos-bench-") as tmp:
        root = Path(tmp)
        env = isolated_argos_env(root, ARGOS_BEAM_SIZE=str(options.beam), ARGOS_COMPUTE_TYPE="int8")
        package = build_tiny_argos_package(root / "dist", "en", "es", seed=0)
        print("package:", *_run(env, "install-file", str(package))["labels"])

        engine = _run(
            env, "engine", "en", "es", request={"texts": sentences, "options": {"beam_size": options.beam}}
        )
        argos = _run(env, "argos-translate", "en", "es", request={"texts": sentences})

    n = len(sentences)
    batched = n / engine["seconds"]
    single = n / argos["seconds"]
    same = sum(a == b for a, b in zip(engine["outputs"], argos["outputs"]))
    print(f"sentences: {n}, beam size {options.beam}, compute type int8, CPU")
    print(f"ArgosEngine.translate_batch:          {batched:10.1f} sentences/s "
          f"({engine['seconds']:.2f} s, {len(engine['calls'])} CTranslate2 call(s))")
    print(f"argostranslate.translate.translate(): {single:10.1f} sentences/s ({argos['seconds']:.2f} s)")
    print(f"ratio: {batched / single:.1f}x; identical outputs: {same}/{n}")


if __name__ == "__main__":
    main()
