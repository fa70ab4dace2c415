"""Editions: what a catalogue makes of a document, as source text, HTML, and side by side.

Pure functions over a :class:`~translate.segment.Document` and polib entries; no file I/O
(``project.build`` reads and writes). Output is deterministic: the same document and
catalogue always give the same bytes (no dates, no random ids).

Which text a sentence gets is decided by :func:`choose`:

- a translated entry (fuzzy/machine ones included) gives its msgstr, exactly as written;
- an untranslated or missing entry, and an entry whose check verdict is ``fail`` (unless a
  reviewer approved it), falls back: ``english`` keeps the English sentence, ``mark``
  keeps it prefixed with ``[EN]``, ``fail`` refuses the build.

Spanish typography is presentation only (``lang`` attribute, CSS hyphenation and quotes):
the build never changes what the translator wrote.

The HTML comes from the Jinja2 templates in ``publish/templates/`` (autoescaping on; the
stylesheets are real ``.css`` files there, inlined into each page, which loads nothing else).
This module only prepares their data: the title (:func:`document_title`), the paragraphs of
a plain-text document (:func:`text_blocks`), the inline Markdown of a sentence
(:func:`inline_markdown`) and the note on unreviewed sentences (:func:`review_notice`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import takewhile
from pathlib import PurePosixPath
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import quote

import polib

from .. import pages
from ..errors import TranslateError
from ..po.state import is_reviewed, verdict_of
from ..segment.document import Document, Flow, Lit, Segment

FALLBACKS = ("english", "mark", "fail")
MARK = "[EN] "


class BuildRefused(TranslateError):
    """The build ran but refuses to publish (failing or untranslated entries): exit code 1."""

    exit_code = 1


# -- choosing the text of each sentence ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """What an edition needs of a catalogue entry, and nothing more: the build keeps one of
    these per message instead of the whole polib entry (comments, references...)."""

    msgstr: str
    fuzzy: bool
    verdict: str | None  #: the ``check:`` verdict, None if never checked
    reviewed: bool  #: approved by a person and not fuzzy
    linenum: int | None  #: the msgid's line in the catalogue

    @classmethod
    def of(cls, e: polib.POEntry) -> "Entry":
        return cls(e.msgstr, "fuzzy" in e.flags, verdict_of(e), is_reviewed(e), e.linenum)


@dataclass(frozen=True, slots=True)
class Choice:
    text: str | None  #: what goes into the edition (None: the source sentence unchanged)
    state: str  #: translated | fuzzy | untranslated | missing | failing
    verdict: str | None
    entry: Entry | None


@dataclass
class Counts:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    missing: int = 0
    failing: int = 0

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def choose(seg: Segment, entry: Entry | None, fallback: str = "english") -> Choice:
    if entry is None:
        return Choice(_fallback(seg, fallback), "missing", None, None)
    verdict = entry.verdict
    if not entry.msgstr:
        return Choice(_fallback(seg, fallback), "untranslated", verdict, entry)
    if verdict == "fail" and not entry.reviewed:
        return Choice(_fallback(seg, fallback), "failing", verdict, entry)
    return Choice(entry.msgstr, "fuzzy" if entry.fuzzy else "translated", verdict, entry)


def _fallback(seg: Segment, fallback: str) -> str | None:
    return MARK + seg.msgid if fallback == "mark" else None


class EncodedText:
    """A text held as UTF-8 chunks (a Python string of a text with one emoji takes 4 bytes a
    character); iterating gives the text back, chunk by chunk."""

    __slots__ = ("chunks",)

    def __init__(self, pieces: Iterable[str]):
        self.chunks = [p.encode("utf-8") for p in pieces]

    def __iter__(self) -> Iterator[str]:
        return (c.decode("utf-8") for c in self.chunks)

    def __str__(self) -> str:
        return "".join(self)

    def equals(self, text: str) -> bool:
        """Is this ``text``? (Compared chunk by chunk: neither is copied whole.)"""
        pos = 0
        for piece in self:
            if text[pos : pos + len(piece)] != piece:
                return False
            pos += len(piece)
        return pos == len(text)


@dataclass
class Edition:
    """One document in one language: its text, what each sentence got, and the counts.

    A sentence's choice depends only on its msgid: ``chosen`` holds one per msgid, in the
    order the msgids first come in the document (not one per sentence: a document may be
    gone through again, see :func:`translate.segment.document.stream_document`)."""

    text: EncodedText = field(default_factory=lambda: EncodedText(()))
    chosen: dict[str, Choice] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)  #: sentences by state
    verdicts: dict[str, int] = field(default_factory=dict)  #: sentences by verdict ("none": not checked)

    @property
    def failing(self) -> list[tuple[str, Choice]]:
        """(msgid, choice) of each msgid whose check verdict is ``fail``, in document order."""
        return [(m, c) for m, c in self.chosen.items() if c.verdict == "fail"]

    def text_of(self, seg: Segment) -> str | None:
        """What the sentence became in this edition (None: the English sentence)."""
        c = self.chosen.get(seg.msgid)
        return c.text if c is not None else None


def make_edition(doc: Document, entries: Mapping[tuple[str | None, str], Entry], fallback: str = "english") -> Edition:
    """The document in the catalogue's language (``entries``: see :func:`entry_index`)."""
    ed = Edition()
    chosen, counts, verdicts = ed.chosen, ed.counts, ed.verdicts

    def lookup(seg: Segment) -> str | None:
        c = chosen.get(seg.msgid)
        if c is None:
            c = chosen[seg.msgid] = choose(seg, entries.get((None, seg.msgid)), fallback)
        counts.add(c.state)
        v = c.verdict or "none"
        verdicts[v] = verdicts.get(v, 0) + 1
        return c.text

    ed.text = EncodedText(doc.render_chunks(lookup))
    return ed


