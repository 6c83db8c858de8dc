"""Dependency pins that keep PySide6's None-refcount crash away (DESIGN.md §3 Qt binding)."""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
QT_PACKAGES = {"pyside6", "pyside6-essentials", "pyside6-addons", "pyside6-pdf"}


def qt_requirements_on(python: str) -> dict[str, Requirement]:
    """The Qt requirements that apply on one Python version, by package name."""
    dependencies = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    environment = {"python_version": python, "python_full_version": python + ".0"}
    chosen: dict[str, Requirement] = {}
    for line in dependencies:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if name in QT_PACKAGES and (
            requirement.marker is None or requirement.marker.evaluate(environment)
        ):
            assert name not in chosen, f"two requirements for {name} on Python {python}"
            chosen[name] = requirement
    return chosen


def allows(requirement: Requirement, release: str) -> bool:
    return requirement.specifier.contains(Version(release), prereleases=True)


def test_python_3_11_gets_the_6_11_line_with_addons():
    chosen = qt_requirements_on("3.11")
    assert set(chosen) == {"pyside6-essentials", "pyside6-addons"}
    for requirement in chosen.values():
        assert allows(requirement, "6.11.3")
        assert not allows(requirement, "6.12.0") and not allows(requirement, "6.13.1")


def test_python_3_12_and_later_get_the_pdf_module():
    for python in ("3.12", "3.13"):
        chosen = qt_requirements_on(python)
        assert set(chosen) == {"pyside6-essentials", "pyside6-pdf"}
        assert allows(chosen["pyside6-essentials"], "6.12.0")


def test_the_pyside6_meta_package_is_never_required():
    dependencies = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    assert all(canonicalize_name(Requirement(line).name) != "pyside6" for line in dependencies)


def test_installed_binding_is_safe_for_this_python():
    installed = version("PySide6-Essentials")
    if sys.version_info < (3, 12):
        assert Version(installed) < Version("6.12")
    running = "{}.{}".format(*sys.version_info[:2])
    assert allows(qt_requirements_on(running)["pyside6-essentials"], installed)
