"""Machine translation of catalogue entries: what to translate, and how results are recorded.

The rules that protect human work live here:

- an entry is *machine-made* when it is fuzzy and carries our ``mt:`` provenance comment
  whose checksum still matches its msgstr (a person who edited the text, even without
  clearing ``fuzzy``, made it theirs);
- an entry a person approved is never machine-made, even when ``update`` made it fuzzy
  because its English changed (see :mod:`translate.po.state`);
- only untranslated entries are filled; with ``retranslate="machine"`` machine-made
  entries are redone too; nothing else is ever written;
- the translation memory reuses settled human translations only (not fuzzy, not machine)
  and imported TMX units (see :mod:`translate.tm`): an exact match is a person's text, fuzzy
  for a look in its new context, never machine-made; a near match (≥ the threshold) is
  written as machine-made (an ``mt:`` line with its checksum, plus ``#. tm: 86% <English>``),
  so ``--retranslate machine`` may redo it and a person's edit makes it theirs. A near
  match is preferred to the engine: it is a person's translation of almost the same
  sentence, where the engine's output would need the whole sentence reviewed.

Pure functions over polib entries; engines are passed in; no file I/O.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import polib

from ..po.state import (
    BT_PREFIX,
    CHECK_PREFIX,
    OWN_MT_PREFIXES,
    REVIEWED_PREFIX,
    add_own,
    checksum,
    is_machine,
    is_untranslated,
    remove_own,
)
from ..tm.memory import DEFAULT_THRESHOLD, Hit, Memory, Unit, catalogue_units, one_line
from .postedit import postedit
from .protect import GlossaryTerm, Restored, Shielded, applicable_terms, restore, shield
from .quotes import Pieces, split


def wants_translation(e: polib.POEntry, retranslate: str | None) -> bool:
    if e.obsolete or e.msgid_plural or not e.msgid:
        return False
    if is_untranslated(e):
        return True
    return retranslate == "machine" and is_machine(e)


@dataclass(frozen=True)
class Result:
    """What the engine (or the memory) made of one msgid."""

    text: str
    origin: str  #: the provenance line without checksum, e.g. "mt: apertium … , 2026-11-28"
    notes: tuple[str, ...] = ()  #: extra comment lines (problems, unknown words, glossary)
    unknown: tuple[str, ...] = ()  #: words the engine marked as unknown (our placeholders excluded)
    problems: tuple[str, ...] = ()  #: protected tokens that did not survive the engine


def apply(e: polib.POEntry, result: Result) -> None:
    """Write a machine or memory result into an entry: fuzzy, with provenance comments.

    Only for entries :func:`wants_translation` chose. A ``reviewed:`` line left on such an
    entry approved some other text: it is dropped, never carried onto the machine's text; so
    are ``check:`` and ``back-translation:`` lines (extracted comments only), which judged the
    old text (and, left in place, would sit before the new notes where ``update`` then moves
    them: a second ``translate run`` would change the file).
    """
    remove_own(e, (*OWN_MT_PREFIXES, REVIEWED_PREFIX))
    add_own(e, f"{result.origin} sha256:{checksum(result.text)}")  # a translator comment: msgmerge keeps it
    kept = [x for x in (e.comment or "").split("\n") if x and not x.startswith((CHECK_PREFIX, BT_PREFIX))]
    e.comment = "\n".join(kept + list(result.notes))
    e.msgstr = result.text
    if "fuzzy" not in e.flags:
        e.flags.append("fuzzy")
    e.previous_msgid = None
    e.previous_msgctxt = None


def translation_memory(
    catalogues: Iterable[tuple[str, polib.POFile]], imported: Iterable[Unit] = (), threshold: float = DEFAULT_THRESHOLD
) -> Memory:
    """msgid → (msgstr, where) from every settled human entry (not fuzzy, not machine-made),
    then the ``imported`` units; near matches at or above ``threshold`` through ``lookup``."""
    return Memory([*catalogue_units(catalogues), *imported], threshold)


@dataclass
class Job:
    """One distinct msgid to translate, and what was prepared for the engine."""

    msgid: str
    shielded: Shielded
    terms: tuple[GlossaryTerm, ...] = ()
    pieces: Pieces | None = None  #: what the engine translates (quotations apart from attributions)
    quotes: str = "keep"  #: house style of quotation marks (see postedit.QUOTE_STYLES)

    @property
    def texts(self) -> tuple[str, ...]:
        return self.pieces.texts if self.pieces else (self.shielded.text,)


def engine_texts(jobs: Sequence[Job]) -> list[str]:
    """The texts to send to the engine for ``jobs``, in order (a job may send several)."""
    return [t for j in jobs for t in j.texts]


def regroup(jobs: Sequence[Job], outputs: Sequence[str], unknown: Sequence[Sequence[str]]):
    """The engine's outputs for :func:`engine_texts` as one (output, unknown words) per job."""
    outs: list[str] = []
    unks: list[tuple[str, ...]] = []
    k = 0
    for j in jobs:
        n = len(j.texts)
        outs.append(j.pieces.join(list(outputs[k : k + n])) if j.pieces and len(j.pieces.parts) > 1 else outputs[k])
        unks.append(tuple(w for u in unknown[k : k + n] for w in u))
        k += n
    return outs, unks


