"""Reading and writing gettext PO files.

Catalogues in memory are ``polib.POFile`` objects. Reading goes through polib and turns its
errors into :class:`CatalogError` with the file and line. Writing is our own
``generate_po`` (GNU gettext's layout: strings wrapped at 79 columns, comments never
re-wrapped, so that what is read back is exactly what was written) and ``write_po``,
which replaces the file atomically.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator

import polib

from ..errors import CatalogError
from ..fsutil import atomic_write

WIDTH = 79


def read_po(path: Path, *, display: str | None = None) -> polib.POFile:
    """Parse a .po/.pot file; malformed files raise CatalogError naming file and line."""
    shown = display or str(path)
    if path.is_dir():
        raise CatalogError("is a directory, not a catalogue", path=shown)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("no such catalogue", path=shown) from None
    if b"\0" in data:
        raise CatalogError("binary file, not a PO catalogue (a compiled .mo?)", path=shown)
    return parse_po(data, display=shown)


def parse_po(data: bytes, *, display: str = "<catalogue>") -> polib.POFile:
    charset = declared_charset(data) or "utf-8"
    try:
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError) as e:
        start = getattr(e, "start", 0)
        line = data.count(b"\n", 0, start) + 1
        raise CatalogError(f"not valid {charset} text (byte offset {start})", path=display, line=line) from None
    try:
        po = polib.pofile(text, wrapwidth=WIDTH)
    except (OSError, ValueError) as e:
        m = re.search(r"line (\d+)", str(e))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(line \d+\)", "", str(e)).strip() or "syntax error"
        raise CatalogError(f"malformed PO file: {msg}", path=display, line=line) from None
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(
                f"duplicate message definition (first defined at line {seen[key]})",
                path=display,
                line=entry.linenum,
            )
        seen[key] = entry.linenum or 0
    return po


def declared_charset(data: bytes) -> str | None:
    m = re.search(rb"Content-Type:\s*text/plain;\s*charset=([A-Za-z0-9_.:-]+)", data[:4096])
    if not m:
        return None
    cs = m.group(1).decode("ascii")
    return None if cs.upper() == "CHARSET" else cs


# -- writing --------------------------------------------------------------------------------

_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\v": "\\v", "\b": "\\b", "\f": "\\f"}
_ESC_RE = re.compile(r'[\\"\n\t\r\v\b\f]')


def escape(s: str) -> str:
    return _ESC_RE.sub(lambda m: _ESC[m.group(0)], s)


def string_lines(keyword: str, value: str, prefix: str = "") -> list[str]:
    """``keyword "value"`` in gettext's layout: one line if it fits, else wrapped."""
    esc = escape(value)
    head = f"{prefix}{keyword} "
    if len(head) + len(esc) + 2 <= WIDTH and ("\\n" not in esc[:-2] or not esc):
        return [f'{head}"{esc}"']
    chunks: list[str] = []
    # split after each escaped newline first
    for part in re.split(r"(?<=\\n)(?<!\\\\n)", esc):
        if not part:
            continue
        chunks.extend(_wrap_escaped(part, WIDTH - 2 - len(prefix)))
    return [f'{head}""'] + [f'{prefix}"{c}"' for c in chunks]


def _wrap_escaped(s: str, width: int) -> list[str]:
    """Cut an escaped string after spaces so each piece fits ``width``.

    A space is never part of an escape sequence, so cutting after one never splits an escape.
    """
    if len(s) <= width:
        return [s]
    out: list[str] = []
    while len(s) > width:
        cut = s.rfind(" ", 0, width)
        if cut <= 0:
            cut = s.find(" ", width)
            if cut < 0:
                break
        out.append(s[: cut + 1])
        s = s[cut + 1 :]
    if s:
        out.append(s)
    return out


def comment_block(marker: str, text: str | None) -> list[str]:
    if not text:
        return []
    return [f"{marker} {line}".rstrip() if line else marker for line in text.split("\n")]


def _ref_lines(occurrences: Iterable[tuple[str, str]]) -> list[str]:
    refs = [f"{f}:{n}" if n else f for f, n in occurrences]
    lines: list[str] = []
    cur = "#:"
    for r in refs:
        if len(cur) > 2 and len(cur) + 1 + len(r) > WIDTH:
            lines.append(cur)
            cur = "#:"
        cur += " " + r
    if len(cur) > 2:
        lines.append(cur)
    return lines


def _entry_lines(e: polib.POEntry) -> list[str]:
    lines: list[str] = []
    lines += comment_block("#", e.tcomment)
    lines += comment_block("#.", e.comment)
    if not e.obsolete:
        lines += _ref_lines(e.occurrences)
    if e.flags:
        lines.append("#, " + ", ".join(e.flags))
    prev_prefix = "#~| " if e.obsolete else "#| "
    for kw, val in (("msgctxt", e.previous_msgctxt), ("msgid", e.previous_msgid), ("msgid_plural", e.previous_msgid_plural)):
        if val is not None:
            lines += string_lines(kw, val, prev_prefix)
    prefix = "#~ " if e.obsolete else ""
    if e.msgctxt is not None:
        lines += string_lines("msgctxt", e.msgctxt, prefix)
    lines += string_lines("msgid", e.msgid, prefix)
    if e.msgid_plural:
        lines += string_lines("msgid_plural", e.msgid_plural, prefix)
        for idx in sorted(e.msgstr_plural, key=int):
            lines += string_lines(f"msgstr[{idx}]", e.msgstr_plural[idx], prefix)
    else:
        lines += string_lines("msgstr", e.msgstr, prefix)
    return lines


def generate_po(po: polib.POFile) -> Iterator[str]:
    """Yield the text of ``po``, line by line (each ending with a newline)."""
    if po.header:
        for line in po.header.split("\n"):
            yield (f"# {line}" if line else "#") + "\n"
    if po.metadata_is_fuzzy:
        yield "#, fuzzy\n"
    yield 'msgid ""\n'
    yield 'msgstr ""\n'
    for key, value in po.ordered_metadata():
        yield f'"{escape(f"{key}: {value}")}\\n"\n'
    for e in po:
        if not e.obsolete:
            yield "\n"
            for line in _entry_lines(e):
                yield line + "\n"
    for e in po.obsolete_entries():
        yield "\n"
        for line in _entry_lines(e):
            yield line + "\n"


def write_po(path: Path, po: polib.POFile) -> None:
    atomic_write(path, "".join(generate_po(po)))


def new_pofile() -> polib.POFile:
    return polib.POFile(wrapwidth=WIDTH)
