"""Segmentation: a source document becomes a skeleton and a list of sentences.

A :class:`Document` is a sequence of pieces. A piece is either literal source text (the
skeleton: blank lines, Markdown syntax, code, line prefixes) or a :class:`Flow`, a run of
prose that is wrapped as one unit (a paragraph, a heading, a list item, a table cell). A
flow holds literal parts (the space between sentences) and :class:`Segment` parts, one per
sentence. Concatenating every piece's source text gives back the document exactly.

A segment's ``msgid`` is the sentence unwrapped: every line break inside it, with the
trailing blanks before it and the prefix and indentation after it, became one space. The
break strings are kept (:attr:`Segment.breaks`) so the original bytes can be restored.

This module reads no files: ``parse_document(text, name)`` works on a string.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence, Union

from ..errors import SourceError
from .model import Document, Flow, Lit, Piece, Segment, render_flow, wrap
from .sentences import sentence_spans
from ..text import EMAIL_PATTERN, URL_PATTERN

#: The data model lives in :mod:`.model`; it is imported from here too.
__all__ = [
    "Document", "Flow", "Lit", "Piece", "Segment", "parse_document", "parse_markdown", "parse_text",
    "render_flow", "stream_document", "text_pieces", "wrap",
]

# -- building flows -----------------------------------------------------------------------

_TXT_MASK = re.compile(f"{URL_PATTERN}|{EMAIL_PATTERN}")
_MD_MASK = re.compile(
    rf"(`+)(?:(?!\1).)+?\1"  # inline code
    rf"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # link destination
    rf"|\]\[[^\]]*\]"  # reference label
    rf"|<(?:[a-zA-Z][\w+.-]*:[^\s<>]*|[\w.+-]+@[\w.-]+)>"  # autolink
    rf"|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"  # inline HTML tag
    rf"|{URL_PATTERN}|{EMAIL_PATTERN}",
    re.S,
)
_MD_ATOMIC = re.compile(r"!?\[[^\[\]]*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|(`+)(?:(?!\1).)+?\1", re.S)
_NEWLINE_AFTER = re.compile(r"[ \t]*(\r\n|\r|\n)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufeff]")
_NON_SPACE = re.compile(r"\S")


_LETTER = re.compile(r"[^\W\d_]")


def _has_words(text: str, masked: Sequence[tuple[int, int]], offset: int) -> bool:
    """True if the text has a letter outside the masked (URL, code, ...) ranges."""
    if not masked:
        return _LETTER.search(text) is not None
    pos = 0
    for a, b in masked:
        a -= offset
        b -= offset
        if b <= 0 or a >= len(text):
            continue
        if any(ch.isalpha() for ch in text[pos : max(a, 0)]):
            return True
        pos = max(pos, b)
    return any(ch.isalpha() for ch in text[pos:])


@dataclass(slots=True)
class _Line:
    start: int  #: offset of the first content character
    end: int  #: offset after the last content character
    line_start: int  #: offset of the line's first character


def _make_flow(
    text: str,
    lines: Sequence[_Line],
    kind: str,
    line_no: Callable[[int], int],
    markdown: bool,
) -> tuple[Flow, int, int]:
    """Build a flow over content ``lines``; returns (flow, start offset, end offset)."""
    pieces: list[str] = []
    starts: list[int] = []  # flow offset of each line
    pos = 0
    for i, ln in enumerate(lines):
        if i:
            pieces.append(" ")
            pos += 1
        starts.append(pos)
        pieces.append(text[ln.start : ln.end])
        pos += ln.end - ln.start
    flow_text = "".join(pieces)
    single = len(lines) == 1
    first_start = lines[0].start
    first_line_no = line_no(first_start)  # the lines of a flow are consecutive lines
    bisect_right = bisect.bisect_right

    def to_src(fpos: int, is_end: bool) -> int:
        # map a flow offset to a document offset
        if single:
            return first_start + fpos
        i = bisect_right(starts, fpos - 1 if is_end else fpos) - 1
        return lines[i].start + (fpos - starts[i])

    if markdown:
        masked_ranges = [(m.start(), m.end()) for m in _MD_MASK.finditer(flow_text)]
    elif "@" in flow_text or "://" in flow_text or "www." in flow_text:
        masked_ranges = [(m.start(), m.end()) for m in _TXT_MASK.finditer(flow_text)]
    else:
        masked_ranges = []
    if masked_ranges:  # masked text becomes "x"s (its white space stays) for the segmenter
        masked, prev = [], 0
        for a, b in masked_ranges:
            masked += (flow_text[prev:a], _NON_SPACE.sub("x", flow_text[a:b]))
            prev = b
        masked.append(flow_text[prev:])
        split_input = "".join(masked)
    else:
        split_input = flow_text
    spans = sentence_spans(split_input)
    if markdown and len(spans) > 1:
        atomic = [(m.start(), m.end()) for m in _MD_ATOMIC.finditer(flow_text)]
        if atomic:
            spans = _merge_across(spans, atomic)
    spans = _split_on_controls(flow_text, spans)

    parts: list[Union[Lit, Segment]] = []
    fprev = 0
    for s, e in spans:
        sentence = flow_text[s:e]
        if not _has_words(sentence, masked_ranges, s):
            continue
        if s > fprev:
            parts.append(Lit(text[to_src(fprev, False) if fprev else lines[0].start : to_src(s, False)], flow_text[fprev:s]))
        if single:
            parts.append(Segment(sentence, first_start + s, first_start + e, first_line_no, kind, ()))
        else:
            breaks = []
            # lines i whose joining space (at starts[i] - 1) lies inside the sentence
            first = bisect_right(starts, s) - 1
            for i in range(max(bisect_right(starts, s + 1), 1), bisect_right(starts, e)):
                sp = starts[i] - 1
                breaks.append((sp - s, text[lines[i - 1].end : lines[i].start]))
            src_s = lines[first].start + (s - starts[first])
            parts.append(Segment(sentence, src_s, to_src(e, True), first_line_no + first, kind, tuple(breaks)))
        fprev = e
    if fprev < len(flow_text) or not parts:
        parts.append(Lit(text[to_src(fprev, False) if fprev else lines[0].start : lines[-1].end], flow_text[fprev:]))
    # (Lits never follow each other: a sentence without words stays inside the next Lit.)
    multi = len(lines) > 1
    width = max(ln.end - ln.line_start for ln in lines) if multi else 0
    cont = text[lines[1].line_start : lines[1].start] if multi else ""
    newline_m = _NEWLINE_AFTER.match(text, lines[0].end) if multi else None
    flow = Flow(
        tuple(parts),
        width=width,
        first_indent=lines[0].start - lines[0].line_start,
        cont_prefix=cont,
        newline=newline_m.group(1) if newline_m else "\n",
    )
    return flow, lines[0].start, lines[-1].end


def _merge_across(spans: list[tuple[int, int]], atomic: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge consecutive sentences whose boundary falls inside a link or code span."""
    out = [spans[0]]
    for s, e in spans[1:]:
        ps, pe = out[-1]
        if any(a < s and pe < b for a, b in atomic):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def _split_on_controls(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Control characters (form feeds, BOMs, ...) never go into a msgid: cut around them."""
    if text.isprintable() or not _CONTROL.search(text):  # (a printable text has none: fast)
        return spans
    out = []
    for s, e in spans:
        pos = s
        for m in _CONTROL.finditer(text, s, e):
            piece = text[pos : m.start()]
            if piece.strip():
                a = pos + len(piece) - len(piece.lstrip())
                out.append((a, pos + len(piece.rstrip())))
            pos = m.end()
        piece = text[pos:e]
        if piece.strip():
            a = pos + len(piece) - len(piece.lstrip())
            out.append((a, pos + len(piece.rstrip())))
    return out


# -- line tables ---------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\r|\n")


class _Lines:
    """Offsets of the lines of a text (a line ends at CR LF, CR or LF)."""

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        ends = []
        for m in _NEWLINE.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def line_no(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset)


def _assemble(name: str, fmt: str, text: str, flows: list[tuple[Flow, int, int]]) -> Document:
    pieces: list[Piece] = []
    pos = 0
    for flow, a, b in sorted(flows, key=lambda t: t[1]):
        if a < pos:  # overlapping: keep the first (cannot happen for well-formed input)
            continue
        if a > pos:
            pieces.append(text[pos:a])
        pieces.append(flow)
        pos = b
    if pos < len(text):
        pieces.append(text[pos:])
    # The English build checks that rendering reproduces the source, byte for byte.
    return Document(name, fmt, text, tuple(pieces))


# -- plain text ----------------------------------------------------------------------------

_BULLET_FIRST = "-*+•‣◦("
_TXT_BULLET = re.compile(r"[ \t]*(?:[-*+•‣◦]|\d{1,3}[.)]|\([a-z0-9]{1,3}\)|[a-z]\))[ \t]+(?=\S)")


def parse_text(text: str, name: str) -> Document:
    """Plain text: paragraphs are separated by blank lines; bullet lines start list items."""
    return Document(name, "txt", text, tuple(text_pieces(text)))


def text_pieces(text: str) -> Iterator[Piece]:
    """The pieces of a plain-text document in order, each made when the parser gets to it:
    neither the document's pieces nor a table of its lines are ever held (see
    :func:`stream_document`). Concatenated, their source is ``text``."""
    pos = 0
    for flow, a, b in _text_flows(text):
        if a > pos:
            yield text[pos:a]
        yield flow
        pos = b
    if pos < len(text):
        yield text[pos:]


def _text_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text`` (a line ends at CR LF, CR or LF), in order."""
    start = 0
    for m in _NEWLINE.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _text_flows(text: str) -> Iterator[tuple[Flow, int, int]]:
    block: list[_Line] = []
    first = 0  # line number of the block's first line
    kind = "paragraph"
    for number, (ls, le) in enumerate(_text_lines(text), 1):
        raw = text[ls:le]
        stripped = raw.strip(" \t\f\v\ufeff")
        if not stripped:
            if block:
                yield _make_flow(text, block, kind, lambda _offset, n=first: n, markdown=False)
                block = []
            kind = "paragraph"
            continue
        c = stripped[0]  # a bullet starts with one of these (a cheap test before the regex)
        maybe = c in _BULLET_FIRST or c.isdigit() or ("a" <= c <= "z" and stripped[1:2] == ")")
        bullet = _TXT_BULLET.match(raw) if maybe else None
        lead = len(raw) - len(raw.lstrip(" \t\f\v\ufeff"))
        if bullet:
            if block:
                yield _make_flow(text, block, kind, lambda _offset, n=first: n, markdown=False)
                block = []
            kind = "list item"
            lead = bullet.end()
        if not block:
            first = number
        block.append(_Line(ls + lead, ls + len(raw.rstrip(" \t\f\v")), ls))
    if block:
        yield _make_flow(text, block, kind, lambda _offset, n=first: n, markdown=False)


