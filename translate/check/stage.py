"""The check stage with its file I/O: check catalogues and write the verdicts back."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Callable, Sequence

from ..config import Config, catalogues
from ..errors import UsageError
from ..fsutil import project_lock
from ..mt.glossary import load_glossary
from ..po.catalogue import parse_locale
from ..po.pofile import patch_comments, read_po, write_po
from .quality import describe_signals
from .report import CatalogueReport, Report
from .cache import VerdictCache, catalogue_round_trip_cached, check_entries_cached, project_cache_path, user_cache_path
from .roundtrip import structural_round_trip
from .runner import BackTranslator, _checkable, engines_on, is_check_comment, load_back_translator, write_back


def check_catalogue_file(
    path: Path,
    *,
    shown: str | None = None,
    back: BackTranslator | None = None,
    glossary: Sequence = (),
    write: bool = True,
    config=None,
    lang: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: VerdictCache | None = None,
) -> CatalogueReport:
    """Check one .po file (any, not only ours) and write the verdicts back unless ``write`` is False.

    ``cache``: entries it knows (same entry, engine and check version) are not checked again."""
    shown = shown or str(path)
    if not path.exists():
        raise UsageError("no such catalogue", path=shown)
    if path.suffix not in (".po", ".pot"):
        raise UsageError("not a .po file", path=shown)
    po = read_po(path, display=shown)
    rep = CatalogueReport(path, shown)
    rep.untranslated = sum(1 for e in po if not e.obsolete and e.msgid and not _checkable(e))
    pairs = check_entries_cached(list(po), cache=cache, back=back, glossary=glossary, progress=progress)
    rep.results = [r for _e, r in pairs]
    if config is not None:
        rts, _ = structural_round_trip(config, lang or "es", path.stem, po)
        rep.round_trips += rts
    if write:
        changed = [e for e, r in pairs if write_back(e, r)]
        if changed:
            # only our own comment lines change; every other byte of the file stays as it was
            if not patch_comments(path, po, changed, is_check_comment, display=shown):
                write_po(path, po)
            rep.written = True
            # the report names the lines of the file as written now (our lines moved them)
            lines = {(e.msgctxt, e.msgid): e.linenum for e in read_po(path, display=shown) if not e.obsolete}
            for e, r in pairs:
                r.line = lines.get((e.msgctxt, e.msgid), r.line)
    rep.round_trips += catalogue_round_trip_cached(path, po, cache)
    return rep


def check_file(
    path: Path,
    *,
    engine: str | None = "auto",
    write: bool = True,
    glossary: Sequence = (),
    progress: Callable[[int, int], None] | None = None,
    lock: Path | None = None,
    cache: bool = False,
    jobs: int | None = None,
    executor=None,
) -> Report:
    """Check any .po file; ``lock``: the project's locales folder when the file is one of its
    catalogues (taken before the file is read, as every command that writes does).

    ``cache``: use the verdict cache, the project's when ``lock`` is given (only read with
    ``write`` False), else the user's (:mod:`.cache`). ``jobs``, ``executor``: where the
    engines run (:func:`.runner.engines_on`)."""
    t = time.perf_counter()
    back = load_back_translator(engine)
    report = Report(engine=back.name, notes=([back.note] if back.note else []) + [describe_signals(back)])
    store = None
    if cache:
        store = VerdictCache(project_cache_path(lock), writable=write) if lock is not None else VerdictCache(user_cache_path())
    with project_lock(lock) if lock is not None and write else contextlib.nullcontext(), \
            engines_on(back, jobs=jobs, executor=executor):
        report.catalogues.append(
            check_catalogue_file(path, back=back, write=write, glossary=glossary, progress=progress, cache=store)
        )
        if store is not None:
            store.flush()
    report.seconds = time.perf_counter() - t
    return report


def check_project(
    config: Config,
    lang: str,
    *,
    engine: str | None = "auto",
    write: bool = True,
    domains: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
    jobs: int | None = None,
    executor=None,
) -> Report:
    """Check the project's catalogues of ``lang``; ``cache``: use the project's verdict cache
    (only read with ``write`` False); ``jobs``, ``executor``: where the engines run, for
    every catalogue (:func:`.runner.engines_on`)."""
    parse_locale(lang)
    t = time.perf_counter()
    paths = catalogues(config, lang, domains)
    glossary = load_glossary(config)
    back = load_back_translator(engine)
    report = Report(engine=back.name, notes=([back.note] if back.note else []) + [describe_signals(back)])
    store = VerdictCache(project_cache_path(config.locales_dir), writable=write) if cache else None
    with project_lock(config.locales_dir, "the catalogues"), engines_on(back, jobs=jobs, executor=executor):
        for p in paths:
            report.catalogues.append(
                check_catalogue_file(p, shown=config.show(p), back=back, glossary=glossary, write=write, config=config, lang=lang,
                                     progress=progress, cache=store)
            )
        if store is not None:
            store.flush()
    report.seconds = time.perf_counter() - t
    return report
