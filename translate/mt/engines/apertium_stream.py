"""Apertium as a stream: one block of segments goes in, translations come out one by one.

:func:`stream_block` starts Apertium for one *block* of segments, writes the block from a
thread and yields each translation as soon as Apertium has flushed it (``-z``: one NUL
after each segment), so the caller applies finished segments while Apertium works on the
next ones. Alignment is verified per segment exactly as in :mod:`.apertium` (the id
superblank ``[<sN>]`` must open piece ``N``).

Unknown words without switching off Apertium's spelling rules
-------------------------------------------------------------
Apertium's unknown-word marks (``*word``) block its post-generation rules around the marked
word ("y inclusive" where ``apertium -u`` writes "e inclusive"). So the text is made as by
``apertium -u`` (no marks), and the unknown words are read from the output of the pipeline's
first stage, the pair's morphological analyser (``lt-proc`` on the ``.automorf.bin`` named in
the mode file): a source word it cannot analyse (``^word/*word$``) is what the marked
translation would have shown as ``*word``.

One pipeline, run directly
--------------------------
For ``-f none`` the ``apertium`` script only wraps the mode's pipeline (what
``apertium-wblank-mode -z`` prints) in a bash script, two pass-through ``gawk`` filters and
three ``cat``. :func:`stream_block` runs that pipeline itself, with the analyser's output
copied by ``tee`` to a pipe of ours: the same bytes as ``apertium -f none -z -u`` (tested),
one analysis instead of two, and none of the wrappers (together about a tenth of Apertium's
CPU). When the pipeline cannot be read (no mode file, an ``apertium`` wrapper of tests,
``APERTIUM_DATADIR`` or ``AP_SETVAR`` set), ``apertium -u`` runs beside a second analyser
process; without any mode file, the marked pass is used.

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

import fcntl
import functools
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator, NamedTuple, Sequence

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


def _mode_file(apertium_bin: str, mode: str) -> Path:
    return Path(apertium_bin).resolve().parent.parent / "share" / "apertium" / "modes" / f"{mode}.mode"


def automorf(apertium_bin: str, mode: str) -> str | None:
    """The analyser (``.automorf.bin``) the mode file of ``mode`` runs first, if it can be found."""
    mode_file = _mode_file(apertium_bin, mode)
    try:
        m = _AUTOMORF_RE.match(mode_file.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return None
    return m.group(1) if m and Path(m.group(1)).is_file() else None


#: Settings of the ``apertium`` script that change what it runs: with one of them set, the
#: script runs (see "One pipeline, run directly").
_SCRIPT_SETTINGS = ("APERTIUM_DATADIR", "APERTIUM_PATH", "AP_SETVAR")


class Pipeline(NamedTuple):
    """A mode's null-flush pipeline as the ``apertium`` script runs it for ``-f none -u``."""

    analyser: str  #: the first stage (``lt-proc -z …automorf.bin``)
    rest: str  #: every later stage, reading the analysis (``$1``, ``$2``: the script's options)
    bash: str
    folder: str  #: Apertium's programs: the script puts them first on the PATH
    ctype: str  #: the script's LC_CTYPE: the first UTF-8 locale ``locale -a`` lists

    def command(self, tee_fd: int) -> list[str]:
        """The pipeline under bash, the analysis copied to ``tee_fd``; ``-n``: no unknown-word marks."""
        script = f"{self.analyser} | tee /dev/fd/{tee_fd} | {self.rest}"
        return [self.bash, "-o", "pipefail", "-c", script, "apertium", "-n", ""]

    def env(self) -> dict[str, str]:
        return dict(os.environ, PATH=f"{self.folder}{os.pathsep}{os.environ.get('PATH', '')}", LC_CTYPE=self.ctype)


def direct_pipeline(apertium_bin: str, mode: str) -> Pipeline | None:
    """The pipeline ``apertium -f none -z -u mode`` would run, or None (then the script runs)."""
    if any(os.environ.get(name) for name in _SCRIPT_SETTINGS):
        return None
    return _read_pipeline(str(Path(apertium_bin).resolve()), mode)


