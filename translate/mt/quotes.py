"""Pieces of a segment the engine translates apart: quotations and ``--help`` columns.

In ``“Planning is key,” said Pisani, IOM Director.`` a rule-based engine sees one
sentence and reorders across the closing quote ("es Marcelo” primordial , dicho Pisani").
So a segment made of a quotation and an attribution is cut into pieces — each quotation,
each stretch of text between them — that the engine translates as sentences of their own;
the translations are joined with the whitespace that separated the pieces.

A leading reporting verb of an attribution ("said Pisani") is shielded like a glossary term
and comes back as the Spanish past tense ("dijo Pisani"): alone, an engine reads "said" as
a participle ("dicho Pisani").

Only quotations that stand as a sentence are taken: four words or more, opening the segment
or after ``, : ;``, and closing it or ending in ``, . ! ?`` inside the marks. "Click “Save”
to continue" is one sentence and stays whole.

In a ``--help`` listing ("  -h, --help     display this help and exit") the option column
is kept as it is and the description translated on its own (whole, the engine translates
``-a`` as the article "a" and reads the description's verb as a noun after the option);
an argument name (``--user=NAME``) is translated, as translators do.

Pure functions over :class:`~translate.mt.protect.Shielded` texts; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .protect import OPEN, Shielded, Token

#: English reporting verbs opening an attribution, and their Spanish past tense
REPORTING = {"said": "dijo", "says": "dice", "added": "añadió", "explained": "explicó", "stated": "afirmó", "noted": "señaló"}

_QUOTATION = re.compile(r"“[^“”]+”|«[^«»]+»")
_VERB = re.compile(r"(" + "|".join(REPORTING) + r")\b")


@dataclass(frozen=True)
class Pieces:
    """A shielded text cut for the engine: ``parts`` kept as they are or translated, in order."""

    shielded: Shielded
    parts: tuple[tuple[str, bool], ...]  #: (text, kept verbatim)

    @property
    def texts(self) -> tuple[str, ...]:
        """What the engine translates."""
        return tuple(t for t, kept in self.parts if not kept)

    def join(self, outputs: list[str]) -> str:
        """The translation: kept parts as they are, translated ones in their place.

        An engine capitalises what it takes for a sentence start: a piece that starts in
        lower case in the source ("display this help") does so in the translation too.
        """
        it = iter(outputs)
        out = []
        for t, kept in self.parts:
            if kept:
                out.append(t)
                continue
            piece = next(it).strip()
            first = re.match(r"\w+", piece)
            if t.isupper():  # an argument name: NAME → NOMBRE
                piece = piece.upper()
            elif t[:1].islower() and first and first.group(0)[0].isupper() and not first.group(0).isupper():
                piece = piece[0].lower() + piece[1:]
            out.append(piece)
        return "".join(out)


def _is_quotation(text: str, a: int, b: int) -> bool:
    inner = text[a + 1 : b - 1]
    if len(inner.split()) < 4:
        return False
    opens = not text[:a].strip() or text[:a].rstrip()[-1] in ",:;"
    closes = not text[b:].strip() or inner.rstrip()[-1:] in (",", ".", "!", "?")
    return opens and closes


def _with_verb(shielded: Shielded, piece: str) -> tuple[Shielded, str]:
    """Shield a reporting verb that opens an attribution piece."""
    m = _VERB.match(piece)
    if not m:
        return shielded, piece
    n = len(shielded.tokens) + 1
    tok = Token("reporting verb", m.group(1), REPORTING[m.group(1)])
    shielded = replace(shielded, tokens=shielded.tokens + (tok,), padding=shielded.padding + ((False, False),))
    return shielded, f"{OPEN}{n}" + piece[m.end() :]


#: An option column of a ``--help`` listing: options (shielded), an optional argument name,
#: then two spaces or more before the description ("  -h, --help     display this help").
_COLUMN = re.compile(
    r"^([^\S\n]*ZXQ(\d+)(?:,[^\S\n]*ZXQ\d+)*[= ]?)([A-Z][A-Z0-9_-]*)?([^\S\n]{2,})(?=\S)", re.M
)


def _columns(shielded: Shielded) -> list[tuple[int, int]]:
    """Option columns of a ``--help`` listing: kept as they are, apart from their description.

    The argument name (``NAME`` in ``--user=NAME``) is translated, as translators do
    (``NOMBRE``): it is left out of what is kept.
    """
    spans = []
    for m in _COLUMN.finditer(shielded.text):
        n = int(m.group(2))
        if n <= len(shielded.tokens) and shielded.tokens[n - 1].kind == "option":
            spans += [m.span(1), m.span(4)] if m.group(3) else [(m.start(1), m.end(4))]
    return spans


def _quotation_gaps(text: str) -> list[tuple[int, int]]:
    """The whitespace around each quotation that stands apart from its attribution."""
    spans = [m.span() for m in _QUOTATION.finditer(text) if _is_quotation(text, *m.span())]
    if "\n" in text:
        return []
    gaps = []
    for a, b in spans:
        gaps.append((len(text[:a].rstrip()), a))
        gaps.append((b, b + len(text[b:]) - len(text[b:].lstrip())))
    return [g for g in gaps if 0 < g[0] or 0 < g[1]]


def split(shielded: Shielded) -> Pieces:
    """Cut ``shielded.text`` into quotations, attributions and descriptions (or keep it whole)."""
    text = shielded.text
    kept = sorted(set(_columns(shielded)) | set(_quotation_gaps(text)))
    if not kept:
        return Pieces(shielded, ((text, False),))
    parts: list[tuple[str, bool]] = []
    pos = 0
    after_quote = False
    for a, b in kept + [(len(text), len(text))]:
        if a < pos:
            continue
        piece = text[pos:a]
        core = piece.strip()
        if core:
            lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
            if after_quote and not core.startswith(("“", "«")):
                shielded, core = _with_verb(shielded, core)
            after_quote = core.startswith(("“", "«"))
            parts += [(lead, True), (core, False), (trail, True)]
        else:
            parts.append((piece, True))
        parts.append((text[a:b], True))
        pos = b
    parts = [p for p in parts if p[0]]
    if sum(not k for _t, k in parts) < 2 and not _columns(shielded):
        return Pieces(shielded, ((text, False),))
    return Pieces(shielded, tuple(parts))
