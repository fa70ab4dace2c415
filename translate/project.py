"""The project's stages with their file I/O: segment, update, build, stats.

Each function reads what it needs, calls the pure stage modules, and writes atomically.
Everything is read and checked before anything is written, so bad input writes nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import polib

from . import catalogue
from .config import Config
from .errors import CatalogError, SourceError, UsageError
from .fsutil import atomic_write, project_lock, read_text_strict
from .pofile import generate_po, read_po
from .config import FORMATS

if TYPE_CHECKING:
    from .segment import Document, Segment


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(second=0, microsecond=0)


# -- sources -----------------------------------------------------------------------------------


def source_files(config: Config, files: Sequence[Path] = ()) -> list[Path]:
    """The documents to work on: ``files`` if given, else every .txt/.md in ``source/``."""
    if files:
        out = []
        for f in files:
            p = f if f.is_absolute() else (Path.cwd() / f)
            if not p.exists():
                raise SourceError("no such file", path=str(f))
            if p.is_dir():
                raise SourceError("is a directory; give document files (or no argument for all of source/)", path=str(f))
            if p.suffix.lower() not in FORMATS:
                raise SourceError(f"unsupported format {p.suffix or '(no extension)'!r}; expected .txt or .md", path=str(f))
            out.append(p)
    else:
        src = config.source_dir
        if not src.is_dir():
            raise UsageError(f"no source/ folder in {config.project} (put the English documents there)")
        out = sorted(p for p in src.iterdir() if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith("."))
        if not out:
            raise UsageError(f"{config.show(src)}/ has no .txt or .md documents")
    domains: dict[str, Path] = {}
    for p in out:
        d = p.stem
        if d in domains and domains[d] != p:
            raise UsageError(f"two documents share the domain {d!r}: {config.show(domains[d])} and {config.show(p)}")
        domains[d] = p
    return out


def load_document(config: Config, path: Path) -> Document:
    shown = config.show(path)
    text = read_text_strict(path, display=shown)
    from .segment import parse_document  # imported here: `translate mt` and `stats` do not need it

    return parse_document(text, shown, FORMATS[path.suffix.lower()])


# -- segment -----------------------------------------------------------------------------------


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
    results = []
    with project_lock(config.locales_dir):
        for domain, target, pot, doc, text, write in plans:
            if write:
                atomic_write(target, text)
            segs = list(doc.segments)
            results.append(
                SegmentResult(domain, target, len(pot), len(segs), sum(len(s.msgid.split()) for s in segs), write)
            )
    return results


# -- update ------------------------------------------------------------------------------------


@dataclass
class UpdateResult:
    domain: str
    path: Path
    report: catalogue.MergeReport
    created: bool
    written: bool


def templates(config: Config) -> list[Path]:
    if not config.locales_dir.is_dir():
        raise UsageError("no locales/ folder: run `translate segment` first")
    pots = sorted(config.locales_dir.glob("*.pot"))
    if not pots:
        raise UsageError("no templates in locales/: run `translate segment` first")
    return pots


def update(config: Config, lang: str, *, now: _dt.datetime | None = None) -> list[UpdateResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<domain>.po`` from every template."""
    catalogue.parse_locale(lang)
    now = now or _now()
    plans = []
    for pot_path in templates(config):
        domain = pot_path.stem
        pot = read_po(pot_path, display=config.show(pot_path))
        po_path = config.po_path(lang, domain)
        old = read_po(po_path, display=config.show(po_path)) if po_path.exists() else None
        merged, report = catalogue.merge(pot, old, lang, domain, now)
        text = "".join(generate_po(merged))
        unchanged = po_path.exists() and po_path.read_text(encoding="utf-8", errors="replace") == text
        plans.append((domain, po_path, text, report, old is None, not unchanged))
    results = []
    with project_lock(config.locales_dir):
        for domain, po_path, text, report, created, write in plans:
            if write:
                atomic_write(po_path, text)
            results.append(UpdateResult(domain, po_path, report, created, write))
    return results