@functools.lru_cache(maxsize=8)
def _read_pipeline(apertium_bin: str, mode: str) -> Pipeline | None:
    folder = Path(apertium_bin).parent
    wblank, bash = folder / "apertium-wblank-mode", shutil.which("bash")
    mode_file = _mode_file(apertium_bin, mode)
    if not (wblank.is_file() and mode_file.is_file() and bash):
        return None
    try:
        out = subprocess.run([str(wblank), "-z", str(mode_file)], capture_output=True, text=True, timeout=60)
        locales = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=60).stdout.split()
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    analyser, bar, rest = out.stdout.strip().partition(" | ")
    # the script's own choice of locale: the first UTF-8 one `locale -a` lists
    utf8 = next((name for name in locales if re.search(r"utf[.-]*8", name, re.I)), None)
    if out.returncode or not bar or not _AUTOMORF_RE.match(analyser) or not utf8:
        return None
    return Pipeline(analyser, rest, bash, str(folder), utf8)


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


def _nul_pieces(fd: int, at_end=lambda: None) -> Iterator[bytes]:
    """Every NUL-terminated piece read from ``fd`` as it arrives; at its end, ``at_end()`` is
    called and then what followed the last NUL is yielded."""
    pending = b""
    while chunk := os.read(fd, 1 << 16):
        *done, pending = (pending + chunk).split(b"\0")
        yield from done
    at_end()
    yield pending


class _Tee:
    """A pipe the pipeline's ``tee`` copies the analysis to, drained by a thread of ours: ``tee``
    must never wait for us while we wait for a translation that is behind it in the pipeline."""

    def __init__(self):
        self.read_fd, write_fd = os.pipe()
        # above the descriptors a shell redirects (the reaper uses 3)
        self.write_fd = fcntl.fcntl(write_fd, fcntl.F_DUPFD, 10)
        os.close(write_fd)
        self._pieces: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._drain, daemon=True)

    def start(self) -> None:
        """Once the pipeline holds the write end: close ours (the end of the pipeline is then
        the end of the pipe) and start reading."""
        os.close(self.write_fd)
        self.write_fd = -1
        self._thread.start()

    def _drain(self) -> None:
        try:
            for piece in _nul_pieces(self.read_fd):
                self._pieces.put(piece)
        finally:
            self._pieces.put(None)

    def pieces(self) -> Iterator[bytes]:
        """Every piece of the analysis, in order, as the thread gets them."""
        while (piece := self._pieces.get()) is not None:
            yield piece

    def close(self) -> None:
        if self.write_fd >= 0:
            os.close(self.write_fd)
        else:
            self._thread.join(timeout=5)  # the pipeline has ended: its end of the pipe is closed
        if not self._thread.is_alive():
            os.close(self.read_fd)


class _Process:
    """One NUL-flushing process under the reaper; its input written by a thread.

    ``tee``: a pipe whose write end the process inherits (see :class:`_Tee`). Leaving the
    ``with`` block ends the process group (a consumer that stops early, an error).
    """

    def __init__(self, args: list[str], where: str, tee: _Tee | None = None, env=None):
        self.where = where
        self.writer: threading.Thread | None = None
        if shutil.which(_REAPER[0]):
            args = _REAPER + args
        self.stderr = tempfile.TemporaryFile()
        self.tee = tee
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, start_new_session=True,
                pass_fds=(tee.write_fd,) if tee else (), env=env,
            )
        except OSError as e:
            self.stderr.close()
            if tee:
                tee.close()
            raise EngineError(f"{where} could not be started: {e}") from e
        if tee:
            tee.start()

    def feed(self, payload: bytes) -> None:
        """Write the input from a thread (the output is read meanwhile) and close it."""
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
        for piece in _nul_pieces(self.proc.stdout.fileno(), self._check_exit):
            yield self.decode(piece)

    def decode(self, piece: bytes) -> str:
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
        if self.writer:
            self.writer.join()
        self.stderr.close()
        if stopped_early:  # the pipeline's stages end just after the shell: wait for them (5 s at most)
            for _ in range(100):
                if not _signal_group(self.proc.pid, 0):
                    break
                time.sleep(0.05)
        if self.tee:
            self.tee.close()


