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

from .text import plural


# -- one-line summaries of the stages' results (the table of `translate run`) ---------------------


def segment_summary(results) -> str:
    written = sum(r.written for r in results)
    return (
        f"{plural(len(results), 'document')}, {plural(sum(r.entries for r in results), 'entry', 'entries')}, "
        f"{plural(sum(r.words for r in results), 'word')}; {plural(written, 'template')} written"
    )


def update_summary(results) -> str:
    reps = [r.report for r in results]
    return (
        f"{plural(len(results), 'catalogue')}: {sum(r.kept for r in reps):,} kept, {sum(r.fuzzy for r in reps):,} fuzzy, "
        f"{sum(r.new for r in reps):,} new, {sum(r.obsoleted for r in reps):,} obsolete"
    )


def mt_summary(r) -> str:
    if not r.engine and not r.from_memory:
        return "nothing to translate"
    parts = []
    if r.engine:
        parts.append(f"{plural(r.translated, 'sentence')} by {r.engine} ({plural(r.words, 'word')})")
    if r.from_memory:
        parts.append(f"{plural(r.from_memory, 'sentence')} from the translation memory")
    if r.flagged:
        parts.append(f"{r.flagged:,} flagged")
    return ", ".join(parts)


def check_summary(report) -> str:
    c = report.counts()
    return f"{plural(len(report.results), 'entry', 'entries')}: {c['pass']:,} pass, {c['warn']:,} warn, {c['fail']:,} fail"


def build_summary(results) -> str:
    if not results:
        return "nothing built"
    c: dict[str, int] = {}
    for r in results:
        for k, v in r.counts.items():
            c[k] = c.get(k, 0) + v
    left = c.get("untranslated", 0) + c.get("missing", 0)
    return (
        f"{plural(len(results), 'document')}: {c.get('translated', 0):,} translated, {c.get('fuzzy', 0):,} machine/fuzzy, "
        f"{left:,} left in English" + (f", {c['failing']:,} failing" if c.get("failing") else "")
    )


def english_build_summary(results) -> str:
    return f"{plural(len(results), 'document')}, {plural(sum(r.segments for r in results), 'sentence')}"


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
