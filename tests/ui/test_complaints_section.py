"""The Complaints desk: register, resolve with a coupon and a previewed apology, follow up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog

from crm_desktop.i18n import format_money
from crm_desktop.services.agenda import agenda
from crm_desktop.services.complaint_data import ComplaintInput
from crm_desktop.services.complaints import get_complaint, register_complaint, resolve_complaint
from crm_desktop.services.coupons import get_coupon
from crm_desktop.services.touchpoints import timeline
from crm_desktop.ui.complaint_dialogs import FollowUpDialog, RegisterComplaintDialog
from crm_desktop.ui.complaints_model import ComplaintsModel
from crm_desktop.ui.complaints_section import ComplaintsSection
from crm_desktop.ui.customer_card import CustomerCard
from crm_desktop.ui.recovery_report_pane import RecoveryReportPane
from crm_desktop.ui.resolve_dialog import ResolveDialog
from tests.services.letter_helpers import add_customer, add_product, pdf_text, setup_business

TODAY = date.today()
LIMIT = 5000  # the default compensation limit, 50,00 €


@pytest.fixture
def shop(sqlite_db) -> dict[str, int]:
    """A business with one customer who complained and a product to give away."""
    with sqlite_db.session() as s:
        setup_business(s)
        aino = add_customer(s, "Aino", "Mäkinen", language="en")
        product = add_product(s, "Cappuccino", 450)
        complaint = register_complaint(s, ComplaintInput(
            aino, TODAY, "in_person", "Cold coffee\nand a long wait", 2, product, "Maija")
        ).complaint.id
    return {"customer": aino, "product": product, "complaint": complaint}


@pytest.fixture
def section(runner, shop, qtbot) -> ComplaintsSection:
    widget = ComplaintsSection(runner)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    return widget


def resolve_dialog(section: ComplaintsSection, complaint_id: int) -> ResolveDialog:
    section.select_complaint(complaint_id)
    section.resolve()
    dialog = section.dialog
    assert isinstance(dialog, ResolveDialog) and dialog.isVisible()
    return dialog


def test_the_complaints_model_keeps_the_rules_with_rows_and_without(section, qtmodeltester):
    assert section.model.rowCount() == 1
    qtmodeltester.check(section.model)
    row = section.model.complaint(0)
    assert row is not None and row.customer_name == "Aino Mäkinen"
    empty = ComplaintsModel()
    qtmodeltester.check(empty)
    section.model.set_rows([])
    qtmodeltester.check(section.model)


def test_a_complaint_is_registered_through_the_dialog(section, sqlite_db, shop):
    section.register()
    dialog = section.dialog
    assert isinstance(dialog, RegisterComplaintDialog)
    dialog.picker.line.setText("Mäkinen")
    dialog.picker.search_now()
    assert dialog.picker.matches.count() == 1
    dialog.picker.matches.itemClicked.emit(dialog.picker.matches.item(0))
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    dialog.product.setCurrentIndex(dialog.product.findData(shop["product"]))
    dialog.description.setPlainText("The cake was stale")
    dialog.staff.setText("Jussi")
    dialog.register()
    assert dialog.saved is not None
    stored = sqlite_db.run(lambda s: get_complaint(s, dialog.saved.complaint.id))
    assert (stored.customer_id, stored.channel, stored.product_id, stored.staff) == (
        shop["customer"], "phone", shop["product"], "Jussi")
    assert stored.status == "open"
    assert section.model.rowCount() == 2  # the list follows the change


def test_registering_without_a_customer_or_a_description_says_so_next_to_the_field(section):
    section.register()
    dialog = section.dialog
    dialog.register()
    assert "customer" in dialog.errors["customer"].message.lower()
    dialog.picker.line.setText("Mäkinen")
    dialog.picker.search_now()
    dialog.picker.matches.itemClicked.emit(dialog.picker.matches.item(0))
    dialog.register()
    assert dialog.errors["description"].message == "Describe what went wrong."
    assert dialog.saved is None and section.model.rowCount() == 1


def test_resolving_with_a_free_item_issues_the_coupon_and_sets_the_follow_up(
    section, sqlite_db, shop
):
    dialog = resolve_dialog(section, shop["complaint"])
    assert dialog.preview.page_count >= 1  # the apology, before anything is decided
    form = dialog.form
    form.remedy.setCurrentIndex(form.remedy.findData("free_item"))
    form.product.setCurrentIndex(form.product.findData(shop["product"]))
    form.staff.setText("Maija Virtanen")
    dialog.preview.render_now()
    assert dialog.preview.page_count >= 1
    preview_text = " ".join(pdf_text(dialog.preview.pdf).split())
    assert "Free Cappuccino" in preview_text and "XXXX-XXXX-XXXX-X" in preview_text
    assert form.follow_up.value() == TODAY + timedelta(days=7)
    dialog.resolve()
    assert dialog.resolved is not None and dialog.resolved.coupon is not None
    stored = sqlite_db.run(lambda s: get_complaint(s, shop["complaint"]))
    assert stored.status == "resolved" and stored.remedy == "coupon"
    assert stored.follow_up_on == TODAY + timedelta(days=7)
    assert stored.compensation_cents == 450
    due = sqlite_db.run(lambda s: agenda(s, TODAY)).items
    assert [(item.kind, item.occurs_on) for item in due if item.customer_id == shop["customer"]
            ] == [("complaint", TODAY + timedelta(days=7))]  # on the Today list
    coupon = sqlite_db.run(lambda s: get_coupon(s, dialog.resolved.coupon.code))
    assert (coupon.kind, coupon.customer_id, coupon.product_id) == (
        "free_item", shop["customer"], shop["product"])
    letter = " ".join(pdf_text(dialog.preview.pdf).split())  # now the real letter
    assert coupon.grouped_code in letter and "Maija Virtanen" in letter
    assert dialog.preview.page_count >= 1


def test_save_as_pdf_resolves_first_then_logs_the_letter(section, sqlite_db, shop, tmp_path,
                                                         monkeypatch):
    target = tmp_path / "apology.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    dialog = resolve_dialog(section, shop["complaint"])
    form = dialog.form
    form.remedy.setCurrentIndex(form.remedy.findData("discount"))
    form.percent.setValue(20)
    dialog.deliver(print_it=False)
    assert dialog.resolved is not None and dialog.logged
    code = dialog.resolved.coupon.grouped_code
    assert code in " ".join(pdf_text(target.read_bytes()).split())
    kinds = [entry.kind for entry in sqlite_db.run(lambda s: timeline(s, shop["customer"]))]
    assert kinds.count("letter") == 1 and kinds.count("complaint") == 2
    assert "coupon_issued" in kinds


def test_the_compensation_limit_is_shown_next_to_the_field_and_blocks_resolving(
    section, sqlite_db, shop
):
    dialog = resolve_dialog(section, shop["complaint"])
    form = dialog.form
    form.remedy.setCurrentIndex(form.remedy.findData("refund"))
    form.compensation.setText("120,00")
    message = form.errors["compensation_cents"].message
    assert format_money(12000) in message and format_money(LIMIT) in message
    assert form.errors["compensation_cents"].isVisible()
    assert not dialog.resolve_button.isEnabled() and not dialog.print_button.isEnabled()
    form.remedy.setCurrentIndex(form.remedy.findData("discount"))
    form.discount.setCurrentIndex(form.discount.findData("amount"))
    form.amount.setText("60")
    assert format_money(6000) in form.errors["amount"].message
    dialog.resolve()
    assert sqlite_db.run(lambda s: get_complaint(s, shop["complaint"])).status == "open"
    form.amount.setText("45")
    assert form.errors["amount"].message == ""
    assert dialog.resolve_button.isEnabled()


def test_a_refund_without_an_amount_is_refused_by_the_form(section, sqlite_db, shop):
    dialog = resolve_dialog(section, shop["complaint"])
    dialog.form.remedy.setCurrentIndex(dialog.form.remedy.findData("refund"))
    dialog.resolve()
    assert dialog.form.errors["compensation_cents"].message == "Enter the amount."
    assert sqlite_db.run(lambda s: get_complaint(s, shop["complaint"])).status == "open"


def test_the_follow_up_closes_the_complaint(section, sqlite_db, shop):
    sqlite_db.run(lambda s: resolve_complaint(s, shop["complaint"], "apology", 0, None,
                                              TODAY, "Maija"))
    section.refresh()
    section.filter.setCurrentIndex(section.filter.findData("due"))
    assert section.model.rowCount() == 1
    section.table.selectRow(0)
    assert section.follow_up_button.isEnabled() and not section.resolve_button.isEnabled()
    section.follow_up()
    dialog = section.dialog
    assert isinstance(dialog, FollowUpDialog)
    dialog.save()
    assert dialog.errors["outcome"].message  # an empty outcome is refused
    dialog.outcome.setPlainText("Happy again, came for lunch")
    dialog.save()
    stored = sqlite_db.run(lambda s: get_complaint(s, shop["complaint"]))
    assert stored.status == "closed" and stored.outcome == "Happy again, came for lunch"
    assert section.model.rowCount() == 0  # nothing is due any more


def test_the_recovery_report_counts_remedies_and_cost(runner, sqlite_db, shop, qtbot):
    sqlite_db.run(lambda s: resolve_complaint(s, shop["complaint"], "refund", 1250, None,
                                              None, "Maija"))
    pane = RecoveryReportPane(runner)
    qtbot.addWidget(pane)
    pane.load()
    assert pane.values["complaints"].text() == "1"
    assert pane.values["resolved"].text() == "1"
    assert pane.values["cost"].text() == format_money(1250)
    assert pane.values["came_back"].text().startswith("0")
    assert {bar.label: bar.value for bar in pane.chart.bars}["Refund"] == 1
    pane.preset.setCurrentIndex(pane.preset.findData("last_year"))
    assert pane.values["complaints"].text() == "0"
    assert pane.chart.bars == ()


def test_the_customer_card_registers_a_complaint_for_the_customer_shown(
    runner, sqlite_db, shop, qtbot
):
    card = CustomerCard(runner)
    qtbot.addWidget(card)
    card.show()
    assert not card.letter_actions.register_complaint_action.isEnabled()
    card.show_customer(shop["customer"])
    assert card.letter_actions.register_complaint_action.isEnabled()
    card.letter_actions.register_complaint_action.trigger()
    dialog = card.letter_actions.dialog
    assert isinstance(dialog, RegisterComplaintDialog)
    assert dialog.customer_id == shop["customer"]
    assert dialog.picker.line.text() == "Aino Mäkinen"
    dialog.description.setPlainText("Wrong order")
    with qtbot.waitSignal(card.status) as said:
        dialog.register()
    assert "Aino Mäkinen" in said.args[0]
    entries = sqlite_db.run(lambda s: timeline(s, shop["customer"]))
    assert sum(entry.kind == "complaint" for entry in entries) == 2
