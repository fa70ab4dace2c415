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
import os
import tempfile
from pathlib import Path


class Staged:
    def __init__(self) -> None:
        self.staged: list[tuple[str, Path]] = []

    def __enter__(self) -> "Staged":
        return self

    def add(self, target: Path, data: bytes) -> None:
        """Write ``data`` for ``target`` (its folder is created if needed), not yet in place."""
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.staged.append((tmp, target))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)

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
