"""A tiny but genuine Argos Translate package, built in a few seconds, for tests.

``build_tiny_argos_package(dest_dir)`` writes ``translate-en_es-1_0.argosmodel``: a zip
archive holding one folder with

* ``metadata.json``         what ``argostranslate.package.Package`` reads;
* ``sentencepiece.model``   a SentencePiece model trained here on generated text;
* ``model/``                a CTranslate2 Transformer (``ctranslate2.specs``) whose weights
                            are seeded random numbers; its vocabulary is the SentencePiece one;
* ``minisbd/tiny.onnx``     a small ONNX sentence-boundary model in MiniSBD's format (it ends a
                            sentence after ``.``, ``!`` or ``?``). Argos' default sentence
                            splitter (MiniSBD) uses a packaged model when there is one and would
                            otherwise download ``en.onnx`` on first use: with this folder,
                            ``argostranslate.translate.translate()`` runs with no network;
* ``README.md``.

The translations are gibberish, deterministically so for a given seed. Everything, the
zip included, is byte-for-byte the same for the same arguments.

``serve_package_index(packages)`` serves an Argos package index (``index.json``) and the
packages themselves on 127.0.0.1, for ``ARGOS_PACKAGE_INDEX``.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import random
import struct
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Iterator, Sequence

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German"}

_EN_WORDS = (
    "the a cat dog house river book table window street city garden small large red green "
    "blue old new quick slow happy sad runs walks reads writes sees opens closes eats "
    "drinks sleeps under over near with from into and but or because when while today "
    "tomorrow yesterday morning evening night friend teacher student mother father child "
    "water bread coffee letter door road tree flower music language translation reviewer "
    "catalogue sentence paragraph chapter edition source file check build"
).split()
_ES_WORDS = (
    "el la los las un una gato perro casa río libro mesa ventana calle ciudad jardín "
    "pequeño grande rojo verde azul viejo nuevo rápido lento feliz triste corre camina lee "
    "escribe ve abre cierra come bebe duerme bajo sobre cerca con desde hacia y pero o "
    "porque cuando mientras hoy mañana ayer noche amigo maestro estudiante madre padre niño "
    "agua pan café carta puerta camino árbol flor música idioma traducción revisora "
    "catálogo oración párrafo capítulo edición fuente archivo comprobar construir señor año"
).split()
_PUNCT = [".", ".", ".", "!", "?"]

# MiniSBD's classes: 0 inside a token, 1 end of token, 2 end of sentence, 3/4 multi-word token.
_SBD_CLASSES = 5
_SENTENCE_END_CHARS = ".!?"

# CTranslate2's position encoding is [sin(t * 10000**(-i/31)), cos(...)] for d_model 64:
# dimension 13 rises from 0 at t=0 to about 0.4 at t=20.
EOS_POSITION_DIM = 13
EOS_RAMP = 25.0


def generate_text(seed: int = 0, lines: int = 400) -> list[str]:
    """English- and Spanish-looking sentences, the same ones for the same seed."""
    rng = random.Random(seed)
    out = []
    for i in range(lines):
        words = _EN_WORDS if i % 2 == 0 else _ES_WORDS
        n = rng.randint(3, 12)
        sentence = " ".join(rng.choice(words) for _ in range(n))
        if rng.random() < 0.3:
            sentence += f" {rng.randint(0, 2025)}"
        if rng.random() < 0.2:
            cut = rng.randint(1, n)
            parts = sentence.split(" ")
            sentence = " ".join(parts[:cut]) + ", " + " ".join(parts[cut:])
        out.append(sentence[0].upper() + sentence[1:] + rng.choice(_PUNCT))
    return out


# --------------------------------------------------------------------------- SentencePiece


def _train_sentencepiece(lines: Sequence[str], vocab_size: int, extra_symbols: Sequence[str]) -> bytes:
    import sentencepiece as spm

    writer = io.BytesIO()
    options = dict(
        sentence_iterator=iter(lines),
        model_writer=writer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        minloglevel=2,
    )
    if extra_symbols:
        options["user_defined_symbols"] = list(extra_symbols)
    spm.SentencePieceTrainer.train(**options)
    return writer.getvalue()


# --------------------------------------------------------------------------- CTranslate2


def _set_random_weights(
    spec, rng, d_model: int, ffn: int, vocab: int, eos_id: int, suppress: Sequence[int] = ()
) -> None:
    """Give every unset variable of a Transformer spec a seeded random value of the right shape."""
    import numpy as np
    from ctranslate2.specs import model_spec

    def shape_of(name: str) -> tuple[int, ...]:
        parts = name.split("/")
        leaf, parent = parts[-1], parts[-2]
        if parent.startswith("embeddings"):
            return (vocab, d_model)
        if parent == "projection":
            return (vocab, d_model) if leaf == "weight" else (vocab,)
        if leaf in ("gamma", "beta"):
            return (d_model,)
        block, linear = parts[-3], parent
        if block == "ffn":
            return (ffn, d_model) if linear == "linear_0" else (d_model, ffn)
        if block == "self_attention":
            return (3 * d_model, d_model) if linear == "linear_0" else (d_model, d_model)
        if block == "attention":  # encoder-decoder attention: query, fused key/value, output
            return (2 * d_model, d_model) if linear == "linear_1" else (d_model, d_model)
        raise ValueError(f"no shape known for {name}")

    todo: list[str] = []

    def collect(layer, name, value):
        if value is None:
            todo.append(name)

    model_spec.visit_spec(spec, collect)
    for name in sorted(todo):
        shape = shape_of(name)
        leaf = name.rsplit("/", 1)[-1]
        if leaf == "gamma":
            value = 1.0 + 0.1 * rng.standard_normal(shape)
        elif leaf == "beta":
            value = 0.1 * rng.standard_normal(shape)
        else:
            value = rng.standard_normal(shape) / np.sqrt(shape[-1])
        layer = model_spec.index_spec(spec, name.rsplit("/", 1)[0])
        setattr(layer, leaf, value.astype(np.float32))

    # Random weights alone decode until max_decoding_length (256 tokens) in repetition
    # loops. To end sentences after a few tokens, the decoder's residual stream keeps
    # one dimension that nothing writes into but the sinusoidal position encoding (a slowly
    # rising sine), and only </s> reads it in the output projection: the end of sentence
    # becomes likelier with every step (outputs of some 4-30 tokens). <unk> and <s> are never produced.
    k = EOS_POSITION_DIM
    decoder = spec.decoder
    decoder.embeddings.weight[:, k] = 0.0
    for layer in decoder.layer:
        layer.self_attention.linear[1].weight[k, :] = 0.0
        layer.attention.linear[2].weight[k, :] = 0.0
        layer.ffn.linear_1.weight[k, :] = 0.0
    decoder.layer_norm.gamma[k] = 1.0
    decoder.layer_norm.beta[k] = 0.0
    decoder.projection.weight[:, k] = 0.0
    decoder.projection.weight[eos_id, k] = EOS_RAMP
    bias = (0.1 * rng.standard_normal(vocab)).astype(np.float32)
    bias[:eos_id] = -10.0
    bias[eos_id] = -1.0
    bias[list(suppress)] = -10.0  # e.g. the target prefix: only ever given, never generated
    decoder.projection.bias = bias


def _build_ctranslate2_model(out_dir: Path, vocab: list[str], seed: int, suppress: Sequence[str] = ()) -> None:
    import numpy as np
    from ctranslate2.specs import transformer_spec

    d_model, heads, ffn, layers = 64, 4, 128, 2
    spec = transformer_spec.TransformerSpec.from_config(layers, heads)
    rng = np.random.default_rng(seed)
    _set_random_weights(
        spec, rng, d_model, ffn, len(vocab), eos_id=vocab.index("</s>"), suppress=[vocab.index(t) for t in suppress]
    )
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization="int8")
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


# --------------------------------------------------------------------------- MiniSBD (ONNX)
# The ONNX file is written as protobuf by hand (the `onnx` package is not needed): the
# graph is logits = Gather(table, units) + MatMul(features, weights), with MiniSBD's
# "config" and "vocab" in the model's metadata_props, as MiniSBD reads them.


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field_bytes(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _field_str(number: int, text: str) -> bytes:
    return _field_bytes(number, text.encode("utf-8"))


def _field_int(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


_ONNX_FLOAT, _ONNX_INT64 = 1, 7


def _onnx_tensor(name: str, dims: Sequence[int], values: Sequence[float]) -> bytes:
    raw = struct.pack(f"<{len(values)}f", *values)
    return b"".join(_field_int(1, d) for d in dims) + _field_int(2, _ONNX_FLOAT) + _field_str(8, name) + _field_bytes(9, raw)


def _onnx_value_info(name: str, elem_type: int, dims: Sequence[int | str]) -> bytes:
    shape = b"".join(
        _field_bytes(1, _field_int(1, d) if isinstance(d, int) else _field_str(2, d)) for d in dims
    )
    tensor_type = _field_int(1, elem_type) + _field_bytes(2, shape)
    return _field_str(1, name) + _field_bytes(2, _field_bytes(1, tensor_type))


def _onnx_node(op: str, inputs: Sequence[str], outputs: Sequence[str], name: str) -> bytes:
    return (
        b"".join(_field_str(1, i) for i in inputs)
        + b"".join(_field_str(2, o) for o in outputs)
        + _field_str(3, name)
        + _field_str(4, op)
    )


def build_minisbd_model(units: Sequence[str], lang: str) -> bytes:
    """A MiniSBD-format ONNX model: every character continues the sentence, except
    ``.``, ``!`` and ``?``, which end it."""
    id2unit = ["<PAD>", "<UNK>"] + sorted(set(units) - {"<PAD>", "<UNK>"})
    table: list[float] = []
    for unit in id2unit:
        row = [0.0] * _SBD_CLASSES
        row[2 if unit in _SENTENCE_END_CHARS else 0] = 1.0
        table.extend(row)
    feat_funcs = ["space_before"]
    graph = (
        _field_bytes(1, _onnx_node("Gather", ["table", "units"], ["by_unit"], "gather"))
        + _field_bytes(1, _onnx_node("MatMul", ["features", "feature_weights"], ["by_feature"], "matmul"))
        + _field_bytes(1, _onnx_node("Add", ["by_unit", "by_feature"], ["logits"], "add"))
        + _field_str(2, "tiny_sbd")
        + _field_bytes(5, _onnx_tensor("table", [len(id2unit), _SBD_CLASSES], table))
        + _field_bytes(5, _onnx_tensor("feature_weights", [len(feat_funcs), _SBD_CLASSES], [0.0] * (len(feat_funcs) * _SBD_CLASSES)))
        + _field_bytes(11, _onnx_value_info("units", _ONNX_INT64, ["batch", "length"]))
        + _field_bytes(11, _onnx_value_info("features", _ONNX_FLOAT, ["batch", "length", len(feat_funcs)]))
        + _field_bytes(12, _onnx_value_info("logits", _ONNX_FLOAT, ["batch", "length", _SBD_CLASSES]))
    )
    config = {"feat_funcs": feat_funcs, "max_seqlen": 1000, "batch_size": 32, "skip_newline": False}
    vocab = {
        "lang": lang,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(id2unit)},
        "_id2unit": id2unit,
    }
    metadata = {"lang_code": lang, "config": json.dumps(config), "vocab": json.dumps(vocab)}
    return (
        _field_int(1, 8)  # ir_version
        + _field_str(2, "tests/tiny_argos.py")
        + _field_bytes(7, graph)
        + _field_bytes(8, _field_str(1, "") + _field_int(2, 13))  # opset_import: ai.onnx 13
        + b"".join(_field_bytes(14, _field_str(1, k) + _field_str(2, v)) for k, v in metadata.items())
    )


# --------------------------------------------------------------------------- the package


def package_name(from_code: str, to_code: str, version: str = "1.0") -> str:
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def _write_zip(zip_path: Path, root: Path) -> None:
    """Zip ``root`` (folder included) with fixed timestamps and order, so bytes are reproducible."""
    tmp = zip_path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        paths = [root] + sorted(root.rglob("*"))
        for path in paths:
            arcname = path.relative_to(root.parent).as_posix()
            if path.is_dir():
                info = zipfile.ZipInfo(arcname + "/", date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    tmp.replace(zip_path)


def build_tiny_argos_package(
    dest_dir: str | Path,
    from_code: str = "en",
    to_code: str = "es",
    seed: int = 0,
    *,
    package_version: str = "1.0",
    target_prefix: str = "",
    with_sbd: bool = True,
) -> Path:
    """Build ``<dest_dir>/translate-<from>_<to>-<version>.argosmodel`` and return its path.

    ``target_prefix`` (e.g. ``"__es__"``) is written to metadata.json and added to the
    vocabulary as a user-defined symbol, as multilingual Argos packages do. ``with_sbd=False``
    leaves out the packaged MiniSBD model (then argos' own translate() would download one).
    """
    import sentencepiece as spm

    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = package_name(from_code, to_code, package_version)
    lines = generate_text(seed)

    with tempfile.TemporaryDirectory(prefix="tiny-argos-") as tmp:
        root = Path(tmp) / name
        root.mkdir()
        sp_bytes = _train_sentencepiece(lines, vocab_size=300, extra_symbols=[target_prefix] if target_prefix else [])
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        _build_ctranslate2_model(root / "model", vocab, seed, suppress=[target_prefix] if target_prefix else [])

        metadata = {
            "package_version": package_version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
            "code": f"translate-{from_code}_{to_code}",
            "languages": [],
        }
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (root / "README.md").write_text(
            f"# Tiny {from_code}→{to_code} test package\n\nRandom weights (seed {seed}): its output is gibberish.\n",
            encoding="utf-8",
        )
        if with_sbd:
            (root / "minisbd").mkdir()
            chars = sorted({c for line in lines for c in line} | set(" .!?,"))
            (root / "minisbd" / f"tiny-{from_code}.onnx").write_bytes(build_minisbd_model(chars, from_code))

        out = dest_dir / f"{name}.argosmodel"
        _write_zip(out, root)
    return out


def read_package_metadata(package: str | Path) -> dict:
    """metadata.json of an .argosmodel file."""
    with zipfile.ZipFile(package) as zf:
        name = next(n for n in zf.namelist() if n.count("/") == 1 and n.endswith("/metadata.json"))
        return json.loads(zf.read(name))


# --------------------------------------------------------------------------- package index


@contextlib.contextmanager
def serve_package_index(
    packages: Sequence[str | Path], *, replace: dict[str, bytes] | None = None
) -> Iterator[str]:
    """Serve ``index.json`` (Argos' format) and the given .argosmodel files on 127.0.0.1.

    Yields the index URL, ending in ``/`` as ``ARGOS_PACKAGE_INDEX`` must (argos appends
    ``index.json`` to it). ``replace`` maps a package's file name to other bytes to serve
    in its place (a broken download). The server stops when the block ends.
    """
    files: dict[str, bytes] = {}
    entries = []
    for package in packages:
        package = Path(package)
        files["/" + package.name] = (replace or {}).get(package.name, package.read_bytes())
        entries.append((package.name, read_package_metadata(package)))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            body = files.get(self.path.split("?", 1)[0])
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json" if self.path.endswith(".json") else "application/zip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # keep test output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [dict(metadata, links=[url + filename]) for filename, metadata in entries]
    files["/index.json"] = json.dumps(index, indent=2).encode("utf-8")
    thread = threading.Thread(target=server.serve_forever, name="argos-index", daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


if __name__ == "__main__":  # python tests/tiny_argos.py DEST [FROM TO SEED]
    import sys

    args = sys.argv[1:] or [tempfile.mkdtemp()]
    print(build_tiny_argos_package(args[0], *args[1:3], *(int(a) for a in args[3:4])))


# --------------------------------------------------------------------------- running argos in isolation

#: The discard port on 127.0.0.1: an Argos package index there refuses every connection.
CLOSED_INDEX = "http://127.0.0.1:9/"
_REPO = Path(__file__).resolve().parent.parent
_HELPER = Path(__file__).resolve().parent / "argos_subprocess.py"


def isolated_argos_env(root: Path, **extra: str) -> dict[str, str]:
    """An environment that keeps every argos folder (packages, index, caches) under ``root``.

    argostranslate reads these settings once, at import time, so whatever uses it runs in a
    subprocess with this environment. ``extra`` adds variables (e.g. ``ARGOS_BEAM_SIZE``).
    """
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGOS_")}
    env.update(
        HOME=str(root / "home"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
        ARGOS_PACKAGES_DIR=str(root / "packages"),
        ARGOS_PACKAGE_INDEX=CLOSED_INDEX,
        ARGOS_DEVICE_TYPE="cpu",
        # our translate/ first, whatever else is on the path
        PYTHONPATH=os.pathsep.join([str(_REPO)] + [p for p in [os.environ.get("PYTHONPATH")] if p]),
    )
    env.update(extra)
    return env


def run_argos_helper(env: dict[str, str], *args: str, request: dict | None = None, timeout: float | None = None):
    """Run tests/argos_subprocess.py in ``env`` with a JSON ``request`` on stdin; the CompletedProcess."""
    import subprocess
    import sys

    home = Path(env["HOME"])
    return subprocess.run(
        [sys.executable, str(_HELPER), *args],
        input=json.dumps(request or {}),
        capture_output=True,
        text=True,
        env=env,
        cwd=home if home.is_dir() else None,
        timeout=timeout,
    )
