"""Terminal output: progress bars and tables (rich), quiet when not on a terminal.

Stages take a plain ``progress(done, total, words=0)`` callable; :class:`Progress` is the one
the CLI passes down. Nothing here is imported by the stages themselves.
"""

from __future__ import annotations

import sys
from typing import Sequence, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as _RichProgress, TextColumn, TimeRemainingColumn
from rich.table import Table


class Progress:
    """A progress bar on stderr for one step (entries, words/s, ETA); silent when not a terminal.

    Call it as ``progress(done, total, words)``; ``close()`` (or leaving the ``with`` block)
    removes the bar.
    """

    def __init__(self, label: str, *, enabled: bool | None = None, stream: TextIO | None = None, unit: str = "entries"):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.unit = unit
        self.words = 0
        self._bar: _RichProgress | None = None
        self._task = None

    def __call__(self, done: int, total: int, words: int = 0) -> None:
        if not self.enabled:
            return
        self.words += words
        if self._bar is None:
            self._bar = _RichProgress(
                TextColumn(f"{self.label}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self.unit),
                TextColumn("· {task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=total, rate="")
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rate = f"{self.words / elapsed:,.0f} words/s" if self.words and elapsed > 0 else ""
        self._bar.update(self._task, completed=done, total=total, rate=rate)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None, width: int = 100) -> str:
    """A table as text: box lines on a terminal width, plain ASCII when piped."""
    table = Table(*header, title=title, title_justify="left", header_style="bold", box=None, pad_edge=False)
    for row in rows:
        table.add_row(*[str(c) for c in row])
    console = Console(width=width, record=True, file=_Null(), color_system=None, soft_wrap=False)
    console.print(table)
    return console.export_text().rstrip("\n")


class _Null:
    def write(self, _s: str) -> int:
        return 0

    def flush(self) -> None:
        pass
