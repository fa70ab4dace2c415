"""Labelled data for the quality score, from Debian's catalogues: shared by bench/fit_quality.py
(training catalogues only) and bench/check_accuracy.py (evaluation catalogues only).

The split: the list ``../shared/eval/train-catalogues.txt`` beside the repository (``TRAIN_LIST``,
or the ``TRANSLATE_TRAIN_LIST`` environment variable) names the catalogues of
``/usr/share/locale/es/LC_MESSAGES`` that may be fitted on; every other installed Spanish
catalogue is for evaluation.

Two kinds of data:

- machine output: the English of a catalogue translated by our own ``mt`` path (shield →
  Apertium → restore, with its ``mt:`` provenance and unknown-word comments), labelled bad
  when its chrF against the human Spanish is below :data:`BAD_CHRF`;
- human entries, correct as shipped or made wrong as in ``tests/data/eval/make_eval.py``:
  another entry's msgstr, left in English (identical, or with case and final stop changed),
  cut after half its words, a number changed, a placeholder dropped, and the same msgid's
  human translation in another language (the languages differ between fitting and evaluation).
"""

from __future__ import annotations

import datetime as _dt
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "eval"))
from make_eval import pairs as mo_pairs  # noqa: E402  (msgid → msgstr of one installed .mo)
from make_eval import taker  # noqa: E402  (the next unused rows of a pool)
LOCALE = Path("/usr/share/locale")
TRAIN_LIST = Path(os.environ.get("TRANSLATE_TRAIN_LIST", ROOT.parent / "shared" / "eval" / "train-catalogues.txt"))
BAD_CHRF = 30.0
#: wrong-language entries: these languages for fitting, the others for evaluation
FIT_LANGS = ("pt", "fr", "ca", "de", "eu")
EVAL_LANGS = ("it", "gl", "ro", "nl", "pl")
WRONG_KINDS = ("other_sentence", "english", "cut", "number", "placeholder", "other_language")
PRINTF = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcs]|\{[A-Za-z_0-9]*\}")


def train_names() -> list[str]:
    if not TRAIN_LIST.is_file():
        sys.exit(f"no training list at {TRAIN_LIST} (set TRANSLATE_TRAIN_LIST)")
    return [x.strip() for x in TRAIN_LIST.read_text().splitlines() if x.strip() and not x.startswith("#")]


def eval_names() -> list[str]:
    train = set(train_names())
    return sorted(p.stem for p in (LOCALE / "es" / "LC_MESSAGES").glob("*.mo") if p.stem not in train)


def usable(msgid: str, msgstr: str) -> bool:
    """Worth checking: some English words, not a huge help text."""
    return 2 <= len(msgid) <= 400 and len(re.findall(r"[A-Za-z]{2,}", msgid)) >= 1 and msgid.strip() != ""


def sample(names: list[str], n: int, rng: random.Random, per_catalogue: int = 400) -> list[tuple[str, str, str]]:
    """(catalogue, msgid, human msgstr), at most ``per_catalogue`` from one catalogue, shuffled."""
    pool = []
    for name in names:
        got = [(name, k, v) for k, v in sorted(mo_pairs("es", name).items()) if usable(k, v)]
        rng.shuffle(got)
        pool += got[:per_catalogue]
    rng.shuffle(pool)
    seen, out = set(), []
    for d, k, v in pool:
        if k not in seen:
            seen.add(k)
            out.append((d, k, v))
        if len(out) == n:
            break
    return out


def _entry(msgid: str, msgstr: str, domain: str) -> polib.POEntry:
    e = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(domain, "")])
    if "%" in msgid and PRINTF.search(msgid):
        e.flags.append("c-format")
    return e


def machine_entries(rows: list[tuple[str, str, str]]) -> list[polib.POEntry]:
    """Our own mt path on the English (Apertium): fuzzy entries with provenance comments."""
    from translate.mt import plan as mt
    from translate.cluster import translate_jobs
    from translate.mt.engines.select import load_engine
    from translate.tm.memory import Memory

    eng = load_engine("apertium", "en", "es")
    origin = mt.origin_line(eng.name, eng.version, _dt.date(2026, 11, 28))
    entries = {k: _entry(k, "", d) for d, k, _v in rows}
    p = mt.make_plan(list(entries), Memory(), [])
    for job, out, unk in translate_jobs(eng, p.jobs):
        res = mt.finish(job, out, origin, unk)
        if res.text:
            mt.apply(entries[job.msgid], res)
    return [e for e in entries.values() if e.msgstr]