# -- presentation data: the templates in ``publish/templates/`` turn it into HTML ----------------


def _templates():
    return pages.templates("publish/templates")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)\1[ \t]*(?:\r\n|\r|\n|\Z)", re.S)


def _clean(text: str) -> str:
    """Characters HTML forbids (form feeds, other controls) become spaces: presentation only."""
    return _CONTROL.sub(" ", text)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    # Raw HTML in a document is shown as text: an edition carries no markup from a catalogue.
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


# -- the title -------------------------------------------------------------------------------------

#: A plain-text first line is a title when it is at most this long and does not end a sentence.
TITLE_MAX = 80
_NOT_A_TITLE_END = (".", ",", ";", ":")


def _looks_like_title(line: str) -> bool:
    return 0 < len(line) <= TITLE_MAX and not line.endswith(_NOT_A_TITLE_END) and any(c.isalpha() for c in line)


def document_title(doc: Document, text_of: Callable[[Segment], str | None] | None = None) -> str:
    """The title of a document's edition, in the edition's language.

    ``text_of`` gives what a sentence became in the edition (None: the English sentence).
    Markdown: the first heading. Plain text: the first non-blank line when it looks like a
    title (short, no final period) and is made of whole sentences, so that the translated
    title is the translation of that very line. Otherwise the document's file name (as when
    the title line is only the start of a longer sentence, e.g. the Apache licence's
    "Apache License / Version 2.0, January 2004 / http://…": no entry translates the first line
    alone, so the English edition gets "Apache License" and the translation the file name).
    """
    name = PurePosixPath(doc.name).stem
    pick = text_of or (lambda seg: None)

    def shown(seg: Segment) -> str:
        t = pick(seg)
        return seg.msgid if t is None else t

    if doc.format == "md":
        for piece in doc.pieces:
            if isinstance(piece, Flow):
                segs = [p for p in piece.parts if isinstance(p, Segment)]
                if segs and segs[0].kind.startswith("heading"):
                    src = "".join(p.flow if isinstance(p, Lit) else shown(p) for p in piece.parts)
                    return _plain_markdown(src) or name
        return name
    for number, line in enumerate(_lines(doc.text), 1):
        words = " ".join(line.replace("\ufeff", " ").split())
        if not words:
            continue
        if not _looks_like_title(words):
            return name
        segs = [s for s in takewhile(lambda s: s.line <= number, doc.segments) if s.line == number and not s.breaks]
        if " ".join(s.msgid for s in segs) != words:
            # the line is part of a longer sentence: only the English has the line on its own
            return words if text_of is None else name
        return " ".join(" ".join(shown(s).split()) for s in segs) or name
    return name