class Gather:
    """Collects the engine's results, text by text as a stream delivers them, into one per job.

    ``blocks`` are the blocks of jobs sent to the engine as :func:`engine_texts`; a job may
    send several texts (see :mod:`translate.mt.quotes`), and it is complete when all arrived.
    """

    def __init__(self, blocks: Sequence[Sequence[Job]]):
        self._blocks = blocks
        self._owner = [[j for j, job in enumerate(block) for _ in job.texts] for block in blocks]
        self._parts: dict[tuple[int, int], dict[int, tuple[str, Sequence[str]]]] = {}

    def add(self, block: int, index: int, text: str, unknown: Sequence[str]):
        """Record the result of text ``index`` of ``block``: ``(job, output, unknown)`` once the job is whole."""
        j = self._owner[block][index]
        job = self._blocks[block][j]
        got = self._parts.setdefault((block, j), {})
        got[index] = (text, unknown)
        if len(got) < len(job.texts):
            return None
        del self._parts[(block, j)]
        parts = [got[k] for k in sorted(got)]
        outs, unks = regroup([job], [t for t, _u in parts], [u for _t, u in parts])
        return job, outs[0], unks[0]


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    from_memory: dict[str, Hit] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return sum(len(j.msgid.split()) for j in self.jobs)


def make_plan(
    msgids: Sequence[str],
    tm: Memory,
    glossary: Sequence[GlossaryTerm],
    markdown: frozenset[str] | set[str] = frozenset(),
    quotes: str = "keep",
) -> Plan:
    """Jobs for the engine, one per distinct msgid; ``markdown``: msgids from Markdown documents.

    ``quotes``: house style of quotation marks in the translations ("keep", "curly", "angle").
    """
    plan = Plan()
    seen: set[str] = set()
    for msgid in msgids:
        if msgid in seen:
            continue
        seen.add(msgid)
        hit = tm.lookup(msgid)
        if hit is not None:
            plan.from_memory[msgid] = hit
            continue
        pieces = split(shield(msgid, glossary, markdown=msgid in markdown))
        plan.jobs.append(Job(msgid, pieces.shielded, tuple(applicable_terms(msgid, glossary)), pieces, quotes))
    return plan


def finish(job: Job, output: str, origin: str, unknown: Sequence[str] = ()) -> Result:
    """Restore shielded tokens in an engine output and note what went wrong."""
    restored: Restored = restore(output, job.shielded)
    notes = []
    unknown = tuple(w for w in unknown if not re.fullmatch(r"[*#@]?ZXQ\d+", w))  # our placeholders
    if unknown:
        notes.append("mt: unknown words: " + ", ".join(dict.fromkeys(unknown)))
    for p in restored.problems:
        notes.append(f"mt: problem: {p}")
    if job.terms:
        status = []
        for t in dict.fromkeys(job.terms):
            used = t.source in restored.glossary_used or (t.target in restored.text)
            status.append(f"{t.source} → {t.target} ({'used' if used else 'NOT used'})")
        notes.append("glossary: " + "; ".join(status))
    return Result(_outer_space(job.msgid, postedit(job.msgid, restored.text, job.quotes)), origin, tuple(notes), unknown, restored.problems)


def _outer_space(msgid: str, text: str) -> str:
    """``text`` with the leading and trailing whitespace of ``msgid`` (``msgfmt -c`` wants its ``\\n``)."""
    core = text.strip()
    if not core:
        return ""
    return msgid[: len(msgid) - len(msgid.lstrip())] + core + msgid[len(msgid.rstrip()) :]


def origin_line(engine_name: str, engine_version: str, today: _dt.date) -> str:
    return f"mt: {engine_name} ({engine_version}), {today.isoformat()}"


def memory_result(hit: Hit, today: _dt.date) -> Result:
    """An exact match as a reused person's text; a near match as machine-made, with the English it came from."""
    u = hit.unit
    if hit.exact:
        return Result(hit.text, f"tm: reused the reviewed translation in {one_line(u.where)}", ())
    origin = f"mt: translation memory, {hit.percent}% match in {one_line(u.where)}, {today.isoformat()}"
    return Result(hit.text, origin, (f"tm: {hit.percent}% {one_line(u.source)}",))
