"""Which editions are up to date: the build manifest, so that ``build`` redoes only what changed.

For each document, ``.translate/build-<lang>.json`` (in the project) records a digest of
everything its editions are made from: the source document's bytes, the catalogue's path and
bytes (translations, flags, check comments, approval marks: all of it), the build options, and
the toolkit itself (every file of the ``translate`` package, templates and stylesheets
included, and the versions of the libraries that render HTML). Beside it: the digest of each
edition file written, and what the build reported for the document (counts, failing entries).

A document is skipped only when its digest is the recorded one and every recorded edition file
is on disk with the recorded digest; anything else (no manifest, an unreadable or corrupt one,
an edition edited or deleted by hand) means a full build of that document. The manifest is
written atomically, after the editions are in place.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write
from ..po.staging import file_sha256

#: Bumped when the manifest's layout changes (an older manifest then counts as missing).
FORMAT = 1
#: Libraries whose version changes what an edition looks like.
RENDERERS = ("markdown-it-py", "Jinja2", "MarkupSafe")


def digest(*parts: bytes | str) -> str:
    """One SHA-256 over ``parts`` (each length-prefixed, so parts cannot run into each other)."""
    h = hashlib.sha256()
    for p in parts:
        data = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def toolkit_digest() -> str:
    """A digest of the code and templates that make editions (any change: rebuild everything)."""
    from importlib import metadata

    parts: list[bytes | str] = [str(FORMAT), tree_digest(Path(__file__).resolve().parent.parent)]
    for lib in RENDERERS:
        try:
            parts += [lib, metadata.version(lib)]
        except metadata.PackageNotFoundError:
            parts += [lib, ""]
    return digest(*parts)


def tree_digest(folder: Path) -> str:
    """A digest of every file under ``folder`` (names and bytes; compiled caches left out)."""
    parts: list[bytes | str] = []
    for f in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts += [f.relative_to(folder).as_posix(), f.read_bytes()]
    return digest(*parts)


def file_digest(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


class Manifest:
    """The recorded state of one language's editions, by document (its path in the project)."""

    def __init__(self, path: Path, project: Path):
        self.path = path
        self.project = project
        self.docs: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("documents"), dict):
                self.docs = data["documents"]
        except (OSError, ValueError, AttributeError):
            pass  # missing or corrupt: everything is built

    def fresh(self, doc: str, key: str) -> dict[str, Any] | None:
        """The record of ``doc`` if its editions were made from inputs with digest ``key`` and
        are still on disk as written; else None. Its ``files``: [path in the project, SHA-256]
        pairs, in the order the build made them."""
        entry = self.docs.get(doc)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        files = entry.get("files")
        if not isinstance(files, list) or not files:
            return None
        for rel, want in files:
            if file_digest(self.project / rel) != want:
                return None
        return entry

    def record(self, doc: str, key: str, files: dict[Path, str], report: dict[str, Any]) -> None:
        """Remember what ``doc``'s editions were made from, the digest of each file written, and
        what its build reported."""
        self.docs[doc] = {"key": key, "files": [[self._rel(p), d] for p, d in files.items()], **report}

    def _rel(self, p: Path) -> str:
        try:
            return p.relative_to(self.project).as_posix()
        except ValueError:
            return str(p)

    def save(self) -> None:
        data = {"format": FORMAT, "documents": dict(sorted(self.docs.items()))}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True))
