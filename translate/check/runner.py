"""Checking entries: a verdict for every translated entry of a catalogue.

The per-entry checks of :mod:`translate.check.signals` run with the es→en back-translation
and the language identification computed in batches. Results are written back as extracted
comments (``#. check: …``, ``#. back-translation: …``); nothing else in an entry changes.
The catalogue round trips are in :mod:`.roundtrip`, the reports in :mod:`.report`.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import polib

from ..cluster import roundtrip as rt
from ..errors import EngineMissingError
from ..mt.engines.select import load_engine
from ..po.pofile import safe_comment
from ..po.state import BT_PREFIX, CHECK_PREFIX, verdict_of
from . import crossrt, quality
from . import signals as C
from .signals import FAIL, WARN, Context, Finding, Message


@dataclass
class EntryResult:
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    verdict: str = "pass"
    findings: list[Finding] = field(default_factory=list)
    back_translation: str | None = None
    fuzzy: bool = False
    line: int | None = None
    score: int | None = None  #: quality 0–100 (check.quality), None when not computed
    round_trip: str | None = None  #: which round trip the back-translation was (check.crossrt)
    signals: dict | None = field(default=None, repr=False)  #: the model's inputs (bench/fit_quality.py)

    @property
    def failed(self) -> list[str]:
        """Names of the checks that failed (severity fail)."""
        return list(dict.fromkeys(f.check for f in self.findings if f.severity == FAIL))

    @property
    def warned(self) -> list[str]:
        return list(dict.fromkeys(f.check for f in self.findings if f.severity == WARN and f.check not in self.failed))

    def comment_lines(self) -> list[str]:
        if self.verdict == "pass":
            lines = ["check: pass"]
        else:
            names = self.failed if self.verdict == FAIL else self.warned
            lines = [f"check: {self.verdict}: {', '.join(names)}"]
        if self.score is not None:
            lines.append(f"check: score: {self.score}/100" + (f" ({self.round_trip.split(':')[0]} round trip)" if self.round_trip else ""))
        lines += [f"check: {f.check}: {_one_line(f.detail)}" for f in self.findings]
        if self.back_translation is not None:
            lines.append(f"back-translation: {_one_line(self.back_translation)}")
        # no byte of a comment may change how gettext reads the next line (a final backslash
        # joins it; control characters): made visible as escapes
        return [safe_comment(x) for x in lines]

    def to_dict(self) -> dict:
        return {
            "msgid": self.msgid,
            "msgctxt": self.msgctxt,
            "msgstr": self.msgstr,
            "verdict": self.verdict,
            "failed": self.failed,
            "warned": self.warned,
            "findings": [f.to_dict() for f in self.findings],
            "back_translation": self.back_translation,
            "fuzzy": self.fuzzy,
            "line": self.line,
            "score": self.score,
            "round_trip": self.round_trip,
        }


def _one_line(s: str) -> str:
    return " ".join(s.split())


# -- one entry (cheap: no engine call) -------------------------------------------------------


def check_one(
    msgid: str,
    msgstr: str,
    *,
    comment: str = "",
    flags: Sequence[str] = (),
    glossary: Sequence = (),
    back_translation: str | None = None,
    forward_translation: str | None = None,
    bt_unknown: Sequence[str] | None = None,
    language_scores: dict[str, float] | None = None,
    msgctxt: str | None = None,
) -> EntryResult:
    """Every per-entry check on one message. Without ``back_translation`` that check is skipped."""
    ctx = Context(
        comment="\n".join(_other_lines(comment)),
        flags=tuple(flags),
        glossary=tuple(glossary),
        back_translation=back_translation,
        forward_translation=forward_translation,
        bt_unknown=None if bt_unknown is None else tuple(bt_unknown),
        language_scores=language_scores,
    )
    findings = C.run_checks(Message(msgid, msgstr, msgctxt), ctx) if msgstr else []
    return EntryResult(msgid, msgstr, msgctxt, C.verdict(findings), findings, back_translation, "fuzzy" in flags)


def _other_lines(comment: str | None) -> list[str]:
    """The comment's lines that are not ours (check and back-translation lines)."""
    return [x for x in (comment or "").split("\n") if x and not x.startswith((CHECK_PREFIX, BT_PREFIX))]


