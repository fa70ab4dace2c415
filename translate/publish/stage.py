"""The build stage with its file I/O: catalogues → ``editions/<lang>/``."""

from __future__ import annotations

import os
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..config import Config, source_files
from ..errors import CatalogError, UsageError
from ..po import catalogue
from ..po.pofile import read_po_bytes
from ..po.reader import is_header, iter_po
from ..po.staging import Staged
from ..segment.document import Segment
from ..segment.stage import load_document
from . import editions
from .editions import BuildRefused
from .manifest import Manifest, digest, toolkit_digest


@dataclass
class BuildResult:
    source: Path
    output: Path  #: the edition in the source format
    segments: int
    counts: dict[str, int] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)  #: every file of this document's editions
    failing: list[tuple[str, str, int | None]] = field(default_factory=list)  #: (msgid, catalogue, line)
    fallback: str = "english"


def _catalogue_for(config: Config, lang: str, domain: str) -> tuple[Path, dict[tuple[str | None, str], editions.Entry]]:
    """The catalogue a document's editions come from, and what they need of its entries (read
    one entry at a time: the catalogue is never held as polib entries)."""
    po_path = _catalogue_path(config, lang, domain)
    if po_path is None:
        if lang == "en":
            pot_path = config.template_path(domain)
            raise CatalogError(f"no catalogue for {domain!r}: run `translate segment` first", path=config.show(pot_path))
        raise CatalogError(
            f"no {lang} catalogue for {domain!r}: run `translate update --lang {lang}` first",
            path=config.show(config.po_path(lang, domain)),
        )
    shown = config.show(po_path)
    data = read_po_bytes(po_path, display=shown)
    return po_path, editions.entry_index(e for e in iter_po(data, display=shown) if not is_header(e))


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
    not rewritten, and the same catalogues always give the same bytes. A document whose
    source, catalogue, options and toolkit are those of its last build, with its editions
    still as written, is not rebuilt (see :mod:`translate.publish.manifest`).

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
    manifest = Manifest(config.project / STATE_DIR / f"build-{lang}.json", config.project)
    options = json.dumps([lang, list(formats), fallback, strict, review_port])
    results: list[BuildResult] = []
    refusals: list[str] = []
    recorded: list[tuple[str, str, dict[Path, str], dict]] = []  # what the manifest will say
    with Staged() as staging:
        for path in paths:
            shown = config.show(path)
            key = _inputs_digest(config, lang, path, options)
            entry = manifest.fresh(shown, key) if key else None
            if entry is not None:
                res = _result_of(config, lang, path, entry, fallback)
            else:
                res, files_out = _build_document(config, lang, path, formats, fallback, review_port)
                digests = {}
                for target, text in files_out:  # each file written out as it is made
                    digests[target] = staging.add_text(target, [text] if isinstance(text, str) else text)
                del files_out
                if key:
                    report = {"segments": res.segments, "counts": res.counts, "failing": [list(f) for f in res.failing]}
                    recorded.append((shown, key, digests, report))
            if lang != "en":
                refusals += _refusals(shown, res, fallback, strict)
            results.append(res)
        if refusals:
            why = "; ".join(refusals)
            raise BuildRefused(f"nothing written: {why} (" + ("--strict" if strict else "--fallback fail") + ")")
        staging.commit()
    if recorded:
        for shown, key, digests, report in recorded:
            manifest.record(shown, key, digests, report)
        manifest.save()
    return results


#: The project's folder for the toolkit's own state (the build manifests).
STATE_DIR = ".translate"


def _catalogue_path(config: Config, lang: str, domain: str) -> Path | None:
    """The catalogue a document's editions come from (None: none yet, the build says so)."""
    po_path = config.po_path(lang, domain)
    if po_path.exists():
        return po_path
    pot_path = config.template_path(domain)
    return pot_path if lang == "en" and pot_path.exists() else None


def _inputs_digest(config: Config, lang: str, path: Path, options: str) -> str | None:
    """A digest of everything ``path``'s editions are made from (see :mod:`.manifest`)."""
    cat = _catalogue_path(config, lang, path.stem)
    if cat is None:
        return None
    try:
        return digest(toolkit_digest(), options, config.show(path), path.read_bytes(), config.show(cat), cat.read_bytes())
    except OSError:
        return None  # the build reports it


