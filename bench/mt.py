"""Machine-translation benchmark: `translate mt` against the raw engines, in one run.

    .venv/bin/python bench/mt.py [--sentences 2000]

On the same real English sentences (bench/corpus.py) and the same machine:

- Apertium: `translate mt --engine apertium` (the whole command: start-up, reading and
  writing the catalogue, protection, alignment) vs raw `apertium eng-spa` over the same
  sentences in one call (one sentence per line). Target: ≤ 1.3×.
- Argos, the tiny test package (tests/tiny_argos.py) and any real en→es package installed
  in the default Argos folder: our batched engine vs `argostranslate.translate.translate()`
  called once per sentence, same package, beam size and compute type. Target: ≥ 5×.
- A second `translate mt` on unchanged sources. Target: ≤ 5 % of the cold run.
- Peak memory (max RSS) of each process.

Each measurement runs in its own process; times are wall-clock seconds on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from corpus import english_sentences  # noqa: E402

TRANSLATE = [sys.executable, "-m", "translate"]

_WRAP = """
import json, resource, subprocess, sys, time
stdin = sys.stdin.buffer.read()
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
dt = time.perf_counter() - t
sys.stderr.buffer.write(p.stderr)
print(json.dumps({"seconds": dt, "rc": p.returncode, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "stdout": p.stdout.decode("utf-8", "replace")[-4000:]}))
"""


def measure(cmd: list[str], *, env: dict[str, str] | None = None, stdin: bytes = b"", cwd: Path | None = None) -> dict:
    """Run ``cmd`` in a fresh wrapper process: wall time and the peak RSS of its process tree."""
    p = subprocess.run([sys.executable, "-c", _WRAP, *cmd], input=stdin, capture_output=True, env=env, cwd=cwd)
    if p.returncode != 0:
        raise SystemExit(p.stderr.decode())
    out = json.loads(p.stdout)
    if out["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr.decode()}")
    return out


def make_project(root: Path, sentences: list[str], env: dict[str, str]) -> Path:
    proj = root / "project"
    (proj / "source").mkdir(parents=True)
    (proj / "source" / "bench.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    for args in (["segment"], ["update", "--lang", "es"]):
        subprocess.run(TRANSLATE + ["--project", str(proj), "-q", *args], check=True, env=env)
    return proj


def reset_catalogue(proj: Path, env: dict[str, str]) -> None:
    shutil.rmtree(proj / "locales" / "es")
    subprocess.run(TRANSLATE + ["--project", str(proj), "-q", "update", "--lang", "es"], check=True, env=env)


def spm_tokens(package: Path, sentences: list[str]) -> int:
    import sentencepiece

    with zipfile.ZipFile(package) as z:
        name = next(n for n in z.namelist() if n.endswith("sentencepiece.model"))
        sp = sentencepiece.SentencePieceProcessor(model_proto=z.read(name))
    return sum(len(sp.encode(s)) for s in sentences)


BASELINE = """
import json, sys, time
import argostranslate.translate as T
texts = json.load(sys.stdin)
langs = {l.code: l for l in T.get_installed_languages()}
tr = langs["en"].get_translation(langs["es"])
tr.translate("Warm up.")
t = time.perf_counter()
out = [tr.translate(s) for s in texts]
print(json.dumps({"seconds": time.perf_counter() - t, "n": len(out)}))
"""


def argos_rows(label: str, env: dict[str, str], sentences: list[str], root: Path, tokens: int | None) -> list[list[str]]:
    n = len(sentences)
    proj = make_project(root / label, sentences, env)
    ours = measure(TRANSLATE + ["--project", str(proj), "-q", "mt", "--lang", "es", "--engine", "argos", "--batch-size", str(n)], env=env)
    base = measure([sys.executable, "-c", BASELINE], env=env, stdin=json.dumps(sentences).encode())
    base_inner = json.loads(base["stdout"])["seconds"]
    rows = [
        [f"argos {label}: translate mt (whole command)", f"{ours['seconds']:.2f}", f"{n / ours['seconds']:.0f}",
         f"{tokens / ours['seconds']:.0f}" if tokens else "-", f"{ours['maxrss_kb'] / 1024:.0f}", ""],
        [f"argos {label}: translate() per sentence (model loaded)", f"{base_inner:.2f}", f"{n / base_inner:.0f}",
         f"{tokens / base_inner:.0f}" if tokens else "-", f"{base['maxrss_kb'] / 1024:.0f}",
         f"ours {base_inner / ours['seconds']:.1f}x faster (target ≥ 5x)"],
    ]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sentences", type=int, default=2000)
    opts = ap.parse_args()
    sentences = english_sentences(opts.sentences)
    words = sum(len(s.split()) for s in sentences)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    table: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="mt-bench-") as tmp:
        root = Path(tmp)
        # -- Apertium ---------------------------------------------------------------------------
        if shutil.which("apertium"):
            raw = measure(["apertium", "eng-spa"], stdin=("\n".join(sentences) + "\n").encode())
            proj = make_project(root / "apertium", sentences, env)
            cold = measure(TRANSLATE + ["--project", str(proj), "-q", "mt", "--lang", "es", "--engine", "apertium", "--batch-size", "5000"], env=env)
            warm = measure(TRANSLATE + ["--project", str(proj), "-q", "mt", "--lang", "es", "--engine", "apertium"], env=env)
            table += [
                ["apertium eng-spa (raw, one call)", f"{raw['seconds']:.2f}", f"{len(sentences) / raw['seconds']:.0f}", "-", f"{raw['maxrss_kb'] / 1024:.0f}", ""],
                ["apertium: translate mt (whole command)", f"{cold['seconds']:.2f}", f"{len(sentences) / cold['seconds']:.0f}", "-",
                 f"{cold['maxrss_kb'] / 1024:.0f}", f"{cold['seconds'] / raw['seconds']:.2f}x raw (target ≤ 1.3x)"],
                ["apertium: translate mt again, unchanged", f"{warm['seconds']:.2f}", "-", "-", f"{warm['maxrss_kb'] / 1024:.0f}",
                 f"{100 * warm['seconds'] / cold['seconds']:.1f}% of cold (target ≤ 5%)"],
            ]
        else:
            table.append(["apertium", "not installed", "", "", "", "apt-get install apertium-eng-spa"])
        # -- Argos: the tiny package --------------------------------------------------------------
        from tiny_argos import build_tiny_argos_package, isolated_argos_env

        aenv = isolated_argos_env(root / "argos", ARGOS_BEAM_SIZE="2", ARGOS_COMPUTE_TYPE="int8")
        package = build_tiny_argos_package(root / "dist", "en", "es", seed=0)
        subprocess.run(TRANSLATE + ["engines", "install", "argos", "en", "es", "--file", str(package)], check=True, env=aenv, capture_output=True)
        table += argos_rows("tiny", aenv, sentences, root, spm_tokens(package, sentences))
        # -- Argos: a real package, if one is installed in the default folder -----------------------
        probe = subprocess.run(TRANSLATE + ["engines"], capture_output=True, text=True, env=env)
        if "argos     en → es" in probe.stdout:
            table += argos_rows("installed", env, sentences, root, None)
        else:
            table.append(["argos: real en→es package", "not installed", "", "", "", "translate engines install argos en es"])

    head = ["run", "seconds", "sentences/s", "tokens/s", "peak MB", "ratio"]
    widths = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]
    print(f"{len(sentences)} sentences, {words} words of real English prose; {os.cpu_count()} CPUs")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in table:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")


if __name__ == "__main__":
    main()
