"""Source context for the review page: the paragraph of a source document around an entry's sentence.

Only files inside the project's ``source/`` folder, of a format the toolkit reads, are ever opened.
"""

from __future__ import annotations

from pathlib import Path

import polib

from ..config import FORMATS
from ..fsutil import read_text_strict
from ..segment.document import Flow, Segment, parse_document


class Sources:
    """Paragraphs of the project's source documents, read only from the project's source/ folder."""

    def __init__(self, root: Path | None):
        self.root = root.resolve() if root is not None else None
        self._docs: dict[Path, object] = {}

    def resolve(self, ref: str) -> Path | None:
        if self.root is None or not ref or "\0" in ref:
            return None
        rel = Path(ref)
        if rel.is_absolute():
            return None
        p = (self.root / rel).resolve()
        if not p.is_relative_to(self.root / "source") or p.suffix.lower() not in FORMATS or not p.is_file():
            return None
        return p

    def context(self, e: polib.POEntry) -> dict | None:
        """The paragraph around the entry's sentence in the first source document that has it."""
        for ref, line in e.occurrences:
            p = self.resolve(ref)
            if p is None:
                continue
            doc = self._docs.get(p)
            if doc is None:
                try:
                    doc = parse_document(read_text_strict(p), ref, FORMATS[p.suffix.lower()])
                except Exception:  # noqa: BLE001 - a source that cannot be read gives no context
                    doc = False
                self._docs[p] = doc
            if not doc:
                continue
            want = int(line) if str(line).isdigit() else None
            for piece in doc.pieces:
                if not isinstance(piece, Flow):
                    continue
                for part in piece.parts:
                    if isinstance(part, Segment) and part.msgid == e.msgid and (want is None or part.line == want):
                        src = piece.source
                        start = doc.text.find(src)
                        a = part.start - start if start >= 0 else -1
                        restored = part.restore(part.msgid)
                        if a < 0 or src[a : a + len(restored)] != restored:
                            a = src.find(restored)
                        if a < 0:
                            return {"file": f"{ref}:{line}", "before": src, "sentence": "", "after": ""}
                        return {
                            "file": f"{ref}:{line}",
                            "before": src[:a],
                            "sentence": restored,
                            "after": src[a + len(restored) :],
                        }
        return None
