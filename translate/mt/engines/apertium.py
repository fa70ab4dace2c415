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
segment, writes its output followed by a NUL, flushes and resets. So segments are
translated independently of their neighbours (a transfer rule can never join the last
word of one segment with the first word of the next; the output for a segment does not
depend on the batch it is in), and the output splits back on NUL. The alignment is then
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
from dataclasses import dataclass
from typing import Iterator, Sequence

from ...errors import EngineError, EngineMissingError

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

# Apertium is a shell script running a pipeline of processes. So that none of them outlives
# us (kill -9 of `translate mt` included), the pipeline runs in a session of its own under
# a small shell that the kernel sends SIGTERM when we die (util-linux's setpriv sets the
# parent-death signal), and that shell then terminates its whole process group.
_REAPER = [
    "setpriv", "--pdeathsig", "TERM", "--", "sh", "-c",
    # run apertium with our stdin and exit with its status; on TERM end the whole group
    'trap \'trap - TERM; kill -TERM 0\' TERM; exec 3<&0; "$@" <&3 3<&- & wait $!',
    "apertium",
]
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
    """Run a short query command; ``None`` if it cannot be started or times out."""
    try:
        return subprocess.run(
            args, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None


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


# ------------------------------------------------------------------ stream format


# Characters apertium-destxt backslash-escapes (the stream format's specials).
_ESCAPED = frozenset("\\[]^$/@<>{}")
_BLANK = " \t\r\n"
# A source is cut into: blank runs (whitespace and ``~``, which apertium-destxt also treats
# as blank: the post-generator gives it a meaning), which become superblanks unless they
# are one space; *protected* runs, which become superblanks: every ``*`` and ``#``, and an
# ``@`` not preceded by a word character (an ``@`` after one, as in an e-mail address,
# stays in the text, escaped, so that Apertium still sees the address as one word); and
# the rest, escaped.
_TOKEN_RE = re.compile(
    r"[ \t\r\n~]+"
    r"|(?:[*#]|(?<!\w)@)+"
    r"|(?:[^ \t\r\n~*#@]|(?<=\w)@)+"
)
_PARAGRAPH_RE = re.compile(r"\n\r?\n")
_SENT_END = ".[]"  # a sentence end the reformatter removes (apertium-destxt adds it too)


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPED else ch for ch in text)


def _superblank(text: str) -> str:
    return "[" + text.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[") + "]"


def deformat(text: str) -> str:
    """One segment of plain text -> Apertium stream format (without the id and NUL).

    Same output as ``apertium-destxt`` (backslash escapes; whitespace other than a single
    space as a superblank; ``.[]`` before a blank line and at the end, before trailing
    whitespace), except that literal ``*``, ``#`` and a word-initial ``@`` go into
    superblanks too (see the module docstring: that keeps them apart from Apertium's
    markers). NUL characters are dropped, as ``apertium-destxt`` drops them.
    """
    text = text.replace("\0", "")
    tokens = _TOKEN_RE.findall(text)
    # The end-of-text sentence mark goes before trailing whitespace.
    last = len(tokens)
    if tokens and tokens[-1][0] in "~" + _BLANK:
        last -= 1
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if i == last:
            out.append(_SENT_END)
        first = tok[0]
        if first in "~" + _BLANK:
            if i != last and _PARAGRAPH_RE.search(tok):
                out.append(_SENT_END)
            out.append(" " if tok == " " else _superblank(tok))
        elif first in "*#@":
            out.append(_superblank(tok))
        else:
            out.append(_escape(tok))
    if last == len(tokens):
        out.append(_SENT_END)
    return "".join(out)


_MARKERS = "*#@"
_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class ApertiumResult:
    """One translated segment.

    ``text``: the translation with Apertium's markers removed; ``raw``: the same with the
    markers kept (what ``apertium`` prints); ``unknown``: the marked words, in order,
    without their marker; ``marks``: ``(marker, word)`` pairs, marker one of ``*`` (unknown
    word), ``#`` (generation error), ``@`` (transfer error). For ``#`` and ``@`` the word
    is the start of a dictionary lemma (a multiword lemma is cut at its first space).
    """

    text: str
    unknown: tuple[str, ...] = ()
    raw: str = ""
    marks: tuple[tuple[str, str], ...] = ()


