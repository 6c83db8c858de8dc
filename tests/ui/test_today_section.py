"""The Today desk: the agenda model, done / snooze / undo / open, the start-up notice, export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog

from crm_desktop.services.agenda_data import Agenda, AgendaDay, AgendaItem
from crm_desktop.services.agenda_shown import record_agenda_shown, shown_days
from crm_desktop.services.database import Database
from crm_desktop.services.important_dates import DateInput, add_date
from crm_desktop.services.touchpoints import timeline
from crm_desktop.ui.agenda_model import ITEM_ROLE, AgendaModel, due_today_text, weekday_date
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner
from crm_desktop.ui.today_section import TodaySection
from tests.ui.conftest import add_customers, person

TODAY = date.today()
MISSED = "Late"  # the heading of the late items


def agenda_item(name: str, occurs_on: date, due_on: date, late: bool = False) -> AgendaItem:
    return AgendaItem(f"date:{name}", str(occurs_on.year), 1, name, "birthday", "", occurs_on,
                      due_on, 40, "Birthday, turns 40: send greetings.", late)


@pytest.fixture
def people(sqlite_db: Database) -> dict[str, int]:
    """Maija's birthday is today, Lauri's was three days ago (late); Kalle has no dates."""
    maija, lauri, _kalle = add_customers(
        sqlite_db, person("Maija", "Mäkinen"), person("Lauri", "Laine"), person("Kalle", "Koski")
    )
    three_days_ago = TODAY - timedelta(days=3)
    with sqlite_db.session() as session:
        add_date(session, maija, DateInput("birthday", TODAY.month, TODAY.day))
        add_date(session, lauri, DateInput("birthday", three_days_ago.month, three_days_ago.day))
    return {"maija": maija, "lauri": lauri}


@pytest.fixture
def section(runner, people, qtbot) -> TodaySection:
    widget = TodaySection(runner)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    widget.refresh()
    return widget


@pytest.fixture
def window(sqlite_db, people, ui_settings, qtbot) -> MainWindow:
    main = MainWindow(SyncTaskRunner(sqlite_db), ui_settings)
    qtbot.addWidget(main)
    main.resize(1024, 700)
    main.show()
    return main


def listed(section: TodaySection) -> list[tuple[str, str]]:
    """(day row title, customer name) of every item, top to bottom."""
    model = section.model
    return [(model.groups[index.internalId() - 1].title, index.data())
            for index in model.item_indexes()]


def choose(section: TodaySection, name: str) -> None:
    [index] = [i for i in section.model.item_indexes() if i.data() == name]
    section.tree.setCurrentIndex(index)


# The model --------------------------------------------------------------------------------------


def test_agenda_model_passes_the_model_tester(qtmodeltester):
    model = AgendaModel()
    qtmodeltester.check(model)
    late = agenda_item("Lauri Laine", TODAY - timedelta(days=2), TODAY - timedelta(days=2), True)
    first = agenda_item("Maija Mäkinen", TODAY, TODAY)
    later = agenda_item("Kalle Koski", TODAY + timedelta(days=9), TODAY + timedelta(days=2))
    model.set_agenda(Agenda(TODAY, 14, (late,), (
        AgendaDay(TODAY, (first,)), AgendaDay(TODAY + timedelta(days=2), (later,)))))
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.rowCount(model.index(0, 0)) == 1
    assert model.index(0, 0).data() == "Late (1)"
    assert "fell while Kanta was closed" in model.index(0, 0).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "up to 30 days back" in model.index(0, 0).data(
        Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0, model.index(1, 0)).data(ITEM_ROLE) == first
    assert model.index(0, 3, model.index(2, 0)).data() == "{} (in 9 days)".format(
        (TODAY + timedelta(days=9)).strftime("%d/%m/%Y"))
    model.set_agenda(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_due_today_counts_the_late_ones():
    late = agenda_item("Lauri Laine", TODAY - timedelta(days=2), TODAY - timedelta(days=2), True)
    first = agenda_item("Maija Mäkinen", TODAY, TODAY)
    assert due_today_text(Agenda(TODAY, 14, (), ())) == "Nothing due today"
    assert due_today_text(Agenda(TODAY, 14, (), (AgendaDay(TODAY, (first,)),))) \
        == "1 touchpoint due today"
    assert due_today_text(Agenda(TODAY, 14, (late,), (AgendaDay(TODAY, (first,)),))) \
        == "2 touchpoints due today (1 late)"


# The section ------------------------------------------------------------------------------------


def test_late_on_top_then_todays_birthday(section):
    assert listed(section) == [(MISSED, "Lauri Laine"), (listed(section)[1][0], "Maija Mäkinen")]
    assert listed(section)[1][0].startswith("Today · ")
    assert section.current_item().name == "Lauri Laine"  # the first thing to do is current
    assert section.summary.text() == "2 touchpoints due today (1 late)"
    assert section.busy.isHidden()


def test_done_logs_a_touchpoint_and_can_be_undone(section, sqlite_db, people):
    choose(section, "Maija Mäkinen")
    section.done_action.trigger()
    assert [name for _day, name in listed(section)] == ["Lauri Laine"]
    history = sqlite_db.run(lambda s: timeline(s, people["maija"]))
    assert [entry.kind for entry in history] == ["reminder_done"]
    assert section.undo_note.text() == "Done: Maija Mäkinen (Birthday)."
    section.undo_button.click()
    assert [name for _day, name in listed(section)] == ["Lauri Laine", "Maija Mäkinen"]
    assert sqlite_db.run(lambda s: timeline(s, people["maija"])) == []
    assert section.undo_button.isHidden()


def test_done_stays_done_after_a_restart(window, sqlite_db, ui_settings, qtbot):
    choose(window.today, "Maija Mäkinen")
    window.today.buttons[0].click()  # Mark done
    assert [name for _day, name in listed(window.today)] == ["Lauri Laine"]
    assert window.close()
    again = MainWindow(SyncTaskRunner(sqlite_db), ui_settings)
    qtbot.addWidget(again)
    again.show()
    assert [name for _day, name in listed(again.today)] == ["Lauri Laine"]
    assert again.statusBar().currentMessage() == "1 touchpoint due today (1 late)"


def test_snooze_hides_the_item_until_the_chosen_day(section):
    choose(section, "Maija Mäkinen")
    section.snooze_action.trigger()
    dialog = section.snooze_dialog
    assert dialog is not None and dialog.chosen_date() == TODAY + timedelta(days=1)
    dialog.set_date(TODAY + timedelta(days=2))
    dialog.accept()
    # Off today's list; listed again on the day it was snoozed to.
    assert listed(section) == [(MISSED, "Lauri Laine"),
                               (weekday_date(TODAY + timedelta(days=2)), "Maija Mäkinen")]
    section.clock = lambda: TODAY + timedelta(days=1)
    section.refresh()
    assert "Maija Mäkinen" not in [name for _day, name in listed(section)]
    section.clock = lambda: TODAY + timedelta(days=2)
    section.refresh()
    assert (MISSED, "Maija Mäkinen") in listed(section)  # back, missed while snoozed


def test_undo_of_a_snooze_brings_the_item_back(section):
    choose(section, "Lauri Laine")
    section.snooze()
    section.snooze_dialog.accept()  # to tomorrow: a late item waits off the list till then
    assert [name for _day, name in listed(section)] == ["Maija Mäkinen"]
    section.undo()
    assert [name for _day, name in listed(section)] == ["Lauri Laine", "Maija Mäkinen"]


def test_open_shows_the_customer_on_the_card(window, people, qtbot):
    assert window.navigation.currentRow() == 0 and window.today.isVisible()
    choose(window.today, "Maija Mäkinen")
    window.today.tree.setFocus()
    qtbot.keyClick(window.today.tree, Qt.Key.Key_Return)
    assert window.navigation.currentRow() == list(window.sections).index("customers")
    assert window.customers.isVisible()
    assert window.customers.card.customer_id == people["maija"]
    assert window.customers.card.title.text() == "Maija Mäkinen"


def test_start_up_message_counts_what_is_due_today(window):
    assert window.statusBar().currentMessage() == "2 touchpoints due today (1 late)"


def test_new_dates_refresh_the_agenda(section, runner, people):
    runner.submit(lambda s: add_date(s, people["lauri"], DateInput(
        "anniversary", TODAY.month, TODAY.day, label="Wedding")))
    assert [name for _day, name in listed(section)] == [
        "Lauri Laine", "Maija Mäkinen", "Lauri Laine"]  # late birthday, then birthday, wedding


def test_fewer_days_ahead_shorten_the_agenda(section, runner, people, qtbot):
    later = TODAY + timedelta(days=10)
    runner.submit(lambda s: add_date(s, people["lauri"], DateInput(
        "anniversary", later.month, later.day, label="Wedding")))
    assert len(listed(section)) == 3
    assert section.days_box.value() == 14  # from the settings
    section.days_box.setValue(1)
    qtbot.waitUntil(lambda: section.agenda is not None and section.agenda.days == 1)
    assert [name for _day, name in listed(section)] == ["Lauri Laine", "Maija Mäkinen"]


def test_nothing_due_shows_a_note(runner, qtbot):
    widget = TodaySection(runner)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    assert widget.model.rowCount(QModelIndex()) == 0
    assert widget.empty.isVisible()
    assert widget.empty.text() == "Nothing to do today or in the next 14 days."
    assert not widget.done_action.isEnabled()


def test_calendar_export_writes_the_file(window, tmp_path: Path, monkeypatch):
    target = tmp_path / "dates"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (str(target), "iCalendar files (*.ics)"))
    window.export_calendar_action.trigger()
    written = target.with_suffix(".ics")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") == 2
    assert window.statusBar().currentMessage() == f"Exported 2 dates to {written}."


def test_find_from_today_goes_to_the_customer_search(window, qtbot):
    with qtbot.waitActive(window):
        window.activateWindow()
    window.today.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.customers.isVisible()
    assert window.customers.list_pane.search_box.hasFocus()


def test_the_agenda_is_computed_on_the_worker(sqlite_db, people, qtbot):
    runner = TaskRunner(sqlite_db)
    try:
        widget = TodaySection(runner)
        qtbot.addWidget(widget)
        widget.show()
        with qtbot.waitSignal(widget.loaded, timeout=10_000):
            widget.refresh()
            assert widget.busy.isVisible() and widget.model.rowCount() == 0  # not yet answered
        assert widget.busy.isHidden()
        assert [name for _day, name in listed(widget)] == ["Lauri Laine", "Maija Mäkinen"]
    finally:
        runner.shutdown()


def test_keyboard_marks_done(section, qtbot):
    choose(section, "Lauri Laine")
    section.tree.setFocus()
    qtbot.keyClick(section.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [name for _day, name in listed(section)] == ["Maija Mäkinen"]
    assert section.current_item().name == "Maija Mäkinen"  # the next one is ready to act on


# Late means missed while Kanta was closed -------------------------------------------------------


def test_loading_the_agenda_records_the_day_as_shown(section, sqlite_db):
    assert sqlite_db.run(shown_days) == [TODAY]
    section.clock = lambda: TODAY + timedelta(days=1)
    section.refresh()
    assert sqlite_db.run(shown_days) == [TODAY + timedelta(days=1), TODAY]
    # Shown yesterday: Lauri's birthday, late today, was seen then and is not late tomorrow.
    assert MISSED not in [day for day, _name in listed(section)]


def test_what_fell_while_kanta_was_closed_is_late_all_day(runner, people, sqlite_db, qtbot):
    sqlite_db.run(lambda s: record_agenda_shown(s, TODAY - timedelta(days=4)))
    widget = TodaySection(runner)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    assert (MISSED, "Lauri Laine") in listed(widget)  # three days ago, while closed
    widget.refresh()  # later the same day
    assert (MISSED, "Lauri Laine") in listed(widget)
    assert sqlite_db.run(shown_days) == [TODAY, TODAY - timedelta(days=4)]


def test_nothing_is_late_after_a_day_the_agenda_was_shown(runner, people, sqlite_db, qtbot):
    sqlite_db.run(lambda s: record_agenda_shown(s, TODAY - timedelta(days=1)))
    widget = TodaySection(runner)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    assert [name for _day, name in listed(widget)] == ["Maija Mäkinen"]
    assert widget.summary.text() == "1 touchpoint due today"