def _plain_markdown(src: str) -> str:
    """The text of a line of inline Markdown (emphasis, code, links and image alt as text)."""
    tokens = _markdown().parseInline(src, {})
    return " ".join(_clean(_plain(tokens[0].children or [] if tokens else [])).split())


def _plain(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or []))
    return "".join(parts)


# -- the body of an HTML edition --------------------------------------------------------------------

_LINE = re.compile(r"\r\n|\r|\n")
_TXT_ITEM = re.compile(r"[ \t\f\v]*((?:[-*+•‣◦]|\d{1,3}[.)]|\([a-z0-9]{1,3}\)|[a-z]\)))[ \t]+(?=\S)")


@dataclass
class TextBlock:
    """A paragraph (``kind`` "p") or a run of list items ("list") of a plain-text document.

    ``items``: (marker, text) pairs, the marker "" for a paragraph; the text is the source's
    wrapped lines joined with single spaces.
    """

    kind: str
    items: list[tuple[str, str]] = field(default_factory=list)


def text_blocks(text: str | Iterable[str]) -> Iterator[TextBlock]:
    """A plain-text document as paragraphs and list items, without its hard wraps, one block
    at a time.

    Blank lines separate paragraphs; a line that starts with a bullet or a number ("-", "1.",
    "(a)") starts a list item (as in the segmenter), and items that follow each other, blank
    lines between them or not, make one list. Indentation is presentation of the source and
    is dropped.
    """
    blocks: list[TextBlock] = []
    group: list[str] = []

    def close() -> None:
        items: list[tuple[str, list[str]]] = []
        for raw in group:
            m = _TXT_ITEM.match(raw)
            if m:
                items.append((m.group(1), [raw[m.end() :]]))
            elif items:
                items[-1][1].append(raw)
            else:
                items.append(("", [raw]))
        for marker, lines in items:
            joined = " ".join(" ".join(lines).split())
            if not marker:
                blocks.append(TextBlock("p", [("", joined)]))
            elif blocks and blocks[-1].kind == "list":
                blocks[-1].items.append((marker, joined))
            else:
                blocks.append(TextBlock("list", [(marker, joined)]))
        group.clear()

    for raw in _lines(text):
        if raw.strip(" \t\f\v\ufeff"):
            group.append(_clean(raw).replace("\ufeff", " "))
        else:
            close()
            # every block but the last is done (list items that follow may still join the last)
            yield from blocks[:-1]
            del blocks[:-1]
    close()
    yield from blocks


def _lines(text: str | Iterable[str]) -> Iterator[str]:
    """The lines of ``text`` (ended by CR LF, CR or LF) one at a time, as ``_LINE.split`` would
    give them in a list; ``text`` may come in chunks (a line, even a CR LF, may span two)."""
    rest = ""
    for chunk in [text] if isinstance(text, str) else text:
        buf = rest + chunk
        pos = 0
        for m in _LINE.finditer(buf):
            if m.end() == len(buf) and m.group() == "\r":
                break  # a CR at the end of a chunk may be the first half of a CR LF
            yield buf[pos : m.start()]
            pos = m.end()
        rest = buf[pos:]
    if rest.endswith("\r"):
        yield rest[:-1]
        rest = ""
    yield rest


def _markdown_body(text: str):
    from markupsafe import Markup

    # markdown-it escapes all text and, with html off, all raw HTML: its output is safe
    return Markup(_clean(_markdown().render(_FRONT_MATTER.sub("", text, count=1))))


