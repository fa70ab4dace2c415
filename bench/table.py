"""One Markdown table printer for the benchmark scripts."""

from __future__ import annotations


def markdown(head: list[str], rows: list[list[str]]) -> str:
    """``head`` and ``rows`` as a Markdown table with aligned columns."""
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in [head] + rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
