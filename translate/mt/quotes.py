"""Quotations sent to the engine apart from their attribution, and joined again after.

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
    """A shielded text cut for the engine: ``texts`` to translate, joined by ``joins``."""

    shielded: Shielded
    texts: tuple[str, ...]
    joins: tuple[str, ...] = ()  #: whitespace between texts[i] and texts[i + 1]

    def join(self, outputs: list[str]) -> str:
        out = outputs[0].strip()
        for sep, piece in zip(self.joins, outputs[1:]):
            out += sep + piece.strip()
        return out


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


def split(shielded: Shielded) -> Pieces:
    """Cut ``shielded.text`` into quotations and attributions (or keep it whole)."""
    text = shielded.text
    spans = [m.span() for m in _QUOTATION.finditer(text) if _is_quotation(text, *m.span())]
    if not spans or "\n" in text:
        return Pieces(shielded, (text,))
    cuts, pos = [], 0
    for a, b in spans:
        cuts += [(pos, a), (a, b)]
        pos = b
    cuts.append((pos, len(text)))
    texts: list[str] = []
    joins: list[str] = []
    gap = ""
    for a, b in cuts:
        piece = text[a:b]
        if not piece.strip():
            gap += piece
            continue
        core = piece.strip()
        if texts:
            joins.append(gap + piece[: len(piece) - len(piece.lstrip())])
        gap = piece[len(piece.rstrip()) :]
        if not core.startswith(("“", "«")) and texts:
            shielded, core = _with_verb(shielded, core)
        texts.append(core)
    if len(texts) < 2:
        return Pieces(shielded, (text,))
    return Pieces(shielded, tuple(texts), tuple(joins))
