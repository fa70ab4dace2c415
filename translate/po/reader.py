"""The strict PO reader: our own tokenizer and parser, accepting what GNU ``msgfmt`` accepts
(see :mod:`translate.po.pofile` for the contract and the measurements)."""

from __future__ import annotations

import bisect
import hashlib
import re
from typing import Iterator

import polib

from ..errors import CatalogError
from .wrap import WIDTH


def declared_charset(data: bytes) -> str | None:
    """The charset named in the header's Content-Type, None if absent or the template's CHARSET."""
    m = re.search(rb"Content-Type:\s*text/plain;\s*charset=([A-Za-z0-9_.:-]+)", data[:8192])
    if not m:
        return None
    cs = m.group(1).decode("ascii")
    return None if cs.upper() == "CHARSET" else cs


class _Tok:
    __slots__ = ("kind", "value", "line", "end", "obsolete", "previous")

    def __init__(self, kind: str, value, line: int, end: int, obsolete: bool, previous: bool):
        self.kind, self.value, self.line, self.end = kind, value, line, end
        self.obsolete, self.previous = obsolete, previous


_ESCAPE_VALUES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_STRING_PIECE = re.compile(r'[^"\\\n]+|\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+))|\\|"|\n')
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_NUMBER = re.compile(r"[0-9]+")
_KEYWORDS = {"domain", "msgctxt", "msgid", "msgid_plural", "msgstr"}


class _Lexer:
    """GNU po-lex's tokens over the decoded text, with physical line numbers."""

    def __init__(self, text: str, charset: str, display: str):
        self.display, self.charset = display, charset
        # a backslash before a newline joins two lines, everywhere (GNU lex_getc)
        self.joins: list[int] = []
        if "\\\n" in text:
            parts = text.split("\\\n")
            pos = 0
            for p in parts[:-1]:
                pos += len(p)
                self.joins.append(pos)
            text = "".join(parts)
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1 + bisect.bisect_right(self.joins, pos)

    def error(self, message: str, pos: int) -> CatalogError:
        return CatalogError(f"malformed PO file: {message}", path=self.display, line=self.line_at(pos))

    def tokens(self) -> Iterator[_Tok]:
        """The tokens in order, made as the parser asks for them (never all held at once)."""
        text, n = self.text, len(self.text)
        i = 0
        obsolete = previous = False
        while i < n:
            c = text[i]
            if c == "\n":
                obsolete = previous = False
                i += 1
            elif c in " \t\r\f\v":
                i = _SPACE.match(text, i).end()
            elif c == "#":
                if text.startswith("~", i + 1):
                    obsolete = True
                    i += 2
                    if text.startswith("|", i):
                        previous = True
                        i += 1
                elif text.startswith("|", i + 1):
                    previous = True
                    i += 2
                else:
                    end = text.find("\n", i)
                    end = n if end < 0 else end
                    body = text[i + 1 : end]
                    if body.endswith("\r"):
                        body = body[:-1]
                    yield _Tok("comment", body, self.line_at(i), self.line_at(max(i, end - 1)), obsolete, previous)
                    i = end
            elif c == '"':
                value, j = self._string(i)
                yield _Tok("string", value, self.line_at(i), self.line_at(j - 1), obsolete, previous)
                i = j
            elif c.isascii() and c.isdigit():
                m = _NUMBER.match(text, i)
                yield _Tok("number", int(m.group()), self.line_at(i), self.line_at(i), obsolete, previous)
                i = m.end()
            elif c in "[]":
                yield _Tok(c, c, self.line_at(i), self.line_at(i), obsolete, previous)
                i += 1
            else:
                m = _WORD.match(text, i)
                if not m:
                    raise self.error(f"syntax error (unexpected {c!r})", i)
                if m.group() not in _KEYWORDS:
                    raise self.error(f'keyword "{m.group()}" unknown', i)
                yield _Tok(m.group(), m.group(), self.line_at(i), self.line_at(i), obsolete, previous)
                i = m.end()

    def _string(self, start: int) -> tuple[str, int]:
        """The value of the string starting at ``start`` (a quote) and the position after it."""
        text = self.text
        pieces: list[str] = []
        raw: bytearray | None = None  # numeric escapes are bytes in the catalogue's charset
        i = start + 1
        while True:
            m = _STRING_PIECE.match(text, i)
            if m is None:
                raise self.error("end-of-file within string", start)
            tok = m.group()
            if tok == "\n":
                raise self.error("end-of-line within string", start)
            if tok == '"':
                i = m.end()
                break
            if tok[0] == "\\":
                if m.group(1):
                    pieces.append(_ESCAPE_VALUES[m.group(1)])
                elif m.group(2) or m.group(3):
                    byte = int(m.group(2), 8) if m.group(2) else int(m.group(3), 16)
                    byte &= 0xFF
                    if byte < 0x80:
                        pieces.append(chr(byte))
                    else:
                        if raw is None:
                            raw = bytearray()
                        raw += "".join(pieces).encode(self.charset)
                        raw.append(byte)
                        pieces = []
                else:
                    raise self.error("invalid control sequence", m.start())
            else:
                pieces.append(tok)
            i = m.end()
        if raw is None:
            return "".join(pieces), i
        raw += "".join(pieces).encode(self.charset)
        try:
            return raw.decode(self.charset), i
        except UnicodeDecodeError:
            raise self.error(f"escaped bytes are not valid {self.charset}", start) from None


