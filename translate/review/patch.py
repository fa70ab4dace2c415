"""A .po file as the review page edits it: loaded once, changed one entry at a time, in place.

Saving rewrites only the changed parts of one entry's lines in the file's own text (every
other byte, comment, flag, previous msgid and obsolete entry stays as it was) and writes
atomically. A file changed on disk since it was loaded is never overwritten (``Conflict``).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import polib

from ..errors import CatalogError
from ..fsutil import project_lock
from ..po.pofile import comment_block, declared_charset, dump_po, parse_po, string_lines, write_po_bytes
from .entries import summarize


class Conflict(Exception):
    """The file on disk is not the one we loaded."""


_UNESC = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a", "\\": "\\", '"': '"'}
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPED = re.compile(r"\\(.)")


def _unquote(lines: Iterable[str]) -> str:
    out = []
    for line in lines:
        for m in _QUOTED.finditer(line):
            part = m.group(1)
            out.append(_ESCAPED.sub(lambda x: _UNESC.get(x.group(1), x.group(1)), part) if "\\" in part else part)
    return "".join(out)


def _kind(line: str) -> str:
    if line.startswith("#~"):
        return "obsolete"
    if line.startswith("#."):
        return "comment"
    if line.startswith("#:"):
        return "refs"
    if line.startswith("#,"):
        return "flags"
    if line.startswith("#|"):
        return "previous"
    if line.startswith("#"):
        return "tcomment"
    if line.startswith("msgstr"):
        return "msgstr"
    if line.startswith(("msgctxt", "msgid")):
        return "ids"
    if line.startswith('"'):
        return "cont"
    return "other"


#: gettext's order of the parts of an entry (where a part that was absent is inserted)
_RANK = {"tcomment": 0, "comment": 1, "refs": 2, "flags": 3, "previous": 4, "ids": 5, "msgstr": 6}


@dataclass
class Block:
    start: int  #: index of the first line in ``Catalogue.lines``
    end: int  #: one past the last line


@dataclass
class Catalogue:
    """One .po file as loaded: its text (for splicing), its entries, its version."""

    path: Path
    name: str  #: as shown in the page (the project-relative path for a project's catalogue)
    writable_lock: Path | None = None  #: the project's locales folder (lock it when writing)
    po: polib.POFile = field(init=False, repr=False)
    entries: list[polib.POEntry] = field(init=False, repr=False)  #: live entries, in file order
    lines: list[str] = field(init=False, repr=False)
    digest: str = field(init=False)
    charset: str = field(init=False)
    rows: list[dict] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.load()

    def load(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError as e:
            raise CatalogError(f"cannot read: {e.strerror}", path=self.name) from None
        if b"\0" in data:
            raise CatalogError("binary file, not a PO catalogue (a compiled .mo?)", path=self.name)
        self.po = parse_po(data, display=self.name)
        self.charset = declared_charset(data) or "utf-8"
        self.digest = hashlib.sha256(data).hexdigest()
        self.entries = [e for e in self.po if not e.obsolete]
        self.lines = split_lines(data.decode(self.charset))
        self._blocks: list[Block] | None | bool = False  # mapped at the first save
        self._msgid_lines: list[int] | None = None
        self.rows = [summarize(e) for e in self.entries]

    # -- where entries are ----------------------------------------------------------------------------

    @property
    def blocks(self) -> list[Block] | None:
        """The line range of each live entry in ``lines``; None: entries cannot be spliced."""
        if self._blocks is False:
            self._blocks = self._map_blocks()
        return self._blocks  # type: ignore[return-value]

    def _map_blocks(self) -> list[Block] | None:
        """The line range of each live entry; None if the layout is not one we can splice."""
        lines, entries = self.lines, self.entries
        blocks: list[Block] = []
        i, n, k = 0, len(lines), 0
        header_seen = False
        while i < n:
            if not lines[i].strip():
                i += 1
                continue
            j, msgid_at, count, has_ctxt = i, -1, 0, False
            while j < n and lines[j].strip():
                line = lines[j]
                if line.startswith("msgid "):
                    msgid_at, count = j, count + 1
                elif line.startswith("msgctxt"):
                    has_ctxt = True
                j += 1
            if count > 1:
                return None
            if count == 1:
                mid = _unquote(self._field_lines(msgid_at, j, "msgid "))
                if not header_seen and not has_ctxt and mid == "":
                    header_seen = True
                else:
                    if k >= len(entries) or entries[k].msgid != mid:
                        return None
                    blocks.append(Block(i, j))
                    k += 1
            i = j
        return blocks if k == len(entries) else None

    def _field_lines(self, i: int, j: int, keyword: str) -> list[str]:
        out: list[str] = []
        inside = False
        for line in self.lines[i:j]:
            if line.startswith(keyword):
                inside = True
                out.append(line[len(keyword) :])
            elif inside and line.startswith('"'):
                out.append(line)
            elif inside:
                break
        return out

    def msgid_line(self, index: int) -> int | None:
        """The 1-based line where entry ``index``'s ``msgid`` starts in the file as it is now."""
        lines = self._msgid_line_numbers()
        return lines[index] if lines is not None else self.entries[index].linenum

    def _msgid_line_numbers(self) -> list[int] | None:
        if self._msgid_lines is None:
            found = [n for n, line in enumerate(self.lines, 1) if line.startswith("msgid ")]
            if len(found) == len(self.entries) + 1:  # the header's msgid ""
                found = found[1:]
            self._msgid_lines = found if len(found) == len(self.entries) else []
        return self._msgid_lines or None

    def entry_at_line(self, line: int) -> int | None:
        """The entry whose msgid starts at ``line`` (1-based), else the nearest one after it.

        Past the last entry: the last entry. No entry: None.
        """
        if not self.entries:
            return None
        lines = self._msgid_line_numbers()
        if lines is None:  # a layout we cannot map line by line: where polib saw each entry begin
            lines = [e.linenum or 0 for e in self.entries]
        k = bisect.bisect_left(lines, line)
        return min(k, len(self.entries) - 1)

    # -- changing an entry --------------------------------------------------------------------------

    def on_disk_digest(self) -> str:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return ""

    def save_entry(self, index: int, before: dict) -> None:
        """Write entry ``index`` (changed in memory; ``before`` is its ``snapshot``) to disk.

        The loaded text changes only once the file is written: a failed write leaves both
        as they were.
        """
        if self.on_disk_digest() != self.digest:
            raise Conflict()
        e = self.entries[index]
        blocks = self.blocks
        delta = 0
        if blocks is not None:
            b = blocks[index]
            old = [x.rstrip("\r\n") for x in self.lines[b.start : b.end]]
            nl = "\r\n" if self.lines[b.start].endswith("\r\n") else "\n"
            new = [x + nl for x in patch_block(old, e, before)]
            lines = self.lines[: b.start] + new + self.lines[b.end :]
            delta = len(new) - (b.end - b.start)
        else:
            lines = split_lines(dump_po(self.po, display=self.name).decode(self.charset))
        try:
            data = "".join(lines).encode(self.charset)
        except UnicodeEncodeError as err:
            raise CatalogError(
                f"the text cannot be written in the catalogue's charset {self.charset}: {err.object[err.start:err.end]!r}",
                path=self.name,
            ) from None
        if self.writable_lock is not None:
            with project_lock(self.writable_lock):
                if self.on_disk_digest() != self.digest:
                    raise Conflict()
                write_po_bytes(self.path, data)
        else:
            write_po_bytes(self.path, data)
        self.lines = lines
        self._msgid_lines = None
        if blocks is not None:
            blocks[index].end += delta
            for later in blocks[index + 1 :]:
                later.start += delta
                later.end += delta
        else:
            self._blocks = False
        self.digest = hashlib.sha256(data).hexdigest()
        self.rows[index] = summarize(e)


