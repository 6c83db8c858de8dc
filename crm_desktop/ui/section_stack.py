"""The window's desks, one page each: a desk is built the first time it is shown or asked for.

Start-up then pays only for the desks the owner sees first (and the one the menus need):
neither their modules nor their widgets nor their first queries wait in front of the first
window. Until it is built, a desk's page is an empty placeholder that is never shown, because
choosing a desk builds it before the page changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from crm_desktop.ui.customer_list import Runner


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # marked with N_, translated where shown
    factory: Callable[[Runner], QWidget]  # imports the desk's module when first called


class SectionStack(QStackedWidget):
    """One page per Section, in sidebar order; ``section(key)`` builds a desk when needed."""

    built = Signal(str, QWidget)  # key, the desk just built

    def __init__(
        self, sections: Sequence[Section], runner: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sections = tuple(sections)
        self._runner = runner
        self._built: dict[str, QWidget] = {}
        for _section in self._sections:
            self.addWidget(QWidget(self))  # a placeholder until the desk is built

    def section_keys(self) -> list[str]:
        return [section.key for section in self._sections]

    def section(self, key: str) -> QWidget:
        """The desk, built now if it was not yet; KeyError for a desk that does not exist."""
        widget = self._built.get(key)
        if widget is None:
            keys = self.section_keys()
            if key not in keys:
                raise KeyError(key)
            widget = self._build(keys.index(key))
        return widget

    def is_built(self, key: str) -> bool:
        return key in self._built

    def section_at(self, row: int) -> QWidget:
        return self.section(self._sections[row].key)

    def built_sections(self) -> list[QWidget]:
        """The desks built so far, in sidebar order."""
        return [self._built[key] for key in self.section_keys() if key in self._built]

    def _build(self, row: int) -> QWidget:
        section = self._sections[row]
        widget = section.factory(self._runner)
        placeholder = self.widget(row)
        assert placeholder is not None  # one page per section, from the start
        was_current = self.currentIndex() == row
        self.insertWidget(row, widget)
        self.removeWidget(placeholder)
        placeholder.deleteLater()
        if was_current:
            self.setCurrentIndex(row)
        self._built[section.key] = widget
        self.built.emit(section.key, widget)
        return widget


class Sections(Mapping[str, QWidget]):
    """``window.sections``: every desk by key in sidebar order; looking one up builds it."""

    def __init__(self, stack: SectionStack) -> None:
        self._stack = stack

    def __getitem__(self, key: str) -> QWidget:
        return self._stack.section(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._stack.section_keys())

    def __len__(self) -> int:
        return len(self._stack.section_keys())

    def __contains__(self, key: object) -> bool:
        return key in self._stack.section_keys()  # without building it
