"""Shielding what must not change from the engines, and putting it back.

URLs, e-mail addresses, phone numbers, printf / python-format / ``{name}`` placeholders,
inline code, HTML tags and Markdown link targets are replaced by numbered placeholders
(``ZXQ1``: one unknown word, which Apertium keeps in place and neural models copy) that the engines carry through unchanged, then restored exactly. Glossary terms
are shielded the same way and come back as their Spanish term. If an engine drops,
duplicates or invents a placeholder, the problem is reported, never "fixed" by guessing
where the token should go.

Pure functions; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..errors import UsageError
from ..text import EMAIL_PATTERN, URL_PATTERN

OPEN, CLOSE = "ZXQ", ""
_PLACEHOLDER = re.compile(r"[*#@]?ZXQ(\d+)(?!\d)")

_PHONE = r"(?<![\w.])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w|\.\d)|(?<![\w.])\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}(?!\w|\.\d)"
_PRINTF = r"%(?:\d+\$|\([A-Za-z_]\w*\))?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsa%]"
_BRACE = r"\{[A-Za-z_0-9]*(?:\.[A-Za-z_]\w*|\[[^\]]*\])*(?:![rsa])?(?::[^{}]*)?\}"

#: (kind, pattern) in priority order; the first that matches at a position wins.
PATTERNS: Sequence[tuple[str, str]] = (
    ("inline code", r"(`+)(?:(?!\1).)+?\1"),
    ("link target", r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)|(?<=\])\[[^\]]*\]"),
    ("autolink", r"<(?:[a-zA-Z][\w+.-]*:[^\s<>]*|[\w.+-]+@[\w.-]+)>"),
    ("html tag", r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"),
    ("url", URL_PATTERN),
    ("email", EMAIL_PATTERN),
    ("phone", _PHONE),
    ("printf", _PRINTF),
    ("placeholder", _BRACE),
)
_KIND_RES = [(kind, re.compile(p, re.S)) for kind, p in PATTERNS]

#: Markdown only: a shortcut or collapsed reference link, ``[label]`` or ``[label][]``. Its
#: text is also the key of a reference definition kept in the skeleton, so translating it
#: would break the link: it stays as written.
_MD_REFERENCE = ("reference link", re.compile(r"(?<![\]\\])!?\[[^\[\]\n]+\](?:\[\])?(?![(\[:])"))


@dataclass(frozen=True)
class Token:
    kind: str  #: "url", "email", "inline code", ..., or "glossary"
    source: str  #: the text in the source
    target: str  #: what it becomes in the translation (same, or the glossary's Spanish term)


@dataclass(frozen=True)
class Shielded:
    text: str  #: the text sent to the engine
    tokens: tuple[Token, ...] = ()


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


def find_tokens(text: str, *, markdown: bool = False) -> list[tuple[int, int, str]]:
    """Protected tokens in ``text`` as (start, end, kind), non-overlapping, in order."""
    found: list[tuple[int, int, str]] = []
    kinds = _KIND_RES[:1] + ([_MD_REFERENCE] if markdown else []) + _KIND_RES[1:]  # inline code first
    for kind, rx in kinds:
        for m in rx.finditer(text):
            if m.end() <= m.start() or (kind == "printf" and m.group(0) == "%%"):
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
        (a, b, Token(kind, text[a:b], text[a:b])) for a, b, kind in find_tokens(text, markdown=markdown)
    ]
    for a, b, term in _glossary_spans(text, glossary):
        if not any(x < b and a < y for x, y, _ in spans):
            spans.append((a, b, Token("glossary", text[a:b], term.target)))
    if not spans:
        return Shielded(text)
    spans.sort(key=lambda s: s[0])
    out: list[str] = []
    pos = 0
    tokens: list[Token] = []
    for a, b, tok in spans:
        out.append(text[pos:a])
        tokens.append(tok)
        out.append(f"{OPEN}{len(tokens)}{CLOSE}")
        pos = b
    out.append(text[pos:])
    return Shielded("".join(out), tuple(tokens))


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

    def put_back(m: re.Match) -> str:
        i = int(m.group(1))
        if 1 <= i <= len(shielded.tokens):
            return shielded.tokens[i - 1].target
        return m.group(0)

    text = _PLACEHOLDER.sub(put_back, translated)
    return Restored(text, tuple(problems), tuple(used), tuple(missing))


def applicable_terms(text: str, glossary: Sequence[GlossaryTerm]) -> list[GlossaryTerm]:
    """Glossary terms that occur in ``text``."""
    return [t for _a, _b, t in sorted(_glossary_spans(text, glossary), key=lambda s: s[0])]


def parse_glossary(rows: Sequence[Sequence[str]], *, path: str = "locales/glossary.csv") -> list[GlossaryTerm]:
    """Rows of (source term, Spanish term[, note]); a header row is skipped."""
    terms = []
    for i, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if i == 1 and cells[0].lower() in ("source", "source term", "english", "en"):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise UsageError("glossary row needs a source term and a Spanish term", path=path, line=i)
        terms.append(GlossaryTerm(cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return terms
