"""The layering of design §1, checked on every run: a wrong import fails the suite."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "crm_desktop"


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=PACKAGE.parent
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _imports_any(path: Path, packages: set[str]) -> bool:
    """True when the file imports one of the packages or any module inside them."""
    return any(
        name == package or name.startswith(package + ".")
        for name in _imports(path)
        for package in packages
    )


def test_no_qt_below_the_ui():
    # Also catches imports inside functions, which some import graphs miss.
    offenders = [
        str(path.relative_to(PACKAGE))
        for folder in ("models", "services", "reports")
        for path in (PACKAGE / folder).rglob("*.py")
        if _imports_any(path, {"PySide6", "shiboken6"})
    ]
    assert offenders == []


def test_the_ui_never_imports_sqlalchemy_or_the_models():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "ui").rglob("*.py")
        if _imports_any(path, {"sqlalchemy", "crm_desktop.models"})
    ]
    assert offenders == []


def test_the_import_check_sees_a_nested_models_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from crm_desktop.models.loyalty import Coupon\n")
    assert _imports_any(sample, {"crm_desktop.models"})
    assert not _imports_any(sample, {"crm_desktop.models_extra", "sqlalchemy"})
