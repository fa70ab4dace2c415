"""The explicit configuration passed from the CLI down to every stage."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import SourceError, UsageError

#: The languages of this toolkit: English sources, Spanish editions (``en`` is the English
#: edition rebuilt from the catalogue).
SOURCE_LANG = "en"
LANGUAGES = ("es", "en")

#: Source document formats by file extension.
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md"}


@dataclass(frozen=True)
class Config:
    project: Path
    quiet: bool = False

    @property
    def source_dir(self) -> Path:
        return self.project / "source"

    @property
    def locales_dir(self) -> Path:
        return self.project / "locales"

    @property
    def editions_dir(self) -> Path:
        return self.project / "editions"

    def template_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def po_path(self, lang: str, domain: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"

    def show(self, path: Path) -> str:
        """``path`` as shown to the user and written in references: relative to the project."""
        try:
            return path.resolve().relative_to(self.project.resolve()).as_posix()
        except ValueError:
            return str(path)


def parse_locale(lang: str):
    """A babel Locale for ``lang``; unknown codes raise UsageError."""
    from babel import Locale, UnknownLocaleError  # its locale data loads only when a language is named

    if not lang or "/" in lang or "\\" in lang or lang.startswith("."):
        raise UsageError(f"unknown language code {lang!r}")
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown language code {lang!r} (expected e.g. 'es', 'en', 'es_MX')") from None


def check_lang(lang: str) -> str:
    """``lang`` if this toolkit makes catalogues and editions in it, else a one-line UsageError."""
    parse_locale(lang)  # "unknown language code" for what is no language at all
    if lang not in LANGUAGES:
        raise UsageError(
            f"unsupported language {lang!r}: this toolkit makes Spanish editions of English documents "
            f"(--lang {' or --lang '.join(LANGUAGES)})"
        )
    return lang


def now() -> _dt.datetime:
    """The time written in catalogue headers (UTC, to the minute)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(second=0, microsecond=0)


# -- where the project's files are -------------------------------------------------------------


def source_files(config: Config, files: Sequence[Path] = ()) -> list[Path]:
    """The documents to work on: ``files`` if given, else every .txt/.md in ``source/``."""
    if files:
        out = []
        for f in files:
            p = f if f.is_absolute() else (Path.cwd() / f)
            if not p.exists():
                raise SourceError("no such file", path=str(f))
            if p.is_dir():
                raise SourceError("is a directory; give document files (or no argument for all of source/)", path=str(f))
            if p.suffix.lower() not in FORMATS:
                raise SourceError(f"unsupported format {p.suffix or '(no extension)'!r}; expected .txt or .md", path=str(f))
            out.append(p)
    else:
        src = config.source_dir
        if not src.is_dir():
            raise UsageError(f"no source/ folder in {config.project} (put the English documents there)")
        out = sorted(p for p in src.iterdir() if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith("."))
        if not out:
            raise UsageError(f"{config.show(src)}/ has no .txt or .md documents")
        root = config.project.resolve()
        for p in out:
            if p.is_symlink() and not p.resolve().is_relative_to(root):
                raise SourceError("is a link to a file outside the project; copy the document into source/", path=config.show(p))
    domains: dict[str, Path] = {}
    for p in out:
        if any(ord(c) < 32 or ord(c) == 127 for c in p.name):
            raise SourceError(
                "the file name holds a control character (a newline?); rename the document",
                path=repr(config.show(p))[1:-1],
            )
        d = p.stem
        if d in domains and domains[d] != p:
            raise UsageError(f"two documents share the domain {d!r}: {config.show(domains[d])} and {config.show(p)}")
        domains[d] = p
    return out


def templates(config: Config) -> list[Path]:
    if not config.locales_dir.is_dir():
        raise UsageError("no locales/ folder: run `translate segment` first")
    pots = sorted(config.locales_dir.glob("*.pot"))
    if not pots:
        raise UsageError("no templates in locales/: run `translate segment` first")
    return pots


def catalogues(config: Config, lang: str, domains: Sequence[str] = ()) -> list[Path]:
    folder = config.locales_dir / lang / "LC_MESSAGES"
    paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
    if domains:
        wanted = set(domains)
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise UsageError(f"no {lang} catalogue for domain {sorted(unknown)[0]!r} in {config.show(folder)}")
        paths = [p for p in paths if p.stem in wanted]
    if not paths:
        raise UsageError(f"no {lang} catalogues in {config.show(folder)}: run `translate update --lang {lang}` first")
    return paths
