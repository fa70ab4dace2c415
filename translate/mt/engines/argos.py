"""The Argos Translate engine: CTranslate2 + SentencePiece models packaged as ``.argosmodel``.

Only this module imports ``argostranslate``, ``ctranslate2`` and ``sentencepiece``, and only
inside functions: importing it does nothing. Packages are found and installed through
``argostranslate.package``; translation does not go through ``argostranslate.translate``
(which splits sentences with a model it downloads and translates one paragraph per call):
``ArgosEngine`` loads the package's CTranslate2 model and SentencePiece model once and
translates all segments in a few batched calls.

Argos reads its settings when ``argostranslate.settings`` is first imported, from the
environment (or ``$XDG_CONFIG_HOME/argos-translate/settings.json``), and that import creates
its folders (``$XDG_DATA_HOME/argos-translate``, ``$XDG_CONFIG_HOME/argos-translate``,
``$XDG_CACHE_HOME/argos-translate/downloads`` and the packages folder):

* ``ARGOS_PACKAGES_DIR``   where packages are installed (default
  ``$XDG_DATA_HOME/argos-translate/packages``);
* ``ARGOS_PACKAGE_INDEX``  base URL of the package index, ending in ``/`` (argos appends
  ``index.json``); the downloaded index is kept in ``$XDG_DATA_HOME/argos-translate/index.json``;
* ``ARGOS_DEVICE_TYPE``    ``cpu`` (default) or ``cuda``.

So they must be set before the first call into this module; tests run it in subprocesses.
"""

from __future__ import annotations

import contextlib
import json
import logging
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterator, Sequence

from ...errors import EngineError, EngineMissingError

#: One call to CTranslate2 gets at most this many times ``max_batch_tokens`` source tokens;
#: CTranslate2 splits each call into batches of ``max_batch_tokens`` itself.
_CALL_BUDGET = 16

#: What argostranslate.translate passes to CTranslate2, kept for comparable output.
_LENGTH_PENALTY = 0.2


# --------------------------------------------------------------------------- argos access


def _argos() -> tuple[Any, Any]:
    """``(argostranslate.package, argostranslate.settings)``, imported on first use."""
    try:
        from argostranslate import package, settings
    except ImportError as e:
        raise EngineMissingError("argostranslate is not installed (pip install argostranslate)") from e
    except OSError as e:  # settings creates its folders at import time
        raise EngineError(f"argostranslate cannot create its folders: {e}") from e
    return package, settings


def _argos_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("argostranslate")
    except PackageNotFoundError:
        return "unknown"


@contextlib.contextmanager
def _argos_errors() -> Iterator[list[str]]:
    """Collect what argos logs as errors (it logs download failures instead of raising)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()  # argos logs str(args): "(URLError(...),)"
            if message.startswith("(") and message.endswith(",)"):
                message = message[1:-2]
            messages.append(message)

    logger = logging.getLogger("argostranslate.utils")
    handler = Collect(level=logging.ERROR)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _version_key(pkg: Any) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(str(pkg.package_version)))
    except InvalidVersion:
        return (0, str(pkg.package_version))


def _label(pkg: Any) -> str:
    """``translate-en_es 1.9``: the package's argospm name and version."""
    package, _ = _argos()
    return f"{package.argospm_package_name(pkg)} {pkg.package_version}".strip()


def _packages_dirs() -> str:
    _, settings = _argos()
    return ", ".join(str(d) for d in settings.package_dirs)


