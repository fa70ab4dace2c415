"""``translate check``'s engine round trips on the executors of :mod:`translate.cluster`.

A check translates in up to three *directions*: ``back`` (es→en, the msgstrs, with the
unknown words), ``forward`` (en→es, the msgids, for the forward chrF) and ``cross`` (es→en
by the other engine, the msgstrs the back engine made itself). All of them go to one
executor as one list of blocks: every block holds texts of one direction only, and carries
its direction with each text (``(direction, text)`` pairs), so that one engine object,
:class:`Directions`, serves them all, here or in a Ray actor that loads the engines once.

As for ``translate mt``, blocks are cut from the distinct texts in the order the catalogue
gives them (never by ``--jobs`` or the executor), so the translations, hence the verdicts
and the catalogues written, are the same bytes whatever the executor and the number of
pipelines. The driver keeps the catalogues, the lock, the verdict cache and the writes.

A block is translated in one engine call, Apertium's *marked* pass (the unknown words as
``*word``: :func:`~translate.mt.engines.select.translate_with_markers`), one process of up to
``max_segments`` texts, as ``check`` always did, and not mt's stream (``apertium -u`` and the
analyser): the quality model was fitted on the marked pass's translations, and measured on
3,000 Debian entries the stream costs no less CPU (7.5 s against 6.8 s es→en) while its
text moves 5 verdicts of 3,100 of bench/check_accuracy.py's set (one more false alarm).
"""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator, NamedTuple, Sequence

from . import EngineSpec, Item

BACK, FORWARD, CROSS = "back", "forward", "cross"
#: (source, target) of each direction
LANGUAGES = {BACK: ("es", "en"), FORWARD: ("en", "es"), CROSS: ("es", "en")}
#: texts per block for engines that do not bound one call (Argos)
DEFAULT_BLOCK = 1000


def block_size(engine) -> int:
    """Texts per block: what one Apertium process takes (``max_segments``), else :data:`DEFAULT_BLOCK`."""
    return getattr(engine, "max_segments", None) or DEFAULT_BLOCK


class Directions:
    """One engine per direction, as one engine for the executors: a block is a list of
    ``(direction, text)`` pairs of a single direction. ``engines`` maps a direction to an
    engine object or to an :class:`~translate.cluster.EngineSpec`, loaded on first use."""

    name = "round trip"

    def __init__(self, engines: dict):
        self.engines = dict(engines)

    def engine(self, direction: str):
        eng = self.engines[direction]
        if isinstance(eng, EngineSpec):
            eng = self.engines[direction] = eng.load()
        return eng

    def stream(self, block: Sequence[tuple[str, str]]) -> Iterator[tuple[int, Item]]:
        """``(index, item)`` of every text of the block, by its direction's engine in one call."""
        from ..errors import EngineError
        from ..mt.engines.select import translate_with_markers

        if not block:
            return
        texts = [text for _d, text in block]
        outs, unknown = translate_with_markers(self.engine(block[0][0]), texts)
        if len(outs) != len(texts):
            raise EngineError(f"{self.engine(block[0][0]).name} returned {len(outs)} translations for {len(texts)} texts")
        for i, (text, unk) in enumerate(zip(outs, unknown)):
            yield i, Item(0, i, text, tuple(unk))


class RoundTripSpec(NamedTuple):
    """What a remote worker needs to make its :class:`Directions`: one
    :class:`~translate.cluster.EngineSpec` per direction (loaded in the worker, once)."""

    specs: tuple[tuple[str, EngineSpec], ...]

    def load(self) -> Directions:
        return Directions(dict(self.specs))

    def replace(self, direction: str, spec: EngineSpec) -> "RoundTripSpec":
        """The same with another spec for ``direction`` (tests give a worker a special engine)."""
        return RoundTripSpec(tuple((d, spec if d == direction else s) for d, s in self.specs))


def spec_of(engines: dict) -> RoundTripSpec:
    """The spec of loaded engines: each by its name and its direction's languages."""
    return RoundTripSpec(tuple((d, EngineSpec(e.name, *LANGUAGES[d])) for d, e in engines.items()))


class Reused:
    """An executor made when first needed (a run whose verdicts are all cached starts no
    cluster) and kept for every catalogue of the run, closed once in :meth:`close`. A block
    whose Ray worker dies is sent again by the executor itself
    (:class:`~translate.cluster.ray.RayExecutor`)."""

    def __init__(self, make: Callable[[], object]):
        self.make = make
        self.executor = None

    def run(self, blocks) -> Iterator[Item]:
        if self.executor is None:
            self.executor = self.make()
        yield from self.executor.run(blocks)

    def close(self) -> None:
        close = getattr(self.executor, "close", None)
        if close is not None:
            close()
        self.executor = None


def make_executor(engines: dict, *, jobs: int | None = None, executor: Callable | None = None):
    """The executor of a check run for ``engines`` (direction → loaded engine): ``jobs`` local
    pipelines (default :func:`~translate.cluster.local.default_jobs`), or ``executor`` — a
    factory called with the :class:`RoundTripSpec` (e.g. ``RayExecutor`` with its options)."""
    if executor is None:
        from .local import LocalExecutor, default_jobs

        return LocalExecutor(Directions(engines), jobs or default_jobs())
    return Reused(lambda: executor(spec_of(engines)))


@contextlib.contextmanager
def executor_for(engines: dict, *, jobs: int | None = None, executor: Callable | None = None):
    """:func:`make_executor`, closed (Ray: its actors ended) when the run is over."""
    ex = make_executor(engines, jobs=jobs, executor=executor)
    try:
        yield ex
    finally:
        close = getattr(ex, "close", None)
        if close is not None:
            close()


def blocks_of(work: dict[str, list[str]], sizes: dict[str, int]) -> list[list[tuple[str, str]]]:
    """Blocks of ``sizes[d]`` texts of ``work[d]`` (direction → distinct texts, in catalogue
    order), the directions' blocks interleaved so that they run side by side."""
    per = {d: [[(d, t) for t in texts[k : k + sizes[d]]] for k in range(0, len(texts), sizes[d])]
           for d, texts in work.items() if texts}
    out = []
    for k in range(max((len(b) for b in per.values()), default=0)):
        out += [b[k] for b in per.values() if k < len(b)]
    return out


def translate_directions(executor, engines: dict, work: dict[str, list[str]],
                         tick: Callable[[int, int], None] | None = None) -> dict[str, dict[str, tuple[str, tuple[str, ...]]]]:
    """Translate ``work`` (direction → texts) on ``executor``: direction → {text: (translation,
    unknown words)}. ``tick(done, total)`` is told how many texts are done as they finish."""
    sizes = {d: block_size(engines[d]) for d in work}
    blocks = blocks_of(work, sizes)
    out: dict[str, dict] = {d: {} for d in work}
    done, total = 0, sum(len(texts) for texts in work.values())
    for item in executor.run(blocks):
        direction, text = blocks[item.block][item.index]
        out[direction][text] = (item.text, tuple(item.unknown))
        done += 1
        if tick is not None and done % 200 == 0:
            tick(done, total)
    return out
