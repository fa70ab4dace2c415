"""File-system edges: reading source documents strictly, atomic writes, the project lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .errors import LockedError, SourceError


def read_text_strict(path: Path, *, display: str | None = None) -> str:
    """Read a UTF-8 document, refusing what is not one.

    Directories, empty files, binary files (a NUL byte) and invalid UTF-8 (with the byte
    offset and line of the first bad byte) raise :class:`SourceError`.
    """
    shown = display or str(path)
    if path.is_dir():
        raise SourceError("is a directory, not a document", path=shown)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path=shown) from None
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror}", path=shown) from e
    if not data.strip():
        raise SourceError("empty document (nothing to translate)", path=shown)
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SourceError(f"binary file (NUL byte at offset {nul}), not a text document", path=shown, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SourceError(
            f"not valid UTF-8: byte 0x{data[e.start]:02x} at offset {e.start}", path=shown, line=line
        ) from None


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``.

    A crash leaves either the old file or the new one, never a mix. The folder is created
    if needed; an existing file's permission bits are kept.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = write_beside(path, [data])
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_beside(path: Path, chunks: Iterable[bytes]) -> str:
    """Write ``chunks`` to a new temporary file in ``path``'s folder (created if needed), synced,
    with ``path``'s permission bits (0644 for a new file); return its name. Nothing is left
    behind when writing fails. Renaming it onto ``path`` is the caller's move."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


@contextlib.contextmanager
def project_lock(locales_dir: Path, what: str = "the catalogues") -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on the project's catalogues.

    A second run that wants to write while the first holds it gets :class:`LockedError`.
    The lock is released by the kernel if the process dies, so it never goes stale.
    """
    locales_dir.mkdir(parents=True, exist_ok=True)
    lock_path = locales_dir / ".lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise LockedError(
                f"{what} are locked by another run (pid {holder}); try again when it has finished",
                path=lock_path,
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
