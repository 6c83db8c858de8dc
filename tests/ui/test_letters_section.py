"""The Letters desk: template editing with its checks and live preview, batch letters, the card's
Print Letter…."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.letter_templates import default_template, effective_template
from crm_desktop.services.touchpoints import timeline
from crm_desktop.ui.batch_letters import BatchLettersDialog
from crm_desktop.ui.batch_skipped import SkippedModel
from crm_desktop.ui.customer_card import CustomerCard
from crm_desktop.ui.letter_dialog import LetterDialog
from crm_desktop.ui.letters_section import LettersSection
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.tasks import TaskRunner
from tests.services.letter_helpers import add_customer, page_count, pdf_text, setup_business

TODAY = date.today()


@pytest.fixture
def people(sqlite_db) -> dict[str, int]:
    """Three "regulars": two with an address (one wants no marketing), one without."""
    with sqlite_db.session() as s:
        setup_business(s)
        ids = {
            "aino": add_customer(s, "Aino", "Mäkinen", language="fi", tags=("regular",)),
            "ben": add_customer(s, "Ben", "Smith", language="en", tags=("regular",)),
            "cecilia": add_customer(s, "Cecilia", "Berg", language="en", tags=("regular",),
                                    do_not_market=True),
        }
        ids["dora"] = create_customer(s, CustomerInput(
            first_name="Dora", last_name="Nowhere", tags=("regular",)), "FI").customer.id
    return ids


@pytest.fixture
def section(runner, people, qtbot) -> LettersSection:
    widget = LettersSection(runner)
    qtbot.addWidget(widget)
    widget.resize(1000, 660)
    widget.show()
    return widget


def choose(section: LettersSection, kind: str, language: str) -> None:
    section.language.setCurrentIndex(section.language.findData(language))
    section.kind.setCurrentIndex(section.kind.findData(kind))


def test_the_shipped_template_is_shown_with_a_live_preview(section):
    choose(section, "birthday", "en")
    shipped = default_template("birthday", "en")
    assert section.editor.text() == (shipped.subject, shipped.body)
    assert section.preview.page_count >= 1
    assert "Happy birthday, Alex!" in pdf_text(section.preview.pdf)
    section.editor.subject.setText("Many happy returns, {first_name}")
    assert section.preview.pending  # waits for the typing to pause
    section.preview.render_now()
    assert "Many happy returns, Alex" in pdf_text(section.preview.pdf)


def test_a_misspelt_placeholder_is_reported_and_blocks_saving(section, sqlite_db):
    choose(section, "apology", "en")
    before = section.preview.pdf
    section.editor.body.setPlainText("Dear {frist_name},\n\nSorry.")
    message = section.editor.body_error.message
    assert "{frist_name}" in message and "{first_name}" in message and "line 1" in message
    assert section.editor.body_error.isVisible()
    assert not section.preview.pending and section.preview.pdf is before  # nothing rendered
    section.save()
    stored = sqlite_db.run(lambda s: effective_template(s, "apology", "en"))
    assert not stored.edited
    section.editor.body.setPlainText("Dear {first_name},\n\nSorry.")
    assert section.editor.body_error.message == ""


def test_a_template_is_saved_and_reset_to_the_default(section, sqlite_db, monkeypatch):
    choose(section, "win_back", "fi")
    assert not section.reset_button.isEnabled()
    section.editor.subject.setText("Kaipaamme sinua, {first_name}!")
    assert "not saved" in section.state.text()
    section.save()
    stored = sqlite_db.run(lambda s: effective_template(s, "win_back", "fi"))
    assert stored.edited and stored.subject == "Kaipaamme sinua, {first_name}!"
    assert section.reset_button.isEnabled() and not section.has_unsaved_changes()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Reset)
    section.reset()
    stored = sqlite_db.run(lambda s: effective_template(s, "win_back", "fi"))
    assert not stored.edited
    assert section.editor.text()[0] == default_template("win_back", "fi").subject


def test_a_placeholder_is_inserted_where_the_cursor_is(section):
    choose(section, "apology", "en")
    section.editor.subject.setText("Sorry, ")
    section.editor.subject.setFocus()
    section.editor.subject.setCursorPosition(len("Sorry, "))
    item = next(section.editor.placeholders.item(row)
                for row in range(section.editor.placeholders.count())
                if section.editor.placeholders.item(row).text().startswith("{first_name}"))
    section.editor.placeholders.itemClicked.emit(item)
    assert section.editor.subject.text() == "Sorry, {first_name}"


def test_the_preview_can_use_the_customer_on_the_card(section, people):
    choose(section, "apology", "en")
    section.follow_customer(people["ben"])
    section.sample_for.setCurrentIndex(1)
    assert section.sample_for.currentText() == "Ben Smith"
    assert "Dear Ben" in pdf_text(section.preview.pdf)


def batch_dialog(runner, qtbot, kind: str = "birthday") -> BatchLettersDialog:
    dialog = BatchLettersDialog(runner, kind)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.by_tag.setChecked(True)
    dialog.tag.setCurrentText("regular")
    return dialog


def test_batch_letters_list_the_skipped_and_make_one_pdf(runner, sqlite_db, people, qtbot,
                                                        tmp_path, monkeypatch, qtmodeltester):
    dialog = batch_dialog(runner, qtbot)
    dialog.plan_letters()
    assert dialog.pages.currentIndex() == 1
    skipped = {row.name: row.reason for row in dialog.skipped_model.rows}
    assert skipped == {"Cecilia Berg": "do_not_market", "Dora Nowhere": "no_address"}
    assert "2 customers are left out" in dialog.skipped_title.text()
    qtmodeltester.check(dialog.skipped_model)
    dialog.make_pdf()
    assert dialog.pdf is not None and page_count(dialog.pdf) == 2
    assert dialog.progress is None  # closed when the run ended
    assert dialog.preview is not None and dialog.preview.isVisible()
    target = tmp_path / "batch.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.preview.save_as()
    assert target.read_bytes() == dialog.pdf
    letters = [entry for customer in ("aino", "ben")
               for entry in sqlite_db.run(lambda s, c=customer: timeline(s, people[c]))
               if entry.kind == "letter"]
    assert len(letters) == 2


def test_cancel_stops_a_batch_run(runner, people, qtbot):
    dialog = batch_dialog(runner, qtbot, kind="apology")  # reaches Cecilia too: three letters
    dialog.plan_letters()
    assert len(dialog.plan.included) == 3
    done: list[int] = []

    def cancel_after_the_first(count: int) -> None:
        done.append(count)
        if count == 1:
            dialog.progress.canceled.emit()

    dialog.bridge.advanced.connect(cancel_after_the_first)
    with qtbot.waitSignal(dialog.status) as said:
        dialog.make_pdf()
    assert dialog.pdf is None and dialog.preview is None
    assert max(done) < 3 and "cancelled" in said.args[0].lower()
    assert dialog.make_button.isEnabled()


def test_the_skipped_model_keeps_the_rules_when_empty(qtmodeltester):
    qtmodeltester.check(SkippedModel())


def test_print_letter_from_the_card_previews_and_logs_the_saved_letter(
    runner, sqlite_db, people, qtbot, tmp_path, monkeypatch
):
    card = CustomerCard(runner)
    qtbot.addWidget(card)
    card.show()
    card.show_customer(people["ben"])
    card.letter_actions.print_letter_action.trigger()
    dialog = card.letter_actions.dialog
    assert isinstance(dialog, LetterDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("win_back"))
    assert dialog.preview.page_count >= 1
    assert "We miss you, Ben" in pdf_text(dialog.preview.pdf)
    target: Path = tmp_path / "letter.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_letter()
    assert "We miss you, Ben" in pdf_text(target.read_bytes())
    entries = sqlite_db.run(lambda s: timeline(s, people["ben"]))
    assert [entry.kind for entry in entries].count("letter") == 1


def test_batch_letters_can_take_the_customers_in_the_list(runner, sqlite_db, people, qtbot,
                                                          ui_settings):
    window = MainWindow(runner, ui_settings, remember_layout=False)
    qtbot.addWidget(window)
    window.customers.list_pane.search_box.setText("Smith")
    window.customers.list_pane.apply_filters()
    letters = window.sections["letters"]
    assert isinstance(letters, LettersSection)
    letters.open_batch()
    dialog = letters.batch
    assert dialog is not None and dialog.from_list.isEnabled()
    assert "(1)" in dialog.from_list.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("win_back"))
    dialog.from_list.setChecked(True)
    dialog.plan_letters()
    assert [planned.name for planned in dialog.plan.included] == ["Ben Smith"]


def test_a_batch_renders_on_the_worker_thread_with_progress(sqlite_db, people, qtbot):
    runner = TaskRunner(sqlite_db)
    try:
        dialog = BatchLettersDialog(runner, "apology")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.tag.count() > 0)
        dialog.by_tag.setChecked(True)
        with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
            dialog.plan_letters()
        assert dialog.pages.currentIndex() == 1
        seen: list[int] = []
        dialog.bridge.advanced.connect(seen.append)  # delivered on the GUI thread, queued
        dialog.make_pdf()
        qtbot.waitUntil(lambda: dialog.pdf is not None)
        assert seen[-1] == 3 and page_count(dialog.pdf) == 3
    finally:
        runner.shutdown()
