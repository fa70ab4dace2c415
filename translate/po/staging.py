"""Many files written as one: each is staged as it is made, all are renamed into place at the end.

A stage that writes several files (templates, catalogues, editions) makes them one at a time, so
that only one document is in memory, yet must leave nothing half-written when a later document
is bad or the disk fills up. Each file is written (and synced) to a temporary file beside its
target as soon as it is made; :meth:`Staged.commit` renames them all into place; leaving the
``with`` block without committing removes them. As with :func:`translate.fsutil.atomic_write`,
an existing file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Iterable

from ..fsutil import write_beside


class Staged:
    def __init__(self) -> None:
        self.staged: list[tuple[str, Path]] = []

    def __enter__(self) -> "Staged":
        return self

    def add(self, target: Path, data: bytes) -> None:
        """Write ``data`` for ``target`` (its folder is created if needed), not yet in place."""
        self._write(target, [data])

    def add_text(self, target: Path, pieces: Iterable[str]) -> str:
        """Write text that comes in ``pieces`` (UTF-8), never whole in memory, for ``target``;
        return the SHA-256 of its bytes. When ``target`` already holds those very bytes,
        nothing is staged (an unchanged file is not rewritten)."""
        digest = hashlib.sha256()
        tmp = self._write(target, _encoded(pieces, digest))
        same = target.is_file() and file_sha256(target) == digest.hexdigest()
        if same:
            self.staged.pop()
            os.unlink(tmp)
        return digest.hexdigest()

    def _write(self, target: Path, chunks: Iterable[bytes]) -> str:
        tmp = write_beside(target, chunks)
        self.staged.append((tmp, target))
        return tmp

    def commit(self) -> None:
        """Every staged file into place."""
        for tmp, target in self.staged:
            os.replace(tmp, target)
        self.staged.clear()

    def __exit__(self, *exc) -> None:
        for tmp, _target in self.staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self.staged.clear()


def _encoded(pieces: Iterable[str], digest) -> Iterable[bytes]:
    """``pieces`` as UTF-8 in chunks of about 64 KB, each added to ``digest``."""
    buf: list[str] = []
    size = 0
    for piece in pieces:
        buf.append(piece)
        size += len(piece)
        if size >= 65536:
            data = "".join(buf).encode("utf-8")
            digest.update(data)
            yield data
            buf.clear()
            size = 0
    data = "".join(buf).encode("utf-8")
    digest.update(data)
    yield data


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
