"""Shielding what must not change from the engines, and putting it back.

URLs, e-mail addresses, phone numbers, printf / python-format / ``{name}`` placeholders,
inline code, HTML / XML markup and Markdown link targets are replaced by numbered placeholders
(``ZXQ1``: one unknown word, which Apertium keeps in place and neural models copy) that the
engines carry through unchanged, then restored exactly. Glossary terms are shielded the same
way and come back as their Spanish term, with the article before them made to agree with the
term (:mod:`translate.mt.agree`). If an engine drops, duplicates or invents a placeholder, the
problem is reported, never "fixed" by guessing where the token should go.

What is *not* taken, because translators translate it (measured on the training catalogues):
``<file>``, ``<option>``, ``<function code %d>`` — angle-bracket placeholders made of words
(only a known HTML element with markup around it, or XML with attributes, is a tag); and
GNU quotes (a backquote closed by an apostrophe: a single word in them is kept, several are
translated; never one code span from a backquote to the next). Command-line options
(``--help``, ``-a``) are shielded for the engine, though the checks do not count them. A
placeholder next to a letter or digit is padded with a space for the engine (``ZXQ1 Status``,
never ``ZXQ1Status``) and the padding removed again on the way back; a literal ``#``, ``*``
or ``@`` before a token is text and stays.

Pure functions; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..errors import UsageError
from ..text import EMAIL_PATTERN, URL_PATTERN
from .agree import agree_articles, heads_phrase, parse_gender

OPEN, CLOSE = "ZXQ", ""
_PLACEHOLDER = re.compile(r"ZXQ(\d+)(?!\d)")

_PHONE = r"(?<![\w.])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w|\.\d)|(?<![\w.])\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}(?!\w|\.\d)"
_PRINTF = r"%(?:\d+\$|\([A-Za-z_]\w*\))?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsa%]"
_BRACE = r"\{[A-Za-z_0-9]*(?:\.[A-Za-z_]\w*|\[[^\]]*\])*(?:![rsa])?(?::[^{}]*)?\}"

#: (kind, pattern) in priority order; the first that matches at a position wins.
PATTERNS: Sequence[tuple[str, str]] = (
    ("inline code", r"(`+)(?:(?!\1).)+?\1"),
    ("link target", r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)|(?<=\])\[[^\]]*\]"),
    ("autolink", r"<(?:[a-zA-Z][\w+.-]*:[^\s<>]*|[\w.+-]+@[\w.-]+)>"),
    ("html tag", r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>"),  # then filtered by _is_markup
    ("url", URL_PATTERN),
    ("email", EMAIL_PATTERN),
    ("phone", _PHONE),
    ("printf", _PRINTF),
    ("placeholder", _BRACE),
)
_KIND_RES = [(kind, re.compile(p, re.S)) for kind, p in PATTERNS]
#: Shielded for the engine only (the checks do not count them): a command-line option
#: (``--help``, ``-a`` — which Apertium reads as the article "a") and a GNU-quoted single word (```ls'``: translators keep 39 of 40 in the
#: training catalogues) are never translated.
_FOR_ENGINE = [
    ("quoted word", re.compile(r"`[^`'\s%{]+'(?![\w`])")),  # `%s' is a printf in quotes
    ("option", re.compile(r"(?<![\w-])--[A-Za-z][\w-]*|(?<![\w-])-[A-Za-z](?=[\s,=\[]|$)")),
]

#: HTML elements (the WHATWG list plus common obsolete ones). A ``<word>`` whose name is not
#: here, or that has no markup around it, is a placeholder that translators translate.
HTML_ELEMENTS = frozenset(
    """a abbr acronym address area article aside audio b bdi bdo big blockquote body br button
    canvas caption center cite code col colgroup data datalist dd del details dfn dialog div dl
    dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html
    i iframe img input ins kbd label legend li link main map mark meta meter nav noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script section select
    small source span strike strong style sub summary sup table tbody td template textarea tfoot th
    thead time title tr track tt u ul var video wbr""".split()
)
#: Elements whose opening tag alone is markup: void elements (``<br>``) and names that are no
#: English word (``<b>`` opening a sentence whose ``</b>`` is in the next one). ``<option>``,
#: ``<code>``, ``<title>`` alone are words in angle brackets.
_ALONE = frozenset(
    """a abbr b bdi bdo blockquote br cite colgroup dd del dfn div dl dt em h1 h2 h3 h4 h5 h6 hr
    i iframe img ins kbd li noscript ol optgroup p pre q rp rt s samp span strong sub sup tbody td
    textarea tfoot th thead tr tt u ul wbr""".split()
)
_TAG_PARTS = re.compile(r"<(/?)([A-Za-z][\w:.-]*)(\s[^<>]*?)?(/?)>", re.S)
_ATTRIBUTE = re.compile(r"""^\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
#: A GNU quotation, `like this': its words are text (the inline-code pattern must not span it).
_GNU_QUOTE = re.compile(r"`[^`'\n]+'(?![\w`])")


