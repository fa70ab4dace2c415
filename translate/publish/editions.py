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
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import polib

from ..errors import TranslateError
from ..po.state import is_reviewed, verdict_of
from ..segment.document import Document, Flow, Lit, Segment

FALLBACKS = ("english", "mark", "fail")
MARK = "[EN] "


class BuildRefused(TranslateError):
    """The build ran but refuses to publish (failing or untranslated entries): exit code 1."""

    exit_code = 1


# -- choosing the text of each sentence ------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    text: str | None  #: what goes into the edition (None: the source sentence unchanged)
    state: str  #: translated | fuzzy | untranslated | missing | failing
    verdict: str | None
    entry: polib.POEntry | None


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


def choose(seg: Segment, entry: polib.POEntry | None, fallback: str = "english") -> Choice:
    if entry is None:
        return Choice(_fallback(seg, fallback), "missing", None, None)
    verdict = verdict_of(entry)
    if not entry.msgstr:
        return Choice(_fallback(seg, fallback), "untranslated", verdict, entry)
    if verdict == "fail" and not is_reviewed(entry):
        return Choice(_fallback(seg, fallback), "failing", verdict, entry)
    return Choice(entry.msgstr, "fuzzy" if "fuzzy" in entry.flags else "translated", verdict, entry)


def _fallback(seg: Segment, fallback: str) -> str | None:
    return MARK + seg.msgid if fallback == "mark" else None


@dataclass
class Edition:
    """One document in one language: its text, what each sentence got, and the counts."""

    text: str
    choices: list[tuple[Segment, Choice]] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)

    @property
    def failing(self) -> list[tuple[Segment, Choice]]:
        return [(s, c) for s, c in self.choices if c.verdict == "fail"]


def make_edition(
    doc: Document, entries: Mapping[tuple[str | None, str], polib.POEntry], fallback: str = "english"
) -> Edition:
    ed = Edition("")

    def lookup(seg: Segment) -> str | None:
        c = choose(seg, entries.get((None, seg.msgid)), fallback)
        ed.choices.append((seg, c))
        ed.counts.add(c.state)
        return c.text

    ed.text = doc.render(lookup)
    return ed


# -- HTML ------------------------------------------------------------------------------------------

_CSS = """
body { margin: 0; background: #fdfdfb; color: #1d1d1b; font: 1.0625rem/1.6 Georgia, "DejaVu Serif", serif; }
main { max-width: 42rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1, h2, h3, h4, h5, h6 { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; line-height: 1.25; margin: 1.6em 0 .6em; }
h1 { font-size: 1.9rem; } h2 { font-size: 1.45rem; } h3 { font-size: 1.2rem; }
p, ul, ol, blockquote, table, pre { margin: 0 0 1em; }
p.text { white-space: pre-wrap; }
a { color: #0b5cad; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
pre { background: #f2f1ec; padding: .75em 1em; overflow-x: auto; white-space: pre; hyphens: none; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #444; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
img { max-width: 100%; }
:lang(es) { hyphens: auto; }
:lang(es) q { quotes: "\\00AB" "\\00BB" "\\201C" "\\201D"; }
:lang(en) q { quotes: "\\201C" "\\201D" "\\2018" "\\2019"; }
"""

_BILINGUAL_CSS = """
main { max-width: 80rem; }
.legend { font: .85rem/1.4 "DejaVu Sans", sans-serif; display: flex; flex-wrap: wrap; gap: .4em 1.2em; margin-bottom: 1.5em; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; border-top: 1px solid #e6e4dc; padding: .5em 0; }
.row > div { min-width: 0; overflow-wrap: anywhere; }
.head > div { font: bold .8rem/1.4 "DejaVu Sans", sans-serif; text-transform: uppercase; letter-spacing: .05em; color: #555; }
.heading > div { font-family: "DejaVu Sans", sans-serif; font-weight: bold; font-size: 1.2em; }
.s { color: inherit; text-decoration: none; border-bottom: 2px solid #bbb; }
.s:hover, .s:focus { background: #fff3c4; }
.v-pass { border-bottom-color: #2e8540; }
.v-warn { border-bottom-color: #d68a00; background: #fff7e0; }
.v-fail { border-bottom-color: #c62828; background: #fde7e7; }
.st-untranslated, .st-missing { border-bottom-style: dashed; color: #666; }
.st-failing { text-decoration: line-through; }
.key { display: inline-block; padding: 0 .4em; }
"""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)\1[ \t]*(?:\r\n|\r|\n|\Z)", re.S)


def _clean(text: str) -> str:
    """Characters HTML forbids (form feeds, other controls) become spaces: presentation only."""
    return _CONTROL.sub(" ", text)


