"""Shared fixtures: a throw-away project folder and a CLI runner that returns exit code and output."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sys

import pytest

from translate.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory, monkeypatch):
    """The user's cache folder (check's verdict cache of files outside a project) kept in tmp."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))


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


# -- Argos: tiny genuine packages, and an environment that keeps argos inside tmp_path ------------

CLOSED_INDEX = "http://127.0.0.1:9/"  # the discard port: connection refused (as tiny_argos.CLOSED_INDEX)


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict[str, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from tiny_argos import build_tiny_argos_package

    out = tmp_path_factory.mktemp("argos-packages")
    return {
        "en-es": build_tiny_argos_package(out / "en-es", "en", "es", seed=0),
        "es-en": build_tiny_argos_package(out / "es-en", "es", "en", seed=1),
        "en-es-prefix": build_tiny_argos_package(out / "prefix", "en", "es", seed=2, target_prefix="__es__"),
    }


@pytest.fixture
def argos_env(tmp_path) -> dict[str, str]:
    """An environment that keeps every argos folder inside tmp_path."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from tiny_argos import isolated_argos_env

    return isolated_argos_env(tmp_path)


# -- a real browser: Debian's Chromium driven by Playwright (never a downloaded browser) ---------

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
