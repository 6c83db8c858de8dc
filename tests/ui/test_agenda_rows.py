"""A very large agenda: each day shows its first rows and more on scrolling; folding, the
current item and its successor behave as with a small one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex

from crm_desktop.services.agenda_data import Agenda, AgendaDay, AgendaItem
from crm_desktop.ui.agenda_model import FIRST_ROWS, MORE_ROWS, AgendaModel, due_today_text
from crm_desktop.ui.agenda_view import LATE_OPEN_MAX, AgendaTree

TODAY = date(2026, 10, 14)
LATE, DAY = 0, 1  # day rows when the agenda has late items: the missed ones, then today


def item(number: int, due_on: date, late: bool = False) -> AgendaItem:
    return AgendaItem(f"date:{number}", "2026", number, f"Customer {number}", "birthday", "",
                      due_on, due_on, None, "Send greetings.", late)


def agenda(late: int, today: int, skip: frozenset[int] = frozenset()) -> Agenda:
    """``late`` late items numbered from 0, then ``today`` items due today; ``skip`` left out."""
    late_items = tuple(item(n, TODAY - timedelta(days=1), True)
                       for n in range(late) if n not in skip)
    todays = tuple(item(n, TODAY) for n in range(late, late + today) if n not in skip)
    tomorrow = (item(late + today, TODAY + timedelta(days=1)),)
    return Agenda(TODAY, 14, late_items, (AgendaDay(TODAY, todays),
                                          AgendaDay(TODAY + timedelta(days=1), tomorrow)))


@pytest.fixture
def tree(qtbot) -> AgendaTree:
    view = AgendaTree(AgendaModel())
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    return view


def test_a_large_day_shows_its_first_rows_and_counts_all(qtmodeltester):
    model = AgendaModel()
    model.set_agenda(agenda(late=3000, today=2000))
    qtmodeltester.check(model)
    assert model.rowCount(model.index(LATE, 0)) == FIRST_ROWS
    assert model.index(LATE, 0).data() == "Late (3000)"
    assert model.index(DAY, 0).data().endswith("(2000)")
    assert model.item_count() == 3000 + 2000 + 1


def test_an_item_far_down_gets_its_row_when_asked_for():
    model = AgendaModel()
    model.set_agenda(agenda(late=0, today=2000))
    index = model.index_of("date:1500", "2026")
    assert model.item(index).name == "Customer 1500"
    assert model.rowCount(model.index(0, 0)) == 1501
    assert not model.item_index(0, 2000).isValid()  # past the day's last item


def test_painting_near_the_last_shown_row_adds_more(qtbot, tree):
    model = tree.agenda_model
    tree.show_agenda(agenda(late=0, today=2000))
    day = model.index(0, 0)
    last = model.index(FIRST_ROWS - 1, 0, day)
    tree.scrollTo(last)  # the owner scrolls down to it; the view paints it
    qtbot.waitUntil(lambda: model.rowCount(day) == FIRST_ROWS + MORE_ROWS)
    assert model.index(FIRST_ROWS, 0, day).data() == f"Customer {FIRST_ROWS}"


def test_a_long_late_list_starts_folded_and_the_first_of_today_is_current(tree):
    model = tree.agenda_model
    tree.show_agenda(agenda(late=LATE_OPEN_MAX + 1, today=3))
    assert not tree.isExpanded(model.index(LATE, 0))
    assert tree.isExpanded(model.index(DAY, 0))
    assert tree.current_item().name == f"Customer {LATE_OPEN_MAX + 1}"


def test_a_day_the_owner_unfolded_stays_unfolded(tree):
    model = tree.agenda_model
    tree.show_agenda(agenda(late=500, today=3))
    tree.expand(model.index(LATE, 0))
    tree.collapse(model.index(DAY, 0))
    tree.setCurrentIndex(model.index_of("date:0", "2026"))
    tree.show_agenda(agenda(late=500, today=3, skip=frozenset({0})))  # after a Done
    assert tree.isExpanded(model.index(LATE, 0))
    assert not tree.isExpanded(model.index(DAY, 0))
    assert tree.current_item().name == "Customer 1"


def test_after_done_far_down_the_next_item_takes_its_place(tree):
    model = tree.agenda_model
    tree.show_agenda(agenda(late=500, today=2000))  # the late items folded
    tree.setCurrentIndex(model.index_of("date:1700", "2026"))  # row 1200 of today
    tree.show_agenda(agenda(late=500, today=2000, skip=frozenset({1700})))
    assert tree.current_item().name == "Customer 1701"
    assert tree.currentIndex().parent().row() == DAY


def test_after_done_on_the_last_item_the_one_before_is_current(tree):
    model = tree.agenda_model
    tree.show_agenda(agenda(late=0, today=0))
    tree.setCurrentIndex(model.index_of("date:0", "2026"))  # tomorrow's only item
    tree.show_agenda(Agenda(TODAY, 14, (), (AgendaDay(TODAY, (item(5, TODAY),)),)))
    assert tree.current_item().name == "Customer 5"
    tree.show_agenda(Agenda(TODAY, 14, (), ()))
    assert tree.current_item() is None and tree.currentIndex() == QModelIndex()


def test_big_counts_in_the_summary_are_grouped_by_thousands():
    late = tuple(item(n, TODAY - timedelta(days=1), late=True) for n in range(1200))
    today = AgendaDay(TODAY, tuple(item(n, TODAY) for n in range(1200, 2500)))
    summary = due_today_text(Agenda(TODAY, 14, late, (today,)))
    assert summary == "2,500 touchpoints due today (1,200 late)"