def page(title: str, body: str, lang: str, *, extra_css: str = "") -> str:
    """A standalone HTML5 page: no external resource, no script."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_clean(title) or 'Untitled')}</title>\n"
        f"<style>{_CSS}{extra_css}</style>\n"
        "</head>\n"
        "<body>\n"
        f"<main>\n{body}</main>\n"
        "</body>\n"
        "</html>\n"
    )


def _markdown():
    from markdown_it import MarkdownIt

    # Raw HTML in a document is shown as text: an edition carries no markup from a catalogue.
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def title_of(text: str, fmt: str) -> str:
    """The first heading (Markdown) or the first non-blank line."""
    if fmt == "md":
        body = _FRONT_MATTER.sub("", text, count=1)
        tokens = _markdown().parse(body)
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open" and i + 1 < len(tokens):
                return _plain_inline(tokens[i + 1])
        for tok in tokens:
            if tok.type == "inline" and tok.content.strip():
                return _plain_inline(tok)
        return ""
    for line in text.splitlines():
        if line.strip(" \t\f\v\ufeff"):
            return " ".join(line.split())
    return ""


def _plain_inline(tok) -> str:
    parts = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


def body_html(text: str, fmt: str) -> str:
    if fmt == "md":
        return _clean(_markdown().render(_FRONT_MATTER.sub("", text, count=1)))
    out = []
    for block in re.split(r"(?:\r\n|\r|\n)[ \t\f\v]*(?:(?:\r\n|\r|\n)[ \t\f\v]*)+", text):
        block = block.strip("\r\n")
        if block.strip():
            out.append(f'<p class="text">{html.escape(_clean(block.rstrip()), quote=False)}</p>\n')
    return "".join(out)


def html_edition(text: str, fmt: str, lang: str) -> str:
    """A document's text (in its source format) as a standalone HTML page."""
    return page(title_of(text, fmt), body_html(text, fmt), lang)


# -- the bilingual edition ---------------------------------------------------------------------------

_STATE_LABEL = {
    "translated": "translated",
    "fuzzy": "machine/fuzzy",
    "untranslated": "untranslated",
    "missing": "not in the catalogue",
    "failing": "failing check",
}


def bilingual_html(
    doc: Document,
    edition: Edition,
    *,
    lang: str,
    catalogue_href: str,
    catalogue_name: str,
    title: str,
) -> str:
    """English and ``lang`` side by side, paragraph (flow) by paragraph.

    Every sentence links to the catalogue, names its entry (file and line) and is coloured
    by its check verdict: the page a reviewer and a publisher can both read.
    """
    choices = {id(seg): c for seg, c in edition.choices}
    rows = []
    n = 0
    for piece in doc.pieces:
        if not isinstance(piece, Flow):
            continue
        if not any(isinstance(p, Segment) for p in piece.parts):
            continue
        kind = next(p.kind for p in piece.parts if isinstance(p, Segment))
        en, tr = [], []
        for part in piece.parts:
            if isinstance(part, Lit):
                en.append(html.escape(_clean(part.flow), quote=False))
                tr.append(html.escape(_clean(part.flow), quote=False))
                continue
            n += 1
            c = choices.get(id(part))
            if c is None:  # pragma: no cover - every segment was chosen when rendering
                c = Choice(None, "missing", None, None)
            line = c.entry.linenum if c.entry is not None else None
            where = f"{catalogue_name}:{line}" if line else catalogue_name
            info = f"{where} · {_STATE_LABEL[c.state]} · check: {c.verdict or 'not run'}"
            cls = f"s v-{c.verdict or 'none'} st-{c.state}"
            href = html.escape(catalogue_href, quote=True)
            shown = c.entry.msgstr if (c.entry is not None and c.entry.msgstr) else (c.text or part.msgid)
            en.append(f'<a class="{cls}" id="en-{n}" href="{href}" title="{html.escape(info)}">'
                      f"{html.escape(_clean(part.msgid), quote=False)}</a>")
            tr_lang = "en" if not (c.entry is not None and c.entry.msgstr) else lang
            tr.append(f'<a class="{cls}" id="{html.escape(lang)}-{n}" lang="{tr_lang}" href="{href}" title="{html.escape(info)}">'
                      f"{html.escape(_clean(shown), quote=False)}</a>")
        row_cls = "row heading" if kind.startswith("heading") else "row"
        rows.append(
            f'<div class="{row_cls}"><div lang="en">{"".join(en)}</div>'
            f'<div lang="{html.escape(lang)}">{"".join(tr)}</div></div>\n'
        )
    counts = edition.counts
    verdicts: dict[str, int] = {}
    for _seg, c in edition.choices:
        verdicts[c.verdict or "none"] = verdicts.get(c.verdict or "none", 0) + 1
    legend = (
        '<p class="legend">'
        + "".join(
            f'<span class="key"><span class="s v-{v}">{label}</span> {verdicts.get(v, 0)}</span>'
            for v, label in (("pass", "check passed"), ("warn", "warning"), ("fail", "failing"), ("none", "not checked"))
        )
        + f'<span class="key">{counts.translated} translated, {counts.fuzzy} machine/fuzzy, '
        f"{counts.untranslated + counts.missing} untranslated, {counts.failing} failing</span>"
        + f'<span class="key">catalogue: <a href="{html.escape(catalogue_href, quote=True)}">'
        f"{html.escape(catalogue_name, quote=False)}</a></span></p>\n"
    )
    head = (
        f'<div class="row head"><div lang="en">English</div>'
        f'<div lang="{html.escape(lang)}">{html.escape(_language_name(lang))}</div></div>\n'
    )
    body = f"<h1>{html.escape(_clean(title), quote=False)}</h1>\n{legend}{head}{''.join(rows)}"
    return page(title, body, "en", extra_css=_BILINGUAL_CSS)


def _language_name(lang: str) -> str:
    """The language's own name for itself (babel's locale data), e.g. "Español"."""
    from babel import Locale

    try:
        loc = Locale.parse(lang.replace("-", "_"))
        name = loc.get_display_name(loc) or lang
    except (ValueError, TypeError):
        return lang
    return name[:1].upper() + name[1:]


def entry_index(po: Iterable[polib.POEntry]) -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
