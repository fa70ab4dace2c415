"""Exceptions. The CLI turns every ``TranslateError`` into one line on stderr and exit code 2."""

from __future__ import annotations

from pathlib import Path


class TranslateError(Exception):
    """Base class of every error the toolkit reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class UsageError(TranslateError):
    """Bad command-line usage: unknown language, missing folder, conflicting options."""


class SourceError(TranslateError):
    """A source document cannot be read: empty, binary, not UTF-8, not a file."""


class CatalogError(TranslateError):
    """A .po/.pot file is malformed or does not match the sources."""


class LockedError(TranslateError):
    """Another run holds the lock on a catalogue."""


class EngineError(TranslateError):
    """A translation engine is missing, broken, or failed during a batch."""


class EngineMissingError(EngineError):
    """No engine is installed for the requested language pair."""


class PartialError(TranslateError):
    """The work stopped part-way; what was finished is saved (exit code 1)."""

    exit_code = 1
