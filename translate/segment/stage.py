"""The segment stage with its file I/O: source documents → ``locales/<domain>.pot``."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..config import FORMATS, Config, now as _now, source_files
from ..fsutil import atomic_write, project_lock, read_text_strict
from ..po import catalogue
from ..po.pofile import generate_po
from ..text import word_count
from .document import Document, parse_document


def load_document(config: Config, path: Path) -> Document:
    shown = config.show(path)
    text = read_text_strict(path, display=shown)
    return parse_document(text, shown, FORMATS[path.suffix.lower()])


@dataclass
class SegmentResult:
    domain: str
    path: Path
    entries: int
    segments: int
    words: int
    written: bool


_HEADER_DATES = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"\n]*\\n"\n', re.M)


def segment(config: Config, files: Sequence[Path] = (), *, now: _dt.datetime | None = None) -> list[SegmentResult]:
    """Source documents → ``locales/<domain>.pot``. Unchanged templates are not rewritten."""
    now = now or _now()
    paths = source_files(config, files)
    docs = [load_document(config, p) for p in paths]  # all read before anything is written
    results = []
    with project_lock(config.locales_dir):  # before reading the templates it may rewrite
        plans = []
        for path, doc in zip(paths, docs):
            domain = path.stem
            target = config.template_path(domain)
            old = target.read_bytes() if target.exists() else None
            pot = catalogue.make_template(domain, [doc], now)
            text = "".join(generate_po(pot)).encode("utf-8")
            # a template that differs only by its dates is unchanged: it is not rewritten
            changed = old is None or _HEADER_DATES.sub(b"", text) != _HEADER_DATES.sub(b"", old)
            plans.append((domain, target, pot, doc, text, changed))
        for domain, target, pot, doc, text, write in plans:
            if write:
                atomic_write(target, text)
            segs = list(doc.segments)
            results.append(
                SegmentResult(domain, target, len(pot), len(segs), sum(word_count(e.msgid) for e in pot), write)
            )
    return results