def _signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to a process group; False when no process of it is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - the group id was reused by another user
        return False
    return True


class _Run:
    """The processes that translate one block, started before the block is known (they load
    their dictionaries meanwhile): the mode's pipeline teeing its analysis to us or, without
    it, ``apertium -u`` beside an analyser (or ``apertium`` alone, its words marked)."""

    def __init__(self, apertium: str, mode: str):
        self.where = f"apertium {mode}"
        direct = direct_pipeline(apertium, mode)
        morph = None if direct else automorf(apertium, mode)
        self.tee = _Tee() if direct else None
        if direct:
            args, env = direct.command(self.tee.write_fd), direct.env()
        else:
            args, env = [apertium, "-f", "none", "-z"] + (["-u"] if morph else []) + [mode], None
        self.translation = _Process(args, self.where, self.tee, env)
        self.analyser = None
        if morph:
            try:
                lt_proc = shutil.which("lt-proc") or "lt-proc"
                self.analyser = _Process([lt_proc, "-z", morph], f"lt-proc {Path(morph).name}")
            except EngineError:
                self.close()
                raise

    def feed(self, payload: bytes) -> None:
        for process in (self.translation, self.analyser):
            if process:
                process.feed(payload)

    def analyses(self) -> tuple[Iterator[str] | None, str]:
        """The analyser's output piece by piece (None without an analyser), and who made it."""
        if self.tee:
            return (self.translation.decode(piece) for piece in self.tee.pieces()), self.where
        if self.analyser:
            return self.analyser.pieces(), self.analyser.where
        return None, self.where

    def close(self) -> None:
        for process in (self.analyser, self.translation):
            if process:
                process.__exit__(None, None, None)


#: Runs started ahead by :func:`warm_up`, per (apertium, mode), for the next blocks.
_warm: dict[tuple[str, str], list[_Run]] = {}
_warm_lock = threading.Lock()


def warm_up(apertium: str, mode: str, count: int = 1) -> None:
    """Have ``count`` pipelines of ``mode`` started ahead for the next blocks (start the
    missing ones): each loads its dictionaries (about 0.4 s of CPU) while the caller plans or
    another block runs, and the next :func:`stream_block` takes one. Each is still a fresh
    process for its block, so the output does not change. Call it from a thread that outlives
    those blocks: the parent-death signal of the reaper (see :data:`_REAPER`) comes when the
    *thread* that started the pipeline ends."""
    with _warm_lock:
        missing = count - len(_warm.get((apertium, mode), ()))
    runs = [_Run(apertium, mode) for _ in range(missing)]
    with _warm_lock:
        _warm.setdefault((apertium, mode), []).extend(runs)


def cool_down(apertium: str | None = None, mode: str | None = None, keep: int = 0) -> None:
    """End the pipelines started ahead but not used (of one mode, or of all), all but ``keep``."""
    with _warm_lock:
        keys = [key for key in _warm if apertium is None or key == (apertium, mode)]
        spare = [run for key in keys for run in _warm[key][keep:]]
        for key in keys:
            del _warm[key][keep:]
    for run in spare:
        run.close()


def _take_warm(apertium: str, mode: str) -> _Run | None:
    with _warm_lock:
        runs = _warm.get((apertium, mode))
        return runs.pop(0) if runs else None


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
    run = _take_warm(apertium, mode) or _Run(apertium, mode)
    try:
        run.feed(payload)
        where = run.where
        analyses, analysis_where = run.analyses()
        pieces = run.translation.pieces()
        for k, i in enumerate(todo):
            stream = _aligned(next(pieces, None), k, len(todo), where)
            result = reformat(stream, texts[i])
            if analyses is not None:
                analysis = _aligned(next(analyses, None), k, len(todo), analysis_where)
                result = ApertiumResult(result.text, unknown_words(analysis), result.raw, result.marks)
            yield i, result
        _check_rest(pieces, len(todo), where)
        if analyses is not None:
            _check_rest(analyses, len(todo), analysis_where)
    finally:
        run.close()


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
