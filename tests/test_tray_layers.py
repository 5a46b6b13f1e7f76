"""The tray's UI talks to the agent only through its link: no ipc, store, agent, platform or demo."""

from __future__ import annotations

import ast
from pathlib import Path

TRAY = Path(__file__).resolve().parents[1] / "src" / "guardian" / "ui" / "tray"
FORBIDDEN = (
    "guardian.ipc",
    "guardian.store",
    "guardian.agent",
    "guardian.platform",
    "guardian.demo",
    "guardian.api",
)


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_ui_tray_imports_no_lower_layer() -> None:
    files = sorted(TRAY.glob("*.py"))
    assert len(files) > 10
    for path in files:
        bad = [name for name in imported(path) if name.startswith(FORBIDDEN)]
        assert not bad, f"{path.name} imports {bad}"
