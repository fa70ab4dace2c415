"""A seeded soak test: random sequences of the real commands and review-page actions.

The sequences (bench/soak.py) run ``translate segment / update / mt / check / build`` through
the CLI entry point with the real Apertium engine, and drive the review app in-process:
approvals (as-is and edited), edits, rejections, English edits of approved sentences, and
review saves attempted while ``update`` holds the project lock. After every step: no
approved translation is lost, no ``reviewed:`` mark sits on a machine's text, every
catalogue passes ``msgfmt -c``, and the English edition equals the source byte for byte.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import soak  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (shutil.which("apertium") and shutil.which("msgfmt")), reason="needs Apertium (eng-spa) and GNU gettext"
)


def test_forty_seeded_sequences_lose_nothing(tmp_path: Path) -> None:
    totals = soak.run_soak(sequences=40, seed=13, steps=6, workdir=tmp_path, workers=2)
    assert totals.failures == [], "\n".join(totals.failures)
    assert totals.bad == 0
    # the run did what it is meant to exercise
    assert totals.sequences == 40 and totals.steps == 240
    assert totals.approvals >= 40
    assert totals.english_edits_after_approval >= 30
    assert totals.retranslate_runs >= 40  # one forced per sequence, more at random
    assert totals.saves_refused_during_update >= 1


def test_the_soak_sees_a_lost_approval(tmp_path: Path, monkeypatch) -> None:
    """The checks can fail: with a `mt` that also redoes approved entries, approvals are lost."""
    from translate.mt import plan

    def careless(e, retranslate):
        if e.obsolete or e.msgid_plural or not e.msgid:
            return False
        return not e.msgstr or (retranslate == "machine" and "fuzzy" in e.flags)

    monkeypatch.setattr(plan, "wants_translation", careless)
    totals = soak.run_soak(sequences=4, seed=13, steps=4, workdir=tmp_path)
    assert totals.reviewed_lost >= 1
    assert any("is gone" in f for f in totals.failures)


def test_the_soak_sees_a_save_during_update(tmp_path: Path, monkeypatch) -> None:
    """The checks can fail: without the lock around the review save, the save during update is reported."""
    import contextlib

    from translate.review import patch

    monkeypatch.setattr(patch, "project_lock", lambda *a, **k: contextlib.nullcontext())
    totals = soak.Totals()
    seq = soak.Sequence(tmp_path, 13, 0, totals, steps=4)
    seq.write_sources()
    seq.segment()
    seq.cli("update", "--lang", "es", ok=(0,))
    seq.cli("mt", "--lang", "es", "--engine", "apertium", ok=(0,))
    seq.step_update_with_review()
    assert any("not refused" in f for f in totals.failures), totals.failures
