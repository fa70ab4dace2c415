"""Engine work on a Ray cluster: actors load the engine once and serve blocks.

Only the driver (the ``translate`` process) reads and writes catalogues, holds the project
lock and saves atomically; actors only translate. ``ray`` is imported here and nowhere else
(``pip install 'translate-docs[cluster]'``).

- ``address``: the cluster to join (``ray start --head`` prints it); without one,
  ``RAY_ADDRESS`` is used, else a small local cluster (on 127.0.0.1 only) is started for
  this run and stopped after it. A cluster with token authentication (Ray's default for
  local clusters since 2.59) is joined with ``RAY_AUTH_MODE=token`` set.
- ``workers``: actors (default: one per two CPUs of the cluster), each reserving one CPU.
- A block whose actor dies (a killed process, a lost node) is sent again, to the same actor
  once Ray has restarted it (``max_restarts=-1``) and it answers, up to ``retries`` times;
  the items of a block reach the driver only when the whole block is done, so nothing is
  applied twice.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from typing import Iterator

from ..errors import EngineError, EngineMissingError, TranslateError
from . import EngineSpec, Item, translate_block

#: The object store a local cluster gets: blocks and their results are small.
_LOCAL_OBJECT_STORE = 80 * 1024 * 1024
#: Blocks queued on one actor, so that it never waits for the driver between two.
_IN_FLIGHT = 2


#: Ray's switch for binding a cluster to 127.0.0.1 (its default is the machine's reachable address).
LOOPBACK_ONLY = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


def _ray():
    try:
        import ray
    except ImportError as e:
        raise EngineMissingError("--executor ray needs Ray: pip install 'translate-docs[cluster]'") from e
    return ray


class _Worker:
    """The actor: one engine, loaded once, serving blocks."""

    def __init__(self, spec: EngineSpec):
        self.engine = spec.load()
        self.warm_up = getattr(self.engine, "warm_up", None)
        if self.warm_up:  # the first block's pipeline loads while the driver plans
            self.warm_up(1)

    def pid(self) -> int:
        return os.getpid()

    def translate(self, block: int, texts: list[str], more: bool = False):
        """``[(index, text, unknown), …]`` for the block, or ``("error", message)``; ``more``:
        other blocks follow, so the next one's pipeline is started while this one runs."""
        try:
            if self.warm_up and more:
                self.warm_up(2)  # this block's and the next one's
            return [(it.index, it.text, it.unknown) for it in translate_block(self.engine, texts, block)]
        except TranslateError as e:  # sent back as data: the driver raises it as its own
            return ("error", str(e))


def _wait_alive(ray, actor, seconds: float = 120.0) -> None:
    """Return once ``actor`` answers again (Ray restarts a dead one: ``max_restarts=-1``)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            ray.get(actor.pid.remote(), timeout=seconds)
            return
        except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError, ray.exceptions.GetTimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class RayExecutor:
    """Run blocks on Ray actors; see the module docstring."""

    def __init__(self, spec: EngineSpec, *, address: str | None = None, workers: int | None = None, retries: int = 3):
        address = address or os.environ.get("RAY_ADDRESS")
        if not address and "ray" not in sys.modules:  # a cluster of our own: reachable from this machine only
            os.environ.update(LOOPBACK_ONLY)
        ray = _ray()
        self._started = False
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(
                    num_cpus=workers or None, object_store_memory=_LOCAL_OBJECT_STORE,
                    include_dashboard=False, log_to_driver=False,
                )
                self._started = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = workers or max(1, cpus // 2)
        actor = ray.remote(num_cpus=1, max_restarts=-1)(_Worker)
        self.actors = [actor.remote(spec) for _ in range(count)]
        self.retries = retries

    def worker_pids(self) -> list[int]:
        """The process id of every actor (tests kill one)."""
        ray = _ray()
        return ray.get([a.pid.remote() for a in self.actors])

    def run(self, blocks: list[list[str]]) -> Iterator[Item]:
        """The items of ``blocks``, a whole block at a time; the actors stay up for another
        ``run`` until :meth:`close` (the caller's: mt and check close their executor)."""
        ray = _ray()
        todo = collections.deque(range(len(blocks)))
        tries = collections.Counter()
        pending: dict = {}

        def submit(actor) -> None:
            b = todo.popleft()
            pending[actor.translate.remote(b, blocks[b], bool(todo))] = (b, actor)

        for _ in range(_IN_FLIGHT):
            for actor in self.actors:
                if todo:
                    submit(actor)
        while pending:
            [ref], _ = ray.wait(list(pending), num_returns=1)
            b, actor = pending.pop(ref)
            try:
                result = ray.get(ref)
            except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError) as e:
                tries[b] += 1
                if tries[b] > self.retries:
                    raise EngineError(f"a Ray worker died {tries[b]} times on block {b + 1}: {e}") from e
                todo.appendleft(b)
                _wait_alive(ray, actor)  # a call sent while Ray restarts the actor fails at once
                submit(actor)
                continue
            if isinstance(result, tuple):
                raise EngineError(result[1])
            for index, text, unknown in result:
                yield Item(b, index, text, tuple(unknown))
            if todo:
                submit(actor)

    def close(self) -> None:
        """End the actors (and the local cluster this executor started)."""
        ray = _ray()
        for actor in self.actors:
            ray.kill(actor)
        self.actors = []
        if self._started:
            ray.shutdown()
            self._started = False
