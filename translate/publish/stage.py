"""The build stage with its file I/O: catalogues → ``editions/<lang>/``."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import polib

from ..config import Config, source_files
from ..errors import CatalogError, UsageError
from ..po import catalogue
from ..po.pofile import read_po
from ..segment.document import Segment
from ..segment.stage import load_document
from . import editions
from .editions import BuildRefused


@dataclass
class BuildResult:
    source: Path
    output: Path  #: the edition in the source format
    segments: int
    counts: dict[str, int] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)  #: every file of this document's editions
    failing: list[tuple[str, str, int | None]] = field(default_factory=list)  #: (msgid, catalogue, line)
    fallback: str = "english"


def _catalogue_for(config: Config, lang: str, domain: str) -> tuple[Path, polib.POFile]:
    po_path = config.po_path(lang, domain)
    if po_path.exists():
        return po_path, read_po(po_path, display=config.show(po_path))
    if lang == "en":
        pot_path = config.template_path(domain)
        if pot_path.exists():
            return pot_path, read_po(pot_path, display=config.show(pot_path))
        raise CatalogError(f"no catalogue for {domain!r}: run `translate segment` first", path=config.show(pot_path))
    raise CatalogError(
        f"no {lang} catalogue for {domain!r}: run `translate update --lang {lang}` first", path=config.show(po_path)
    )


BUILD_FORMATS = ("source", "html", "bilingual")


def build(
    config: Config,
    lang: str,
    files: Sequence[Path] = (),
    *,
    formats: Sequence[str] = BUILD_FORMATS,
    fallback: str = "english",
    strict: bool = False,
    review_port: int | None = None,
) -> list[BuildResult]:
    """Rebuild each source document from the catalogue into ``editions/<lang>/``.

    English: every sentence must be in the catalogue, and the edition equals the source
    byte for byte. Other languages: each sentence is replaced by its translation (machine
    translations included); untranslated and failing sentences follow ``fallback``
    (see :mod:`translate.editions`). Formats: ``source`` (``editions/<lang>/<doc>.md|txt``),
    ``html`` (``editions/<lang>/<doc>.html``) and, for a translation, ``bilingual``
    (``editions/en-<lang>/<doc>.html``). ``strict`` refuses (exit 1) while entries fail
    their checks. Everything is computed before anything is written; unchanged files are
    not rewritten, and the same catalogues always give the same bytes.

    The HTML editions of a translation carry a note while sentences are machine-made or
    left in English (see :class:`~translate.publish.editions.Notice`); the source-format
    editions never do. ``review_port``: each sentence of the bilingual edition links into
    ``translate review`` on that port instead of to the catalogue file.
    """
    catalogue.parse_locale(lang)
    if fallback not in editions.FALLBACKS:
        raise UsageError(f"unknown fallback {fallback!r} (expected one of {', '.join(editions.FALLBACKS)})")
    unknown = [f for f in formats if f not in BUILD_FORMATS]
    if unknown:
        raise UsageError(f"unknown format {unknown[0]!r} (expected {', '.join(BUILD_FORMATS)})")
    paths = source_files(config, files)
    outputs = []
    refusals: list[str] = []
    for path in paths:
        doc = load_document(config, path)
        po_path, po = _catalogue_for(config, lang, path.stem)
        entries = editions.entry_index(po)
        files_out: list[tuple[Path, str]] = []
        if lang == "en":
            counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "missing": 0, "failing": 0}
            copy_edits: list[Segment] = []
            chosen: dict[int, str | None] = {}

            def lookup(seg: Segment) -> str | None:
                e = entries.get((None, seg.msgid))
                if e is None:
                    counts["missing"] += 1
                    return None
                counts["translated"] += 1
                # The English edition is the msgid, restored with its original breaks;
                # an English copy-edit in msgstr replaces it.
                if e.msgstr:
                    copy_edits.append(seg)
                chosen[id(seg)] = e.msgstr or None
                return e.msgstr or None

            text = doc.render(lookup)
            if not counts["missing"] and not copy_edits and text != doc.text:  # pragma: no cover - a bug
                at = next(i for i, (a, b) in enumerate(zip(text + "\0", doc.text + "\0")) if a != b)
                raise CatalogError(f"internal error: the English edition differs from the source at offset {at}", path=doc.name)
            if counts["missing"]:
                missing = next(s for s in doc.segments if (None, s.msgid) not in entries)
                raise CatalogError(
                    f"sentence not in {config.show(po_path)} (the catalogue is stale: run `translate segment`"
                    f"{'' if po_path.suffix == '.pot' else ' and `translate update --lang en`'}): {missing.msgid[:60]!r}",
                    path=doc.name,
                    line=missing.line,
                )
            failing: list[tuple[str, str, int | None]] = []
            title = editions.document_title(doc, (lambda seg: chosen.get(id(seg))) if copy_edits else None)
            notice = None
        else:
            ed = editions.make_edition(doc, entries, fallback)
            text = ed.text
            shown = {id(seg): c.text for seg, c in ed.choices}
            title = editions.document_title(doc, lambda seg: shown.get(id(seg)))
            notice = editions.review_notice(ed)
            counts = ed.counts.as_dict()
            seen: set[str] = set()
            failing = []
            for seg, c in ed.failing:
                if seg.msgid not in seen:
                    seen.add(seg.msgid)
                    failing.append((seg.msgid, config.show(po_path), c.entry.linenum if c.entry is not None else None))
            if fallback == "fail" and (counts["untranslated"] + counts["missing"] + counts["failing"]):
                refusals.append(
                    f"{doc.name}: {counts['untranslated'] + counts['missing']} untranslated, {counts['failing']} failing"
                )
            if strict and failing:
                n_fail = len(failing)
                refusals.append(f"{doc.name}: {n_fail} {'entry fails its' if n_fail == 1 else 'entries fail their'} checks")
        out = config.editions_dir / lang / path.name
        if "source" in formats:
            files_out.append((out, text))
        if "html" in formats:
            page = editions.html_edition(text, doc.format, lang, title=title, notice=notice)
            files_out.append((out.with_name(path.stem + ".html"), page))
        if "bilingual" in formats and lang != "en":
            bi = config.editions_dir / f"en-{lang}" / (path.stem + ".html")
            files_out.append(
                (
                    bi,
                    editions.bilingual_html(
                        doc,
                        ed,
                        lang=lang,
                        catalogue_href=Path(os.path.relpath(po_path, bi.parent)).as_posix(),
                        catalogue_name=config.show(po_path),
                        title=editions.document_title(doc),
                        review_port=review_port,
                    ),
                )
            )
        outputs.append((path, out, files_out, len(list(doc.segments)), counts, failing))
    if refusals:
        why = "; ".join(refusals)
        raise BuildRefused(
            f"nothing written: {why} (" + ("--strict" if strict else "--fallback fail") + ")"
        )
    changed = [
        (target, data)
        for _p, _o, files_out, _n, _c, _f in outputs
        for target, data in ((t, c.encode("utf-8")) for t, c in files_out)
        if not (target.exists() and target.read_bytes() == data)
    ]
    publish_all(config.editions_dir, changed)
    return [
        BuildResult(path, out, n, counts, [t for t, _ in files_out], failing, fallback)
        for path, out, files_out, n, counts, failing in outputs
    ]


def publish_all(folder: Path, files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file, or none: all are written into a temporary folder beside them first
    (a full disk or a read-only folder fails there, before any edition changes), then each
    is renamed into place."""
    if not files:
        return
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    try:
        staged = []
        for k, (target, data) in enumerate(files):
            tmp = staging / f"{k}.tmp"
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            staged.append((tmp, target))
        for tmp, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
