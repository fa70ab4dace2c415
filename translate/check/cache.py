"""The verdict cache of ``translate check``: re-check only the entries that changed.

A verdict depends on the entry (msgctxt, msgid, msgstr and plural forms, flags, the
comment lines that are not ours), the glossary, the es→en engine and its version, and the
check's own code and data. All of it goes into one key per entry (:func:`entry_key`); the
cache maps keys to the finished :class:`~.runner.EntryResult` (findings, back-translation,
everything the reports show), so a hit costs no engine call, no language identification and
no per-entry check. The catalogue round trips (msgfmt, babel, gettext) are cached the same way,
by the file's bytes (:func:`catalogue_round_trip_cached`).

The "check version" (:func:`check_version`) is a hash of every file of the
``translate/check`` package (code, templates, shipped models) and of the other modules and
libraries whose output a verdict depends on: editing any of them invalidates the cache.

The store is one SQLite file (transactions make every write atomic). It is read as the run
goes and written once, at the end of a run that succeeded, so bad input leaves nothing
behind. A file that is not a readable cache (corrupt, truncated, another format) is
deleted and rebuilt; if even that fails, the run goes on without a cache. Never an error.

Where it lives (:func:`project_cache_path`, :func:`user_cache_path`):

- a project's catalogues (``check --lang``, or a FILE.po inside the project's ``locales/``):
  ``locales/.cache/check.sqlite3``, beside the project lock ``locales/.lock``; with
  ``--no-write`` it is only read;
- any other .po file: the user's cache folder, ``$XDG_CACHE_HOME/translate-docs/check.sqlite3``
  (``~/.cache/…``), read and written (it is not beside the catalogue).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Callable, Sequence

import polib

from .roundtrip import RoundTrip, catalogue_round_trip
from .runner import BackTranslator, EntryResult, _checkable, _other_lines, check_entries, trace
from .signals import Finding

#: files of other modules whose behaviour the verdicts depend on (beside translate/check)
_ALSO_HASHED = ("mt/protect.py",)
#: libraries whose output goes into a verdict (none now: the language model is a file of this
#: package, hashed with its code)
_LIBRARIES: tuple[str, ...] = ()
_FORMAT = 1  #: the layout of the stored rows; part of the version
_CHUNK = 500  #: keys per SELECT (SQLite limits the number of parameters)
#: rows kept (about 0.4 KiB each); the oldest stored go first (a dropped row is checked again)
MAX_ROWS = 1_000_000


# -- keys --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def check_version() -> str:
    """A hash of the check's code and data: changes whenever a verdict could change."""
    return package_version(Path(__file__).resolve().parent)