def is_check_comment(text: str) -> bool:
    """Is this extracted-comment line one that ``check`` writes (and replaces)?"""
    return text.startswith((CHECK_PREFIX, BT_PREFIX))


def write_back(entry: polib.POEntry, result: EntryResult) -> bool:
    """Replace the entry's ``check:``/``back-translation:`` lines; True if the comment changed.

    Every other line of the comment is kept as it was, empty ones too.
    """
    kept = [x for x in entry.comment.split("\n") if not is_check_comment(x)] if entry.comment else []
    new = "\n".join(kept + result.comment_lines())
    if new != (entry.comment or ""):
        entry.comment = new
        return True
    return False


# -- a whole catalogue ---------------------------------------------------------------------


def trace(event: str) -> None:
    """Append ``event`` and the time (seconds since the epoch) to the file named by the
    environment variable ``TRANSLATE_TRACE``, if set: how bench/check_speed.py times the
    first verdict from outside the process. Not part of the command line."""
    path = os.environ.get("TRANSLATE_TRACE")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{event} {time.time():.6f}\n")


def _checkable(e: polib.POEntry) -> bool:
    return not e.obsolete and bool(e.msgid) and bool(e.msgstr or any(e.msgstr_plural.values()))


def _pairs(e: polib.POEntry) -> list[tuple[str, str]]:
    """(English, Spanish) pairs of an entry; plural forms pair msgid_plural with the last form."""
    if e.msgid_plural:
        forms = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)]
        return [(e.msgid_plural, forms[-1])] if forms and forms[-1] else []
    return [(e.msgid, e.msgstr)]


@dataclass
class BackTranslator:
    engine: object | None  #: es→en
    note: str = ""
    forward: object | None = None  #: en→es, for the second (forward) chrF signal
    cross: object | None = None  #: the other es→en engine, for machine text the back engine made
    #: where the engines run (:mod:`translate.cluster.roundtrip`); None: local pipelines per call
    executor: object | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        if self.engine is None:
            return "none"
        return f"{getattr(self.engine, 'name', '?')} ({getattr(self.engine, 'version', '?')})"

    def engines(self) -> dict:
        """Direction (:data:`translate.cluster.roundtrip.BACK` …) → engine, for those loaded."""
        loaded = {rt.BACK: self.engine, rt.FORWARD: self.forward, rt.CROSS: self.cross}
        return {d: e for d, e in loaded.items() if e is not None}


@contextlib.contextmanager
def engines_on(back: BackTranslator, *, jobs: int | None = None, executor: Callable | None = None):
    """Run ``back``'s engines, for every catalogue checked in the ``with`` block, on ``jobs``
    local pipelines or on ``executor`` (a factory, e.g. ``RayExecutor`` with its options:
    see :func:`translate.cluster.roundtrip.make_executor`); ended (Ray: the actors) after it."""
    if back.engine is None:
        yield back
        return
    with rt.executor_for(back.engines(), jobs=jobs, executor=executor) as ex:
        back.executor = ex
        try:
            yield back
        finally:
            back.executor = None


def load_back_translator(engine: str | None = "auto") -> BackTranslator:
    """The es→en engine, or a note saying why back-translation is skipped."""
    if engine in (None, "none"):
        return BackTranslator(None, "back-translation skipped (--engine none)")
    try:
        back = load_engine(engine, "es", "en")
    except EngineMissingError as e:
        return BackTranslator(None, f"back-translation skipped: no es→en engine installed ({e.message})")
    try:
        forward = load_engine(getattr(back, "name", engine), "en", "es")
    except EngineMissingError:
        forward = None
    return BackTranslator(back, "", forward, crossrt.load_cross(back))


def _round_trips(back: BackTranslator | None, pairs, tick: Callable[[int, int], None]) -> tuple[dict, dict, dict]:
    """The engine phase: back-translations (msgstr → (text, unknown words)), forward
    translations (msgid → text) and round-trip labels (msgstr → label), each distinct text
    translated once, all directions on one executor (local pipelines unless the run gave one)."""
    if back is None or back.engine is None or not pairs:
        return {}, {}, {}
    how, by_cross = crossrt.plan(back, pairs)
    texts = list(dict.fromkeys(s for _e, (_i, s) in pairs))
    work = {rt.BACK: [t for t in texts if t not in by_cross], rt.CROSS: [t for t in texts if t in by_cross],
            rt.FORWARD: list(dict.fromkeys(i for _e, (i, _s) in pairs)) if back.forward is not None else []}
    work = {d: w for d, w in work.items() if w}
    engines = back.engines()
    if back.executor is not None:
        got = rt.translate_directions(back.executor, engines, work, tick)
    else:
        with rt.executor_for(engines) as ex:
            got = rt.translate_directions(ex, engines, work, tick)
    bt = {**got.get(rt.BACK, {}), **got.get(rt.CROSS, {})}
    fw = {i: text for i, (text, _unknown) in got.get(rt.FORWARD, {}).items()}
    return bt, fw, how