def _unstream(stream: str) -> tuple[list[str], list[bool]]:
    """Stream -> characters, each flagged True if it came out of a superblank."""
    chars: list[str] = []
    protected: list[bool] = []
    i, n = 0, len(stream)
    while i < n:
        ch = stream[i]
        if ch == "\\" and i + 1 < n:
            chars.append(stream[i + 1])
            protected.append(False)
            i += 2
        elif ch == "." and stream.startswith("[]", i + 1):
            i += 3  # the sentence end deformat() added
        elif ch == "[":
            if stream.startswith("[[", i):  # a word-bound blank: metadata, no text
                end = stream.find("]]", i + 2)
                i = n if end < 0 else end + 2
                continue
            i += 1
            while i < n and stream[i] != "]":
                if stream[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(stream[i])
                protected.append(True)
                i += 1
            i += 1
        else:
            chars.append(ch)
            protected.append(False)
            i += 1
    return chars, protected


def reformat(stream: str, source: str | None = None) -> ApertiumResult:
    """Apertium stream output for one segment -> text, as ``apertium-retxt`` would give it.

    Superblanks give back their content, ``\\x`` gives ``x``, and the ``.[]`` sentence end
    added by :func:`deformat` is removed. A ``*``, ``#`` or ``@`` that did not come out
    of a superblank, is followed by a word character and (for ``@``) is not preceded by
    one, is one of Apertium's markers: literal ones from the source always arrive in a
    superblank, except an ``@`` inside a word (``user@example.com``).

    With ``source``, the leading and trailing whitespace of the result is made that of
    the source (Apertium leaves a stray blank where it drops a pronoun: "He said" ->
    " Dijo").
    """
    chars, protected = _unstream(stream)
    text: list[str] = []
    raw: list[str] = []
    marks: list[tuple[str, str]] = []
    n = len(chars)
    for i, ch in enumerate(chars):
        if (
            ch in _MARKERS
            and not protected[i]
            and i + 1 < n
            and _is_word_char(chars[i + 1])
            and not (ch == "@" and text and _is_word_char(text[-1]))
        ):
            m = _WORD_RE.match("".join(chars[i + 1 : i + 80]))
            marks.append((ch, m.group(0) if m else chars[i + 1]))
            raw.append(ch)
            continue
        text.append(ch)
        raw.append(ch)
    out_text, out_raw = "".join(text), "".join(raw)
    if source is not None:
        lead = source[: len(source) - len(source.lstrip(_BLANK))]
        trail = source[len(source.rstrip(_BLANK)) :]
        out_text = lead + out_text.strip(_BLANK) + trail
        out_raw = lead + out_raw.strip(_BLANK) + trail
    return ApertiumResult(
        text=out_text,
        unknown=tuple(word for _, word in marks),
        raw=out_raw,
        marks=tuple(marks),
    )


# --------------------------------------------------------------------------- engine


def _first_line(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip()
    return ""


class ApertiumEngine:
    """Translate with one Apertium mode (e.g. ``eng-spa``), many segments per process.

    Build it with :meth:`load`; ``apertium_bin`` names the ``apertium`` executable to run
    (tests point it at a wrapper). ``max_segments`` / ``max_chars`` bound one process's
    input; ``timeout`` (seconds, per process) is off by default.
    """

    name = "apertium"

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
            rc = proc.returncode
            how = (
                f"was killed by signal {-rc}"
                if rc < 0
                # under the reaper shell a signal shows as 128 + its number
                else f"exited with code {rc}" + (f" (signal {rc - 128})" if 128 < rc < 160 else "")
            )
            detail = _first_line(proc.stderr)
            raise EngineError(f"{where} {how}" + (f": {detail}" if detail else ""))
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
