"""Apertium engine: rule-based, fully offline (Debian ``apertium`` + ``apertium-eng-spa``).

Only this module runs ``apertium``; it does so with argument lists (never a shell) and
nothing happens at import time.

How a batch is sent (alignment)
-------------------------------
Many segments go through one ``apertium`` process. Each segment is turned into Apertium's
*stream format* by :func:`deformat` (our own deformatter, a faithful copy of what
``apertium-destxt`` does, plus the protection described under Markers), prefixed with an
identifying superblank ``[<sN>]`` and terminated by a NUL byte. The process is started as::

    apertium -f none -z [-u] eng-spa

``-f none`` means no deformatter/reformatter is run (we do both in Python); ``-z`` puts
every program of the pipeline in *null-flush* mode: at each NUL a stage finishes the
segment, writes its output followed by a NUL and flushes. So a transfer rule can never
join the last word of one segment with the first word of the next, and the output splits
back on NUL. One stage does *not* fully reset: the HMM tagger numbers the ambiguity
classes it has not seen before in order of appearance, so a segment's output can depend
on the segments sent before it in the same process (see :mod:`.apertium_stream`, which
fixes the blocks so that this never depends on jobs, workers or batch sizes). The alignment is then
*verified*, never guessed: there must be exactly one piece per input, piece
``i`` must begin with the superblank ``[<si>]`` and contain no other id, and whatever
follows the last piece must be empty (the pipeline stages add bare NULs at end of input).
Anything else raises :class:`EngineError`. Empty or whitespace-only segments are not
sent; they come back as ``""``.

Inside a segment, whitespace other than a single space (newlines, tabs, runs of spaces)
becomes a superblank, exactly as ``apertium-destxt`` does, so **newlines in a segment come
back as newlines** at the same place relative to the surrounding words. Like
``apertium-destxt`` we append ``.[]`` (a sentence end that the reformatter removes) at the
end of each segment and before a blank line, so each segment is translated as a
sentence, as ``apertium eng-spa`` would translate it.

Large batches are cut into chunks (``max_segments`` / ``max_chars``), one process per
chunk, so memory stays bounded by the chunk size.

Markers
-------
With ``mark_unknown=True`` (Apertium's default) the generator marks words: ``*word``
(unknown to the dictionary), ``#word`` (generation error), ``@word`` (transfer error).
In the raw output a ``*``/``#`` marker is a bare character and an ``@`` marker arrives
escaped (``\\@``), exactly like a literal ``@``. So the deformatter *protects* the
source's literal characters by putting them into superblanks, which travel through the
pipeline untouched: every ``*`` and ``#`` (``apertium-destxt`` does this for ``~``), and
every ``@`` that is not preceded by a word character (``@user``, ``3 @ 5``). An ``@``
after a word character (``user@example.com``) stays escaped, as in ``apertium-destxt``,
so that Apertium still recognises the address as one word; a marker never follows a
word character. The rule applied to the output is therefore structural, with no
comparison of strings: **a ``*``, ``#`` or ``@`` that did not come out of a superblank,
is followed by a word character and, for ``@``, is not preceded by one, is a marker**;
everything else is text. Markers are removed from :attr:`ApertiumResult.text` and the
marked words listed in :attr:`ApertiumResult.unknown`. (So ``**bold**``, ``#1``, ``C#``,
``@user`` and ``user@example.com`` in a source keep their characters.) The one use of
the source text is its outer whitespace, which the result keeps (Apertium leaves a stray
leading blank where it drops a subject pronoun).

Markers also block Apertium's post-generation rules around the marked word (``o *otherwise``
is not turned into ``u otherwise``), so ``mark_unknown=True`` and ``mark_unknown=False``
(``apertium -u``) can differ by such a contraction; otherwise the texts are the same.

Errors
------
A missing ``apertium`` or missing mode raises :class:`EngineMissingError` naming the
``apt-get`` command. A process that crashes or exits non-zero raises
:class:`EngineError` with one line (the mode, exit code and first line of stderr); no
partial result is returned.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Iterator, Sequence

from ...errors import EngineError, EngineMissingError
from .apertium_format import ApertiumResult, deformat, reformat
from .apertium_stream import _REAPER, BLOCK_SIZE, _exit_error, cool_down, stream_block, warm_up

__all__ = [
    "ApertiumEngine",
    "ApertiumResult",
    "available_modes",
    "deformat",
    "pairs",
    "reformat",
    "version",
]

APERTIUM = "apertium"

DEFAULT_PACKAGE = "apertium-eng-spa"

# ISO 639-3 (Apertium's codes) <-> ISO 639-1, for the languages Apertium has pairs for.
_ISO3_TO_ISO1 = {
    "afr": "af", "ara": "ar", "arg": "an", "bel": "be", "ben": "bn",
    "bre": "br", "bul": "bg", "cat": "ca", "ces": "cs", "cym": "cy", "dan": "da",
    "deu": "de", "ell": "el", "eng": "en", "epo": "eo", "est": "et", "eus": "eu",
    "fao": "fo", "fin": "fi", "fra": "fr", "gle": "ga", "glg": "gl", "heb": "he",
    "hin": "hi", "hrv": "hr", "hun": "hu", "isl": "is", "ita": "it", "kaz": "kk",
    "lav": "lv", "lit": "lt", "mkd": "mk", "mlt": "mt", "nld": "nl", "nno": "nn",
    "nob": "nb", "oci": "oc", "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru",
    "slk": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "srd": "sc", "swe": "sv",
    "tat": "tt", "tur": "tr", "ukr": "uk", "urd": "ur",
}
_ISO1_TO_ISO3 = {v: k for k, v in _ISO3_TO_ISO1.items()}

_MODE_RE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")


# --------------------------------------------------------------------------- discovery


def _run_quiet(args: list[str], timeout: float = 30) -> subprocess.CompletedProcess[str] | None:
    """Run a short query command; ``None`` if it cannot be started or times out.

    A query that succeeded is answered again from memory for the same program (resolved on
    the PATH): ``translate run`` and ``check`` load up to three engines, each asking for the
    modes and versions (~20 ms a command)."""
    key = (shutil.which(args[0]), *args[1:])
    if key[0] is not None and key in _answers:
        return _answers[key]
    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode == 0 and key[0] is not None:
        _answers[key] = proc
    return proc


_answers: dict[tuple, subprocess.CompletedProcess[str]] = {}


def available_modes(apertium_bin: str = APERTIUM) -> list[str]:
    """The translation modes ``apertium -l`` lists (e.g. ``["eng-spa", "spa-eng"]``).

    ``[]`` when apertium is not installed or cannot be run.
    """
    proc = _run_quiet([apertium_bin, "-l"])
    if proc is None or proc.returncode != 0:
        return []
    return [line.strip() for line in proc.stdout.splitlines() if line.strip()]


def _iso1(code: str) -> str:
    return _ISO3_TO_ISO1.get(code, code)


def _iso3(code: str) -> str:
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return _ISO1_TO_ISO3.get(code, code)


def pairs(apertium_bin: str = APERTIUM) -> list[tuple[str, str]]:
    """Installed language pairs in ISO 639-1 codes: ``eng-spa`` -> ``("en", "es")``.

    Variant and debug modes (``spa-eng_US``, ``eng-spa-tagger``) are left out.
    """
    found: list[tuple[str, str]] = []
    for mode in available_modes(apertium_bin):
        m = _MODE_RE.match(mode)
        if m:
            pair = (_iso1(m.group(1)), _iso1(m.group(2)))
            if pair not in found:
                found.append(pair)
    return found


def version(package: str = DEFAULT_PACKAGE) -> str:
    """The Debian package version of ``package`` (``apertium-eng-spa``), else ``"unknown"``."""
    return _package_version(package)


def _package_version(package: str) -> str:
    if shutil.which("dpkg-query") is None:
        return "unknown"
    proc = _run_quiet(["dpkg-query", "-W", "-f=${Version}", package])
    if proc is None or proc.returncode != 0 or not proc.stdout.strip():
        return "unknown"
    return proc.stdout.strip()


def _apertium_version(apertium_bin: str) -> str:
    proc = _run_quiet([apertium_bin, "-V"])
    if proc is not None and proc.returncode == 0:
        m = re.search(r"\d+(?:\.\d+)+", proc.stdout)
        if m:
            return m.group(0)
    return _package_version("apertium")


# Debian ships both directions of a pair in one package, named in one order.
_PACKAGE_OF_MODE = {"eng-spa": DEFAULT_PACKAGE, "spa-eng": DEFAULT_PACKAGE}


def _package_for_mode(mode: str) -> str:
    a, _, b = mode.partition("-")
    return _PACKAGE_OF_MODE.get(mode, f"apertium-{a}-{b}")


def _install_hint(mode: str) -> str:
    pkg = _package_for_mode(mode)
    return f"install it with: sudo apt-get install apertium {pkg}"


# --------------------------------------------------------------------------- engine


class ApertiumEngine:
    """Translate with one Apertium mode (e.g. ``eng-spa``), many segments per process.

    Build it with :meth:`load`; ``apertium_bin`` names the ``apertium`` executable to run
    (tests point it at a wrapper). ``max_segments`` / ``max_chars`` bound one process's
    input; ``timeout`` (seconds, per process) is off by default.
    """

    name = "apertium"
    block_size = BLOCK_SIZE  #: segments per process when streaming (see :mod:`.apertium_stream`)

    def __init__(
        self,
        mode: str,
        *,
        apertium_bin: str = APERTIUM,
        max_segments: int = 5000,
        max_chars: int = 2_000_000,
        timeout: float | None = None,
        version: str | None = None,
    ):
        m = _MODE_RE.match(mode)
        if not m:
            raise EngineError(f"not an Apertium translation mode: {mode!r}")
        if max_segments < 1 or max_chars < 1:
            raise ValueError("max_segments and max_chars must be positive")
        self.mode = mode
        self.source_lang = _iso1(m.group(1))
        self.target_lang = _iso1(m.group(2))
        self.apertium_bin = apertium_bin
        self.max_segments = max_segments
        self.max_chars = max_chars
        self.timeout = timeout
        if version is None:
            package = _package_for_mode(mode)
            version = (
                f"apertium {_apertium_version(apertium_bin)} / "
                f"{package} {_package_version(package)}"
            )
        self.version = version

    def __repr__(self) -> str:
        return f"ApertiumEngine({self.mode!r}, version={self.version!r})"

    @classmethod
    def load(
        cls, source_lang: str, target_lang: str, *, apertium_bin: str = APERTIUM, **options
    ) -> "ApertiumEngine":
        """The engine for ``source_lang`` -> ``target_lang`` (``"en"``/``"eng"``, ``"es"``...).

        Raises :class:`EngineMissingError`, naming the ``apt-get`` command, when apertium
        or the mode is not installed.
        """
        mode = f"{_iso3(source_lang)}-{_iso3(target_lang)}"
        hint = _install_hint(mode)
        if shutil.which(apertium_bin) is None:
            raise EngineMissingError(f"apertium is not installed; {hint}")
        modes = available_modes(apertium_bin)
        if mode not in modes:
            have = ", ".join(modes) or "none"
            raise EngineMissingError(
                f"no Apertium mode {mode} for {source_lang}->{target_lang} "
                f"(installed: {have}); {hint}"
            )
        return cls(mode, apertium_bin=apertium_bin, **options)

    # -- public API

    def translate_batch(self, texts: Sequence[str], *, mark_unknown: bool = True) -> list[str]:
        """One translation per input, in order, with Apertium's markers removed."""
        results = self.translate_batch_with_markers(texts, mark_unknown=mark_unknown)
        return [r.text for r in results]

    def translate_batch_with_markers(
        self, texts: Sequence[str], *, mark_unknown: bool = True
    ) -> list[ApertiumResult]:
        """Like :meth:`translate_batch`, keeping the marked words (see :class:`ApertiumResult`)."""
        results: list[ApertiumResult] = [ApertiumResult("")] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for chunk in self._chunks(todo, texts):
            streams = self._run([deformat(texts[i]) for i in chunk], mark_unknown)
            for i, stream in zip(chunk, streams):
                results[i] = reformat(stream, texts[i])
        return results

    def stream(self, texts: Sequence[str]) -> Iterator[tuple[int, ApertiumResult]]:
        """``(index, result)`` for one block, each as soon as Apertium has it (see
        :mod:`.apertium_stream`: ``apertium -u`` for the text, unknown words from the analyser)."""
        if shutil.which(self.apertium_bin) is None:
            raise EngineMissingError(f"{self.apertium_bin} not found; {_install_hint(self.mode)}")
        return stream_block(shutil.which(self.apertium_bin), self.mode, texts)

    def warm_up(self, count: int = 1) -> None:
        """Have ``count`` pipelines started ahead for the next :meth:`stream` calls (see
        :func:`.apertium_stream.warm_up`); :meth:`cool_down` ends those left unused."""
        if shutil.which(self.apertium_bin):
            warm_up(shutil.which(self.apertium_bin), self.mode, count)

    def cool_down(self, keep: int = 0) -> None:
        if shutil.which(self.apertium_bin):
            cool_down(shutil.which(self.apertium_bin), self.mode, keep)

    # -- internals

    def _chunks(self, todo: list[int], texts: Sequence[str]) -> Iterator[list[int]]:
        chunk: list[int] = []
        size = 0
        for i in todo:
            length = len(texts[i])
            if chunk and (len(chunk) >= self.max_segments or size + length > self.max_chars):
                yield chunk
                chunk, size = [], 0
            chunk.append(i)
            size += length
        if chunk:
            yield chunk

    def _run(self, streams: list[str], mark_unknown: bool) -> list[str]:
        """Send deformatted segments through one process; one output stream per input."""
        args = [self.apertium_bin, "-f", "none", "-z"]
        if not mark_unknown:
            args.append("-u")
        args.append(self.mode)
        payload = "".join(f"[<s{i}>]{s}\0" for i, s in enumerate(streams)).encode("utf-8")
        where = f"apertium {self.mode}"
        if shutil.which(self.apertium_bin) is None:
            raise EngineMissingError(f"{self.apertium_bin} not found; {_install_hint(self.mode)}")
        if shutil.which(_REAPER[0]):
            args = _REAPER + [shutil.which(self.apertium_bin)] + args[1:]
        try:
            proc = subprocess.run(
                args, input=payload, capture_output=True, timeout=self.timeout, check=False, start_new_session=True
            )
        except FileNotFoundError as e:
            raise EngineMissingError(
                f"{self.apertium_bin} not found; {_install_hint(self.mode)}"
            ) from e
        except subprocess.TimeoutExpired as e:
            raise EngineError(f"{where} timed out after {self.timeout} s") from e
        except OSError as e:
            raise EngineError(f"{where} could not be started: {e}") from e
        if proc.returncode != 0:
            raise _exit_error(where, proc.returncode, proc.stderr)
        try:
            out = proc.stdout.decode("utf-8")
        except UnicodeDecodeError as e:
            raise EngineError(f"{where} wrote output that is not UTF-8") from e
        return _split_aligned(out, len(streams), where)


def _split_aligned(out: str, count: int, where: str) -> list[str]:
    """Split null-flushed output into ``count`` segments, verifying each segment's id."""
    pieces = out.split("\0")
    if len(pieces) < count + 1 or any(p for p in pieces[count:]):
        got = len([p for p in pieces if p])
        raise EngineError(f"{where} returned {got} segments for {count} inputs")
    result: list[str] = []
    for i, piece in enumerate(pieces[:count]):
        tag = f"[<s{i}>]"
        if not piece.startswith(tag) or "[<s" in piece[len(tag):]:
            raise EngineError(f"{where} lost the alignment of its output at segment {i + 1}")
        result.append(piece[len(tag):])
    return result