@dataclass
class Item:
    kind: str  #: "machine", "correct" or a wrong kind
    entry: polib.POEntry
    human: str  #: the human Spanish (the reference)
    bad: bool


def machine_items(rows) -> list[Item]:
    from translate.check.signals import chrf

    human = {k: v for _d, k, v in rows}
    return [Item("machine", e, human[e.msgid], chrf(e.msgstr, human[e.msgid]) < BAD_CHRF) for e in machine_entries(rows)]


def human_items(names: list[str], rng: random.Random, n_correct: int, n_wrong: int, langs: tuple[str, ...],
                exclude: set[str]) -> list[Item]:
    """Correct human entries and ``n_wrong`` wrong ones of each kind (see the module's docstring)."""
    pool = [r for r in sample(names, 10**9, rng) if r[1] not in exclude]
    used: set[str] = set()
    take = taker(pool, used)

    items = [Item("correct", _entry(k, v, d), v, False) for d, k, v in take(n_correct)]
    other, donors = take(n_wrong), take(n_wrong)
    items += [Item("other_sentence", _entry(k, dv, d), v, True) for (d, k, v), (_dd, _dk, dv) in zip(other, donors)
              if dv.strip().casefold() != v.strip().casefold()]
    for i, (d, k, v) in enumerate(take(n_wrong, lambda d, k, v: k.strip().casefold() != v.strip().casefold())):
        s = k
        if i % 3 == 2:
            s = k.rstrip(".") if k.endswith(".") else k + "."
            s = s[0].lower() + s[1:] if s[0].isupper() else s[0].upper() + s[1:]
        items.append(Item("english", _entry(k, s, d), v, True))
    for d, k, v in take(n_wrong, lambda d, k, v: len(v.split()) >= 4):
        items.append(Item("cut", _entry(k, " ".join(v.split()[: len(v.split()) // 2]), d), v, True))
    for d, k, v in take(n_wrong, lambda d, k, v: bool(re.search(r"\d", k)) and bool(re.search(r"\d", v)) and not PRINTF.search(k)):
        nums = list(re.finditer(r"\d+", v))
        m = nums[rng.randrange(len(nums))]
        n = int(m.group(0))
        items.append(Item("number", _entry(k, v[: m.start()] + str(n + 1 if n % 10 != 9 else n - 1) + v[m.end():], d), v, True))
    for d, k, v in take(n_wrong, lambda d, k, v: "%" in k + v and bool(PRINTF.search(k)) and bool(PRINTF.search(v))):
        phs = list(PRINTF.finditer(v))
        m = phs[rng.randrange(len(phs))]
        items.append(Item("placeholder", _entry(k, (v[: m.start()] + v[m.end():]).replace("  ", " ").strip(), d), v, True))
    foreign = {}
    for name in names:
        for lang in langs:
            for k, t in mo_pairs(lang, name).items():
                foreign.setdefault(k, []).append(t)
    got = 0
    for d, k, v in pool:
        if got == n_wrong:
            break
        cands = [t for t in foreign.get(k, ()) if t.strip().casefold() not in (v.strip().casefold(), k.strip().casefold())]
        if k not in used and cands and len(re.findall(r"[A-Za-z]{2,}", k)) >= 1:
            used.add(k)
            items.append(Item("other_language", _entry(k, rng.choice(cands), d), v, True))
            got += 1
    return items


def checked(items: list[Item], engine: str = "apertium"):
    """Run ``translate check``'s entry checks (with the shipped model) over the items' entries."""
    from translate.check.runner import check_entries, load_back_translator

    back = load_back_translator(engine)
    res = {id(e): r for e, r in check_entries([it.entry for it in items], back=back)}
    return [(it, res.get(id(it.entry))) for it in items if id(it.entry) in res], back
