"""TMX 1.4b, the translation-memory exchange format of OmegaT, Trados, Weblate and Okapi.

Plain functions over bytes: :func:`read_tmx` takes the English → target pairs of a file,
:func:`write_tmx` writes pairs as those tools read them (a ``header`` with ``srclang``,
``adminlang``, ``segtype``, ``datatype``, ``o-tmf`` and ``creationtool``; one ``tu`` per pair with
``tuv xml:lang`` and an escaped ``seg``).

Reading is strict and safe: malformed XML, a file that is not TMX, a ``tuv`` without a language,
a unit without its English, or no unit at all in the wanted language is a :class:`TMXError`
naming the line. The parser is defusedxml's: an entity declaration is refused (no "billion
laughs", no external entity) and an external DTD (a DOCTYPE naming ``tmx14.dtd``, as
OmegaT writes) is never fetched. Inline codes inside a ``seg`` (``bpt``, ``ept``, ``ph``, ``it``,
``hi``…) are read as their text: the native code as it stands in the document.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import xml.sax
from dataclasses import dataclass, field
from typing import Iterable
from xml.sax.saxutils import XMLGenerator

import defusedxml
import defusedxml.sax

from ..errors import TranslateError

SOURCE_LANG = "en"
ORIGIN_PROP = "x-translate-origin"  #: a unit's origin, kept in the project's own memory file
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class TMXError(TranslateError):
    """A TMX file that cannot be read: not XML, not TMX, or without the languages asked for."""


def primary(tag: str) -> str:
    """The language of a tag, without region or script: ``es-ES`` → ``es``, ``EN_us`` → ``en``."""
    return tag.replace("_", "-").split("-")[0].strip().lower()


@dataclass(frozen=True)
class Pair:
    source: str
    target: str
    origin: str | None = None  #: the ``x-translate-origin`` property, if the unit has one


@dataclass
class TMXRead:
    pairs: list[Pair] = field(default_factory=list)
    skipped: int = 0  #: units with no variant in the wanted language


@dataclass
class _Unit:
    line: int
    variants: list[tuple[str, str]] = field(default_factory=list)
    origin: str | None = None


class _Handler(xml.sax.ContentHandler):
    """Collects (language, seg text) per ``tu``; raises :class:`TMXError` with the line."""

    def __init__(self, display: str, lang: str):
        super().__init__()
        self.display, self.lang = display, lang
        self.out = TMXRead()
        self.srclang: str | None = None
        self.body_line = 1
        self.stack: list[str] = []
        self.unit: _Unit | None = None
        self.tuv_lang: str | None = None
        self.seg: list[str] | None = None
        self.prop: list[str] | None = None

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    def error(self, message: str) -> TMXError:
        return TMXError(message, path=self.display, line=self.locator.getLineNumber())

    def startElement(self, name: str, attrs) -> None:
        if not self.stack and name != "tmx":
            raise self.error(f"not a TMX file: the root element is <{name}>, not <tmx>")
        self.stack.append(name)
        if self.seg is not None:
            return  # inline codes and highlights: their text is read as part of the seg
        if name == "header":
            self.srclang = attrs.get("srclang")
            if not self.srclang:
                raise self.error("the <header> has no srclang (the language the units translate from)")
            if self.srclang != "*all*" and primary(self.srclang) != SOURCE_LANG:
                raise self.error(f"the source language is {self.srclang!r}: this toolkit translates from English (en)")
        elif name == "body":
            self.body_line = self.locator.getLineNumber()
            if self.srclang is None:
                raise self.error("no header with a srclang before the body")
        elif name == "tu":
            self.unit = _Unit(self.locator.getLineNumber())
        elif name == "tuv" and self.unit is not None:
            self.tuv_lang = attrs.get("xml:lang") or attrs.get("lang")
            if not self.tuv_lang:
                raise self.error("a <tuv> without xml:lang (the language of its text)")
        elif name == "seg" and self.tuv_lang is not None:
            self.seg = []
        elif name == "prop" and self.unit is not None and self.tuv_lang is None and attrs.get("type") == ORIGIN_PROP:
            self.prop = []

    def characters(self, content: str) -> None:
        if self.seg is not None:
            self.seg.append(content)
        elif self.prop is not None:
            self.prop.append(content)

    def endElement(self, name: str) -> None:
        self.stack.pop()
        if name == "seg" and self.seg is not None and "seg" not in self.stack:
            self.unit.variants.append((self.tuv_lang, "".join(self.seg)))
            self.seg = None
        elif self.seg is not None:
            return
        elif name == "prop" and self.prop is not None:
            self.unit.origin, self.prop = "".join(self.prop), None
        elif name == "tuv":
            self.tuv_lang = None
        elif name == "tu" and self.unit is not None:
            self._end_unit(self.unit)
            self.unit = None

    def _end_unit(self, unit: _Unit) -> None:
        sources = [t for lang, t in unit.variants if primary(lang) == SOURCE_LANG]
        if not sources:
            raise TMXError(f'a <tu> without a <tuv xml:lang="{SOURCE_LANG}"> (its English)', path=self.display, line=unit.line)
        targets = [t for lang, t in unit.variants if primary(lang) == self.lang]
        if not targets or not targets[0] or not sources[0].strip():
            self.out.skipped += 1
            return
        self.out.pairs.append(Pair(sources[0], targets[0], unit.origin))

    def endDocument(self) -> None:
        if self.srclang is None:
            raise self.error("not a TMX file: no <header srclang=…>")
        if not self.out.pairs:
            raise TMXError(f"no unit translates English into {self.lang!r}", path=self.display, line=self.body_line)


def read_tmx(data: bytes, display: str, lang: str) -> TMXRead:
    """The English → ``lang`` pairs of a TMX file (bytes, any XML encoding); units without a
    ``lang`` variant are counted in ``skipped``. Raises :class:`TMXError` naming file and line."""
    handler = _Handler(display, primary(lang))
    try:
        defusedxml.sax.parseString(data, handler, forbid_dtd=False, forbid_entities=True, forbid_external=False)
    except xml.sax.SAXParseException as e:
        raise TMXError(f"not well-formed XML: {e.getMessage()}", path=display, line=e.getLineNumber()) from None
    except defusedxml.DefusedXmlException as e:
        line = handler.locator.getLineNumber() if hasattr(handler, "locator") else 1
        raise TMXError(f"refused: the file declares an XML entity ({type(e).__name__})", path=display, line=line) from None
    return handler.out


def writable(text: str) -> bool:
    """Whether XML 1.0 can carry ``text`` (it has no place for most control characters)."""
    return _NOT_XML.search(text) is None


def _text(gen: XMLGenerator, text: str) -> None:
    """Character data, escaped; a CR as ``&#13;`` (written bare, a parser would read a newline)."""
    for k, part in enumerate(text.split("\r")):
        if k:
            gen.ignorableWhitespace("&#13;")
        gen.characters(part)


