"""``jobs`` engine pipelines in threads of this process.

Each thread takes the next block, runs it through the engine (for Apertium: its own
processes, streamed) and passes every finished item to the caller's thread, which applies
and saves while the engines go on. An engine that can start its pipelines ahead
(``warm_up``, Apertium) has the next blocks' started while the current ones run, so a
block never waits for its pipeline to load; the caller ends those left unused
(``cool_down``). Engines release the GIL while they work (Apertium runs
in other processes; CTranslate2 in C++), so one thread per pipeline is enough.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Iterator, NamedTuple

from . import Item, translate_block

_DONE = object()


class _WarmUp(NamedTuple):
    """A pipeline thread's request: have ``count`` pipelines started ahead. The caller's
    thread starts them: a pipeline ends with the thread that started it (the parent-death
    signal of its reaper), and a pipeline thread ends before the blocks it warmed run."""

    count: int


def default_jobs() -> int:
    """Pipelines worth running here: one per core, at most 8. One Apertium pipeline keeps
    about 1.75 cores busy (its stages run concurrently), yet on 2 cores two pipelines were
    as fast as one or faster (bench/scale_mt.py, quiet machine: 1.35-1.49x against 1.53-1.69x
    raw Apertium's wall), because Python's work and a block's start-up then overlap the
    other's engine."""
    return max(1, min(8, os.cpu_count() or 1))


class LocalExecutor:
    def __init__(self, engine, jobs: int = 1):
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.engine = engine
        self.jobs = jobs

    def run(self, blocks: list[list[str]]) -> Iterator[Item]:
        todo: queue.Queue = queue.Queue()
        for b in range(len(blocks)):
            todo.put(b)
        out: queue.Queue = queue.Queue(maxsize=4096)
        stop = threading.Event()
        warm_up = getattr(self.engine, "warm_up", None)

        def pipeline() -> None:
            try:
                while not stop.is_set():
                    try:
                        b = todo.get_nowait()
                    except queue.Empty:
                        break
                    if warm_up:  # the next blocks' pipelines load while this one runs
                        out.put(_WarmUp(min(todo.qsize(), self.jobs)))
                    items = translate_block(self.engine, blocks[b], b)
                    try:
                        for item in items:
                            if stop.is_set():
                                break
                            out.put(item)
                    finally:
                        items.close()  # ends the engine's processes if we stopped early
            except BaseException as e:  # handed to the caller's thread, raised there
                out.put(e)
            finally:
                out.put(_DONE)

        threads = [threading.Thread(target=pipeline, daemon=True) for _ in range(min(self.jobs, len(blocks)))]
        for t in threads:
            t.start()
        running = len(threads)
        try:
            while running:
                item = out.get()
                if item is _DONE:
                    running -= 1
                elif isinstance(item, BaseException):
                    raise item
                elif isinstance(item, _WarmUp):
                    warm_up(item.count)
                else:
                    yield item
        finally:
            stop.set()
            while any(t.is_alive() for t in threads):  # unblock a pipeline waiting on a full queue
                try:
                    out.get(timeout=0.05)
                except queue.Empty:
                    pass
            if warm_up:  # stopped early: the pipelines started for blocks that never ran
                self.engine.cool_down()
