"""The package's layers (docs/architecture.md, "Layers inside the package") and no import cycles.

Every module under ``src/guardian`` is parsed (not imported) and each ``import`` it makes is read, at the
top or inside a function, except under ``if TYPE_CHECKING:`` (type hints only, never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "guardian"

QT = ("PySide6", "shiboken6")
SQLITE = ("sqlite3", "sqlite_utils")
OS_LAYERS = ("psutil", "ctypes", "subprocess", "socket", "winreg", "Xlib", "guardian.platform")
RULES: dict[str, tuple[str, ...]] = {
    # package → what its modules must not import (a name and everything under it)
    "guardian.core": (
        *QT,
        *SQLITE,
        *OS_LAYERS,
        "guardian.store",
        "guardian.api",
        "guardian.agent",
        "guardian.ipc",
        "guardian.ui",
        "guardian.demo",
        "guardian.cli",
    ),
    "guardian.store": (*QT, "psutil", "guardian.api", "guardian.agent", "guardian.ipc", "guardian.ui"),
    "guardian.api": ("PySide6.QtWidgets", "PySide6.QtGui", "guardian.ui", "guardian.agent"),
    "guardian.agent": ("PySide6.QtWidgets", "PySide6.QtGui", "guardian.ui"),
    "guardian.platform": ("guardian.store", "guardian.api", "guardian.agent", "guardian.ui", "guardian.ipc"),
    "guardian.ipc": ("guardian.store", "guardian.ui", *QT),
    "guardian.ui": (
        "guardian.store",
        "guardian.ipc",
        "guardian.agent",
        "guardian.platform",
        "guardian.demo",
        "psutil",
        *SQLITE,
    ),
    "guardian.service_install": (*QT, "guardian.ui"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports when it runs (``from a import b`` gives ``a`` and ``a.b``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from pkg import submodule`` depends on the submodule (its package runs first, as for
            # every import of a submodule; that is not a dependency of the importer on the package)
            names = [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
            submodules = [
                n
                for n in names
                if (SRC / Path(*n.split("."))).with_suffix(".py").exists()
                or (SRC / Path(*n.split(".")) / "__init__.py").exists()
            ]
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path


def graph() -> dict[str, set[str]]:
    """Module → the package's own modules it imports."""
    known = {name for name, _ in modules()}
    edges: dict[str, set[str]] = {}
    for name, path in modules():
        edges[name] = {m for m in imports_of(path) if m in known and m != name}
    return edges


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def forbidden_in(name: str, imported: set[str]) -> list[str]:
    """What of ``imported`` the module ``name`` may not import, by the layer rules."""
    found = []
    for layer, forbidden in RULES.items():
        if not _under(name, layer):
            continue
        for module in sorted(imported):
            if any(_under(module, bad) for bad in forbidden):
                found.append(f"{name} imports {module} ({layer} must not)")
    return found


def violations() -> list[str]:
    return [bad for name, path in modules() for bad in forbidden_in(name, imports_of(path))]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return groups


def test_every_layer_imports_only_what_it_may() -> None:
    assert violations() == []


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The walker sees function-level and relative imports, skips TYPE_CHECKING, finds a cycle, and
    the layer check flags a ui module that imports the store."""
    pkg = tmp_path / "guardian" / "ui"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from guardian.agent import hints\n"
        "def f():\n    from guardian.store import Store\n"
        "from . import theme\n"
    )
    (pkg / "page.py").write_text(source)
    (pkg / "theme.py").write_text("")
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        found = imports_of(pkg / "page.py")
    finally:
        SRC = saved
    assert "guardian.store" in found and "guardian.ui.theme" in found and "guardian.ui" not in found
    assert not any(m.startswith("guardian.agent") for m in found)
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert any("guardian.store" in bad for bad in forbidden_in("guardian.ui.page", found))


@pytest.mark.parametrize("layer", ["guardian.core", "guardian.ui"])
def test_each_checked_layer_has_modules(layer: str) -> None:
    assert any(_under(name, layer) for name, _ in modules())
