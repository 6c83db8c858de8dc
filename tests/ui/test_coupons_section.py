"""The Coupons desk: its table model, search and filter, void, undo, print; Ctrl+R anywhere."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton, QWidget

from crm_desktop.services.coupon_search import search_coupons
from crm_desktop.ui.coupon_print import print_coupons
from crm_desktop.ui.coupon_questions import CONFIRM_BUTTON
from crm_desktop.ui.coupon_table import CODE_ROLE, STATUS_COLUMN, CouponTableModel
from crm_desktop.ui.coupons_section import CouponsSection
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.redeem_dialog import RedeemDialog
from crm_desktop.ui.tasks import SyncTaskRunner, TaskRunner
from tests.ui.conftest import DeferredRunner, add_customers, person
from tests.ui.coupon_helpers import coupon, issue, redeem, void

TODAY = date.today()


@pytest.fixture
def customers(sqlite_db) -> list[int]:
    return add_customers(sqlite_db, person("Anna", "Virtanen"), person("Pekka", "Mäkinen"))


@pytest.fixture
def section(runner, qtbot) -> CouponsSection:
    widget = CouponsSection(runner)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget


def shown_codes(section: CouponsSection) -> list[str]:
    proxy = section.proxy
    return [proxy.index(row, 0).data(CODE_ROLE) for row in range(proxy.rowCount())]


def status_of(section: CouponsSection, code: str) -> str:
    return section.model.index(section.model.row_of(code), STATUS_COLUMN).data()


def answer_every_question(monkeypatch, confirm: bool = True, reason: str = "Sent twice"):
    """The void reason is given; each confirmation is pressed (or cancelled)."""
    asked: list[str] = []

    def press(box: QMessageBox) -> int:
        asked.append(box.text())
        if confirm:
            box.findChild(QPushButton, CONFIRM_BUTTON).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (reason, True))
    return asked


def test_the_model_passes_the_model_tester_with_and_without_rows(sqlite_db, customers,
                                                                 qtmodeltester):
    model = CouponTableModel()
    qtmodeltester.check(model)
    issue(sqlite_db, customers[0])
    redeem(sqlite_db, issue(sqlite_db).code)
    found = sqlite_db.run(lambda session: search_coupons(session, today=TODAY))
    model.set_coupons(found.coupons, found.today, found.currency)
    assert (model.rowCount(), model.columnCount()) == (2, 7)
    qtmodeltester.check(model)
    model.set_coupons((), TODAY, "EUR")
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_the_table_reads_like_the_coupons(section, sqlite_db, customers):
    used = issue(sqlite_db, customers[0], value=750).code
    redeem(sqlite_db, used, desk="Till 1")
    fresh = issue(sqlite_db).code
    section.load()
    assert shown_codes(section) == [fresh, used]  # newest first
    row = [section.proxy.index(0, column).data() for column in range(7)]
    assert row[:4] == [coupon(sqlite_db, fresh).grouped_code, "Anyone", "€5.00", "Complaint"]
    assert row[6] == "Active"
    assert status_of(section, used) == "Redeemed"
    tooltip = section.model.index(section.model.row_of(used), STATUS_COLUMN).data(
        Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Already redeemed on ") and tooltip.endswith(" at Till 1.")
    assert section.note.text() == "2 coupons"


def test_search_and_status_filter_narrow_the_list(section, sqlite_db, customers):
    annas = issue(sqlite_db, customers[0]).code
    pekkas = issue(sqlite_db, customers[1]).code
    void(sqlite_db, pekkas)
    section.search.setText("makinen")
    section.load()
    assert shown_codes(section) == [pekkas]
    section.search.setText(annas[2:8].lower())
    section.load()
    assert shown_codes(section) == [annas]
    section.search.clear()
    section.status_filter.setCurrentIndex(section.status_filter.findData("void"))
    assert shown_codes(section) == [pekkas]
    section.search.setText("Nobody")
    section.load()
    assert shown_codes(section) == [] and section.note.text() == "No coupon matches."


def test_void_asks_why_and_for_confirmation(section, sqlite_db, monkeypatch, qtbot):
    code = issue(sqlite_db).code
    section.load()
    section.select_code(code)
    assert section.void_button.isEnabled() and not section.undo_button.isEnabled()
    asked = answer_every_question(monkeypatch, reason="Printed twice")
    with qtbot.waitSignal(section.status_message) as message:
        section.void_button.click()
    assert asked == [f"Void coupon {coupon(sqlite_db, code).grouped_code} for anyone?"]
    assert coupon(sqlite_db, code).void_reason == "Printed twice"
    assert message.args == [f"Coupon {coupon(sqlite_db, code).grouped_code} is void."]
    assert status_of(section, code) == "Void"
    assert not section.void_button.isEnabled()  # still selected, now void


def test_cancelling_the_confirmation_leaves_the_coupon_alone(section, sqlite_db, monkeypatch):
    code = issue(sqlite_db).code
    section.load()
    section.select_code(code)
    asked = answer_every_question(monkeypatch, confirm=False)
    section.void_selected()
    assert len(asked) == 1
    assert coupon(sqlite_db, code).voided_at is None


def test_undo_redemption_after_confirmation(section, sqlite_db, monkeypatch):
    code = issue(sqlite_db).code
    redeem(sqlite_db, code)
    section.load()
    section.select_code(code)
    assert section.undo_button.isEnabled() and not section.redeem_button.isEnabled()
    asked = answer_every_question(monkeypatch)
    section.undo_button.click()
    assert asked == [f"Undo the redemption of coupon {coupon(sqlite_db, code).grouped_code}?"]
    assert coupon(sqlite_db, code).redeemed_at is None
    assert status_of(section, code) == "Active"


def test_redeem_opens_the_dialog_with_the_code_ready(section, sqlite_db, qtbot):
    code = issue(sqlite_db).code
    section.load()
    section.select_code(code)
    section.redeem_button.click()
    dialog = section.dialog
    assert isinstance(dialog, RedeemDialog) and dialog.isVisible()
    assert dialog.code.text() == coupon(sqlite_db, code).grouped_code
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.last_outcome.redeemed_now
    assert status_of(section, code) == "Redeemed"  # the desk follows the change


@pytest.mark.parametrize(("per_page", "pages"), [(4, 2), (1, 5)])
def test_printing_the_selection_opens_the_preview(section, sqlite_db, qtbot, per_page, pages):
    for _number in range(5):
        issue(sqlite_db)
    spoilt = issue(sqlite_db).code
    void(sqlite_db, spoilt)
    section.load()
    section.table.selectAll()
    section.per_page.setCurrentIndex(section.per_page.findData(per_page))
    with qtbot.waitSignal(section.status_message) as left_out:
        section.print_button.click()
    assert left_out.args == ["1 void or redeemed coupon was left out."]
    preview = section.print_run.preview
    qtbot.addWidget(preview)
    assert preview.isVisible() and preview.document.pageCount() == pages
    assert preview.windowTitle() == "5 coupons"


def test_cancel_stops_a_print_run(section, sqlite_db, qtbot):
    deferred = DeferredRunner(sqlite_db)
    section._runner = deferred
    issue(sqlite_db)
    section.load()
    deferred.finish_all()
    section.table.selectAll()
    messages: list[str] = []
    section.status_message.connect(messages.append)
    section.print_selected()
    run = section.print_run
    run.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
    assert run.cancelled
    deferred.finish_all()
    assert run.preview is None and messages == ["Printing cancelled."]


def test_ctrl_r_opens_the_redeem_dialog_from_the_main_window(sqlite_db, ui_settings, qtbot):
    window = MainWindow(SyncTaskRunner(sqlite_db), ui_settings)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.coupon_actions.redeem_action.shortcut().toString() == "Ctrl+R"
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = window.coupon_actions.redeem_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert "coupons" in window.sections
    code = issue(sqlite_db).code
    qtbot.keyClicks(dialog.code, code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.last_outcome.redeemed_now
    dialog.close()
    window.coupon_actions.open_redeem()  # opened again: empty, ready for a code
    assert dialog.code.text() == "" and dialog.last_outcome is None


def test_a_print_run_on_the_worker_thread_reports_progress(sqlite_db, qtbot):
    codes = [issue(sqlite_db).code for _number in range(3)]
    worker = TaskRunner(sqlite_db)
    try:
        parent = QWidget()
        qtbot.addWidget(parent)
        seen: list[int] = []
        hold = threading.Event()
        with qtbot.waitSignal(worker.busy_changed, check_params_cb=lambda busy: not busy):
            worker.submit(lambda _session: hold.wait(5))  # the run waits behind it
            run = print_coupons(parent, worker, codes, per_page=4)
            run.progressed.connect(seen.append)
            hold.set()
        assert seen == [0, 1, 2, 3]
        assert run.preview is not None and run.preview.document.pageCount() == 1
        qtbot.addWidget(run.preview)
    finally:
        worker.shutdown()
