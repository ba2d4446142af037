"""The layers stay apart: the core and the command line never load Qt, and imports only point down.

Importing is checked in a fresh interpreter (``sys.modules`` of this test process is full of whatever
other tests loaded); the direction of imports is checked by reading the source.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import shopdesk

PACKAGE_DIR = Path(shopdesk.__file__).resolve().parent
CORE_PACKAGES = ("shopdesk.domain", "shopdesk.db", "shopdesk.services")
# Slow to import and useless before a window, a chart or an Excel file is needed (ARCHITECTURE.md).
HEAVY_FOR_THE_CLI = ("PySide6", "matplotlib", "openpyxl", "numpy", "pypinyin")


def _modules_of(package: str) -> list[str]:
    path = PACKAGE_DIR.joinpath(*package.split(".")[1:])
    found = pkgutil.walk_packages([str(path)], prefix=f"{package}.")
    return [package, *sorted(info.name for info in found if not info.name.rsplit(".", 1)[-1].startswith("_"))]


def _loaded_after_importing(modules: list[str]) -> set[str]:
    """Top-level package names in ``sys.modules`` of a new interpreter after importing ``modules``."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_the_core_does_not_import_qt(package: str) -> None:
    loaded = _loaded_after_importing(_modules_of(package))
    assert "PySide6" not in loaded
    assert "shiboken6" not in loaded


@pytest.mark.parametrize("module", ["shopdesk.cli", "shopdesk.app", "shopdesk.__main__"])
def test_the_command_line_loads_nothing_heavy(module: str) -> None:
    if module == "shopdesk.__main__":
        module = "shopdesk.cli"  # __main__ runs main() on import; it imports nothing but the cli
        source = (PACKAGE_DIR / "__main__.py").read_text(encoding="utf-8")
        assert _imported_names(ast.parse(source)) == {"shopdesk.cli"}
    loaded = _loaded_after_importing([module])
    assert loaded.isdisjoint(HEAVY_FOR_THE_CLI), loaded & set(HEAVY_FOR_THE_CLI)


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _sources(package: str) -> list[Path]:
    return sorted(PACKAGE_DIR.joinpath(*package.split(".")[1:]).rglob("*.py"))


# What each layer must never import (anywhere in the module, lazily or not).
FORBIDDEN = {
    "shopdesk.domain": ("PySide6", "peewee", "playhouse", "shopdesk.db", "shopdesk.services", "shopdesk.ui",
                        "shopdesk.cli", "shopdesk.app"),
    "shopdesk.db": ("PySide6", "shopdesk.services", "shopdesk.ui", "shopdesk.cli", "shopdesk.app"),
    "shopdesk.services": ("PySide6", "shopdesk.ui", "shopdesk.cli", "shopdesk.app"),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_only_point_down(package: str) -> None:
    wrong = []
    for path in _sources(package):
        for name in _imported_names(ast.parse(path.read_text(encoding="utf-8"))):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                wrong.append(f"{path.relative_to(PACKAGE_DIR.parent)} imports {name}")
    assert wrong == []


def _imported_at_import_time(tree: ast.AST) -> set[str]:
    """Modules imported when the module itself is imported: everywhere except inside functions."""
    names = set()
    pending = list(ast.iter_child_nodes(tree))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= _imported_names(node)
        pending.extend(ast.iter_child_nodes(node))
    return names


def test_only_the_ui_imports_qt_when_loaded() -> None:
    """Outside ``shopdesk/ui`` Qt is only imported inside a function that needs it (the bench does)."""
    wrong = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if path.is_relative_to(PACKAGE_DIR / "ui"):
            continue
        for name in _imported_at_import_time(ast.parse(path.read_text(encoding="utf-8"))):
            if name.split(".")[0] in ("PySide6", "shiboken6") or name.startswith("shopdesk.ui"):
                wrong.append(f"{path.relative_to(PACKAGE_DIR.parent)} imports {name}")
    assert wrong == []
