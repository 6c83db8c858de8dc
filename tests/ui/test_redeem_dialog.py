"""The Redeem dialog: typed or scanned codes, and one clear answer for each."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from crm_desktop.i18n import format_date
from crm_desktop.services.coupon_codes import ALPHABET, group_code, new_code
from crm_desktop.services.coupon_data import ALREADY_REDEEMED, EXPIRED, REDEEMED_NOW, TYPO, UNKNOWN
from crm_desktop.services.coupon_data import VOID as VOID_ANSWER
from crm_desktop.ui.redeem_banner import FAILED, NOTICE, SUCCESS
from crm_desktop.ui.redeem_dialog import DESK_KEY, RedeemDialog, grouped_with_cursor
from tests.ui.conftest import DeferredRunner, add_customers, person
from tests.ui.coupon_helpers import coupon, issue, redeem, void


@pytest.fixture
def dialog(runner, ui_settings, qtbot) -> RedeemDialog:
    ui_settings.setValue(DESK_KEY, "Till 2")
    redeem_dialog = RedeemDialog(runner, settings=ui_settings)
    qtbot.addWidget(redeem_dialog)
    redeem_dialog.show()
    return redeem_dialog


def scan(qtbot, dialog: RedeemDialog, typed: str) -> None:
    """What a barcode scanner does: the characters, then Enter."""
    qtbot.keyClicks(dialog.code, typed)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)


def test_a_good_code_is_redeemed_now_with_value_and_customer(dialog, sqlite_db, qtbot):
    [anna] = add_customers(sqlite_db, person("Anna", "Virtanen"))
    code = issue(sqlite_db, anna, value=750).code
    scan(qtbot, dialog, code.lower())
    assert dialog.last_outcome.status == REDEEMED_NOW
    assert dialog.banner.state == SUCCESS
    assert dialog.banner.message == "Redeemed now: €7.50 for Anna Virtanen."
    assert dialog.banner.accessibleName() == dialog.banner.message
    assert coupon(sqlite_db, code).redeemed_desk == "Till 2"
    # Ready for the next code: the whole field is selected, so the next scan replaces it.
    assert dialog.code.hasSelectedText() and dialog.code.selectedText() == group_code(code)


def test_a_second_scan_says_when_and_where_it_was_redeemed(dialog, sqlite_db, qtbot):
    code = issue(sqlite_db).code
    redeem(sqlite_db, code, desk="Till 1")
    scan(qtbot, dialog, group_code(code))
    redeemed_on = format_date(coupon(sqlite_db, code).redeemed_at.date())
    assert dialog.last_outcome.status == ALREADY_REDEEMED
    assert dialog.banner.state == FAILED
    assert dialog.banner.message == f"Already redeemed on {redeemed_on} at Till 1."


def test_an_expired_code_says_on_which_day(dialog, sqlite_db, qtbot):
    last_day = date(2020, 2, 1)
    code = issue(sqlite_db, expires_on=last_day, today=date(2020, 1, 1)).code
    scan(qtbot, dialog, code)
    assert dialog.last_outcome.status == EXPIRED
    assert dialog.banner.state == FAILED
    assert dialog.banner.message == f"Expired on {format_date(last_day)}."
    assert coupon(sqlite_db, code).redeemed_at is None


def test_a_void_code_is_refused_with_its_reason(dialog, sqlite_db, qtbot):
    code = issue(sqlite_db).code
    void(sqlite_db, code, "Sent twice")
    scan(qtbot, dialog, code)
    assert dialog.last_outcome.status == VOID_ANSWER
    assert dialog.banner.state == FAILED
    assert dialog.banner.message.startswith("Void: cancelled on ")
    assert "(Sent twice)" in dialog.banner.message


def test_an_unknown_code_is_named(dialog, qtbot):
    code = new_code()  # well formed, with a right check character, but never issued
    scan(qtbot, dialog, code)
    assert dialog.last_outcome.status == UNKNOWN
    assert dialog.banner.state == NOTICE
    assert dialog.banner.message == f"Unknown code: no coupon has the code {group_code(code)}."


def _mistyped(code: str) -> str:
    wrong = ALPHABET[(ALPHABET.index(code[5]) + 1) % len(ALPHABET)]
    return code[:5] + wrong + code[6:]


def test_a_typo_shows_at_once_and_is_never_looked_up(sqlite_db, ui_settings, qtbot):
    runner = DeferredRunner(sqlite_db)
    dialog = RedeemDialog(runner, settings=ui_settings)
    qtbot.addWidget(dialog)
    dialog.show()
    typo = _mistyped(issue(sqlite_db).code)
    qtbot.keyClicks(dialog.code, typo)
    assert dialog.check.text() == "Typo: the check character does not match."
    assert dialog.code.accessibleDescription() == dialog.check.text()
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert runner.waiting == []  # no lookup
    assert dialog.last_outcome.status == TYPO
    assert dialog.banner.state == NOTICE
    assert "check it for a typo" in dialog.banner.message


def test_typing_is_normalised_and_grouped_as_it_comes(dialog, qtbot):
    qtbot.keyClicks(dialog.code, "7kq4 xm")
    assert dialog.code.text() == "7KQ4-XM"
    assert dialog.check.text() == "6 of 13 characters"
    qtbot.keyClicks(dialog.code, "ob")  # O reads as zero
    assert dialog.code.text() == "7KQ4-XM0B"
    qtbot.keyClicks(dialog.code, "u")
    assert dialog.check.text() == "“U” does not occur in coupon codes."


def test_the_cursor_stays_where_the_typing_goes_on():
    assert grouped_with_cursor("abcd5", 5) == ("ABCD-5", 6)
    assert grouped_with_cursor("ABCD-EFGH", 2) == ("ABCD-EFGH", 2)
    assert grouped_with_cursor("ABCDxEFGH", 5) == ("ABCD-XEFG-H", 6)


def test_enter_does_not_close_the_dialog(dialog, qtbot):
    scan(qtbot, dialog, "")
    qtbot.keyClick(dialog, Qt.Key.Key_Enter)
    assert dialog.isVisible() and dialog.last_outcome is None


def test_the_desk_name_is_remembered(dialog, ui_settings, qtbot):
    assert dialog.desk.text() == "Till 2"
    dialog.desk.clear()
    qtbot.keyClicks(dialog.desk, "Front desk")
    qtbot.keyClick(dialog.desk, Qt.Key.Key_Tab)
    dialog.desk.editingFinished.emit()
    assert ui_settings.value(DESK_KEY) == "Front desk"


def test_typing_a_new_code_clears_the_last_answer(dialog, sqlite_db, qtbot):
    scan(qtbot, dialog, new_code())
    assert dialog.banner.state == NOTICE
    qtbot.keyClicks(dialog.code, "7K")  # replaces the selected code
    assert dialog.code.text() == "7K"
    assert dialog.banner.state == "" and dialog.banner.message == "Press Enter to redeem the code."