def _result_of(config: Config, lang: str, path: Path, entry: dict, fallback: str) -> BuildResult:
    """A skipped document's result, as its build reported it."""
    return BuildResult(
        path,
        config.editions_dir / lang / path.name,
        entry["segments"],
        dict(entry["counts"]),
        [config.project / rel for rel, _digest in entry["files"]],
        [(msgid, cat, line) for msgid, cat, line in entry["failing"]],
        fallback,
    )


def _refusals(shown: str, res: BuildResult, fallback: str, strict: bool) -> list[str]:
    """Why this translated document stops the build (``--fallback fail``, ``--strict``)."""
    out = []
    counts = res.counts
    if fallback == "fail" and (counts["untranslated"] + counts["missing"] + counts["failing"]):
        out.append(f"{shown}: {counts['untranslated'] + counts['missing']} untranslated, {counts['failing']} failing")
    if strict and res.failing:
        n_fail = len(res.failing)
        out.append(f"{shown}: {n_fail} {'entry fails its' if n_fail == 1 else 'entries fail their'} checks")
    return out


def _build_document(
    config: Config, lang: str, path: Path, formats: Sequence[str], fallback: str, review_port: int | None
) -> tuple[BuildResult, list[tuple[Path, str | Iterable[str]]]]:
    """One document's editions (each file's path and text, whole or in pieces made as they are
    read) and what its build reports."""
    doc = load_document(config, path, stream=True)  # gone through twice, never held as pieces
    po_path, entries = _catalogue_for(config, lang, path.stem)
    files_out: list[tuple[Path, str | Iterable[str]]] = []  # (a text given as an EncodedText is iterable)
    if lang == "en":
        counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "missing": 0, "failing": 0}
        copy_edits = 0
        chosen: dict[str, str | None] = {}  # msgid → its copy-edit, if any

        def lookup(seg: Segment) -> str | None:
            nonlocal copy_edits
            e = entries.get((None, seg.msgid))
            if e is None:
                counts["missing"] += 1
                return None
            counts["translated"] += 1
            # The English edition is the msgid, restored with its original breaks;
            # an English copy-edit in msgstr replaces it.
            if e.msgstr:
                copy_edits += 1
            chosen[seg.msgid] = e.msgstr or None
            return e.msgstr or None

        text: str | editions.EncodedText = editions.EncodedText(doc.render_chunks(lookup))
        if not counts["missing"] and not copy_edits:
            if not text.equals(doc.text):  # pragma: no cover - a bug
                made = str(text)
                at = next(i for i, (a, b) in enumerate(zip(made + "\0", doc.text + "\0")) if a != b)
                raise CatalogError(f"internal error: the English edition differs from the source at offset {at}", path=doc.name)
            text = doc.text  # the very same text: one copy is enough
        if counts["missing"]:
            missing = next(s for s in doc.segments if (None, s.msgid) not in entries)
            raise CatalogError(
                f"sentence not in {config.show(po_path)} (the catalogue is stale: run `translate segment`"
                f"{'' if po_path.suffix == '.pot' else ' and `translate update --lang en`'}): {missing.msgid[:60]!r}",
                path=doc.name,
                line=missing.line,
            )
        failing: list[tuple[str, str, int | None]] = []
        title = editions.document_title(doc, (lambda seg: chosen.get(seg.msgid)) if copy_edits else None)
        notice = None
    else:
        ed = editions.make_edition(doc, entries, fallback)
        text = ed.text
        title = editions.document_title(doc, ed.text_of)
        notice = editions.review_notice(ed)
        counts = ed.counts.as_dict()
        failing = [(msgid, config.show(po_path), c.entry.linenum if c.entry is not None else None) for msgid, c in ed.failing]
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
    segments = sum(counts.values())  # every sentence was counted once, by its state
    res = BuildResult(path, out, segments, counts, [t for t, _ in files_out], failing, fallback)
    return res, files_out
