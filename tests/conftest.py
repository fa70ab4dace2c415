"""Shared fixtures: a throw-away project folder and a CLI runner that returns exit code and output."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from translate.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "source").mkdir()
    return tmp_path


@pytest.fixture
def run_cli(capsys):
    def run(project: Path, *args: str) -> Result:
        code = main(["--project", str(project), *args])
        cap = capsys.readouterr()
        return Result(code, cap.out, cap.err)

    return run


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    assert shutil.which("msgfmt"), "GNU gettext's msgfmt is required (apt-get install gettext)"
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes (to prove that nothing was written)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