def _installed_packages() -> list[Any]:
    package, settings = _argos()
    try:
        return package.get_installed_packages()
    except (OSError, ValueError) as e:
        # A folder without a readable metadata.json breaks argos' whole listing: name it.
        for folder in settings.package_dirs:
            for sub in sorted(Path(folder).iterdir()) if Path(folder).is_dir() else []:
                if not sub.is_dir():
                    continue
                try:
                    json.loads((sub / "metadata.json").read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    raise EngineError(
                        "not an Argos package (no readable metadata.json); remove it or reinstall", path=sub
                    ) from e
        raise EngineError(f"cannot list the installed Argos packages: {e}") from e


def _translate_packages(from_code: str, to_code: str) -> list[Any]:
    return [
        p
        for p in _installed_packages()
        if p.type == "translate" and p.from_code == from_code and p.to_code == to_code
    ]


# --------------------------------------------------------------------------- packages


def installed_pairs() -> list[tuple[str, str, str]]:
    """``(from_code, to_code, "translate-en_es 1.9")`` for every installed translation package."""
    return sorted(
        (p.from_code, p.to_code, _label(p)) for p in _installed_packages() if p.type == "translate"
    )


def _check_archive(path: Path) -> tuple[str, dict]:
    """The package folder's name and metadata of a .argosmodel file, or EngineError."""
    if not path.is_file():
        raise EngineError("no such Argos package file", path=path)

    def broken(why: str, cause: BaseException | None = None) -> EngineError:
        error = EngineError(f"not a valid Argos package: {why}", path=path)
        error.__cause__ = cause
        return error

    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            damaged = zf.testzip()
            if damaged is not None:
                raise broken(f"damaged zip archive (entry {damaged})")
            if any(n.startswith("/") or ".." in n.split("/") for n in names):
                raise broken("unsafe file names in the archive")
            tops = {n.split("/", 1)[0] for n in names}
            top = tops.pop() if len(tops) == 1 else None
            if top is None or f"{top}/metadata.json" not in names:
                raise broken("expected one folder holding metadata.json")
            try:
                metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                raise broken("metadata.json is not valid JSON", e) from e
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as e:
        raise broken("not a zip archive" if isinstance(e, zipfile.BadZipFile) else str(e), e) from e

    if not isinstance(metadata, dict):
        raise broken("metadata.json is not an object")
    if metadata.get("type", "translate") == "translate":
        for key in ("from_code", "to_code"):
            if not isinstance(metadata.get(key), str) or not metadata[key]:
                raise broken(f"metadata.json has no {key}")
        if f"{top}/model/model.bin" not in names:
            raise broken("no CTranslate2 model (model/model.bin)")
        if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
            raise broken("no tokenizer (sentencepiece.model or bpe.model)")
    return top, metadata


def install_from_file(path: str | Path) -> str:
    """Install a ``.argosmodel`` file into argos' packages folder; returns its label.

    The archive is checked first (zip, one folder, metadata.json, model, tokenizer), so a
    broken file raises EngineError naming it and leaves the packages folder untouched. An
    installed package of the same name is replaced.
    """
    import shutil

    path = Path(path)
    top, _ = _check_archive(path)
    package, settings = _argos()
    target = Path(settings.package_data_dir) / top
    try:
        if target.exists():
            shutil.rmtree(target)
        package.install_from_path(path)
        return _label(package.Package(target))
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        raise EngineError(f"cannot install the Argos package: {e}", path=path) from e


def install_from_index(from_code: str, to_code: str) -> str:
    """Update argos' package index, download the newest ``from_code``→``to_code`` package
    and install it; returns its label."""
    package, settings = _argos()
    url = settings.remote_package_index
    with _argos_errors() as errors:
        package.update_package_index()
    if errors or not Path(settings.local_package_index).exists():
        why = errors[0] if errors else "no index downloaded"
        raise EngineError(f"cannot download the Argos package index {url}: {why}")
    try:
        available = package.get_available_packages()
    except (ValueError, TypeError, AttributeError, OSError) as e:
        raise EngineError(f"the Argos package index {url} is not valid: {e}") from e

    candidates = [
        p
        for p in available
        if getattr(p, "type", "translate") == "translate" and p.from_code == from_code and p.to_code == to_code
    ]
    if not candidates:
        raise EngineMissingError(f"the Argos package index {url} has no {from_code}→{to_code} package")
    best = max(candidates, key=_version_key)

    # argos reuses any file of the same name in its download cache, even a stale or broken one.
    cached = Path(settings.downloads_dir) / f"{package.argospm_package_name(best)}.argosmodel"
    cached.unlink(missing_ok=True)
    with _argos_errors() as errors:
        try:
            downloaded = Path(best.download())
        except Exception as e:  # argos raises a bare Exception when every link failed
            why = errors[-1] if errors else str(e)
            links = " ".join(best.links) or "(no links)"
            raise EngineError(f"cannot download the {from_code}→{to_code} Argos package from {links}: {why}") from e
    try:
        return install_from_file(downloaded)
    except EngineError as e:
        links = " ".join(best.links)
        raise EngineError(f"package downloaded from {links}: {e.message}", path=downloaded) from e
    finally:
        downloaded.unlink(missing_ok=True)


# --------------------------------------------------------------------------- engine


class _SentencePieceTokenizer:
    def __init__(self, model_file: Path):
        import sentencepiece as spm

        try:
            self.processor = spm.SentencePieceProcessor(model_file=str(model_file))
        except (OSError, RuntimeError) as e:
            raise EngineError(f"cannot load the SentencePiece model: {e}", path=model_file) from e

    def encode(self, texts: list[str]) -> list[list[str]]:
        return self.processor.encode(texts, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self.processor.decode_pieces(tokens)


class _ArgosTokenizer:
    """Older packages ship a BPE model (bpe.model) that argos tokenizes with sacremoses."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [self.tokenizer.encode(t) for t in texts]

    def decode(self, tokens: list[str]) -> str:
        return self.tokenizer.decode(tokens)


class ArgosEngine:
    """An installed Argos package, loaded once, translating segments in batches."""

    name = "argos"
    #: Segments per call when a stage runs it block by block: fixed here (not by the save
    #: cadence or the number of workers), since one call's batching can touch its outputs.
    block_size = 500

    def __init__(
        self,
        *,
        source_lang: str,
        target_lang: str,
        version: str,
        translator: Any,
        tokenizer: Any,
        target_prefix: str = "",
        beam_size: int = 2,
        max_batch_tokens: int = 4096,
        package_path: Path | None = None,
    ):
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.version = version
        self.translator = translator
        self.tokenizer = tokenizer
        self.target_prefix = target_prefix
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.package_path = package_path

    @classmethod
    def load(
        cls,
        source_lang: str,
        target_lang: str,
        *,
        beam_size: int = 2,
        inter_threads: int = 1,
        intra_threads: int = 0,
        compute_type: str = "int8",
        max_batch_tokens: int = 4096,
    ) -> "ArgosEngine":
        """Load the newest installed ``source_lang``→``target_lang`` package.

        Raises EngineMissingError when none is installed, EngineError when it cannot load.
        """
        if beam_size < 1 or max_batch_tokens < 1:
            raise EngineError("beam_size and max_batch_tokens must be at least 1")
        _, settings = _argos()
        packages = _translate_packages(source_lang, target_lang)
        if not packages:
            raise EngineMissingError(
                f"no Argos {source_lang}→{target_lang} package is installed in {_packages_dirs()}"
            )
        pkg = max(packages, key=_version_key)
        root = Path(pkg.package_path)

        if (root / "sentencepiece.model").exists():
            tokenizer: Any = _SentencePieceTokenizer(root / "sentencepiece.model")
        elif getattr(pkg, "tokenizer", None) is not None:
            tokenizer = _ArgosTokenizer(pkg.tokenizer)
        else:
            raise EngineError("Argos package has no sentencepiece.model or bpe.model", path=root)

        import ctranslate2

        model_dir = root / "model"
        try:
            translator = ctranslate2.Translator(
                str(model_dir),
                device=settings.device,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
                compute_type=compute_type,
            )
        except (RuntimeError, ValueError, OSError) as e:
            raise EngineError(f"cannot load the CTranslate2 model: {e}", path=model_dir) from e

        return cls(
            source_lang=source_lang,
            target_lang=target_lang,
            version=f"argostranslate {_argos_version()} / {_label(pkg)}",
            translator=translator,
            tokenizer=tokenizer,
            target_prefix=getattr(pkg, "target_prefix", "") or "",
            beam_size=beam_size,
            max_batch_tokens=max_batch_tokens,
            package_path=root,
        )

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """One translation per text, in order. Empty or blank texts give ``""``.

        Each line of a text is translated on its own (as argos does with paragraphs) and
        keeps its leading and trailing whitespace; the texts are not split into sentences.
        """
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise EngineError(f"text {i} to translate is {type(text).__name__}, not str")

        # (text index, line index, leading whitespace, trailing whitespace) per unit to translate
        places: list[tuple[int, int, str, str]] = []
        units: list[str] = []
        split: list[list[str]] = []
        for i, text in enumerate(texts):
            lines = text.split("\n") if text.strip() else []
            split.append(lines)
            for j, line in enumerate(lines):
                core = line.strip()
                if core:
                    start = line.index(core)
                    places.append((i, j, line[:start], line[start + len(core):]))
                    units.append(core)

        for (i, j, lead, trail), translation in zip(places, self._translate_units(units)):
            split[i][j] = lead + translation + trail
        return ["\n".join(lines) for lines in split]

    def _translate_units(self, units: list[str]) -> list[str]:
        if not units:
            return []
        tokens = self.tokenizer.encode(units)
        order = sorted(range(len(units)), key=lambda k: len(tokens[k]))
        budget = self.max_batch_tokens * _CALL_BUDGET
        outputs: list[str] = [""] * len(units)

        start = 0
        while start < len(order):
            end, used = start, 0
            while end < len(order) and (end == start or used + len(tokens[order[end]]) <= budget):
                used += len(tokens[order[end]])
                end += 1
            chunk = order[start:end]
            for k, hypothesis in zip(chunk, self._translate_tokens([tokens[k] for k in chunk])):
                outputs[k] = self.tokenizer.decode(hypothesis).strip()
            start = end
        return outputs

    def _translate_tokens(self, sources: list[list[str]]) -> list[list[str]]:
        prefix = self.target_prefix
        try:
            results = self.translator.translate_batch(
                sources,
                target_prefix=[[prefix]] * len(sources) if prefix else None,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=_LENGTH_PENALTY,
                replace_unknowns=True,
            )
        except (RuntimeError, ValueError) as e:
            raise EngineError(f"Argos translation failed ({self.version}): {e}") from e
        hypotheses = []
        for result in results:
            tokens = list(result.hypotheses[0]) if result.hypotheses else []
            if prefix and tokens[:1] == [prefix]:
                tokens = tokens[1:]
            hypotheses.append(tokens)
        return hypotheses

    def __repr__(self) -> str:
        return f"<ArgosEngine {self.source_lang}→{self.target_lang} {self.version}>"
