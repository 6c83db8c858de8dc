"""Thank… on the Today desk, and the thank-you letter both desks open in the preview."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMenu, QMessageBox

from crm_desktop.services.coupons import list_coupons
from crm_desktop.services.important_dates import DateInput, add_date
from crm_desktop.services.referrals import get_referral, reward_referral, set_referral
from crm_desktop.services.touchpoints import log_visit, timeline
from crm_desktop.ui import pdf_preview, today_section
from crm_desktop.ui.referrals_section import ReferralsSection
from crm_desktop.ui.tasks import SyncTaskRunner
from crm_desktop.ui.today_section import TodaySection
from tests.ui.conftest import add_customers, person

TODAY = date.today()


@pytest.fixture
def shown_dialogs(monkeypatch) -> list[str]:
    """The texts of the message boxes shown; none is expected unless a test says so."""
    texts: list[str] = []

    def record(box):
        texts.append(box.text())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", record)
    return texts


@pytest.fixture
def family(sqlite_db) -> dict[str, int]:
    """Aino brought Eero, who first visited today; Kalle has a birthday today."""
    aino, eero, kalle = add_customers(
        sqlite_db, person("Aino", "Aalto"), person("Eero", "Ek"), person("Kalle", "Koski"))
    with sqlite_db.session() as session:
        referral = set_referral(session, eero, aino, None, TODAY - timedelta(days=3)).referral
        log_visit(session, eero, datetime.combine(TODAY, time(12)))
        add_date(session, kalle, DateInput("birthday", TODAY.month, TODAY.day))
    return {"aino": aino, "eero": eero, "kalle": kalle, "referral": referral.id}


@pytest.fixture
def section(sqlite_db, family, qtbot, shown_dialogs) -> TodaySection:
    widget = TodaySection(SyncTaskRunner(sqlite_db))
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    widget.refresh()
    return widget


def listed(section: TodaySection) -> list[tuple[str, str, str]]:
    """(customer, what to do, kind) of every item, top to bottom."""
    model = section.model
    return [(model.item(i).name, model.item(i).what_to_do, model.item(i).kind)
            for i in model.item_indexes()]


def choose(section: TodaySection, kind: str) -> None:
    [index] = [i for i in section.model.item_indexes() if section.model.item(i).kind == kind]
    section.tree.setCurrentIndex(index)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_referrer_to_thank_is_on_the_agenda_with_a_thank_button(section):
    assert ("Aino Aalto", "Thank for referring Eero Ek", "referral") in listed(section)
    choose(section, "birthday")
    assert section.thanks.button.isHidden() and not section.thanks.action.isEnabled()
    choose(section, "referral")
    assert section.thanks.button.isVisible() and section.thanks.button.isEnabled()
    [index] = [i for i in section.model.item_indexes() if section.model.item(i).kind == "referral"]
    assert index.siblingAtColumn(2).data() == "Referral thanks"


def test_thank_opens_the_letter_and_the_item_leaves_the_agenda(
    qtbot, section, sqlite_db, family, tmp_path, monkeypatch
):
    choose(section, "referral")
    with qtbot.waitSignal(section.status_message) as status:
        section.thanks.button.click()
    preview = section.thanks.preview
    assert preview is not None and preview.isVisible()
    assert preview.document.status() == preview.document.Status.Ready
    assert preview.windowTitle() == "Thank-you letter to Aino Aalto"
    [coupon] = sqlite_db.run(lambda s: list_coupons(s, customer_id=family["aino"]))
    assert (coupon.kind, coupon.value, coupon.reason) == ("amount", 500, "referral")
    assert coupon.expires_on == TODAY + timedelta(days=90)
    assert coupon.grouped_code in status.args[0]
    shown = preview.document.getAllText(0).text()  # the page as the preview shows it
    assert coupon.grouped_code in shown and "Eero" in shown
    info = sqlite_db.run(lambda s: get_referral(s, family["eero"]))
    assert (info.reward_status, info.reward_coupon_id) == ("rewarded", coupon.id)
    assert [kind for _name, _what, kind in listed(section)] == ["birthday"]
    assert section.thanks.button.isHidden()
    assert letters_on_timeline(sqlite_db, family["aino"]) == 0  # not printed yet
    save_to = str(tmp_path / "thanks.pdf")
    monkeypatch.setattr(pdf_preview.QFileDialog, "getSaveFileName", lambda *a: (save_to, ""))
    preview.save_as()
    preview.save_as()  # saved again: still one letter sent
    assert letters_on_timeline(sqlite_db, family["aino"]) == 1
    preview.close()


def letters_on_timeline(database, customer_id: int) -> int:
    history = database.run(lambda s: timeline(s, customer_id))
    return [entry.kind for entry in history].count("letter")


def test_thanks_given_elsewhere_meanwhile_are_refused_clearly(section, sqlite_db, family,
                                                               shown_dialogs):
    choose(section, "referral")
    with sqlite_db.session() as session:  # the Referrals desk was quicker
        reward_referral(session, family["referral"])
    section.thanks.action.trigger()
    assert len(shown_dialogs) == 1 and "already rewarded" in shown_dialogs[0]
    assert section.thanks.preview is None
    assert sqlite_db.run(lambda s: list_coupons(s, customer_id=family["aino"])) == []
    assert [kind for _name, _what, kind in listed(section)] == ["birthday"]


def test_the_context_menu_offers_thank_first(section, monkeypatch):
    offered: list[list[str]] = []

    class RecordingMenu(QMenu):
        def exec(self, *_args):
            offered.append([action.text() for action in self.actions()])

    monkeypatch.setattr(today_section, "QMenu", RecordingMenu)
    for kind in ("referral", "birthday"):
        choose(section, kind)
        rect = section.tree.visualRect(section.tree.currentIndex())
        section._context_menu(rect.center())
    assert offered[0][0] == "&Thank…" and "&Thank…" not in offered[1]


def test_the_referrals_desk_thank_opens_the_same_letter(qtbot, sqlite_db, family,
                                                        shown_dialogs):
    desk = ReferralsSection(SyncTaskRunner(sqlite_db))
    qtbot.addWidget(desk)
    desk.show()
    pane = desk.thanks
    pane.table.selectRow(0)
    pane.thank_selected()
    assert pane.dialog is not None
    with qtbot.waitSignal(pane.referrer_thanked) as thanked:
        pane.dialog.accept()
    result = thanked.args[0]
    assert pane.preview is not None and pane.preview.isVisible()
    assert result.coupon_code in pdf_text(result.pdf)
    assert pane.model.rowCount() == 0
    pane.preview.close()
    assert shown_dialogs == []