def check_entries(
    entries: Sequence[polib.POEntry],
    *,
    back: BackTranslator | None = None,
    glossary: Sequence = (),
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[polib.POEntry, EntryResult]]:
    """Run every check on the translated entries, engines and language id in batches.

    ``progress(done, total)`` is told about three phases of equal weight: the engine round
    trip, the language identification, and the per-entry checks.
    """
    todo = [e for e in entries if _checkable(e)]
    pairs = [(e, p) for e in todo for p in _pairs(e)]
    total = 3 * len(pairs)
    tick = progress or (lambda done, total: None)
    tick(0, total)
    bt, fw, how = _round_trips(back, pairs, lambda done, of: tick(len(pairs) * done // of, total))
    tick(len(pairs), total)
    # only engines that mark unknown words (Apertium) tell which words are not Spanish
    marks = bool(bt) and hasattr(back.engine, "translate_batch_with_markers")
    # the language identifier (slow to load) runs only on the texts the language check will read
    lid_in = [C.text_to_identify(Message(i, s), e.flags) for e, (i, s) in pairs]
    distinct = list(dict.fromkeys(t for t in lid_in if t is not None))
    scores = dict(zip(distinct, C.language_scores(distinct))) if distinct else {}
    tick(2 * len(pairs), total)
    results: dict[int, EntryResult] = {}
    for k, ((e, (msgid, msgstr)), lt) in enumerate(zip(pairs, lid_in), 1):
        if k % 200 == 0:
            tick(2 * len(pairs) + k, total)
        b = bt.get(msgstr)
        r = check_one(
            msgid,
            msgstr,
            comment=e.comment or "",
            flags=e.flags,
            glossary=glossary,
            back_translation=b[0] if b else None,
            forward_translation=fw.get(msgid),
            bt_unknown=(b[1] if b else None) if marks else None,
            language_scores=scores.get(lt, {}) if lt in scores else None,
            msgctxt=e.msgctxt,
        )
        if k == 1:
            trace("first-verdict")
        prev = results.get(id(e))
        if prev is not None:
            prev.findings += r.findings
            prev.verdict = C.verdict(prev.findings)
        else:
            r.msgid, r.msgstr, r.line = e.msgid, e.msgstr or r.msgstr, e.linenum
            r.round_trip = how.get(msgstr)
            results[id(e)] = r
    quality.score_entries([(e, i, s, results[id(e)], fw.get(i)) for e, (i, s) in pairs if id(e) in results], glossary)
    tick(total, total)
    return [(e, results[id(e)]) for e in todo if id(e) in results]


# -- for `translate build --strict` ----------------------------------------------------------


def failing_entries(po: polib.POFile, *, glossary: Sequence = ()) -> list[tuple[polib.POEntry, EntryResult]]:
    """Translated entries that fail: the cheap checks now, or a recorded back-translation failure.

    ``translate build --lang es --strict`` refuses to build while this is not empty; without
    ``--strict`` the build lists them.
    """
    out = []
    for e in po:
        if not _checkable(e):
            continue
        i, s = (_pairs(e) or [(e.msgid, e.msgstr)])[0]
        r = check_one(i, s, comment=e.comment or "", flags=e.flags, glossary=glossary, msgctxt=e.msgctxt)
        recorded = [x for x in (e.comment or "").splitlines() if x.startswith("check: back-translation:")]
        if verdict_of(e) == FAIL and recorded and "back-translation" not in r.failed:
            r.findings.append(Finding("back-translation", FAIL, recorded[0].split(":", 2)[2].strip()))
            r.verdict = FAIL
        if r.verdict == FAIL:
            r.line = e.linenum
            out.append((e, r))
    return out