# -- patching one entry's lines -------------------------------------------------------------------------


def snapshot(e: polib.POEntry) -> dict:
    """The parts of an entry the review page can change."""
    return {
        "tcomment": e.tcomment,
        "comment": e.comment,
        "flags": list(e.flags),
        "previous": (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural),
        "msgstr": (e.msgstr, dict(e.msgstr_plural)),
    }


def _regen(kind: str, e: polib.POEntry) -> list[str]:
    if kind == "tcomment":
        return comment_block("#", e.tcomment)
    if kind == "comment":
        return comment_block("#.", e.comment)
    if kind == "flags":
        return ["#, " + ", ".join(e.flags)] if e.flags else []
    if kind == "previous":
        out: list[str] = []
        for kw, val in (("msgctxt", e.previous_msgctxt), ("msgid", e.previous_msgid), ("msgid_plural", e.previous_msgid_plural)):
            if val is not None:
                out += string_lines(kw, val, "#| ")
        return out
    if kind == "msgstr":
        if e.msgid_plural:
            out = []
            for idx in sorted(e.msgstr_plural, key=int):
                out += string_lines(f"msgstr[{idx}]", e.msgstr_plural[idx])
            return out
        return string_lines("msgstr", e.msgstr)
    raise AssertionError(kind)  # pragma: no cover


def patch_block(old: list[str], e: polib.POEntry, before: dict) -> list[str]:
    """The entry's lines with only the changed parts rewritten, in their original places."""
    after = snapshot(e)
    changed = {k for k in ("tcomment", "comment", "flags", "previous", "msgstr") if after[k] != before[k]}
    groups: list[tuple[str, list[str]]] = []
    for line in old:
        k = _kind(line)
        if k == "cont" and groups:
            k = groups[-1][0]
        if groups and groups[-1][0] == k:
            groups[-1][1].append(line)
        else:
            groups.append((k, [line]))
    out: list[tuple[str, list[str]]] = []
    done: set[str] = set()
    for k, lines in groups:
        if k in changed:
            if k not in done:
                out.append((k, _regen(k, e)))
                done.add(k)
        else:
            out.append((k, lines))
    for k in sorted(changed - done, key=_RANK.__getitem__):
        new = _regen(k, e)
        if not new:
            continue
        pos = len(out)
        for n, (gk, _lines) in enumerate(out):
            if _RANK.get(gk, 99) > _RANK[k] and (gk != "tcomment" or k == "tcomment"):
                pos = n
                break
        out.insert(pos, (k, new))
    return [line for _k, lines in out for line in lines]


def split_lines(text: str) -> list[str]:
    """Lines with their ends, split at ``\n`` only, as GNU gettext reads a catalogue (U+2028,
    U+0085 or ``\x1c`` inside a string are not line ends)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
