"""The catalogue stages with their file I/O: ``update`` (msgmerge) and ``stats``."""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import polib

from ..config import Config, now as _now, templates
from ..errors import UsageError
from ..fsutil import project_lock
from . import catalogue
from .pofile import dump_po, po_target, read_po, read_po_bytes
from .reader import header_metadata, is_header, iter_po
from .staging import Staged


@dataclass
class UpdateResult:
    domain: str
    path: Path
    report: catalogue.MergeReport
    created: bool
    written: bool


def update(config: Config, lang: str, *, now: _dt.datetime | None = None) -> list[UpdateResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<domain>.po`` from every template."""
    catalogue.parse_locale(lang)
    now = now or _now()
    pot_paths = templates(config)
    results = []
    # the lock is taken before anything is read: a review page saving an approval while this
    # runs is refused (and can be redone), never silently overwritten by a merge of older text
    with project_lock(config.locales_dir), Staged() as staging:
        for pot_path in pot_paths:  # one catalogue at a time; all renamed into place at the end
            domain = pot_path.stem
            pot = _Template(pot_path, config.show(pot_path))  # read as the merge goes through it
            po_path = config.po_path(lang, domain)
            old = read_po(po_path, display=config.show(po_path)) if po_path.exists() else None
            # what the file held, as a digest (the catalogue's bytes are not kept beside it)
            old_digest = old._source_digest if old is not None else None  # type: ignore[attr-defined]
            merged, report = catalogue.merge(pot, old, lang, domain, now)
            del pot, old
            data = dump_po(merged, display=config.show(po_path))  # in the catalogue's own charset
            del merged
            write = hashlib.sha256(data).hexdigest() != old_digest
            if write:
                staging.add(po_target(po_path), data)
            results.append(UpdateResult(domain, po_path, report, old_digest is None, write))
        staging.commit()
    return results


class _Template:
    """A template as :func:`catalogue.merge` reads it, its header's ``metadata`` and then its
    entries, one at a time: the template is never held as polib entries beside the catalogue
    being made from it. (A malformed template is refused when the merge gets to the error,
    before anything is written.)"""

    def __init__(self, path: Path, display: str):
        self._entries = iter_po(read_po_bytes(path, display=display), display=display)
        self._first = next(self._entries, None)
        header = self._first is not None and is_header(self._first)
        self.metadata = header_metadata(self._first) if header else {}
        if header:
            self._first = None

    def __iter__(self) -> Iterator[polib.POEntry]:
        if self._first is not None:
            yield self._first
        yield from self._entries


@dataclass
class StatsRow:
    lang: str
    domain: str
    path: Path
    stats: catalogue.Stats


def stats(config: Config, lang: str | None = None) -> list[StatsRow]:
    rows = []
    if not config.locales_dir.is_dir():
        raise UsageError("no locales/ folder: run `translate segment` first")
    for pot in sorted(config.locales_dir.glob("*.pot")):
        po = read_po(pot, display=config.show(pot))
        rows.append(StatsRow("template", pot.stem, pot, catalogue.stats(po)))
    langs = [lang] if lang else sorted(p.name for p in config.locales_dir.iterdir() if (p / "LC_MESSAGES").is_dir())
    for lg in langs:
        for po_path in sorted((config.locales_dir / lg / "LC_MESSAGES").glob("*.po")):
            po = read_po(po_path, display=config.show(po_path))
            rows.append(StatsRow(lg, po_path.stem, po_path, catalogue.stats(po)))
    return rows
