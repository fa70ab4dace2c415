"""The translation memory's files: the imported units of a project, ``tm import`` and ``tm export``.

Imported units live in the project's hidden state, beside the catalogues' lock:
``locales/.tm/<lang>.tmx`` (a TMX file itself, so any tool can read it). An import reads and
checks the whole file first (a bad file changes nothing), then merges under the project lock
and writes atomically; a unit whose English is already imported replaces the older one (the
latest import wins). The project's own settled human entries are not copied there: they are
read from the catalogues on every run, so a correction in a catalogue is used at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..config import SOURCE_LANG, Config, catalogues, now
from ..errors import UsageError
from ..fsutil import atomic_write, project_lock
from ..po.pofile import read_po
from ..text import plural
from .memory import Memory, Unit, catalogue_units
from .tmx import Pair, TMXError, read_tmx, write_tmx


def memory_path(config: Config, lang: str) -> Path:
    """Where the units imported for ``lang`` are kept."""
    return config.locales_dir / ".tm" / f"{lang}.tmx"


def imported_units(config: Config, lang: str) -> list[Unit]:
    """The units imported for ``lang`` (none before the first import)."""
    path = memory_path(config, lang)
    if not path.is_file():
        return []
    read = read_tmx(path.read_bytes(), config.show(path), lang)
    return [Unit(p.source, p.target, p.origin or config.show(path)) for p in read.pairs]


def _target(lang: str) -> str:
    if lang == SOURCE_LANG:
        raise UsageError(f"--lang {lang}: the memory holds translations of English (use --lang es)")
    return lang


def _read_file(path: Path, lang: str) -> list[Pair]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TMXError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise TMXError("is a directory, not a TMX file", path=str(path)) from None
    return read_tmx(data, str(path), lang).pairs


@dataclass
class ImportResult:
    units: int  #: English → lang units in the file
    new: int
    replaced: int  #: units whose English was imported before, with another translation
    total: int  #: units in the project's imported memory now
    path: Path
    shown: str = ""  #: ``path`` as shown to the user

    @property
    def summary(self) -> str:
        return (
            f"{plural(self.units, 'unit')} imported ({self.new:,} new, {self.replaced:,} replaced); "
            f"{self.shown} holds {plural(self.total, 'unit')}"
        )


def import_tmx(config: Config, path: Path, lang: str) -> ImportResult:
    """Add the English → ``lang`` units of a TMX file to the project's imported memory."""
    pairs = _read_file(path, _target(lang))
    store = memory_path(config, lang)
    with project_lock(config.locales_dir):
        merged = {u.source: u for u in imported_units(config, lang)}
        new = replaced = 0
        for p in pairs:
            old = merged.get(p.source)
            new += old is None
            replaced += old is not None and old.target != p.target
            merged[p.source] = Unit(p.source, p.target, f"{path.name} (imported)")
        atomic_write(store, _tmx_bytes(merged.values(), lang)[0])
    return ImportResult(len(pairs), new, replaced, len(merged), store, config.show(store))


@dataclass
class ExportResult:
    units: int
    from_catalogues: int
    left_out: int  #: units XML cannot carry (control characters in the text)
    path: Path

    @property
    def summary(self) -> str:
        left = f"; {plural(self.left_out, 'unit')} left out (control characters XML cannot carry)" if self.left_out else ""
        return f"{self.path}: {plural(self.units, 'unit')} ({self.from_catalogues:,} from the catalogues){left}"


def export_tmx(config: Config, lang: str, path: Path) -> ExportResult:
    """Write the memory of ``lang`` to a TMX file: what ``mt`` would reuse, one unit per English
    sentence (the project's settled human entries first, then the imported units)."""
    _target(lang)
    with project_lock(config.locales_dir):  # the catalogues are read as one consistent state
        pos = [(config.show(p), read_po(p, display=config.show(p))) for p in catalogues(config, lang)]
        memory = Memory([*catalogue_units(pos), *imported_units(config, lang)])
    units = [Unit(src, tgt, where) for src, (tgt, where) in memory.items()]
    data, left_out = _tmx_bytes(units, lang)
    atomic_write(path, data)
    shown = {where for where, _po in pos}
    ours = sum(1 for u in units if u.where in shown)
    return ExportResult(len(units) - left_out, ours, left_out, path)


def _tmx_bytes(units, lang: str) -> tuple[bytes, int]:
    pairs = (Pair(u.source, u.target, u.where) for u in units)
    return write_tmx(pairs, lang, tool_version=__version__, created=now())
