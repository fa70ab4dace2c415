"""Executors: where the engine work of a stage runs, while the stage keeps its files.

A stage cuts its engine inputs into *blocks* (fixed by the plan alone, so the output never
depends on how many workers there are) and hands them to an executor. Every executor has
one method::

    run(blocks: list[list[str]]) -> Iterator[Item]

yielding one :class:`Item` per input as it is finished, in no fixed order. The stage applies
each item and saves its catalogues as it likes: catalogues, the project lock and the
atomic saves never leave the driver. An engine error is raised from ``run`` after the
items finished before it were yielded, so they can be kept.

- :mod:`.local` runs ``jobs`` engine pipelines in threads of this process;
- :mod:`.ray` runs them on Ray actors (``pip install 'translate-docs[cluster]'``), each of
  which loads the engine once and serves blocks; a block whose worker dies is retried.
"""

from __future__ import annotations

from typing import NamedTuple


class Item(NamedTuple):
    """One finished input: ``block`` and ``index`` say which; ``unknown``: marked words."""

    block: int
    index: int
    text: str
    unknown: tuple[str, ...]


class EngineSpec(NamedTuple):
    """What a remote worker needs to load the engine itself: ``load_engine``'s arguments,
    or (``engine`` set) an engine object that can be pickled."""

    name: str
    source: str
    target: str
    options: tuple[tuple[str, object], ...] = ()
    engine: object = None

    def load(self):
        if self.engine is not None:
            return self.engine
        from ..mt.engines.select import load_engine

        return load_engine(self.name, self.source, self.target, **dict(self.options))


def translate_block(engine, texts: list[str], block: int = 0):
    """Yield the :class:`Item` of every input of one block: streamed when the engine can
    stream (Apertium: one item as each segment leaves the process), else one batch call."""
    if hasattr(engine, "stream"):
        for i, res in engine.stream(texts):
            yield Item(block, i, res.text, tuple(res.unknown))
        return
    from ..mt.engines.select import translate_with_markers
    from ..errors import EngineError

    outputs, unknown = translate_with_markers(engine, texts)
    if len(outputs) != len(texts):
        raise EngineError(f"{engine.name} returned {len(outputs)} translations for {len(texts)} segments")
    for i, (text, unk) in enumerate(zip(outputs, unknown)):
        yield Item(block, i, text, tuple(unk))


def translate_jobs(engine, jobs: list, size: int = 1000):
    """Yield ``(job, output, unknown words)`` for the plan's ``jobs`` (:class:`translate.mt.plan.Job`)
    as ``translate mt`` makes them on one local pipeline: the same fixed blocks, a job's pieces
    put back together (for the benches and tools that want mt's output without a catalogue)."""
    from ..mt.plan import Gather, engine_texts

    size = getattr(engine, "block_size", size)
    blocks = [jobs[k : k + size] for k in range(0, len(jobs), size)]
    gather = Gather(blocks)
    for b, block in enumerate(blocks):
        for item in translate_block(engine, engine_texts(block), b):
            got = gather.add(item.block, item.index, item.text, item.unknown)
            if got is not None:
                yield got
