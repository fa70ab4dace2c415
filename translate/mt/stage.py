"""The mt stage with its file I/O: fill the untranslated entries of a language's catalogues."""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import polib

from ..cluster import EngineSpec
from ..config import FORMATS, Config, catalogues
from ..errors import EngineError, PartialError, TranslateError
from ..fsutil import project_lock
from ..po import catalogue
from ..po.pofile import read_po, write_po
from ..tm.memory import DEFAULT_THRESHOLD
from ..tm.stage import imported_units
from . import plan as mt
from .engines.select import load_engine
from .glossary import load_glossary


@dataclass
class MTResult:
    engine: str = ""
    engine_version: str = ""
    translated: int = 0  #: distinct msgids translated by the engine
    entries: int = 0  #: catalogue entries filled (by the engine or the memory)
    from_memory: int = 0
    near_memory: int = 0  #: of from_memory, the near (not exact) matches
    flagged: int = 0  #: translations whose protected tokens did not survive
    unknown_words: int = 0
    engine_calls: int = 0
    catalogues: list[Path] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0


_EMPTY_MSGSTR = re.compile(rb'^msgstr(?:\[\d+\])? ""(?:\r?\n(?!")|\Z)', re.M)


def _may_have_untranslated(data: bytes) -> bool:
    """False only if no live entry of this PO text has an empty msgstr (a fast pre-check)."""
    return _EMPTY_MSGSTR.search(data) is not None


#: Segments per engine call for engines that do not name their own block size.
DEFAULT_BLOCK = 500


class _Saves:
    """Calls ``write`` every ``every`` ticks (if given) or after ``seconds`` seconds.

    A save rewrites whole catalogues, so the time between two saves is also at least four
    times what the last one took: saving never costs more than a fifth of the run.
    """

    def __init__(self, write, every: int | None, seconds: float):
        self.write, self.every, self.seconds = write, every, seconds
        self.count, self.last, self.took = 0, time.monotonic(), 0.0

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if (self.every and self.count >= self.every) or now - self.last >= max(self.seconds, 4 * self.took):
            self.write()
            self.last = time.monotonic()
            self.count, self.took = 0, self.last - now


def _default_jobs() -> int:
    from ..cluster.local import default_jobs

    return default_jobs()


def _early_engine(engine: str | object, source_lang: str, lang: str, options: dict | None):
    """The engine, loaded before the catalogues are read so that it can start its pipelines
    while they are planned; None when it cannot be loaded now (its error comes when it is
    needed: a run that the translation memory serves needs no engine)."""
    if not isinstance(engine, str):
        return engine
    try:
        return load_engine(engine, source_lang, lang, **(options or {}))
    except TranslateError:
        return None


@contextlib.contextmanager
def _started_ahead(eng, count: int, executor):
    """``count`` engine pipelines started ahead (Apertium's load their dictionaries, about
    0.4 s of CPU each, while the catalogues are read and planned); those left unused end after, and
    so does an ``executor`` that can be closed (Ray's, when the memory left it nothing to do)."""
    warm = count and hasattr(eng, "warm_up")
    if warm:
        eng.warm_up(count)
    try:
        yield
    finally:
        if warm:
            eng.cool_down()
        if hasattr(executor, "close"):
            executor.close()


