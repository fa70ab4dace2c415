"""The state of a catalogue entry as the toolkit records it: machine provenance, review, verdict.

Read from an entry's comments and flags; pure functions over polib entries, no I/O.

Where it lives: the lines the toolkit needs later, machine provenance (``mt: …`` /
``tm: … sha256:…``) and approval (``reviewed: …, sha256:…``), are written as *translator
comments* (``# mt: …``), which GNU ``msgmerge`` and ``msgcat``, Poedit and Weblate keep; extracted
comments (``#.``) are regenerated from the template by ``msgmerge`` and would lose them.
Catalogues written before this kept them as extracted comments: those are still read. A line
that a tool re-wrapped (polib's ``save()`` puts a long comment's ``sha256:…`` on a line of its
own) is read back whole. Check verdicts stay extracted comments: ``check`` writes them again.

- *machine-made*: fuzzy, with our ``mt:`` provenance line whose checksum still matches the
  msgstr (a person who edited the text, even without clearing ``fuzzy``, made it theirs),
  and no review mark that approves this text (a person who approved a machine text made it
  theirs, even after ``update`` marked it fuzzy because its English changed);
- *approved*: a ``reviewed:`` mark that describes the current msgstr. The mark records the
  checksum of the text it approved (``reviewed: Rita, 2026-11-28, sha256:0123456789``); a
  mark whose checksum is not the msgstr's approved another text and is not trusted. Marks
  written before the checksum existed (``reviewed: Rita, 2026-11-28``) are trusted unless
  a machine provenance line follows them (the machine wrote the text after the approval);
- *reviewed*: approved and not fuzzy (a fuzzy approved entry is one whose English changed
  after the approval: a person's translation waiting for a second look);
- *verdict*: the ``check:`` line written by ``translate check``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re

import polib

MT_PREFIX = "mt:"
OWN_MT_PREFIXES = ("mt:", "glossary:", "tm:")
CHECK_PREFIX = "check:"
BT_PREFIX = "back-translation:"
REVIEWED_PREFIX = "reviewed:"
_ALL_PREFIXES = ("mt: ", "tm: ", "glossary:", CHECK_PREFIX, BT_PREFIX, REVIEWED_PREFIX)

_SUM = re.compile(r"(?:^|[\s,])sha256:([0-9a-f]{6,64})\s*$")


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def translation_text(e: polib.POEntry) -> str:
    """The entry's translation as one string: the msgstr, or the plural forms joined by NUL."""
    if e.msgid_plural:
        return "\0".join(e.msgstr_plural[k] for k in sorted(e.msgstr_plural, key=int))
    return e.msgstr


def _line_checksum(line: str) -> str | None:
    m = _SUM.search(line)
    return m.group(1) if m else None


def _is_origin(line: str) -> bool:
    """A line saying the machine (or the memory) wrote the text: ``mt: … sha256:…``, ``tm: … sha256:…``."""
    return line.startswith(("mt: ", "tm: ")) and " sha256:" in line


def _wrapped_end(lines: list[str], k: int) -> int:
    """Where the state line ``lines[k]`` ends when a tool re-wrapped it: the index of the line
    that holds its ``sha256:`` (at most three lines on, none of them another state line), else ``k``."""
    if "sha256:" in lines[k]:
        return k
    j = next((m for m in range(k + 1, min(k + 4, len(lines))) if "sha256:" in lines[m]), None)
    if j is None or any(lines[m].strip().startswith(_ALL_PREFIXES) for m in range(k + 1, j + 1)):
        return k
    return j


def own_lines(e: polib.POEntry) -> list[str]:
    """The entry's translator and extracted comment lines, with re-wrapped state lines joined:
    a line that continues an ``mt:``/``tm:``/``reviewed:`` line (it follows one that has no
    ``sha256:`` yet, and reaches one) is put back on it."""
    out: list[str] = []
    for text in (e.tcomment, e.comment):
        lines = [x for x in (text or "").split("\n") if x.strip()]
        k = 0
        while k < len(lines):
            j = _wrapped_end(lines, k) if lines[k].strip().startswith(("mt: ", "tm: ", REVIEWED_PREFIX)) else k
            out.append(" ".join(x.strip() for x in lines[k : j + 1]))
            k = j + 1
    return out


def provenance(e: polib.POEntry) -> str | None:
    """The ``mt:`` provenance line of an entry, if any."""
    for line in own_lines(e):
        if line.startswith("mt: ") and " sha256:" in line:
            return line
    return None


def remove_own(e: polib.POEntry, prefixes: tuple[str, ...]) -> None:
    """Remove the state lines starting with ``prefixes`` (and their re-wrapped parts) from both
    kinds of comment."""
    for attr in ("tcomment", "comment"):
        lines = [x for x in (getattr(e, attr) or "").split("\n")]
        keep: list[str] = []
        k = 0
        while k < len(lines):
            if lines[k].strip().startswith(prefixes):
                k = _wrapped_end(lines, k) + 1  # the line and its re-wrapped rest
                continue
            keep.append(lines[k])
            k += 1
        setattr(e, attr, "\n".join(x for x in keep if x.strip()))


def add_own(e: polib.POEntry, line: str) -> None:
    """Append a state line to the translator comments (where msgmerge keeps it)."""
    e.tcomment = "\n".join([x for x in (e.tcomment or "").split("\n") if x.strip()] + [line])


def is_machine(e: polib.POEntry) -> bool:
    """Fuzzy, marked by us, not edited since (checksum of msgstr matches), and not approved."""
    line = provenance(e)
    if line is None or "fuzzy" not in e.flags:
        return False
    if line.rsplit(" sha256:", 1)[1].strip() != checksum(e.msgstr):
        return False
    return not is_approved(e)


def is_untranslated(e: polib.POEntry) -> bool:
    return not e.obsolete and not e.msgid_plural and not e.msgstr


def is_human(e: polib.POEntry) -> bool:
    """A translation a person wrote or approved, and settled: translated, not machine-made, not fuzzy.

    What the translation memory reuses. (A fuzzy person's translation is still never
    overwritten — see :func:`is_machine` — but it is not reused: its English changed.)
    """
    return not e.obsolete and bool(e.msgstr) and not is_machine(e) and "fuzzy" not in e.flags


def verdict_of(entry: polib.POEntry) -> str | None:
    """The verdict recorded in an entry's ``check:`` comment line, or None if never checked."""
    if not entry.comment or CHECK_PREFIX not in entry.comment:
        return None  # the common case, cheap on a 20,000-entry review page
    for line in entry.comment.splitlines():
        m = re.match(r"check: (pass|warn|fail)(?::|$)", line)
        if m:
            return m.group(1)
    return None


def score_of(entry: polib.POEntry) -> int | None:
    """The quality score (0–100) recorded by ``translate check`` (``check: score: NN/100``), if any."""
    if not entry.comment or "check: score:" not in entry.comment:
        return None
    m = re.search(r"^check: score: (\d+)/100", entry.comment, re.M)
    return int(m.group(1)) if m else None


def comment_lines(entry: polib.POEntry) -> list[str]:
    return [x for x in (entry.comment or "").split("\n") if x]


def check_details(entry: polib.POEntry) -> tuple[list[str], list[tuple[str, str]], str | None]:
    """(names of failed/warned checks, [(check name, detail)], back-translation) from the comments."""
    names: list[str] = []
    findings: list[tuple[str, str]] = []
    back = None
    for line in comment_lines(entry):
        if line.startswith("back-translation:"):
            back = line[len("back-translation:") :].strip()
            continue
        if not line.startswith("check:"):
            continue
        rest = line[len("check:") :].strip()
        m = re.match(r"(warn|fail):\s*(.*)$", rest)
        if m:
            names = [n.strip() for n in m.group(2).split(",") if n.strip()]
            continue
        if rest == "pass" or rest.startswith("score:"):
            continue
        name, _, detail = rest.partition(":")
        findings.append((name.strip(), detail.strip()))
    return names, findings, back


# -- review marks ------------------------------------------------------------------------------


def review_mark(reviewer: str, day: _dt.date, text: str) -> str:
    """The ``reviewed:`` line approving ``text`` (use :func:`translation_text` for an entry)."""
    who = " ".join(str(reviewer).split()) or "reviewer"
    return f"{REVIEWED_PREFIX} {who}, {day.isoformat()}, sha256:{checksum(text)}"


def mark_reviewed(e: polib.POEntry, reviewer: str, day: _dt.date) -> None:
    """Approve the entry's current translation: clear ``fuzzy`` and ``#|``, write the mark
    (a translator comment, after the provenance line)."""
    if "fuzzy" in e.flags:
        e.flags.remove("fuzzy")
    e.previous_msgid = e.previous_msgctxt = e.previous_msgid_plural = None
    remove_own(e, (REVIEWED_PREFIX,))
    add_own(e, review_mark(reviewer, day, translation_text(e)))


def drop_review_mark(e: polib.POEntry) -> None:
    """Remove the ``reviewed:`` line (the text it approved has been changed)."""
    remove_own(e, (REVIEWED_PREFIX,))


def reviewed_line(entry: polib.POEntry) -> str | None:
    """The ``reviewed:`` line, whatever text it approved (see :func:`is_approved`)."""
    for line in own_lines(entry):
        if line.startswith(REVIEWED_PREFIX):
            return line
    return None


def approved_line(e: polib.POEntry) -> str | None:
    """The ``reviewed:`` line if it approves the entry's current translation, else None.

    A mark with a checksum approves exactly that text. An old mark without one is trusted
    unless a machine (or memory) provenance line comes after it: ``mt`` appends its line
    below the lines it keeps, so such a mark was left behind by a machine rewrite, while an
    approval of a machine text appends the mark below the provenance.
    """
    lines = own_lines(e)
    for k, line in enumerate(lines):
        if not line.startswith(REVIEWED_PREFIX):
            continue
        if not translation_text(e).strip("\0"):
            return None
        mark = _line_checksum(line)
        if mark is not None:
            return line if mark == checksum(translation_text(e))[: len(mark)] else None
        if any(_is_origin(x) for x in lines[k + 1 :]):
            return None
        return line
    return None


def is_approved(e: polib.POEntry) -> bool:
    """A person approved the current translation (it may since have become fuzzy)."""
    return approved_line(e) is not None


def is_reviewed(entry: polib.POEntry) -> bool:
    """Approved by a person, and not fuzzy."""
    return "fuzzy" not in entry.flags and is_approved(entry)


def settle_review_mark(e: polib.POEntry) -> bool:
    """Make the entry's ``reviewed:`` line say which text it approved; True if the comment changed.

    An old mark without a checksum that is trusted gets the checksum of the current text; a
    mark that is not trusted (it describes a text that is no longer there) is removed, so
    that it can never be read as approving another text. Marks with a checksum are kept.
    """
    line = reviewed_line(e)
    if line is None or _line_checksum(line) is not None:
        return False
    approved = approved_line(e) is not None
    remove_own(e, (REVIEWED_PREFIX,))
    if approved:  # the old mark, now with its checksum, where msgmerge keeps it
        add_own(e, f"{line.rstrip()}, sha256:{checksum(translation_text(e))}")
    return True
