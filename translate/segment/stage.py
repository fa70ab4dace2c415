"""The segment stage with its file I/O: source documents → ``locales/<domain>.pot``."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..config import FORMATS, Config, now as _now, source_files
from ..fsutil import project_lock, read_text_strict
from ..po import catalogue
from ..po.pofile import generate_po
from ..po.staging import Staged
from ..text import word_count
from .document import Document, parse_document, stream_document


def load_document(config: Config, path: Path, *, stream: bool = False) -> Document:
    """The source document at ``path``; ``stream``: its pieces are made again on each pass
    instead of held (see :func:`~translate.segment.document.stream_document`)."""
    shown = config.show(path)
    text = read_text_strict(path, display=shown)
    return (stream_document if stream else parse_document)(text, shown, FORMATS[path.suffix.lower()])


@dataclass
class SegmentResult:
    domain: str
    path: Path
    entries: int
    segments: int
    words: int
    written: bool


_HEADER_DATES = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"\n]*\\n"\n', re.M)


def _template_bytes(pot) -> bytearray:
    """The template's text in UTF-8, encoded a few thousand lines at a time (no second copy
    of the whole text as one string)."""
    out = bytearray()
    chunk: list[str] = []
    for line in generate_po(pot):
        chunk.append(line)
        if len(chunk) >= 4096:
            out += "".join(chunk).encode("utf-8")
            chunk.clear()
    out += "".join(chunk).encode("utf-8")
    return out


def _same_but_dates(new: bytes | bytearray, old: bytes) -> bool:
    """Do two templates differ only by their header's dates? (The header is the first entry:
    everything before the first empty line.)"""
    a, b = new.find(b"\n\n"), old.find(b"\n\n")
    if a < 0 or b < 0:
        return _HEADER_DATES.sub(b"", new) == _HEADER_DATES.sub(b"", old)
    return memoryview(new)[a:] == memoryview(old)[b:] and _HEADER_DATES.sub(b"", new[:a]) == _HEADER_DATES.sub(b"", old[:b])


def segment(config: Config, files: Sequence[Path] = (), *, now: _dt.datetime | None = None) -> list[SegmentResult]:
    """Source documents → ``locales/<domain>.pot``. Unchanged templates are not rewritten.

    Every document is read and made into its template before anything is written (a bad
    document leaves the project as it was), one at a time: only each template's bytes are
    kept, not the documents and catalogues they were made from.
    """
    now = now or _now()
    paths = source_files(config, files)
    made = []
    for path in paths:
        doc = load_document(config, path, stream=True)  # its sentences are gone through once
        domain = path.stem
        pot, segments = catalogue.counted_template(domain, [doc], now)
        del doc
        words = sum(word_count(e.msgid) for e in pot)
        made.append((domain, _template_bytes(pot), len(pot), segments, words))
        del pot
    results = []
    with project_lock(config.locales_dir), Staged() as staging:  # before reading the templates it may rewrite
        for domain, data, entries, segments, words in made:
            target = config.template_path(domain)
            # a template that differs only by its dates is unchanged: it is not rewritten
            write = not target.exists() or not _same_but_dates(data, target.read_bytes())
            if write:
                staging.add(target, data)
            results.append(SegmentResult(domain, target, entries, segments, words, write))
        staging.commit()
    return results