def machine_translate(
    config: Config,
    lang: str,
    *,
    engine: str | object = "auto",
    source_lang: str = "en",
    domains: Sequence[str] = (),
    retranslate: str | None = None,
    engine_options: dict | None = None,
    batch_size: int | None = None,
    save_seconds: float = 10.0,
    jobs: int | None = None,
    executor=None,
    progress=None,
    today: _dt.date | None = None,
    tm_threshold: float = DEFAULT_THRESHOLD,
    quotes: str = "keep",
) -> MTResult:
    """Fill the untranslated entries of the ``lang`` catalogues with an offline engine.

    Human translations are never touched (see :mod:`translate.mt`). Segments stream through
    the engine while finished ones are applied; the catalogues are saved, atomically, every
    ``save_seconds`` seconds (and every ``batch_size`` finished entries if given), so an
    interrupted run keeps what it finished and the next run continues where it stopped.
    Engines without a ``block_size`` of their own get blocks of ``batch_size`` (default
    :data:`DEFAULT_BLOCK`). ``engine`` is a name
    ("auto", "argos", "apertium") or an engine object (tests). The engine work runs on
    ``jobs`` local pipelines (default: :func:`translate.cluster.local.default_jobs`) or on
    ``executor``: an object with ``run(blocks)``, or a factory called with the
    :class:`~translate.cluster.EngineSpec` (e.g. :class:`translate.cluster.ray.RayExecutor`).
    ``tm_threshold``: the similarity (0–100) a near match of the translation memory needs
    (100: exact matches only). ``quotes``: house style of quotation marks in the translations
    ("keep" as the engine wrote them, "curly" “ ”, "angle" « »).
    """
    catalogue.parse_locale(lang)
    paths = catalogues(config, lang, domains)
    today = today or _dt.date.today()
    result = MTResult(catalogues=paths)
    started = time.perf_counter()
    with project_lock(config.locales_dir):
        if retranslate is None and not any(_may_have_untranslated(p.read_bytes()) for p in paths):
            result.seconds = time.perf_counter() - started
            return result  # nothing to do: not even a parse (the re-run on unchanged sources)
        glossary = load_glossary(config)
        eng = _early_engine(engine, source_lang, lang, engine_options)
        ahead = 0 if executor is not None else jobs or _default_jobs()
        if executor is not None and not hasattr(executor, "run"):
            # a factory: it wants to know how to load the engine; its workers start meanwhile
            spec = EngineSpec(engine, source_lang, lang, tuple(sorted((engine_options or {}).items())))
            executor = executor(spec if isinstance(engine, str) else spec._replace(engine=eng))
        # one pipeline ahead: a run with anything left for the engine has at least one block,
        # and ending an unused one costs more than it saves (its stages take a while to go)
        with _started_ahead(eng, min(ahead, 1), executor):
            pos = {p: read_po(p, display=config.show(p)) for p in paths}
            all_pos = [
                (config.show(p), pos[p] if p in pos else read_po(p, display=config.show(p)))
                for p in sorted((config.locales_dir / lang / "LC_MESSAGES").glob("*.po"))
            ]
            tm = mt.translation_memory(all_pos, imported_units(config, lang), tm_threshold)
            wanted: dict[str, list[tuple[Path, polib.POEntry]]] = {}
            for p, po in pos.items():
                for e in po:
                    # an entry with msgctxt is translated like any other: the engine sees no context
                    if mt.wants_translation(e, retranslate):
                        wanted.setdefault(e.msgid, []).append((p, e))
            from_markdown = {
                msgid
                for msgid, where in wanted.items()
                if any(FORMATS.get(Path(o[0]).suffix.lower()) == "md" for _p, e in where for o in e.occurrences)
            }
            plan = mt.make_plan(list(wanted), tm, glossary, from_markdown, quotes=quotes)
            dirty: set[Path] = set()

            def write_dirty() -> None:
                for p in sorted(dirty):
                    write_po(p, pos[p])  # its own charset, line ends, through a symlink
                dirty.clear()

            for msgid, hit in plan.from_memory.items():
                res = mt.memory_result(hit, today)
                for p, e in wanted[msgid]:
                    mt.apply(e, res)
                    dirty.add(p)
                    result.entries += 1
                result.from_memory += 1
                result.near_memory += not hit.exact
            write_dirty()
            if not plan.jobs:
                result.seconds = time.perf_counter() - started
                return result
            if eng is None:  # it could not be loaded early: its error now
                eng = load_engine(engine, source_lang, lang, **(engine_options or {}))
            result.engine, result.engine_version = eng.name, eng.version
            origin = mt.origin_line(eng.name, eng.version, today)
            total = len(plan.jobs)
            # Blocks are fixed by the plan alone (never by --jobs or the executor): see translate.cluster.
            size = getattr(eng, "block_size", batch_size or DEFAULT_BLOCK)
            blocks = [plan.jobs[k : k + size] for k in range(0, total, size)]
            result.engine_calls = len(blocks)
            if ahead and hasattr(eng, "warm_up"):
                eng.warm_up(min(ahead, len(blocks)))  # the other first blocks' pipelines, now that they are known
            if executor is None:
                from ..cluster.local import LocalExecutor

                executor = LocalExecutor(eng, ahead)
            saves = _Saves(write_dirty, every=batch_size, seconds=save_seconds)
            done = 0
            if progress:
                progress(0, total, 0)
            try:
                gather = mt.Gather(blocks)  # a quotation goes to the engine apart from its attribution
                for item in executor.run([mt.engine_texts(block) for block in blocks]):
                    got = gather.add(item.block, item.index, item.text, item.unknown)
                    if got is None:
                        continue  # more pieces of this job to come
                    job, out, unk = got
                    res = mt.finish(job, out, origin, unk)
                    done += 1
                    if res.text:
                        if res.problems:
                            result.flagged += 1
                        result.unknown_words += len(res.unknown)
                        for p, e in wanted[job.msgid]:
                            mt.apply(e, res)
                            dirty.add(p)
                            result.entries += 1
                        result.translated += 1
                        result.words += len(job.msgid.split())
                    saves.tick()
                    if progress:
                        progress(done, total, len(job.msgid.split()))
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
