"""The streaming engine pipeline: Apertium streamed per block, ``--jobs``, decoupled saves.

Real Apertium throughout; the catalogues written are checked with ``msgfmt -c``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.cluster import Item
from translate.cluster.local import LocalExecutor
from translate.config import Config
from translate.errors import EngineError
from translate.mt import stage as mt_stage
from translate.mt.engines.apertium import ApertiumEngine
from translate.mt.engines.apertium_stream import _mode_file, automorf, direct_pipeline, unknown_words
from translate.po import stage as po_stage
from translate.segment import stage as segment_stage

from .conftest import ROOT, msgfmt_check
from .test_engines_apertium import _alive_in, _sessions_of_children, write_script

TODAY = dt.date(2026, 11, 28)
# Real sentences (a licence text shipped in tests/data), each made distinct.
_WORDS = (ROOT / "tests" / "data" / "real" / "common-licenses-Apache-2.0.txt").read_text(encoding="utf-8").split()
SENTENCES = [" ".join(_WORDS[i : i + 14]).replace(".", "") + "." for i in range(0, 14 * 60, 14)]


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine.load("en", "es")


def raw_apertium(text: str, *options: str) -> str:
    return subprocess.run(["apertium", *options, "eng-spa"], input=text, capture_output=True, text=True, check=True).stdout


def test_text_is_apertium_u_and_unknown_words_are_still_found(engine):
    # Marks block Apertium's spelling rules ("o" before a marked word starting with "o" stays
    # "o"): the stream keeps the rules (its text is `apertium -u`'s) and still lists the words.
    texts = ["Rich can render content in sorted columns with equal or optimal width.", "I zorbled the quux."]
    results = dict(engine.stream(texts))
    for i, text in enumerate(texts):
        assert results[i].text == raw_apertium(text, "-u").strip()
    marked = engine.translate_batch_with_markers(texts)
    for i in range(len(texts)):
        assert results[i].unknown == tuple(w for m, w in marked[i].marks if m == "*")
    assert results[0].text != marked[0].text  # the marked pass lost a spelling rule here


def test_unknown_words_are_read_from_the_analysers_output():
    analysis = r"[<s0>]^I/prpers<prn>$ ^zorbled/*zorbled$ [\]] ^the/the<det>$ ^C\+\+/*C\+\+$^./.<sent>$"
    assert unknown_words(analysis) == ("zorbled", "C++")
    assert automorf("apertium", "eng-spa") is None or automorf("apertium", "eng-spa").endswith("eng-spa.automorf.bin")


def test_the_direct_pipeline_translates_as_the_apertium_script(engine, monkeypatch):
    # The mode's pipeline run by us (analysis teed off its first stage) against `apertium -u`
    # beside a second analyser: the same texts and the same unknown words.
    texts = [*SENTENCES[:30], "I zorbled the quux.", "Rich can render content in sorted columns."]
    apertium = shutil.which("apertium")
    assert direct_pipeline(apertium, "eng-spa") is not None
    direct = list(engine.stream(texts))
    monkeypatch.setenv("APERTIUM_DATADIR", str(_mode_file(apertium, "eng-spa").parent.parent))
    assert direct_pipeline(apertium, "eng-spa") is None  # the script's own setting: the script runs
    scripted = list(engine.stream(texts))
    assert direct == scripted
    assert any(r.unknown for _, r in direct)


def test_stream_yields_every_segment_in_order_with_blanks(engine):
    texts = ["", *SENTENCES[:5], "  \n", SENTENCES[5]]
    got = list(engine.stream(texts))
    assert sorted(i for i, _ in got) == list(range(len(texts)))
    order = [i for i, _ in got if texts[i].strip()]
    assert order == sorted(order)  # translations arrive in input order
    results = dict(got)
    assert results[0].text == "" and results[6].text == ""
    assert [results[i].text for i in range(1, 6)] == [raw_apertium(t, "-u").strip() for t in texts[1:6]]


def test_a_crash_mid_block_keeps_the_segments_before_it(engine, tmp_path):
    fake = write_script(tmp_path / "apertium", '#!/bin/bash\n/usr/bin/apertium "$@" | head -c 1500\nkill -KILL $$\n')
    broken = ApertiumEngine("eng-spa", apertium_bin=fake, version="fake")
    got = []
    with pytest.raises(EngineError) as err:
        for item in broken.stream(SENTENCES[:40]):
            got.append(item)
    assert "\n" not in str(err.value) and "signal 9" in str(err.value)
    assert 0 < len(got) < 40
    # (a wrapper outside Apertium's folders: no mode file, so the marked pass is used)
    assert [r.text for _, r in got] == engine.translate_batch(SENTENCES[: len(got)], mark_unknown=True)


def test_stopping_early_leaves_no_apertium_process(engine):
    before = _sessions_of_children(os.getpid())
    items = engine.stream(SENTENCES * 5)
    next(items)
    during = _sessions_of_children(os.getpid()) - before - {os.getsid(0)}
    assert during, "no pipeline was running"
    items.close()
    assert [p for s in during for p in _alive_in(s)] == []


def test_pipelines_started_ahead_translate_as_fresh_ones_and_end_when_unused(engine):
    blocks = [SENTENCES[:6], SENTENCES[6:12]]
    fresh = [list(engine.stream(block)) for block in blocks]
    before = _sessions_of_children(os.getpid())
    engine.warm_up(3)
    started = _sessions_of_children(os.getpid()) - before - {os.getsid(0)}
    assert len(started) == 3  # each pipeline in a session of its own
    assert [list(engine.stream(block)) for block in blocks] == fresh
    left = {s for s in started if _alive_in(s)}
    assert len(left) == 1  # the two used ones ended with their blocks
    engine.cool_down()
    assert [p for s in started for p in _alive_in(s)] == []


def test_a_run_leaves_no_pipeline_started_ahead(tmp_path, engine):
    cfg = make_project(tmp_path)
    before = _sessions_of_children(os.getpid())
    r = mt_stage.machine_translate(cfg, "es", engine=engine, jobs=3, today=TODAY)  # 3 started ahead, 1 block
    assert r.engine_calls == 1 and r.translated == 61
    assert _sessions_of_children(os.getpid()) - before - {os.getsid(0)} == set()


def test_local_executor_gives_every_item_once_whatever_the_jobs(engine):
    blocks = [SENTENCES[k : k + 7] for k in range(0, 30, 7)]
    runs = {jobs: sorted(LocalExecutor(engine, jobs).run(blocks)) for jobs in (1, 2, 3)}
    assert runs[1] == runs[2] == runs[3]
    assert sorted((it.block, it.index) for it in runs[1]) == [(b, i) for b, blk in enumerate(blocks) for i in range(len(blk))]
    assert all(isinstance(it, Item) and it.text for it in runs[1])


def make_project(tmp_path: Path) -> Config:
    (tmp_path / "source").mkdir(parents=True)
    (tmp_path / "source" / "a.txt").write_text("\n\n".join(SENTENCES[:35]) + "\n", encoding="utf-8")
    (tmp_path / "source" / "b.md").write_text("# Title\n\n" + "\n\n".join(SENTENCES[30:]) + "\n", encoding="utf-8")
    cfg = Config(project=tmp_path, quiet=True)
    segment_stage.segment(cfg)
    po_stage.update(cfg, "es")
    return cfg


def catalogues(cfg: Config) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((cfg.locales_dir / "es" / "LC_MESSAGES").glob("*.po"))}


def test_catalogue_bytes_do_not_depend_on_jobs_or_save_cadence(tmp_path):
    eng = ApertiumEngine.load("en", "es")
    eng.block_size = 9  # several blocks, so that jobs share them out
    outputs = []
    make_project(tmp_path / "base")
    for n, (jobs, batch_size) in enumerate([(1, 500), (2, 4), (3, 1)]):
        shutil.copytree(tmp_path / "base", tmp_path / str(n))  # the same input bytes for every run
        cfg = Config(project=tmp_path / str(n), quiet=True)
        r = mt_stage.machine_translate(cfg, "es", engine=eng, jobs=jobs, batch_size=batch_size, today=TODAY)
        assert r.engine_calls == -(-r.translated // 9) and r.translated == 61
        outputs.append(catalogues(cfg))
        for p in (cfg.locales_dir / "es" / "LC_MESSAGES").glob("*.po"):
            assert msgfmt_check(p).returncode == 0
    assert outputs[0] == outputs[1] == outputs[2]


def test_cli_jobs_option(tmp_path):
    cfg = make_project(tmp_path)
    base = [sys.executable, "-m", "translate", "--project", str(tmp_path), "-q"]
    r = subprocess.run(base + ["mt", "--lang", "es", "--engine", "apertium", "--jobs", "2"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert all(b"fuzzy" in data for data in catalogues(cfg).values())
    r = subprocess.run(base + ["mt", "--lang", "es", "--address", "127.0.0.1:1"], capture_output=True, text=True)
    assert r.returncode == 2 and "--executor ray" in r.stderr
