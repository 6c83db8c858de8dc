"""``crm-desktop self-test``: one line per check, exit code 1 when any check fails."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from crm_desktop.selftest import run_self_test
from crm_desktop.services.database import Database


def _fake_app_module(build: object | None) -> types.ModuleType:
    module = types.ModuleType("crm_desktop.app")
    if build is not None:
        module.build_self_test_window = build  # type: ignore[attr-defined]
    return module


def test_all_checks_pass_with_a_working_window(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Database] = []

    def build(database: Database) -> QWidget:
        opened.append(database)
        return QLabel("Kanta")

    monkeypatch.setitem(sys.modules, "crm_desktop.app", _fake_app_module(build))
    lines: list[str] = []

    assert run_self_test(lines.append) == 0
    assert lines == ["Database: ok", "Main window: ok", "Letter PDF: ok"]
    assert opened and opened[0].is_sqlite


def test_a_missing_window_builder_fails_the_test_and_says_why(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "crm_desktop.app", _fake_app_module(None))
    lines: list[str] = []

    assert run_self_test(lines.append) == 1
    assert lines[0] == "Database: ok"
    assert lines[1].startswith("Main window: failed: the application module cannot be loaded")
    assert lines[2] == "Letter PDF: ok"


def test_a_window_that_raises_fails_the_test(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build(database: Database) -> QWidget:
        raise RuntimeError("no screen")

    monkeypatch.setitem(sys.modules, "crm_desktop.app", _fake_app_module(build))
    lines: list[str] = []

    assert run_self_test(lines.append) == 1
    assert "Main window: failed: no screen" in lines