def _is_markup(tag: str, text: str) -> bool:
    """Is ``tag`` (matched by the "html tag" pattern) real markup rather than a placeholder?

    Markup: an HTML element that closes, is closed in ``text``, stands alone or has an
    attribute; or any element with ``name="value"`` attributes or the XML ``/>`` / ``</…>``
    form whose name is an identifier. ``<option>``, ``<file>``, ``<function code %d>`` alone
    are placeholders.
    """
    m = _TAG_PARTS.fullmatch(tag)
    if not m:
        return False
    closing, name, rest, selfclose = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    attrs = bool(rest.strip()) and _ATTRIBUTE.match(rest) is not None
    if rest.strip() and not attrs:
        return False  # <function code %d>, <cycle %d as a whole>: words, not attributes
    lname = name.lower()
    if closing or selfclose or attrs:
        return True
    if lname in HTML_ELEMENTS:
        return lname in _ALONE or re.search(f"</{re.escape(name)}\\s*>", text, re.I) is not None
    return "_" in name or any(c.isdigit() for c in name)  # <PRIx64>, <text_view_markup>

#: Markdown only: a shortcut or collapsed reference link, ``[label]`` or ``[label][]``. Its
#: text is also the key of a reference definition kept in the skeleton, so translating it
#: would break the link: it stays as written.
_MD_REFERENCE = ("reference link", re.compile(r"(?<![\]\\])!?\[[^\[\]\n]+\](?:\[\])?(?![(\[:])"))


@dataclass(frozen=True)
class Token:
    kind: str  #: "url", "email", "inline code", ..., or "glossary"
    source: str  #: the text in the source
    target: str  #: what it becomes in the translation (same, or the glossary's Spanish term)
    #: a glossary term heading its noun phrase: its (gender, number), for the article before it
    agree: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class Shielded:
    text: str  #: the text sent to the engine
    tokens: tuple[Token, ...] = ()
    #: per token, (space added before, space added after) so it does not glue to a word
    padding: tuple[tuple[bool, bool], ...] = ()


@dataclass(frozen=True)
class Restored:
    text: str
    problems: tuple[str, ...] = ()
    glossary_used: tuple[str, ...] = ()
    glossary_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class GlossaryTerm:
    source: str
    target: str
    note: str = ""
    gender: str = ""  #: "m" / "f" of the Spanish term ("" unknown): the article agrees with it
    number: str = ""  #: "sg" / "pl" ("" unknown)


#: kind → strings of which a match of its pattern contains at least one: a text without any
#: of them is not searched for that kind (most segments have no token: the search was the
#: larger part of the engine's Python work).
_NEEDS = {
    "inline code": ("`",),
    "quoted word": ("`",),
    "reference link": ("]",),
    "link target": ("]",),
    "autolink": ("<",),
    "html tag": ("<",),
    "url": ("://", "www."),
    "email": ("@",),
    "phone": ("+", "("),
    "printf": ("%",),
    "placeholder": ("{",),
    "option": ("-",),
}


def _kinds(markdown: bool, for_engine: bool) -> list[tuple[str, re.Pattern]]:
    return _KIND_RES[:1] + ([_MD_REFERENCE] if markdown else []) + (_FOR_ENGINE if for_engine else []) + _KIND_RES[1:]


def may_hold_tokens(text: str, *, markdown: bool = False, for_engine: bool = False) -> bool:
    """False when :func:`find_tokens` (same options) cannot find a token in ``text``: it holds
    none of the strings (:data:`_NEEDS`) every token of those kinds contains."""
    return any(need in text for kind, _rx in _kinds(markdown, for_engine) for need in _NEEDS[kind])


def find_tokens(text: str, *, markdown: bool = False, for_engine: bool = False) -> list[tuple[int, int, str]]:
    """Protected tokens in ``text`` as (start, end, kind), non-overlapping, in order.

    ``for_engine``: also what only the engine must not see (options, GNU-quoted words).
    """
    found: list[tuple[int, int, str]] = []
    kinds = _kinds(markdown, for_engine)
    gnu = [m.span() for m in _GNU_QUOTE.finditer(text)] if "`" in text else []
    for kind, rx in kinds:
        for need in _NEEDS[kind]:
            if need in text:
                break
        else:
            continue
        for m in rx.finditer(text):
            if m.end() <= m.start() or (kind == "printf" and m.group(0) == "%%"):
                continue
            if kind == "inline code" and any(a <= m.start() < b for a, b in gnu):
                continue  # `this' and `that': GNU quotes, not a code span from one to the other
            if kind == "html tag" and not _is_markup(m.group(0), text):
                continue
            inside = [t for t in found if m.start() <= t[0] and t[1] <= m.end()]
            if kind == "reference link" and inside and all(t[2] == "inline code" for t in inside):
                # [`==` operator][]: the label is the link's key, code and all
                found = [t for t in found if t not in inside]
            if not any(a < m.end() and m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), kind))
    found.sort()
    return found


def _glossary_spans(text: str, glossary: Sequence[GlossaryTerm]) -> list[tuple[int, int, GlossaryTerm]]:
    spans: list[tuple[int, int, GlossaryTerm]] = []
    for term in sorted(glossary, key=lambda t: -len(t.source)):
        flags = 0 if any(c.isupper() for c in term.source) else re.IGNORECASE
        rx = re.compile(r"(?<!\w)" + re.escape(term.source) + r"(?!\w)", flags)
        for m in rx.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), term))
    return spans