@dataclass(frozen=True)
class Notice:
    """The note on a translated edition while sentences are not reviewed.

    A sentence counts as reviewed when its entry is translated and not fuzzy (a person wrote
    or approved it: :attr:`Choice.state` ``translated``). ``machine``: sentences shown from a
    fuzzy entry (machine-made or otherwise unreviewed); ``english``: sentences left in English
    (untranslated, missing, or failing their check); ``total``: every sentence of the document.
    """

    machine: int
    english: int
    total: int


def review_notice(edition: Edition) -> Notice | None:
    """None once every sentence is reviewed."""
    n = edition.counts
    machine, english = n.fuzzy, n.untranslated + n.missing + n.failing
    if not (machine or english):
        return None
    return Notice(machine, english, sum(n.as_dict().values()))


def html_edition(
    text: str | Iterable[str], fmt: str, lang: str, *, title: str, notice: Notice | None = None
) -> Iterator[str]:
    """A document's text (in its source format; whole, or in chunks) as a standalone HTML page:
    no external resource.

    The page comes in pieces, as the template makes them (the caller writes them out: a page
    is never held whole in memory)."""
    if fmt == "md":
        body, blocks = _markdown_body(text if isinstance(text, str) else "".join(text)), None
    else:
        body, blocks = None, text_blocks(text)
    return _templates().get_template("edition.html").generate(
        page_lang=lang, lang=lang, title=_clean(title), notice=notice, body=body, blocks=blocks
    )


# -- the bilingual edition ---------------------------------------------------------------------------

_STATE_LABEL = {
    "translated": "translated",
    "fuzzy": "machine/fuzzy",
    "untranslated": "untranslated",
    "missing": "not in the catalogue",
    "failing": "failing check",
}


@dataclass(frozen=True, slots=True)
class Inline:
    """A piece of a sentence's inline Markdown: text, code, em, strong, s, link, image."""

    kind: str
    text: str = ""
    target: str = ""  #: a link's href, an image's src
    children: tuple["Inline", ...] = ()


