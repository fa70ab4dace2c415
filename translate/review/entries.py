"""What the review page knows about an entry: its summary row, its full description, and its re-check.

Plain functions over ``polib.POEntry`` objects; no file, network or web code.
"""

from __future__ import annotations

from typing import Sequence

import polib

from ..check import signals
from ..check.runner import EntryResult, check_one
from ..po import state
from ..po.catalogue import is_translated

FILTERS = ("all", "failing", "warning", "fuzzy", "untranslated", "reviewed", "translated", "worst")
_RANK = {"fail": 0, "warn": 1, "pass": 2}

#: comment lines the check stage owns (rewritten by every re-check)
_CHECK_LINES = ("check:", "back-translation:")


def summarize(e: polib.POEntry) -> dict:
    """What the list needs to filter and count one entry."""
    verdict = state.verdict_of(e)
    translated = is_translated(e)
    fuzzy = "fuzzy" in e.flags
    hay = " ".join([e.msgctxt or "", e.msgid, e.msgid_plural or "", e.msgstr, *e.msgstr_plural.values()]).lower()
    return {
        "verdict": verdict,
        "untranslated": not translated,
        "fuzzy": fuzzy and translated,
        "reviewed": state.is_reviewed(e),
        "translated": translated and not fuzzy,
        "score": state.score_of(e),
        "hay": hay,
    }


def public_row(row: dict) -> dict:
    """A summary row as sent to the page (without the search text)."""
    return {k: v for k, v in row.items() if k != "hay"}


def matches(row: dict, flt: str) -> bool:
    if flt == "all":
        return True
    if flt == "failing":
        return row["verdict"] == "fail"
    if flt == "warning":
        return row["verdict"] == "warn"
    if flt == "worst":  # every checked entry, lowest quality score first
        return row["verdict"] is not None
    return bool(row[flt])


def _worst_key(row: dict) -> tuple:
    """Verdict first (fail, warn, pass), then the quality score (lowest first; none last)."""
    return (_RANK.get(row["verdict"], 3), row["score"] if row.get("score") is not None else 101)


def count_and_filter(rows: Sequence[dict], flt: str, q: str) -> tuple[dict[str, int], list[int]]:
    """The count of every filter among the rows matching the search ``q``, and the indexes matching ``flt``."""
    q = q.strip().lower()
    counts = dict.fromkeys(FILTERS, 0)
    hits: list[int] = []
    for i, row in enumerate(rows):
        if q and q not in row["hay"]:
            continue
        counts["all"] += 1
        v = row["verdict"]
        if v == "fail":
            counts["failing"] += 1
        elif v == "warn":
            counts["warning"] += 1
        for k in ("fuzzy", "untranslated", "reviewed", "translated"):
            if row[k]:
                counts[k] += 1
        counts["worst"] += v is not None
        if matches(row, flt):
            hits.append(i)
    if flt == "worst":
        hits.sort(key=lambda i: _worst_key(rows[i]))
    return counts, hits


def describe(e: polib.POEntry, index: int, line: int | None = None) -> dict:
    """The entry as the page shows it (plain strings: the page escapes them).

    ``line``: where its ``msgid`` starts in the file as it is now (default: where polib
    saw the entry begin when the file was loaded).
    """
    names, findings, back = state.check_details(e)
    own = (*_CHECK_LINES, "reviewed:")
    notes = [x for x in (e.comment or "").split("\n") if x and not x.startswith(own)]
    return {
        "i": index,
        "msgctxt": e.msgctxt,
        "msgid": e.msgid,
        "msgid_plural": e.msgid_plural or None,
        "msgstr": e.msgstr,
        "msgstr_plural": {str(k): v for k, v in sorted(e.msgstr_plural.items(), key=lambda kv: int(kv[0]))},
        "flags": list(e.flags),
        "fuzzy": "fuzzy" in e.flags,
        "machine": state.is_machine(e),
        "translated": is_translated(e),
        "verdict": state.verdict_of(e),
        "score": state.score_of(e),
        "checks": names,
        "findings": [{"name": n, "detail": d} for n, d in findings],
        "back_translation": back,
        "reviewed": _shown_mark(state.approved_line(e)),
        "notes": notes,
        "tcomment": e.tcomment or "",
        "references": [f"{f}:{n}" if n else f for f, n in e.occurrences],
        "previous_msgid": e.previous_msgid,
        "line": line if line is not None else e.linenum,
    }


# -- re-checking one entry ---------------------------------------------------------------------------


def check_pairs(e: polib.POEntry) -> list[tuple[str, str]]:
    """The (English, Spanish) pairs a re-check looks at.

    A plural entry pairs ``msgid_plural`` with its last form (as ``translate check`` does)
    and ``msgid`` with its first form; empty forms are not checked.
    """
    if not e.msgid_plural:
        return [(e.msgid, e.msgstr)] if e.msgstr else []
    forms = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural, key=int)]
    pairs: list[tuple[str, str]] = []
    if forms and forms[-1]:
        pairs.append((e.msgid_plural, forms[-1]))
    if forms and forms[0]:
        pairs.append((e.msgid, forms[0]))
    return pairs


def recheck(e: polib.POEntry, glossary: Sequence = ()) -> None:
    """Re-run the checks on one entry and rewrite its ``check:`` lines (nothing else)."""
    keep = [x for x in (e.comment or "").split("\n") if x and not x.startswith(_CHECK_LINES)]
    findings: list[signals.Finding] = []
    pairs = check_pairs(e)
    for msgid, msgstr in pairs:
        result = check_one(
            msgid, msgstr, comment="\n".join(keep), flags=tuple(e.flags), glossary=tuple(glossary), msgctxt=e.msgctxt
        )
        findings += [f for f in result.findings if f not in findings]
    new: list[str] = []
    if pairs:
        combined = EntryResult(e.msgid, pairs[0][1], e.msgctxt, signals.verdict(findings), findings)
        new = combined.comment_lines()
    lines = keep + new
    # check lines come before the review mark, as `translate check` writes them
    rev = [x for x in lines if x.startswith("reviewed:")]
    lines = [x for x in lines if not x.startswith("reviewed:")] + rev
    e.comment = "\n".join(lines)


def _shown_mark(line: str | None) -> str | None:
    """The approval as a person reads it: who and when (the checksum is for the toolkit)."""
    return None if line is None else line.split(", sha256:", 1)[0]


def gnu_problem(e: polib.POEntry) -> str | None:
    """Why GNU ``msgfmt -c`` would refuse this translation, or None.

    A translation must begin and end with a newline exactly when its English does, and hold
    no NUL character (a .mo cannot carry one).
    """
    if e.msgid_plural:
        forms = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural, key=int)]
        pairs = [(e.msgid if k == 0 else e.msgid_plural, f) for k, f in enumerate(forms)]
    else:
        pairs = [(e.msgid, e.msgstr)]
    for msgid, msgstr in pairs:
        if not msgstr:
            continue
        if "\0" in msgstr:
            return "the translation holds a NUL character, which a compiled catalogue cannot carry"
        if msgid.startswith("\n") != msgstr.startswith("\n"):
            return "the translation must begin with a line break exactly when the English does (msgfmt -c)"
        if msgid.endswith("\n") != msgstr.endswith("\n"):
            return "the translation must end with a line break exactly when the English does (msgfmt -c)"
    return None
