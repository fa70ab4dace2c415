"""`translate mt --executor ray`: a real local Ray cluster on 127.0.0.1 with two workers.

The catalogues must be byte-identical to a local run; a worker killed in the middle of a
block loses nothing (the block is sent again); Apertium and the tiny Argos package both run
on it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.update({"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"})  # the cluster listens on 127.0.0.1 only
import ray  # noqa: E402  (the [cluster] extra, part of the test extra)

from translate.cluster.ray import RayExecutor  # noqa: E402
from translate.config import Config  # noqa: E402
from translate.mt import stage as mt_stage  # noqa: E402
from translate.mt.engines.apertium import ApertiumEngine  # noqa: E402

from .conftest import ROOT, msgfmt_check  # noqa: E402
from .test_stream import SENTENCES, catalogues, make_project  # noqa: E402

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def cluster():
    """A local cluster: 2 CPUs, a small object store, no dashboard; workers import this tree."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([old] if old else []))
    ray.init(address="local", num_cpus=2, object_store_memory=80 * 1024 * 1024, include_dashboard=False,
             log_to_driver=False)
    try:
        assert ray.cluster_resources()["CPU"] == 2
        assert [n["NodeManagerAddress"] for n in ray.nodes()] == ["127.0.0.1"]
        yield
    finally:
        ray.shutdown()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


class DiesOnce:
    """Apertium that kills its own worker process after a few segments of its first block
    (the first time only: a flag file remembers it, across the restarted actor)."""

    name = "apertium"
    block_size = 9

    def __init__(self, flag: Path):
        self.inner = ApertiumEngine.load("en", "es")
        self.version = self.inner.version
        self.flag = flag

    def stream(self, texts):
        for n, item in enumerate(self.inner.stream(texts)):
            if n == 3 and not self.flag.exists():
                self.flag.write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)
            yield item


def local_and_ray(tmp_path: Path, engine, ray_engine=None) -> tuple[dict, dict, object]:
    make_project(tmp_path / "base")
    out = []
    for name in ("local", "ray"):
        shutil.copytree(tmp_path / "base", tmp_path / name)
        cfg = Config(project=tmp_path / name, quiet=True)
        executor = functools.partial(RayExecutor, workers=2) if name == "ray" else None
        eng = (ray_engine or engine) if name == "ray" else engine
        r = mt_stage.machine_translate(cfg, "es", engine=eng, executor=executor, jobs=1, today=TODAY)
        out.append((catalogues(cfg), r))
        for p in (cfg.locales_dir / "es" / "LC_MESSAGES").glob("*.po"):
            assert msgfmt_check(p).returncode == 0
    return out[0][0], out[1][0], out[1][1]


def test_apertium_on_ray_writes_the_same_bytes_as_a_local_run(cluster, tmp_path):
    eng = ApertiumEngine.load("en", "es")
    eng.block_size = 9  # 7 blocks over 2 workers
    local, remote, r = local_and_ray(tmp_path, eng)
    assert remote == local
    assert r.translated == 61 and r.engine_calls == 7


def test_a_worker_killed_mid_block_loses_nothing(cluster, tmp_path):
    flag = tmp_path / "killed"
    eng = ApertiumEngine.load("en", "es")
    eng.block_size = DiesOnce.block_size
    local, remote, r = local_and_ray(tmp_path, eng, DiesOnce(flag))
    assert flag.exists()  # a worker did die in the middle of a block ...
    assert remote == local  # ... and its block was done again
    assert r.translated == 61


def test_the_actors_are_separate_processes(cluster):
    from translate.cluster import EngineSpec

    executor = RayExecutor(EngineSpec("apertium", "en", "es"), workers=2)
    try:
        pids = executor.worker_pids()
        assert len(set(pids)) == 2 and os.getpid() not in pids
        items = sorted(executor.run([SENTENCES[:4], SENTENCES[4:6]]))
    finally:
        executor.close()
    assert [(it.block, it.index) for it in items] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1)]
    assert all(it.text for it in items)


def cli(env: dict[str, str], project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translate", "--project", str(project), *args],
                          capture_output=True, text=True, env=env)


def test_tiny_argos_package_and_apertium_through_the_cli(argos_env, packages, tmp_path):
    env = dict(argos_env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("RAY_ADDRESS", None)
    r = cli(env, tmp_path, "engines", "install", "argos", "en", "es", "--file", str(packages["en-es"]))
    assert r.returncode == 0, r.stderr
    make_project(tmp_path / "base")
    for engine in ("argos", "apertium"):
        out = {}
        for name, extra in (("local", []), ("ray", ["--executor", "ray", "--jobs", "2"])):
            project = tmp_path / f"{engine}-{name}"
            shutil.copytree(tmp_path / "base", project)
            r = cli(env, project, "mt", "--lang", "es", "--engine", engine, *extra)
            assert r.returncode == 0, r.stderr
            assert f"engine: {engine}" in r.stdout
            out[name] = catalogues(Config(project=project, quiet=True))
        assert out["ray"] == out["local"], engine
        assert all(b"fuzzy" in data for data in out["ray"].values())