def inline_markdown(src: str, env: dict | None = None) -> tuple[Inline, ...]:
    """The inline Markdown of one sentence as a tree (raw HTML stays text).

    ``env`` carries the document's reference definitions (``MarkdownIt.parse(text, env)``),
    so ``[INSTALL][]`` becomes a link when the document defines it, and stays text otherwise.
    """
    tokens = _markdown().parseInline(src, dict(env or {}))
    stack: list[tuple[str, str, list[Inline]]] = [("root", "", [])]
    for tok in tokens[0].children or [] if tokens else []:
        if tok.nesting == 1:
            kind = tok.type[: -len("_open")]
            stack.append((kind, str(tok.attrGet("href") or ""), []))
        elif tok.nesting == -1:
            if len(stack) > 1:
                kind, target, children = stack.pop()
                stack[-1][2].append(Inline(kind, target=target, children=tuple(children)))
        elif tok.type == "code_inline":
            stack[-1][2].append(Inline("code", _clean(tok.content)))
        elif tok.type == "image":
            stack[-1][2].append(Inline("image", _clean(_plain(tok.children or [])), str(tok.attrGet("src") or "")))
        elif tok.type in ("softbreak", "hardbreak"):
            stack[-1][2].append(Inline("text", " "))
        else:
            stack[-1][2].append(Inline("text", _clean(tok.content)))
    while len(stack) > 1:  # pragma: no cover - markdown-it closes what it opens
        kind, target, children = stack.pop()
        stack[-1][2].append(Inline(kind, target=target, children=tuple(children)))
    return tuple(stack[0][2])


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of one side of the bilingual edition, with the link to its entry."""

    anchor: str
    css: str
    href: str
    info: str
    lang: str
    inline: tuple[Inline, ...]


def review_href(port: int, catalogue_name: str, line: int | None) -> str:
    """The review page's address of an entry: ``http://127.0.0.1:PORT/#entry=<path>:<line>``.

    The catalogue's shown path (relative to the project) is URL-encoded whole, slashes and
    colons included, so the last ``:`` separates the line (the contract with ``translate review``).
    """
    return f"http://127.0.0.1:{port}/#entry={quote(catalogue_name, safe='')}:{line or 0}"


def bilingual_html(
    doc: Document,
    edition: Edition,
    *,
    lang: str,
    catalogue_href: str,
    catalogue_name: str,
    title: str,
    review_port: int | None = None,
) -> Iterator[str]:
    """English and ``lang`` side by side, paragraph (flow) by paragraph, in pieces (as
    :func:`html_edition`).

    Every sentence shows its Markdown (emphasis, code, links and images as their text; links
    are not followed from here, their target is in the tooltip), is coloured by its check
    verdict, and links to its entry: into the review page at ``review_port`` when given, else
    to the catalogue file (the line is in the tooltip).
    """
    env: dict = {}
    if doc.format == "md" and "]:" in doc.text:
        # the document's reference definitions ("[label]: url", always written with "]:"),
        # for links written "[text][label]"; without one, parsing the whole text finds nothing
        _markdown().parse(_FRONT_MATTER.sub("", doc.text, count=1), env)

    def inline(text: str) -> tuple[Inline, ...]:
        return inline_markdown(text, env) if doc.format == "md" else (Inline("text", _clean(text)),)


    def rows() -> Iterator[dict]:  # one paragraph at a time, as the template asks for them
        n = 0
        for piece in doc.pieces:
            if not isinstance(piece, Flow):
                continue
            segs = [p for p in piece.parts if isinstance(p, Segment)]
            if not segs:
                continue
            en: list = []
            tr: list = []
            for part in piece.parts:
                if isinstance(part, Lit):
                    en.append(_clean(part.flow))
                    tr.append(_clean(part.flow))
                    continue
                n += 1
                c = edition.chosen.get(part.msgid)
                if c is None:  # pragma: no cover - every segment was chosen when rendering
                    c = Choice(None, "missing", None, None)
                line = c.entry.linenum if c.entry is not None else None
                where = f"{catalogue_name}:{line}" if line else catalogue_name
                info = f"{where} · {_STATE_LABEL[c.state]} · check: {c.verdict or 'not run'}"
                css = f"s v-{c.verdict or 'none'} st-{c.state}"
                href = review_href(review_port, catalogue_name, line) if review_port else catalogue_href
                translated = c.entry is not None and bool(c.entry.msgstr)
                shown = c.entry.msgstr if translated else (c.text or part.msgid)
                en.append(Sentence(f"en-{n}", css, href, info, "en", inline(part.msgid)))
                tr.append(Sentence(f"{lang}-{n}", css, href, info, lang if translated else "en", inline(shown)))
            yield {"heading": segs[0].kind.startswith("heading"), "en": en, "tr": tr}

    return _templates().get_template("bilingual.html").generate(
        page_lang="en",
        lang=lang,
        language=_language_name(lang),
        title=_clean(title),
        notice=review_notice(edition),
        counts=edition.counts,
        verdicts=edition.verdicts,
        catalogue_href=catalogue_href,
        catalogue_name=catalogue_name,
        review_port=review_port,
        rows=rows(),
    )


def _language_name(lang: str) -> str:
    """The language's own name for itself (babel's locale data), e.g. "Español"."""
    from babel import Locale

    try:
        loc = Locale.parse(lang.replace("-", "_"))
        name = loc.get_display_name(loc) or lang
    except (ValueError, TypeError):
        return lang
    return name[:1].upper() + name[1:]


def entry_index(po: Iterable[polib.POEntry]) -> dict[tuple[str | None, str], Entry]:
    """(msgctxt, msgid) → :class:`Entry` of every live entry; ``po`` may be read one entry at
    a time (:func:`translate.po.reader.iter_po`), each polib entry is dropped once indexed."""
    return {(e.msgctxt, e.msgid): Entry.of(e) for e in po if not e.obsolete}