class _Parser:
    """GNU po-gram's grammar over the tokens: comments, then one message. The tokens are read
    one ahead; those of the message being parsed are kept until it is done."""

    def __init__(self, lexer: _Lexer, tokens: Iterator[_Tok]):
        self.lx, self._tokens = lexer, tokens
        self._next: _Tok | None = next(tokens, None)
        self._last: _Tok | None = None
        self._taken: list[_Tok] = []

    def err(self, message: str, tok: _Tok | None = None) -> CatalogError:
        tok = tok or self._next or self._last
        return CatalogError(f"malformed PO file: {message}", path=self.lx.display, line=tok.line if tok else 1)

    def peek(self) -> _Tok | None:
        return self._next

    def advance(self) -> None:
        self._last = self._next
        self._taken.append(self._next)
        self._next = next(self._tokens, None)

    def strings(self, after: _Tok) -> str:
        """One or more strings after a keyword (same #~ and #| state as the keyword)."""
        parts: list[str] = []
        while (t := self.peek()) is not None and t.kind == "string" and t.previous == after.previous:
            parts.append(t.value)
            self.advance()
        if not parts:
            raise self.err(f"{after.kind} without a string", after)
        return "".join(parts)

    def take(self, kind: str, previous: bool) -> _Tok | None:
        t = self.peek()
        if t is not None and t.kind == kind and t.previous == previous:
            self.advance()
            return t
        return None

    def messages(self) -> Iterator[tuple[list[_Tok], dict, list[_Tok]]]:
        comments: list[_Tok] = []
        while (t := self.peek()) is not None:
            if t.kind == "comment":
                comments.append(t)
                self.advance()
                continue
            if t.kind == "domain":
                raise self.err("the 'domain' directive is not supported")
            self._taken = []
            msg = self.message()
            toks = self._taken
            if len({x.obsolete for x in toks}) > 1:
                raise self.err("inconsistent use of #~", next(x for x in toks if x.obsolete != toks[0].obsolete))
            yield comments, msg, toks
            comments = []

    def message(self) -> dict:
        m: dict = {"previous_msgctxt": None, "previous_msgid": None, "previous_msgid_plural": None}
        first = self.peek()
        if first.previous:
            if (t := self.take("msgctxt", True)) is not None:
                m["previous_msgctxt"] = self.strings(t)
            if (t := self.take("msgid", True)) is None:
                raise self.err("syntax error (expected #| msgid)")
            m["previous_msgid"] = self.strings(t)
            if (t := self.take("msgid_plural", True)) is not None:
                m["previous_msgid_plural"] = self.strings(t)
        m["msgctxt"] = None
        if (t := self.take("msgctxt", False)) is not None:
            m["msgctxt"] = self.strings(t)
        kw = self.take("msgid", False)
        if kw is None:
            raise self.err("syntax error")
        m["msgid_tok"] = kw
        m["msgid"] = self.strings(kw)
        m["msgid_plural"] = ""
        m["msgstr_plural"] = {}
        m["msgstr"] = ""
        if (t := self.take("msgid_plural", False)) is not None:
            m["msgid_plural"] = self.strings(t)
            n = 0
            while (t := self.take("msgstr", False)) is not None:
                if self.take("[", False) is None:
                    raise self.err("syntax error (expected msgstr[n])", t)
                num = self.take("number", False)
                if num is None or self.take("]", False) is None:
                    raise self.err("syntax error (expected msgstr[n])", t)
                if num.value != n:
                    raise self.err("plural form has wrong index", num)
                m["msgstr_plural"][n] = self.strings(t)
                n += 1
            if n == 0:
                raise self.err("missing 'msgstr[]' section", kw)
        elif (t := self.take("msgstr", False)) is not None:
            if (b := self.peek()) is not None and b.kind == "[":
                raise self.err("missing 'msgid_plural' section", t)
            m["msgstr"] = self.strings(t)
        else:
            raise self.err("missing 'msgstr' section", kw)
        return m


def _occurrences(text: str) -> list[tuple[str, str]]:
    out = []
    for ref in text.split():
        m = re.fullmatch(r"(.*):(\d+)", ref)
        out.append((m.group(1), m.group(2)) if m else (ref, ""))
    return out


def strip_one_space(s: str) -> str:
    return s[1:] if s.startswith(" ") else s


def parse_po(data: bytes, *, display: str = "<catalogue>") -> polib.POFile:
    """Parse the bytes of a .po/.pot file (strictly, as GNU msgfmt does) into a polib POFile."""
    charset, text = _decoded(data, display)
    # CR is white space to GNU (and a backslash before CR LF joins nothing): no need to strip it
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    po = polib.POFile(wrapwidth=WIDTH, encoding=charset)
    po.header, po.metadata, po.metadata_is_fuzzy = "", {}, False
    po._header_entry = None  # type: ignore[attr-defined]
    po._raw_header = None  # type: ignore[attr-defined]
    po._newline = newline  # type: ignore[attr-defined]
    po._charset = charset  # type: ignore[attr-defined]
    po._source_digest = hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]
    for e in _entries(text, charset, display):
        if is_header(e):
            po.header = e.tcomment
            po.metadata_is_fuzzy = "fuzzy" in e.flags
            meta = header_metadata(e)
            po.metadata = dict(meta)
            po._header_entry = e  # type: ignore[attr-defined]
            po._raw_header = (e.msgstr, dict(meta))  # type: ignore[attr-defined]
            continue
        po.append(e)
    return po


def header_metadata(e: polib.POEntry) -> dict[str, str]:
    """The fields of a header entry's msgstr (the first of a repeated key wins)."""
    meta: dict[str, str] = {}
    for line in e.msgstr.split("\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            meta.setdefault(k.strip(), v.strip())
    return meta


def iter_po(data: bytes, *, display: str = "<catalogue>") -> Iterator[polib.POEntry]:
    """The entries of a .po/.pot file one at a time, header entry included, read as strictly
    as :func:`parse_po` (an error is raised when the reader gets to it). For a reader that
    keeps only a little of each entry (the build): no catalogue of entries is ever held."""
    charset, text = _decoded(data, display)
    return _entries(text, charset, display)


def is_header(e: polib.POEntry) -> bool:
    """Is this the header entry (the untranslated empty msgid)?"""
    return not e.obsolete and e.msgctxt is None and e.msgid == "" and not e.msgid_plural


def _decoded(data: bytes, display: str) -> tuple[str, str]:
    """The declared charset (UTF-8 when none) and the text in it; errors name the file."""
    charset = declared_charset(data) or "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r} in the header", path=display) from None
    try:
        return charset, data.decode(charset)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise CatalogError(f"not valid {charset} text (byte offset {e.start})", path=display, line=line) from None


def _entries(text: str, charset: str, display: str) -> Iterator[polib.POEntry]:
    """Every message of ``text`` as a polib entry, in order; duplicates are an error."""
    lexer = _Lexer(text, charset, display)
    parser = _Parser(lexer, lexer.tokens())
    seen: dict[tuple[str | None, str], int] = {}
    for comments, m, toks in parser.messages():
        obsolete = toks[0].obsolete
        tcomment, comment, occ, flags = [], [], [], []
        for c in comments:
            v = c.value
            if v.startswith("."):
                comment.append(strip_one_space(v[1:]))
            elif v.startswith(":"):
                occ += _occurrences(v[1:])
            elif v.startswith(","):
                flags += [f.strip() for f in v[1:].split(",") if f.strip()]
            else:
                tcomment.append(strip_one_space(v))
        e = polib.POEntry(
            msgid=m["msgid"],
            msgstr=m["msgstr"],
            msgid_plural=m["msgid_plural"],
            msgstr_plural=m["msgstr_plural"],
            msgctxt=m["msgctxt"],
            obsolete=obsolete,
            encoding=charset,
            comment="\n".join(comment),
            tcomment="\n".join(tcomment),
            occurrences=occ,
            flags=flags,
            previous_msgctxt=m["previous_msgctxt"],
            previous_msgid=m["previous_msgid"],
            previous_msgid_plural=m["previous_msgid_plural"],
            linenum=m["msgid_tok"].line,
        )
        e._po_comments = [(c.line, c.end, c.value) for c in comments]  # type: ignore[attr-defined]
        e._po_start = comments[0].line if comments else toks[0].line  # type: ignore[attr-defined]
        e._po_first_keyword = toks[0].line  # type: ignore[attr-defined]
        key = (e.msgctxt, e.msgid)  # msgfmt counts obsolete entries and the header too
        if key in seen:
            raise CatalogError(
                f"malformed PO file: duplicate message definition (first defined at line {seen[key]})",
                path=display,
                line=e.linenum,
            )
        seen[key] = e.linenum
        yield e
