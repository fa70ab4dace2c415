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
from ..mt.engines.select import load_engine
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


def plan(back, pairs: Sequence[tuple[polib.POEntry, tuple[str, str]]]) -> tuple[dict[str, str], set[str]]:
    """Which engine back-translates each msgstr: msgstr → round-trip label, and the msgstrs
    the second engine back-translates (those the back engine made itself, when a second one
    is installed; they are not back-translated by the first). A msgstr of several entries
    goes by its first one."""
    name = getattr(back.engine, "name", "?") if back is not None and back.engine is not None else None
    if name is None:
        return {}, set()
    cross = getattr(back, "cross", None)
    out: dict[str, str] = {}
    by_cross: set[str] = set()
    for e, (_i, s) in pairs:
        if s in out:
            continue
        maker = made_by(e)
        if maker is not None and maker == name and cross is not None:
            out[s] = label(CROSS, maker, cross.name)
            by_cross.add(s)
        elif maker is not None:
            out[s] = label(CROSS if maker != name else SAME, maker, name)
        else:
            out[s] = label(HUMAN, None, name)
    return out, by_cross
