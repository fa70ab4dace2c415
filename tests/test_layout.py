"""The shape of the package: stage sub-packages, no import circles, small modules, no page
markup inside Python, and a start-up that does not load the stages."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyflakes import api as pyflakes
from pyflakes.reporter import Reporter

PACKAGE = Path(__file__).resolve().parent.parent / "translate"
STAGES = ("po", "segment", "mt", "check", "publish", "review")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> dict[str, set[str]]:
    """module → the modules of this package it imports (any import statement, at any depth,
    plus the stage modules the CLI declares with ``lazy_module("…")``)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = _resolve(mod, is_package, node.level, node.module)
                else:
                    base = node.module or ""
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy_module":
                targets = [node.args[0].value]
            for t in targets:
                if t in modules and t != mod:
                    graph[mod].add(t)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    # parents importing their children (translate → translate.cli) are not edges that matter
    graph = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_stages_do_not_import_the_command_line_or_the_run_order():
    graph = import_graph()
    for mod, targets in graph.items():
        if mod.split(".")[1:2] and mod.split(".")[1] in STAGES:
            assert not targets & {"translate.cli", "translate.project", "translate.ui"}, mod


def test_the_data_model_knows_no_engine_or_web_code():
    graph = import_graph()
    for mod in ("translate.po.pofile", "translate.po.catalogue", "translate.po.state", "translate.segment.document"):
        bad = {t for t in graph[mod] if t.startswith(("translate.mt", "translate.check", "translate.review", "translate.publish"))}
        assert not bad, (mod, bad)


def test_every_stage_is_a_sub_package_with_its_tests():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    tests = {p.name for p in Path(__file__).parent.glob("test_*.py")}
    for prefix in ("test_pofile", "test_catalogue", "test_segment", "test_mt", "test_check", "test_editions", "test_review"):
        assert any(t.startswith(prefix) for t in tests), prefix


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


_MARKUP = re.compile(r"<(?:!DOCTYPE|html|body|div|table|style|script|span|section|article)\b|\{\s*font-family\s*:|addEventListener\(", re.I)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_html_javascript_or_css_inside_python(path):
    text = path.read_text(encoding="utf-8")
    found = _MARKUP.search(text)
    assert found is None, f"{path.name}: {found.group(0) if found else ''}"


def test_the_markup_detector_sees_markup():
    assert _MARKUP.search('page = "<!DOCTYPE html><body>"')
    assert _MARKUP.search("css = 'p{ font-family: serif }'")
    assert not _MARKUP.search("a < b and c > d")


def test_pyflakes_is_clean():
    out, err = io.StringIO(), io.StringIO()
    n = pyflakes.checkRecursive([str(PACKAGE)], Reporter(out, err))
    assert n == 0, out.getvalue() + err.getvalue()


def test_help_loads_no_stage_module():
    code = (
        "import sys; from translate.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('markdown_it', 'lingua', 'sacrebleu', 'jinja2', 'rich', 'babel') if m in sys.modules]\n"
        "print(heavy)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout
