"""The check stage with its file I/O: check catalogues and write the verdicts back."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

from ..config import Config, catalogues
from ..errors import UsageError
from ..fsutil import project_lock
from ..mt.glossary import load_glossary
from ..po.catalogue import parse_locale
from ..po.pofile import read_po, write_po
from .report import CatalogueReport, Report
from .roundtrip import catalogue_round_trip, structural_round_trip
from .runner import BackTranslator, _checkable, check_entries, load_back_translator, write_back


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
) -> CatalogueReport:
    """Check one .po file (any, not only ours) and write the verdicts back unless ``write`` is False."""
    shown = shown or str(path)
    if not path.exists():
        raise UsageError("no such catalogue", path=shown)
    if path.suffix not in (".po", ".pot"):
        raise UsageError("not a .po file", path=shown)
    po = read_po(path, display=shown)
    rep = CatalogueReport(path, shown)
    rep.untranslated = sum(1 for e in po if not e.obsolete and e.msgid and not _checkable(e))
    pairs = check_entries(list(po), back=back, glossary=glossary, progress=progress)
    rep.results = [r for _e, r in pairs]
    if config is not None:
        rts, _ = structural_round_trip(config, lang or "es", path.stem, po)
        rep.round_trips += rts
    if write:
        changed = [write_back(e, r) for e, r in pairs]
        if any(changed):
            write_po(path, po)
            rep.written = True
    rep.round_trips += catalogue_round_trip(path, po)
    return rep


def check_file(
    path: Path,
    *,
    engine: str | None = "auto",
    write: bool = True,
    glossary: Sequence = (),
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    t = time.perf_counter()
    back = load_back_translator(engine)
    report = Report(engine=back.name, notes=[back.note] if back.note else [])
    report.catalogues.append(check_catalogue_file(path, back=back, write=write, glossary=glossary, progress=progress))
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
) -> Report:
    parse_locale(lang)
    t = time.perf_counter()
    paths = catalogues(config, lang, domains)
    glossary = load_glossary(config)
    back = load_back_translator(engine)
    report = Report(engine=back.name, notes=[back.note] if back.note else [])
    with project_lock(config.locales_dir, "the catalogues"):
        for p in paths:
            report.catalogues.append(
                check_catalogue_file(p, shown=config.show(p), back=back, glossary=glossary, write=write, config=config, lang=lang,
                                     progress=progress)
            )
    report.seconds = time.perf_counter() - t
    return report
