"""Which engine back-translates a msgstr, and what that round trip can see.

A round trip through the engine that made the text undoes that engine's own mistakes
("Please read the file" → "Complacer leído la lima" → "Please read the file"): it is a weak
signal. When a second es→en engine is installed, a machine-made msgstr is back-translated by
the *other* engine (a cross-engine round trip), which does not share the first one's
dictionary or errors. Every entry records which kind of round trip it had.
"""

from __future__ import annotations

import re
from typing import Sequence

import polib

from ..errors import EngineMissingError
from ..mt.engines.select import load_engine, translate_with_markers
from ..po.state import provenance

CROSS, SAME, HUMAN = "cross-engine", "same-engine", "human text"
_OTHER = {"apertium": "argos", "argos": "apertium"}


def made_by(e: polib.POEntry) -> str | None:
    """The engine named in the entry's ``mt:`` provenance line (``apertium``, ``argos``), if any."""
    line = provenance(e)
    m = re.match(r"mt: (\w+)", line or "")
    return m.group(1) if m else None


def load_cross(back_engine) -> object | None:
    """The es→en engine other than ``back_engine``, when one is installed."""
    other = _OTHER.get(getattr(back_engine, "name", ""))
    if other is None:
        return None
    try:
        return load_engine(other, "es", "en")
    except EngineMissingError:
        return None


def label(kind: str, maker: str | None, back_name: str) -> str:
    """One line for the report: the round trip's kind and engines."""
    if kind == CROSS:
        return f"{CROSS}: made by {maker}, back-translated by {back_name}"
    if kind == SAME:
        return f"{SAME}: made and back-translated by {back_name} (weak: an engine undoes its own mistakes)"
    return f"{HUMAN}: back-translated by {back_name}"


def redo(back, pairs: Sequence[tuple[polib.POEntry, tuple[str, str]]], bt: dict) -> dict[str, str]:
    """Back-translate, with the second engine, the msgstrs the back engine itself made.

    ``bt`` (msgstr → (back-translation, unknown words)) is updated in place for those texts.
    Returns msgstr → round-trip label for every back-translated msgstr.
    """
    name = getattr(back.engine, "name", "?") if back is not None and back.engine is not None else None
    if name is None or not bt:
        return {}
    cross = getattr(back, "cross", None)
    out: dict[str, str] = {}
    redo_texts: list[str] = []
    for e, (_i, s) in pairs:
        maker = made_by(e)
        if s not in bt or s in out:
            continue
        if maker is not None and maker == name and cross is not None:
            out[s] = label(CROSS, maker, cross.name)
            redo_texts.append(s)
        elif maker is not None:
            out[s] = label(CROSS if maker != name else SAME, maker, name)
        else:
            out[s] = label(HUMAN, None, name)
    if redo_texts:
        outs, unknown = translate_with_markers(cross, redo_texts)
        for s, o, u in zip(redo_texts, outs, unknown):
            bt[s] = (o, u)
    return out