class _Reparsed:
    """A plain-text document's pieces, parsed again each time they are gone through."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __iter__(self) -> Iterator[Piece]:
        return text_pieces(self.text)


# -- Markdown ------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)\1[ \t]*(?:\r\n|\r|\n|\Z)", re.S)
_HARD_BREAK_TAIL = re.compile(r"(?:  +|\\)$")


#: Deepest nesting of blocks (quotes, lists) we segment. markdown-it silently drops what is
#: nested deeper than its ``maxNesting``; we parse with room to spare and refuse past this.
MAX_NESTING = 50


def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING + 10}).enable("table").enable("strikethrough")


_PARSER = None


def parse_markdown(text: str, name: str) -> Document:
    """Markdown (CommonMark with tables), parsed with markdown-it-py."""
    global _PARSER
    if _PARSER is None:
        _PARSER = _markdown_parser()
    lines = _Lines(text)
    skip_until = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        skip_until = lines.line_no(fm.end() - 1)  # lines before this index are front matter
    # markdown-it normalises CR LF and CR to LF and NUL to U+FFFD: one line for one line.
    md_text = "\n".join(lines.line(i) for i in range(skip_until, len(lines)))
    tokens = _PARSER.parse(md_text)
    deep = next((t for t in tokens if t.level > MAX_NESTING + 2), None)
    if deep is not None:
        line = next((t.map[0] for t in reversed(tokens[: tokens.index(deep) + 1]) if t.map), 0) + skip_until + 1
        raise SourceError(f"Markdown nested deeper than {MAX_NESTING} levels (quotes or lists) is not supported", path=name, line=line)
    flows: list[tuple[Flow, int, int]] = []
    stack: list[str] = []
    for idx, tok in enumerate(tokens):
        if tok.nesting == 1:
            stack.append(tok.type)
        elif tok.nesting == -1:
            stack.pop()
        if tok.type != "inline" or tok.map is None:
            continue
        l0 = tok.map[0] + skip_until
        parent = stack[-1] if stack else ""
        if parent == "heading_open":
            kind = f"heading (level {len(tokens[idx - 1].markup)})" if tokens[idx - 1].markup[0] == "#" else (
                "heading (level 1)" if tokens[idx - 1].markup[0] == "=" else "heading (level 2)"
            )
        elif parent in ("th_open", "td_open"):
            kind = "table header" if parent == "th_open" else "table cell"
        elif "list_item_open" in stack:
            kind = "list item"
        elif "blockquote_open" in stack:
            kind = "blockquote"
        else:
            kind = "paragraph"
        if parent in ("th_open", "td_open"):
            flows.extend(_table_cell(text, lines, tok, l0, kind, flows))
            continue
        flows.extend(_inline_block(text, lines, tok, l0, kind))
    return _assemble(name, "md", text, flows)


def _table_cell(text, lines, tok, l0, kind, flows) -> list[tuple[Flow, int, int]]:
    content = tok.content.strip(" \t")
    if not content:
        return []
    ls = lines.starts[l0]
    le = lines.ends[l0]
    # continue after the last flow on this line (cells come in order)
    cursor = ls
    for _flow, _a, b in reversed(flows):
        if ls <= b <= le:
            cursor = b
            break
        if b < ls:
            break
    a = text.find(content, cursor, le)
    if a < 0:
        return []
    return _flows_for_lines(text, lines, [_Line(a, a + len(content), ls)], kind, tok)


def _inline_block(text, lines, tok, l0, kind) -> list[tuple[Flow, int, int]]:
    content_lines = tok.content.split("\n")
    found: list[_Line] = []
    for k, c in enumerate(content_lines):
        c = c.strip(" \t")
        i = l0 + k
        if i >= len(lines):
            return []
        ls, le = lines.starts[i], lines.ends[i]
        src = text[ls:le]
        if not c:
            return []
        r = len(src.rstrip(" \t"))
        if src[:r].endswith(c):
            a = ls + r - len(c)
        else:
            # ATX headings with a closing sequence, or anything else: first occurrence
            j = src.find(c)
            if j < 0:
                return []
            a = ls + j
        found.append(_Line(a, a + len(c), ls))
    return _flows_for_lines(text, lines, found, kind, tok)


def _flows_for_lines(text, lines, found: list[_Line], kind, tok) -> list[tuple[Flow, int, int]]:
    # A paragraph that is only an image or only a link: its text is the segment.
    children = tok.children or []
    if len(found) == 1 and children:
        types = [c.type for c in children]
        if types == ["image"] or (types[0] == "link_open" and types[-1] == "link_close" and types.count("link_open") == 1):
            ln = found[0]
            inner = _bracket_text(text, ln.start, ln.end)
            if inner is not None:
                a, b = inner
                sub = "image alt text" if types == ["image"] else "link text"
                if text[a:b].strip():
                    lead = len(text[a:b]) - len(text[a:b].lstrip())
                    trail = len(text[a:b].rstrip())
                    return [
                        _make_flow(text, [_Line(a + lead, a + trail, ln.line_start)], sub, lines.line_no, markdown=True)
                    ]
                return []
    # Hard line breaks end a flow: addresses and verse keep their lines.
    groups: list[list[_Line]] = [[]]
    for k, ln in enumerate(found):
        groups[-1].append(ln)
        if k + 1 < len(found) and _HARD_BREAK_TAIL.search(text[ln.line_start : lines.ends[lines.line_no(ln.start) - 1]]):
            groups.append([])
    return [_make_flow(text, g, kind, lines.line_no, markdown=True) for g in groups if g]


def _bracket_text(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The span inside ``[...]`` of a link or image written at text[a:b]."""
    start = a + (2 if text.startswith("![", a) else 1 if text.startswith("[", a) else -1)
    if start < a + 1:
        return None
    depth = 1
    i = start
    while i < b:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return start, i
        i += 1
    return None


# -- entry point ---------------------------------------------------------------------------


def parse_document(text: str, name: str, fmt: str) -> Document:
    """Segment ``text`` (format ``"txt"`` or ``"md"``); ``name`` is used in references."""
    if fmt == "md":
        return parse_markdown(text, name)
    return parse_text(text, name)


def stream_document(text: str, name: str, fmt: str) -> Document:
    """As :func:`parse_document`, but a plain-text document's pieces are not kept: each pass
    over ``pieces`` (or ``segments``) parses the text again, one flow at a time. For a reader
    that goes through a big document once or twice (the build): it holds the text, not the
    pieces (which take ~7× the text). A Markdown document is parsed once and kept (markdown-it
    reads it whole)."""
    if fmt == "md":
        return parse_markdown(text, name)
    return Document(name, "txt", text, _Reparsed(text))
