"""Layering: core never imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "app" / "masthead" / "core"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qtpy")


def test_core_sources_import_no_qt() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in QT]
    assert offenders == []
    assert len(list(CORE.rglob("*.py"))) >= 5


def test_importing_all_of_core_loads_no_qt() -> None:
    modules = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('masthead.core.' + m)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


UI = CORE.parent / "ui"
PYPROJECT = CORE.parent.parent.parent / "pyproject.toml"
ALLOWED_IO = {"masthead.ui.app", "masthead.ui.writer"}  # and every masthead.ui.*_controller


def _contracts() -> dict[str, dict[str, object]]:
    import tomllib

    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    return {c["name"]: c for c in config["contracts"]}


def test_the_widget_contract_names_every_widget_module() -> None:
    """import-linter cannot say "all of masthead.ui but the controllers", so the list is explicit: keep it whole."""
    modules = {
        "masthead." + ".".join(p.relative_to(UI.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in UI.rglob("*.py")
        if p.parent != UI or p.stem != "__init__"
    }
    widgets = {m for m in modules if m not in ALLOWED_IO and not m.endswith("_controller")}
    contract = _contracts()["widgets do no file I/O and no YAML"]
    assert set(contract["source_modules"]) == widgets  # type: ignore[arg-type]
    assert set(contract["forbidden_modules"]) == {"masthead.core.storage", "masthead.core.yamlio"}  # type: ignore[arg-type]


def test_the_core_contracts_forbid_qt_ui_cli_and_cycles() -> None:
    contracts = list(_contracts().values())
    forbidden = [c for c in contracts if c["type"] == "forbidden" and c["source_modules"] == ["masthead.core"]]
    assert forbidden and {"PySide6", "shiboken6", "masthead.ui", "masthead.cli"} <= set(
        forbidden[0]["forbidden_modules"]
    )  # type: ignore[arg-type]
    assert any(c["type"] == "acyclic_siblings" and c["ancestors"] == ["masthead.core"] for c in contracts)


def test_no_import_cycle_inside_core_even_in_function_level_imports() -> None:
    """The same check as the acyclic contract, with grimp directly: every import statement counts, wherever it is."""
    import grimp

    graph = grimp.build_graph("masthead", cache_dir=None)
    core = sorted(m for m in graph.modules if m.startswith("masthead.core."))
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in core} for m in core}
    cycles = [(a, b) for a in core for b in edges[a] if a in _reachable(edges, b)]
    assert cycles == []


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen
