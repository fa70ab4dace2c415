"""The data model of a segmented document: :class:`Document`, its :class:`Flow` pieces, their
:class:`Segment` (sentence) and :class:`Lit` parts, and how a document is rendered back.

:mod:`translate.segment.document` makes these from source text (and re-exports them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Union

# -- data model ---------------------------------------------------------------------------


@dataclass(slots=True)
class Segment:
    """One sentence to translate."""

    msgid: str
    start: int  #: offset of the sentence in the document text
    end: int
    line: int  #: 1-based line number of ``start``
    kind: str  #: "paragraph", "heading", "list item", "table cell", ...
    breaks: tuple[tuple[int, str], ...] = ()  #: (index of the space in msgid, original break)

    def restore(self, text: str) -> str:
        """Put the original line breaks back into ``text`` (which must be the msgid)."""
        if not self.breaks:
            return text
        out: list[str] = []
        prev = 0
        for pos, brk in self.breaks:
            out.append(text[prev:pos])
            out.append(brk)
            prev = pos + 1
        out.append(text[prev:])
        return "".join(out)


@dataclass(slots=True)
class Lit:
    """Literal text inside a flow: ``source`` as written, ``flow`` with breaks as spaces."""

    source: str
    flow: str


@dataclass(slots=True)
class Flow:
    """A paragraph-like run of prose, wrapped as one unit."""

    parts: tuple[Union[Lit, Segment], ...]
    width: int = 0  #: widest source line of the flow (0: a single line, never re-wrapped)
    first_indent: int = 0  #: columns before the flow on its first line
    cont_prefix: str = ""  #: what begins each continuation line
    newline: str = "\n"

    @property
    def source(self) -> str:
        return "".join(p.source if isinstance(p, Lit) else p.restore(p.msgid) for p in self.parts)


Piece = Union[str, Flow]


@dataclass(frozen=True)
class Document:
    name: str  #: the path shown in references, e.g. ``source/press.md``
    format: str  #: "txt" or "md"
    text: str
    #: the skeleton and flows in order: a tuple, or (:func:`stream_document`) an iterable that
    #: parses the text again on each pass
    pieces: Iterable[Piece] = field(repr=False)

    @property
    def segments(self) -> Iterator[Segment]:
        for piece in self.pieces:
            if isinstance(piece, Flow):
                for part in piece.parts:
                    if isinstance(part, Segment):
                        yield part

    def render(self, translate: Callable[[Segment], str | None] | None = None) -> str:
        """Rebuild the document.

        Without ``translate`` (or where it returns None) each sentence is restored from its
        msgid with its original breaks: the result equals the source. Where ``translate``
        returns a string, the flow is re-wrapped to the source's width.
        """
        return "".join(self.render_chunks(translate))

    def render_chunks(self, translate: Callable[[Segment], str | None] | None = None) -> Iterator[str]:
        """:meth:`render`'s text in chunks of a few thousand pieces, made as they are asked for."""
        out: list[str] = []
        for piece in self.pieces:
            out.append(piece if isinstance(piece, str) else render_flow(piece, translate))
            if len(out) >= 4096:
                yield "".join(out)
                out.clear()
        yield "".join(out)


# -- rendering ----------------------------------------------------------------------------

_BLOCK_START = re.compile(r"(?:[#>*+\-=|]|\d{1,9}[.)]|```|~~~)(?:\s|$)|[=\-]+$|```|~~~")


def render_flow(flow: Flow, translate: Callable[[Segment], str | None] | None) -> str:
    texts: list[str] = []
    changed = False
    for part in flow.parts:
        if isinstance(part, Lit):
            texts.append(part.flow)
            continue
        new = translate(part) if translate is not None else None
        if new is None:
            texts.append(part.msgid)
        else:
            changed = True
            texts.append(" ".join(new.split()) if flow.width else new.replace("\r", " ").replace("\n", " "))
    if not changed:
        return flow.source
    joined = "".join(texts)
    if not flow.width:
        return joined
    return wrap(joined, flow.width, flow.first_indent, flow.cont_prefix, flow.newline)


def wrap(text: str, width: int, first_indent: int, cont_prefix: str, newline: str) -> str:
    """Greedy word wrap that never starts a line with something a parser would read as syntax."""
    words = text.split(" ")
    lines: list[list[str]] = [[]]
    col = first_indent
    for word in words:
        if not word:
            continue
        cur = lines[-1]
        need = len(word) + (1 if cur else 0)
        if cur and col + need > width and not _BLOCK_START.match(word):
            lines.append([word])
            col = len(cont_prefix) + len(word)
        else:
            cur.append(word)
            col += need
    return (newline + cont_prefix).join(" ".join(line) for line in lines)
