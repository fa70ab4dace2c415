"""`translate check --jobs N --executor local|ray`: the engine round trips on the executors.

A real local Ray cluster on 127.0.0.1 with two workers (the one of tests/test_ray.py), real
Apertium and the tiny Argos packages. The verdicts and the catalogues written must be the
same bytes whatever the executor and the number of pipelines; a worker killed in the
middle of a block loses nothing.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import polib

os.environ.update({"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"})  # the cluster listens on 127.0.0.1 only

from translate.check import stage as check_stage  # noqa: E402
from translate.cluster import EngineSpec  # noqa: E402
from translate.cluster import roundtrip as rt  # noqa: E402
from translate.cluster.ray import RayExecutor  # noqa: E402
from translate.config import Config  # noqa: E402
from translate.mt import stage as mt_stage  # noqa: E402
from translate.mt.engines.apertium import ApertiumEngine  # noqa: E402

from .conftest import DATA, ROOT, msgfmt_check  # noqa: E402
from . import test_ray  # noqa: E402
from .test_ray import TODAY  # noqa: E402
from .test_stream import catalogues, make_project  # noqa: E402

cluster = test_ray.cluster  #: the fixture: a local cluster of 2 CPUs on 127.0.0.1
BLOCK = 7  #: texts per engine block in these tests: several blocks per direction


def human_catalogue(path: Path, n: int = 60) -> Path:
    """Real human entries (tests/data/eval), correct ones and wrong ones (without format flags:
    some of the wrong ones are wrong placeholders, which msgfmt refuses)."""
    po = polib.POFile()
    po.metadata = polib.pofile(str(DATA / "eval" / "correct.po")).metadata
    for name, count in (("correct.po", n), ("other_sentence.po", 12), ("english.po", 6)):
        for e in list(polib.pofile(str(DATA / "eval" / name)))[:count]:
            if po.find(e.msgid) is None and not any(f.endswith("-format") for f in e.flags):
                po.append(e)
    po.save(str(path))
    return path


def report_rows(report) -> list[dict]:
    return [r.to_dict() for c in report.catalogues for r in c.results]


def check_copy(tmp_path: Path, name: str, src: Path, **where) -> tuple[bytes, list[dict]]:
    path = tmp_path / name / src.name
    path.parent.mkdir()
    shutil.copy(src, path)
    report = check_stage.check_file(path, engine="apertium", cache=False, **where)
    assert msgfmt_check(path).returncode == 0
    return path.read_bytes(), report_rows(report)


def test_blocks_hold_one_direction_each_and_do_not_depend_on_anything_else():
    work = {rt.BACK: list("abcde"), rt.FORWARD: list("vwxyz"), rt.CROSS: []}
    blocks = rt.blocks_of({d: w for d, w in work.items() if w}, {rt.BACK: 2, rt.FORWARD: 3})
    assert blocks == [[("back", "a"), ("back", "b")], [("forward", "v"), ("forward", "w"), ("forward", "x")],
                      [("back", "c"), ("back", "d")], [("forward", "y"), ("forward", "z")], [("back", "e")]]


def test_check_on_ray_and_any_jobs_writes_the_same_bytes(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(rt, "block_size", lambda engine: BLOCK)  # the driver cuts the blocks
    src = human_catalogue(tmp_path / "x.po")
    runs = {
        "jobs1": check_copy(tmp_path, "jobs1", src, jobs=1),
        "jobs3": check_copy(tmp_path, "jobs3", src, jobs=3),
        "ray": check_copy(tmp_path, "ray", src, executor=functools.partial(RayExecutor, workers=2)),
    }
    data, rows = runs["jobs1"]
    assert data != src.read_bytes()  # verdicts were written ...
    assert {r["verdict"] for r in rows} >= {"pass", "fail"}  # ... of both kinds
    assert all(r["back_translation"] for r in rows if r["msgstr"])
    for name, got in runs.items():
        assert got == (data, rows), name


class BackDiesOnce:
    """Apertium es→en whose worker process kills itself while serving its first block, its
    translations made but not yet returned (the first time only: a flag file remembers it,
    across the restarted actor)."""

    name = "apertium"

    def __init__(self, flag: Path):
        self.inner = ApertiumEngine.load("es", "en")
        self.version = self.inner.version
        self.flag = flag

    def translate_batch_with_markers(self, texts):
        out = self.inner.translate_batch_with_markers(texts)
        if not self.flag.exists():
            self.flag.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return out


def test_a_worker_killed_mid_block_loses_nothing(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(rt, "block_size", lambda engine: BLOCK)
    src = human_catalogue(tmp_path / "x.po", 30)
    flag = tmp_path / "killed"

    def dying(spec: rt.RoundTripSpec) -> RayExecutor:
        return RayExecutor(spec.replace(rt.BACK, EngineSpec("apertium", "es", "en", engine=BackDiesOnce(flag))), workers=2)

    local = check_copy(tmp_path, "local", src, jobs=2)
    remote = check_copy(tmp_path, "ray", src, executor=dying)
    assert flag.exists()  # a worker did die in the middle of a block ...
    assert remote == local  # ... and its block was done again


def cli(env: dict[str, str], project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translate", "--project", str(project), *args],
                          capture_output=True, text=True, env=env)


def test_tiny_argos_and_apertium_check_through_the_cli(argos_env, packages, tmp_path):
    """Apertium made the catalogues; `check --engine apertium` back-translates them with the
    tiny Argos es→en (cross-engine), `--engine argos` with Argos both ways: on Ray as here."""
    env = dict(argos_env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               XDG_CACHE_HOME=str(tmp_path / "xdg"))
    env.pop("RAY_ADDRESS", None)
    for pair in ("en-es", "es-en"):
        r = cli(env, tmp_path, "engines", "install", "argos", *pair.split("-"), "--file", str(packages[pair]))
        assert r.returncode == 0, r.stderr
    cfg = make_project(tmp_path / "base")
    mt_stage.machine_translate(cfg, "es", engine=ApertiumEngine.load("en", "es"), today=TODAY)
    for engine in ("apertium", "argos"):
        out = {}
        for name, extra in (("local", ["--jobs", "1"]), ("ray", ["--executor", "ray", "--jobs", "2"])):
            project = tmp_path / f"{engine}-{name}"
            shutil.copytree(tmp_path / "base", project)
            r = cli(env, project, "check", "--lang", "es", "--engine", engine, "--json", str(project / "r.json"), *extra)
            assert r.returncode in (0, 1), r.stderr
            rows = json.loads((project / "r.json").read_text(encoding="utf-8"))["entries"]
            out[name] = (catalogues(Config(project=project, quiet=True)), rows)
        assert out["ray"] == out["local"], engine
        rows = out["ray"][1]
        assert rows and all(r["back_translation"] for r in rows)
        trips = {r["round_trip"].split(":")[0] for r in rows}
        assert trips == {"cross-engine"}, (engine, trips)  # apertium's text, back-translated by argos
        assert all("argos" in r["round_trip"] for r in rows)


def test_address_is_for_the_ray_executor_only(tmp_path):
    po = human_catalogue(tmp_path / "x.po", 3)
    before = po.read_bytes()
    r = cli(dict(os.environ), tmp_path, "check", str(po), "--engine", "none", "--address", "127.0.0.1:6379")
    assert r.returncode == 2 and "--address is for --executor ray" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and po.read_bytes() == before


def test_one_executor_serves_every_catalogue_and_none_is_made_when_all_is_cached(tmp_path, monkeypatch):
    """The executor factory (Ray's, in real runs) is called once per run, with a spec the
    workers load the engines from; a run whose verdicts are all cached makes none."""
    from translate.cluster.local import LocalExecutor

    monkeypatch.setattr(rt, "block_size", lambda engine: BLOCK)
    cfg = make_project(tmp_path / "base")
    mt_stage.machine_translate(cfg, "es", engine=ApertiumEngine.load("en", "es"), today=TODAY)
    shutil.copytree(tmp_path / "base", tmp_path / "spec")
    made = []

    def factory(spec: rt.RoundTripSpec) -> LocalExecutor:
        made.append(spec)
        return LocalExecutor(spec.load(), 2)

    runs = {}
    for name, where in (("base", {}), ("spec", {"executor": factory})):
        project = Config(project=tmp_path / name, quiet=True)
        report = check_stage.check_project(project, "es", engine="apertium", cache=True, **where)
        runs[name] = (catalogues(project), report_rows(report))
    assert len(runs["base"][0]) == 2 and runs["spec"] == runs["base"]
    assert [dict(s.specs)[rt.BACK] for s in made] == [EngineSpec("apertium", "es", "en")]
    check_stage.check_project(Config(project=tmp_path / "spec", quiet=True), "es", engine="apertium", cache=True,
                              executor=factory)
    assert len(made) == 1  # every verdict came from the cache: no executor was made
