"""The form's widgets do no file I/O and no YAML: only the document controller and the writer may import
core.storage or core.yamlio (the window's import-linter contract checks the whole ui package)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "app" / "masthead" / "ui"
WIDGETS = [
    *sorted((UI / "form").glob("*.py")),
    *(UI / f"{n}.py" for n in ("chip", "chips", "flow_layout", "completion", "commands", "preview", "preview_page")),
]
FORBIDDEN = {"masthead.core.storage", "masthead.core.yamlio"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_form_widgets_import_no_storage_or_yaml() -> None:
    offenders = {p.name: sorted(imported(p) & FORBIDDEN) for p in WIDGETS}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(WIDGETS) >= 12


def test_form_modules_are_small() -> None:
    sizes = {
        p.name: len(p.read_text(encoding="utf-8").splitlines())
        for p in [*WIDGETS, UI / "document_controller.py", UI / "writer.py"]
    }
    assert {k: n for k, n in sizes.items() if n > 410} == {}
