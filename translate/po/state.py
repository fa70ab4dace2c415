"""The state of a catalogue entry as the toolkit records it: machine provenance, review, verdict.

Read from an entry's comments and flags; pure functions over polib entries, no I/O.

- *machine-made*: fuzzy, with our ``mt:`` provenance line whose checksum still matches the
  msgstr (a person who edited the text, even without clearing ``fuzzy``, made it theirs);
- *reviewed*: a ``reviewed:`` mark and not fuzzy;
- *verdict*: the ``check:`` line written by ``translate check``.
"""

from __future__ import annotations

import hashlib
import re

import polib

MT_PREFIX = "mt:"
OWN_MT_PREFIXES = ("mt:", "glossary:", "tm:")
CHECK_PREFIX = "check:"
BT_PREFIX = "back-translation:"
REVIEWED_PREFIX = "reviewed:"


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def provenance(e: polib.POEntry) -> str | None:
    """The ``mt:`` provenance line of an entry, if any."""
    for line in comment_lines(e):
        if line.startswith("mt: ") and " sha256:" in line:
            return line
    return None


def is_machine(e: polib.POEntry) -> bool:
    """Fuzzy, marked by us, and not edited since (checksum of msgstr matches)."""
    line = provenance(e)
    if line is None or "fuzzy" not in e.flags:
        return False
    return line.rsplit(" sha256:", 1)[1].strip() == checksum(e.msgstr)


def is_untranslated(e: polib.POEntry) -> bool:
    return not e.obsolete and not e.msgid_plural and not e.msgstr


def is_human(e: polib.POEntry) -> bool:
    """A translation a person wrote or approved: translated and not machine-made."""
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
        if rest == "pass":
            continue
        name, _, detail = rest.partition(":")
        findings.append((name.strip(), detail.strip()))
    return names, findings, back


def reviewed_line(entry: polib.POEntry) -> str | None:
    for line in comment_lines(entry):
        if line.startswith("reviewed:"):
            return line
    return None


def is_reviewed(entry: polib.POEntry) -> bool:
    """Approved by a person: a ``reviewed:`` mark and not fuzzy."""
    return reviewed_line(entry) is not None and "fuzzy" not in entry.flags