def package_version(package: Path) -> str:
    """A hash of every file under ``package`` (the check package: code, templates, models),
    of the other modules it depends on, and of the libraries' versions."""
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [package.parent / rel for rel in _ALSO_HASHED]
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT} {sys.version_info[:2]}".encode())
    for p in files:
        h.update(p.relative_to(package.parent).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    for lib in _LIBRARIES:
        h.update(f"{lib}={_library_version(lib)}\0".encode())
    for stamp in _dictionary_stamps():
        h.update(f"{stamp}\0".encode())
    return h.hexdigest()


def _dictionary_stamps() -> list[str]:
    """Size and modification time of every dictionary the score consults (Apertium's analysers,
    Hunspell's es_ES and en_US): an upgraded or installed dictionary makes a new check version."""
    from .lexicon import HUNSPELL, HUNSPELL_DIRS, analyser_path

    files = [analyser_path(lang) for lang in ("es", "en")]
    files += [Path(d) / f"{name}.{ext}" for d in HUNSPELL_DIRS for name in HUNSPELL.values() for ext in ("dic", "aff")]
    stamps = []
    for f in files:
        try:
            st = f.stat() if f is not None else None
        except OSError:
            st = None
        stamps.append(f"{f}:{st.st_size}:{st.st_mtime_ns}" if st else f"{f}:absent")
    return stamps


def _library_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def engine_id(back: BackTranslator | None) -> str:
    """The es→en engine and its version, and the en→es one used for the forward signal."""
    if back is None or back.engine is None:
        return "none"
    fwd = back.forward
    forward = "none" if fwd is None else f"{getattr(fwd, 'name', '?')} ({getattr(fwd, 'version', '?')})"
    return f"{back.name} / forward {forward}"


def glossary_id(glossary: Sequence) -> str:
    """The glossary's terms, as one string (dataclass terms by their fields)."""
    return json.dumps([dataclasses.astuple(t) if dataclasses.is_dataclass(t) else repr(t) for t in glossary],
                      ensure_ascii=False, default=repr)


def entry_key(e: polib.POEntry, context: str) -> str:
    """Everything of the entry a verdict depends on, with ``context`` (engine, glossary,
    check version), hashed. Our own ``check:``/``back-translation:`` lines are left out:
    writing a verdict back does not change the entry's key. The translator comments are in:
    they say who made the text (an ``mt:`` line, an approval), which picks the score's model."""
    plural = sorted(e.msgstr_plural.items()) if e.msgstr_plural else []
    data = [e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, plural, list(e.flags), _other_lines(e.comment), e.tcomment, context]
    raw = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


# -- stored results ----------------------------------------------------------------------------


def encode(result: EntryResult) -> str:
    """The result as JSON, without its line number (that is the file's, set on every run)."""
    d = {f.name: getattr(result, f.name) for f in _fields(EntryResult) if f.name != "line"}
    d["findings"] = [{f.name: getattr(x, f.name) for f in _fields(Finding)} for x in result.findings]
    return json.dumps(d, ensure_ascii=False)


@functools.cache
def _fields(cls) -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(cls)  # (dataclasses.asdict deep-copies: several times slower)


def decode(text: str, line: int | None) -> EntryResult:
    d = json.loads(text)
    d["findings"] = [Finding(**f) for f in d["findings"]]
    return EntryResult(**d, line=line)


# -- the store ---------------------------------------------------------------------------------


def user_cache_path() -> Path:
    """The cache of files outside any project: ``$XDG_CACHE_HOME/translate-docs/check.sqlite3``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "translate-docs" / "check.sqlite3"


def project_cache_path(locales_dir: Path) -> Path:
    """The cache of a project's catalogues, beside its lock."""
    return locales_dir / ".cache" / "check.sqlite3"


class VerdictCache:
    """Cached results by entry key; lookups as the run goes, one write at :meth:`flush`."""

    def __init__(self, path: Path, *, writable: bool = True):
        self.path = path
        self.writable = writable
        self.version = check_version()
        self.pending: dict[str, str] = {}
        self.hits = 0
        self.misses = 0
        self.timeout = 30.0  #: seconds to wait for another run's write

    def lookup(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored results of those ``keys`` that are cached (encoded)."""
        if not keys or not self.path.is_file():
            return {}
        found: dict[str, str] = {}
        try:
            with contextlib.closing(self._connect()) as db:
                for i in range(0, len(keys), _CHUNK):
                    part = list(keys[i:i + _CHUNK])
                    marks = ",".join("?" * len(part))
                    rows = db.execute(f"SELECT key, result FROM verdicts WHERE version = ? AND key IN ({marks})",
                                      [self.version, *part])
                    found.update(rows.fetchall())
        except sqlite3.Error as e:
            self._discard(e)
            return {}
        return found

    def add(self, key: str, value: str) -> None:
        """Store ``value`` (text) under ``key`` at the next :meth:`flush`."""
        if self.writable:
            self.pending[key] = value

    def flush(self) -> None:
        """Store the new results (one transaction); drop those of other check versions, and
        the oldest beyond :data:`MAX_ROWS`."""
        if not self.writable or not self.pending:
            return
        for _attempt in range(2):  # a corrupt file is deleted and made again, once
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.closing(self._connect()) as db, db:
                    db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, version TEXT, result TEXT)")
                    db.execute("DELETE FROM verdicts WHERE version != ?", [self.version])
                    db.executemany("INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)",
                                   [(k, self.version, v) for k, v in self.pending.items()])
                    db.execute("DELETE FROM verdicts WHERE rowid <= (SELECT MAX(rowid) FROM verdicts) - ?", [MAX_ROWS])
                self.pending.clear()
                return
            except sqlite3.Error as e:
                if not self._discard(e):
                    return  # busy or read-only: this run's results are simply not stored
            except OSError:
                return  # a read-only or full disk: the run's results stand, only the cache is lost

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self.timeout)

    def _discard(self, error: sqlite3.Error) -> bool:
        """Delete a file that is no usable cache (corrupt, another format); True if deleted.
        A cache that is only busy (another run writing) or read-only is left alone."""
        if any(w in str(error).lower() for w in ("locked", "busy", "readonly", "read-only")):
            return False
        with contextlib.suppress(OSError):
            self.path.unlink()
        return True


# -- checking through the cache ------------------------------------------------------------------


def check_entries_cached(
    entries: Sequence[polib.POEntry],
    *,
    cache: VerdictCache | None,
    back: BackTranslator | None = None,
    glossary: Sequence = (),
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[polib.POEntry, EntryResult]]:
    """:func:`~.runner.check_entries` for the entries the cache does not know, cached results
    for the others, in the catalogue's order."""
    if cache is None:
        return check_entries(entries, back=back, glossary=glossary, progress=progress)
    todo = [e for e in entries if _checkable(e)]
    context = f"{engine_id(back)}\0{glossary_id(glossary)}\0{cache.version}"
    keys = {id(e): entry_key(e, context) for e in todo}
    stored = cache.lookup(list(dict.fromkeys(keys.values())))
    if stored:
        trace("first-verdict")  # the cached verdicts are ready now
    misses = [e for e in todo if keys[id(e)] not in stored]
    cache.hits += len(todo) - len(misses)
    cache.misses += len(misses)
    fresh = {id(e): r for e, r in check_entries(misses, back=back, glossary=glossary, progress=progress)}
    out = []
    for e in todo:
        r = fresh.get(id(e))
        if r is not None:
            cache.add(keys[id(e)], encode(r))
        elif keys[id(e)] in stored:
            r = decode(stored[keys[id(e)]], e.linenum)
        if r is not None:
            out.append((e, r))
    return out


def catalogue_round_trip_cached(path: Path, po: polib.POFile, cache: VerdictCache | None) -> list[RoundTrip]:
    """:func:`~.roundtrip.catalogue_round_trip` (msgfmt, babel, gettext), cached by the file's
    bytes and the tools' versions: a file checked before and not changed since is not
    compiled again."""
    if cache is None:
        return catalogue_round_trip(path, po)
    h = hashlib.blake2b(path.read_bytes(), digest_size=20)
    h.update(f"\0{_tools_id()}\0{cache.version}".encode())
    key = "catalogue:" + h.hexdigest()
    stored = cache.lookup([key])
    if key in stored:
        return [RoundTrip(**d) for d in json.loads(stored[key])]
    out = catalogue_round_trip(path, po)
    cache.add(key, json.dumps([dataclasses.asdict(rt) for rt in out], ensure_ascii=False))
    return out


@functools.lru_cache(maxsize=1)
def _tools_id() -> str:
    """The msgfmt binary (path, size, time) and babel's version."""
    msgfmt = shutil.which("msgfmt")
    st = os.stat(msgfmt) if msgfmt else None
    return f"{msgfmt} {st and (st.st_size, st.st_mtime_ns)} babel={_library_version('babel')}"
