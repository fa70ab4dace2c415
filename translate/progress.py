"""A small progress bar on stderr: entries, words/s and ETA. Silent when not a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, *, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.start = time.monotonic()
        self.words = 0
        self.shown = False

    def __call__(self, done: int, total: int, words: int = 0) -> None:
        if not self.enabled:
            return
        self.words += words
        elapsed = max(time.monotonic() - self.start, 1e-6)
        width = 30
        filled = int(width * done / total) if total else width
        rate = self.words / elapsed
        eta = (elapsed / done * (total - done)) if done else 0.0
        eta_s = f"{int(eta // 60)}:{int(eta % 60):02d}" if done else "--:--"
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} entries"
            f" · {rate:,.0f} words/s · ETA {eta_s} "
        )
        self.stream.flush()
        self.shown = True
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
