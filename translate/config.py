"""The explicit configuration passed from the CLI down to every stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