# -- build -------------------------------------------------------------------------------------


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
    """
    import os

    from . import editions

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
        else:
            ed = editions.make_edition(doc, entries, fallback)
            text = ed.text
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
            files_out.append((out.with_name(path.stem + ".html"), editions.html_edition(text, doc.format, lang)))
        if "bilingual" in formats and lang != "en":
            bi = config.editions_dir / f"en-{lang}" / (path.stem + ".html")
            title = editions.title_of(doc.text, doc.format)
            files_out.append(
                (
                    bi,
                    editions.bilingual_html(
                        doc,
                        ed,
                        lang=lang,
                        catalogue_href=Path(os.path.relpath(po_path, bi.parent)).as_posix(),
                        catalogue_name=config.show(po_path),
                        title=title,
                    ),
                )
            )
        outputs.append((path, out, files_out, len(list(doc.segments)), counts, failing))
    if refusals:
        from .editions import BuildRefused

        why = "; ".join(refusals)
        raise BuildRefused(
            f"nothing written: {why} (" + ("--strict" if strict else "--fallback fail") + ")"
        )
    results = []
    for path, out, files_out, n, counts, failing in outputs:
        for target, content in files_out:
            data = content.encode("utf-8")
            if not (target.exists() and target.read_bytes() == data):
                atomic_write(target, data)
        results.append(BuildResult(path, out, n, counts, [t for t, _ in files_out], failing, fallback))
    return results


# -- stats -------------------------------------------------------------------------------------


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


# -- machine translation -----------------------------------------------------------------------


@dataclass
class MTResult:
    engine: str = ""
    engine_version: str = ""
    translated: int = 0  #: distinct msgids translated by the engine
    entries: int = 0  #: catalogue entries filled (by the engine or the memory)
    from_memory: int = 0
    flagged: int = 0  #: translations whose protected tokens did not survive
    unknown_words: int = 0
    engine_calls: int = 0
    catalogues: list[Path] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0


def load_glossary(config: Config) -> list:
    import csv

    from .protect import parse_glossary

    path = config.locales_dir / "glossary.csv"
    if not path.exists():
        return []
    text = read_text_strict(path, display=config.show(path))
    return parse_glossary(list(csv.reader(text.splitlines())), path=config.show(path))


def catalogues(config: Config, lang: str, domains: Sequence[str] = ()) -> list[Path]:
    folder = config.locales_dir / lang / "LC_MESSAGES"
    paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
    if domains:
        wanted = set(domains)
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise UsageError(f"no {lang} catalogue for domain {sorted(unknown)[0]!r} in {config.show(folder)}")
        paths = [p for p in paths if p.stem in wanted]
    if not paths:
        raise UsageError(f"no {lang} catalogues in {config.show(folder)}: run `translate update --lang {lang}` first")
    return paths


_EMPTY_MSGSTR = re.compile(rb'^msgstr(?:\[\d+\])? ""(?:\r?\n(?!")|\Z)', re.M)


def _may_have_untranslated(data: bytes) -> bool:
    """False only if no live entry of this PO text has an empty msgstr (a fast pre-check)."""
    return _EMPTY_MSGSTR.search(data) is not None


def machine_translate(
    config: Config,
    lang: str,
    *,
    engine: str | object = "auto",
    source_lang: str = "en",
    domains: Sequence[str] = (),
    retranslate: str | None = None,
    engine_options: dict | None = None,
    batch_size: int = 500,
    progress=None,
    today: _dt.date | None = None,
) -> MTResult:
    """Fill the untranslated entries of the ``lang`` catalogues with an offline engine.

    Human translations are never touched (see :mod:`translate.mt`). Results are written
    after every batch, atomically, so an interrupted run keeps every finished batch and the
    next run continues where it stopped. ``engine`` is a name ("auto", "argos",
    "apertium") or an engine object (tests).
    """
    import time

    from .errors import EngineError, PartialError

    catalogue.parse_locale(lang)
    paths = catalogues(config, lang, domains)
    today = today or _dt.date.today()
    result = MTResult(catalogues=paths)
    started = time.perf_counter()
    with project_lock(config.locales_dir):
        if retranslate is None and not any(_may_have_untranslated(p.read_bytes()) for p in paths):
            result.seconds = time.perf_counter() - started
            return result  # nothing to do: not even a parse (the re-run on unchanged sources)
        from . import mt
        from .engines.select import load_engine, translate_with_markers

        glossary = load_glossary(config)

        pos = {p: read_po(p, display=config.show(p)) for p in paths}
        all_pos = [
            (config.show(p), pos[p] if p in pos else read_po(p, display=config.show(p)))
            for p in sorted((config.locales_dir / lang / "LC_MESSAGES").glob("*.po"))
        ]
        tm = mt.translation_memory(all_pos)
        wanted: dict[str, list[tuple[Path, polib.POEntry]]] = {}
        for p, po in pos.items():
            for e in po:
                if not e.msgctxt and mt.wants_translation(e, retranslate):
                    wanted.setdefault(e.msgid, []).append((p, e))
        from_markdown = {
            msgid
            for msgid, where in wanted.items()
            if any(FORMATS.get(Path(o[0]).suffix.lower()) == "md" for _p, e in where for o in e.occurrences)
        }
        plan = mt.make_plan(list(wanted), tm, glossary, from_markdown)
        dirty: set[Path] = set()

        def write_dirty() -> None:
            for p in sorted(dirty):
                atomic_write(p, "".join(generate_po(pos[p])))
            dirty.clear()

        for msgid, hit in plan.from_memory.items():
            res = mt.memory_result(hit)
            for p, e in wanted[msgid]:
                mt.apply(e, res)
                dirty.add(p)
                result.entries += 1
            result.from_memory += 1
        write_dirty()
        if not plan.jobs:
            result.seconds = time.perf_counter() - started
            return result
        eng = load_engine(engine, source_lang, lang, **(engine_options or {})) if isinstance(engine, str) else engine
        result.engine, result.engine_version = eng.name, eng.version
        origin = mt.origin_line(eng.name, eng.version, today)
        total = len(plan.jobs)
        done = 0
        if progress:
            progress(0, total, 0)
        try:
            for k in range(0, total, batch_size):
                chunk = plan.jobs[k : k + batch_size]
                outputs, unknown = translate_with_markers(eng, [j.shielded.text for j in chunk])
                result.engine_calls += 1
                if len(outputs) != len(chunk):
                    raise EngineError(f"{eng.name} returned {len(outputs)} translations for {len(chunk)} segments")
                for job, out, unk in zip(chunk, outputs, unknown):
                    res = mt.finish(job, out, origin, unk)
                    if not res.text:
                        continue
                    if res.problems:
                        result.flagged += 1
                    result.unknown_words += len(res.unknown)
                    for p, e in wanted[job.msgid]:
                        mt.apply(e, res)
                        dirty.add(p)
                        result.entries += 1
                    result.translated += 1
                    result.words += len(job.msgid.split())
                write_dirty()
                done += len(chunk)
                if progress:
                    progress(done, total, sum(len(j.msgid.split()) for j in chunk))
        except EngineError as e:  # what finished is written by `finally`, before this propagates
            if result.translated:
                raise PartialError(
                    f"{e.message} — stopped after {result.translated} of {total} translations, which are saved; "
                    "run again to continue",
                    path=e.path,
                ) from e
            raise
        finally:
            write_dirty()
    result.seconds = time.perf_counter() - started
    return result