def shield(text: str, glossary: Sequence[GlossaryTerm] = (), *, markdown: bool = False) -> Shielded:
    """Replace protected tokens and glossary terms with ``ZXQn`` placeholders.

    ``markdown``: the text comes from a Markdown document (reference links are kept).
    """
    if OPEN in text:
        # the text itself uses our brackets: shield nothing rather than confuse the two
        return Shielded(text)
    spans: list[tuple[int, int, Token]] = [
        (a, b, Token(kind, text[a:b], text[a:b])) for a, b, kind in find_tokens(text, markdown=markdown, for_engine=True)
    ]
    for a, b, term in _glossary_spans(text, glossary):
        if not any(x < b and a < y for x, y, _ in spans):
            agree = (term.gender, term.number) if heads_phrase(text, b) else ("", "")
            spans.append((a, b, Token("glossary", text[a:b], term.target, agree)))
    if not spans:
        return Shielded(text)
    spans.sort(key=lambda s: s[0])
    out: list[str] = []
    pos = 0
    tokens: list[Token] = []
    padding: list[tuple[bool, bool]] = []
    for a, b, tok in spans:
        out.append(text[pos:a])
        tokens.append(tok)
        pad = (a > 0 and text[a - 1].isalnum(), b < len(text) and text[b].isalnum())
        padding.append(pad)
        out.append(" " * pad[0] + f"{OPEN}{len(tokens)}{CLOSE}" + " " * pad[1])
        pos = b
    out.append(text[pos:])
    return Shielded("".join(out), tuple(tokens), tuple(padding))


#: A restored placeholder before its token goes in: private-use characters, so that
#: removing the padding cannot make "ZXQ1" + "0x" read as "ZXQ10".
_SENTINEL = re.compile("\ue000(\\d+)\ue001")


def _unpad(text: str, shielded: Shielded) -> str:
    """Remove the spaces :func:`shield` added around glued tokens, where they still touch a word."""
    for i, (before, after) in enumerate(shielded.padding, 1):
        mark = re.escape(f"\ue000{i}\ue001")
        if after:
            text = re.sub(rf"({mark}) (?=\w)", r"\1", text)
        if before:
            text = re.sub(rf"(?<=\w) ({mark})", r"\1", text)
    return text


def restore(translated: str, shielded: Shielded) -> Restored:
    """Put the tokens back into the engine's output; report any that did not survive."""
    if not shielded.tokens:
        return Restored(translated)
    problems: list[str] = []
    counts: dict[int, int] = {}
    for m in _PLACEHOLDER.finditer(translated):
        counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
    used, missing = [], []
    for i, tok in enumerate(shielded.tokens, 1):
        n = counts.get(i, 0)
        if n == 0:
            if tok.kind == "glossary":
                missing.append(tok.source)
            problems.append(f"{tok.kind} {tok.source!r} was dropped by the engine")
        elif n > 1:
            problems.append(f"{tok.kind} {tok.source!r} was repeated {n} times by the engine")
        elif tok.kind == "glossary":
            used.append(tok.source)
    for i in counts:
        if not 1 <= i <= len(shielded.tokens):
            problems.append(f"the engine invented a placeholder {OPEN}{i}{CLOSE}")

    def mark(m: re.Match) -> str:
        i = int(m.group(1))
        return f"\ue000{i}\ue001" if 1 <= i <= len(shielded.tokens) else m.group(0)

    genders = {f"{OPEN}{i}{CLOSE}": t.agree for i, t in enumerate(shielded.tokens, 1) if t.agree[0]}
    text = _unpad(_PLACEHOLDER.sub(mark, agree_articles(translated, genders)), shielded)
    text = _SENTINEL.sub(lambda m: shielded.tokens[int(m.group(1)) - 1].target, text)
    return Restored(text, tuple(problems), tuple(used), tuple(missing))


def applicable_terms(text: str, glossary: Sequence[GlossaryTerm]) -> list[GlossaryTerm]:
    """Glossary terms that occur in ``text``."""
    return [t for _a, _b, t in sorted(_glossary_spans(text, glossary), key=lambda s: s[0])]


def parse_glossary(rows: Sequence[Sequence[str]], *, path: str = "locales/glossary.csv") -> list[GlossaryTerm]:
    """Rows of (source term, Spanish term[, note[, gender]]); a header row is skipped.

    The optional fourth column gives the Spanish term's gender and number ("f", "m pl"), for
    the article before it; left empty, it is found by Apertium's analyser (see glossary.py).
    """
    terms = []
    for i, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if i == 1 and cells[0].lower() in ("source", "source term", "english", "en"):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise UsageError("glossary row needs a source term and a Spanish term", path=path, line=i)
        gender, number = parse_gender(cells[3]) if len(cells) > 3 else ("", "")
        terms.append(GlossaryTerm(cells[0], cells[1], cells[2] if len(cells) > 2 else "", gender, number))
    return terms
