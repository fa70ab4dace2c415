"""The small protocol every engine keeps."""

from __future__ import annotations

from typing import Protocol, Sequence


class Engine(Protocol):
    """An offline machine-translation engine for one language pair.

    ``name`` is ``"argos"`` or ``"apertium"``; ``version`` names the engine release and
    the model or language package, and is recorded on every machine translation.
    """

    name: str
    version: str
    source_lang: str
    target_lang: str

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate ``texts``; returns exactly one output per input, in order."""
        ...