def _element(gen: XMLGenerator, indent: int | None, name: str, attrs: dict[str, str], text: str | None = None) -> None:
    """Start an element on a new line indented ``indent`` levels (None: where we are); with
    ``text``, write it and end the element."""
    if indent is not None:
        gen.ignorableWhitespace("\n" + "  " * indent)
    gen.startElement(name, attrs)
    if text is not None:
        _text(gen, text)
        gen.endElement(name)


def write_tmx(pairs: Iterable[Pair], lang: str, *, tool_version: str, created: _dt.datetime) -> tuple[bytes, int]:
    """(TMX 1.4b bytes in UTF-8, number of pairs left out because XML cannot carry their text)."""
    header = {
        "creationtool": "translate-docs",
        "creationtoolversion": tool_version,
        "creationdate": created.astimezone(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": SOURCE_LANG,
        "srclang": SOURCE_LANG,
        "o-tmf": "PO",
    }
    buf = io.BytesIO()
    gen = XMLGenerator(buf, encoding="utf-8", short_empty_elements=True)
    gen.startDocument()
    _element(gen, None, "tmx", {"version": "1.4"})
    _element(gen, 1, "header", header, "")
    _element(gen, 1, "body", {})
    left_out = 0
    for p in pairs:
        if not (writable(p.source) and writable(p.target) and writable(p.origin or "")):
            left_out += 1
            continue
        _element(gen, 2, "tu", {})
        if p.origin:
            _element(gen, 3, "prop", {"type": ORIGIN_PROP}, p.origin)
        for tag, text in ((SOURCE_LANG, p.source), (lang, p.target)):
            _element(gen, 3, "tuv", {"xml:lang": tag})
            _element(gen, None, "seg", {}, text)
            gen.endElement("tuv")
        gen.ignorableWhitespace("\n    ")
        gen.endElement("tu")
    gen.ignorableWhitespace("\n  ")
    gen.endElement("body")
    gen.ignorableWhitespace("\n")
    gen.endElement("tmx")
    gen.ignorableWhitespace("\n")
    gen.endDocument()
    return buf.getvalue(), left_out
