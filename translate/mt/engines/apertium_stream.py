"""Apertium as a stream: one block of segments goes in, translations come out one by one.

:func:`stream_block` starts Apertium for one *block* of segments, writes the block from a
thread and yields each translation as soon as Apertium has flushed it (``-z``: one NUL
after each segment), so the caller applies finished segments while Apertium works on the
next ones. Alignment is verified per segment exactly as in :mod:`.apertium` (the id
superblank ``[<sN>]`` must open piece ``N``).

Unknown words without switching off Apertium's spelling rules
-------------------------------------------------------------
Apertium's unknown-word marks (``*word``) block its post-generation rules around the marked
word ("y inclusive" where ``apertium -u`` writes "e inclusive"). So the text is made by
``apertium -u`` (no marks), and the unknown words are found by a second, much cheaper
process: the pair's own morphological analyser (``lt-proc`` on the ``.automorf.bin`` named in
the mode file) over the same deformatted block; a source word it cannot analyse
(``^word/*word$``) is what the marked translation would have shown as ``*word``. When the mode
file cannot be read (an ``apertium`` wrapper of tests), the marked pass is used as before.

What a segment's output depends on
----------------------------------
Apertium's HMM tagger (``apertium-tagger -g``) keeps state across ``-z`` flushes: ambiguity
classes it meets for the first time are numbered in order of appearance, so a segment's tags
can depend on the segments sent before it *in the same process* (measured on held-out
sentences: about 1 in 100 change when their block is shuffled). Hence one fresh process per
block, and blocks fixed by the plan alone (:data:`BLOCK_SIZE` segments in catalogue order):
a segment's translation depends on the segments before it in its block, and on nothing else:
not on ``--jobs``, ``--batch-size``, the executor or the number of workers.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator, Sequence

from ...errors import EngineError

from .apertium_format import ApertiumResult, deformat, reformat

#: Segments per Apertium process (the unit of work of every executor). Larger blocks pay
#: Apertium's start-up (about 0.4 s of CPU) less often; smaller ones spread over more workers.
BLOCK_SIZE = 1000

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

_AUTOMORF_RE = re.compile(r"lt-proc\s+(?:-\w+\s+)*'?([^'\s|]+\.automorf\.bin)'?")
# In lt-proc's output: an escape, a superblank, or an analysis whose first reading is unknown.
_ANALYSIS_RE = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\^((?:\\.|[^/$\\])*)/\*")
_UNESCAPE_RE = re.compile(r"\\(.)")


@functools.lru_cache(maxsize=8)
def analyser_of(mode: str) -> Path | None:
    """The analyser (``.automorf.bin``) of an installed Apertium ``mode`` (``spa-eng`` analyses
    Spanish, ``eng-spa`` English), from the mode file beside the ``apertium`` on the PATH."""
    exe = shutil.which("apertium")
    found = automorf(exe, mode) if exe and shutil.which("lt-proc") else None
    return Path(found) if found else None


def automorf(apertium_bin: str, mode: str) -> str | None:
    """The analyser (``.automorf.bin``) the mode file of ``mode`` runs first, if it can be found."""
    mode_file = Path(apertium_bin).resolve().parent.parent / "share" / "apertium" / "modes" / f"{mode}.mode"
    try:
        m = _AUTOMORF_RE.match(mode_file.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return None
    return m.group(1) if m and Path(m.group(1)).is_file() else None


def unknown_words(analysis: str) -> tuple[str, ...]:
    """Surface forms lt-proc could not analyse (``^word/*word$``), in order."""
    return tuple(
        _UNESCAPE_RE.sub(r"\1", m.group(1)) for m in _ANALYSIS_RE.finditer(analysis) if m.group(1)
    )


def _first_line(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _exit_error(where: str, rc: int, stderr: bytes) -> EngineError:
    """The one-line error for a process that exited with ``rc`` (its first line of stderr)."""
    how = (
        f"was killed by signal {-rc}"
        if rc < 0
        # under the reaper shell a signal shows as 128 + its number
        else f"exited with code {rc}" + (f" (signal {rc - 128})" if 128 < rc < 160 else "")
    )
    detail = _first_line(stderr)
    return EngineError(f"{where} {how}" + (f": {detail}" if detail else ""))


class _Process:
    """One NUL-flushing process under the reaper; its input written by a thread.

    Leaving the ``with`` block ends the process group (a consumer that stops early, an error).
    """

    def __init__(self, args: list[str], payload: bytes, where: str):
        self.where = where
        if shutil.which(_REAPER[0]):
            args = _REAPER + args
        self.stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, start_new_session=True
            )
        except OSError as e:
            self.stderr.close()
            raise EngineError(f"{where} could not be started: {e}") from e
        self.writer = threading.Thread(target=self._write, args=(payload,), daemon=True)
        self.writer.start()

    def _write(self, payload: bytes) -> None:
        try:
            self.proc.stdin.write(payload)
            self.proc.stdin.close()
        except (BrokenPipeError, ValueError, OSError):  # the process ended early: its exit status tells why
            pass

    def pieces(self) -> Iterator[str]:
        """Every NUL-terminated piece of output as it arrives, then the rest; checks the exit status."""
        fd = self.proc.stdout.fileno()
        pending = b""
        while chunk := os.read(fd, 1 << 16):
            *done, pending = (pending + chunk).split(b"\0")
            for piece in done:
                yield self._decode(piece)
        self._check_exit()
        yield self._decode(pending)

    def _decode(self, piece: bytes) -> str:
        try:
            return piece.decode("utf-8")
        except UnicodeDecodeError as e:
            raise EngineError(f"{self.where} wrote output that is not UTF-8") from e

    def _check_exit(self) -> None:
        rc = self.proc.wait()
        if rc != 0:
            self.stderr.seek(0)
            raise _exit_error(self.where, rc, self.stderr.read())

    def __enter__(self) -> "_Process":
        return self

    def __exit__(self, *exc) -> None:
        stopped_early = self.proc.poll() is None
        if stopped_early:
            _signal_group(self.proc.pid, signal.SIGTERM)
        self.proc.stdout.close()
        self.proc.wait()
        self.writer.join()
        self.stderr.close()
        if stopped_early:  # the pipeline's stages end just after the shell: wait for them (5 s at most)
            for _ in range(100):
                if not _signal_group(self.proc.pid, 0):
                    break
                time.sleep(0.05)


def _signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to a process group; False when no process of it is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - the group id was reused by another user
        return False
    return True


def stream_block(apertium: str, mode: str, texts: Sequence[str]) -> Iterator[tuple[int, ApertiumResult]]:
    """Translate ``texts`` in one fresh Apertium process; yield ``(index, result)`` as each is done.

    Empty or blank segments are yielded first, as ``""``. Any error (a crash, a lost
    segment, a misaligned one) raises :class:`EngineError` after the segments already
    yielded: those are correct and the caller may keep them.
    """
    todo = [i for i, t in enumerate(texts) if t.strip()]
    for i, t in enumerate(texts):
        if not t.strip():
            yield i, ApertiumResult("")
    if not todo:
        return
    payload = "".join(f"[<s{k}>]{deformat(texts[i])}\0" for k, i in enumerate(todo)).encode("utf-8")
    morph = automorf(apertium, mode)
    where = f"apertium {mode}"
    args = [apertium, "-f", "none", "-z"] + (["-u"] if morph else []) + [mode]
    with _Process(args, payload, where) as translation:
        analyses: Iterator[str] | None = None
        analyser = None
        if morph:
            lt_proc = shutil.which("lt-proc") or "lt-proc"
            analyser = _Process([lt_proc, "-z", morph], payload, f"lt-proc {Path(morph).name}")
            analyses = analyser.pieces()
        try:
            pieces = translation.pieces()
            for k, i in enumerate(todo):
                stream = _aligned(next(pieces, None), k, len(todo), where)
                result = reformat(stream, texts[i])
                if analyses is not None:
                    analysis = _aligned(next(analyses, None), k, len(todo), analyser.where)
                    result = ApertiumResult(result.text, unknown_words(analysis), result.raw, result.marks)
                yield i, result
            _check_rest(pieces, len(todo), where)
            if analyses is not None:
                _check_rest(analyses, len(todo), analyser.where)
        finally:
            if analyser is not None:
                analyser.__exit__(None, None, None)


def _aligned(piece: str | None, k: int, count: int, where: str) -> str:
    """Piece ``k`` without its id; an error if it is missing or carries another id."""
    tag = f"[<s{k}>]"
    if piece is None or (not piece and k < count):
        raise EngineError(f"{where} returned {k} segments for {count} inputs")
    if not piece.startswith(tag) or "[<s" in piece[len(tag):]:
        raise EngineError(f"{where} lost the alignment of its output at segment {k + 1}")
    return piece[len(tag):]


def _check_rest(pieces: Iterator[str], count: int, where: str) -> None:
    """After the last segment only bare NULs may follow (and the process must exit 0)."""
    if any(piece for piece in pieces):
        raise EngineError(f"{where} returned more segments than the {count} inputs")
