"""The Referrals desk: the tree model and view, the leaderboard, sources, thanks, the picture."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from crm_desktop.services.coupons import get_coupon
from crm_desktop.services.errors import Conflict
from crm_desktop.services.referrals import (
    get_referral,
    referral_sources,
    referrals_due_thanks,
    reward_referral,
    set_referral,
    top_referrers,
)
from crm_desktop.services.touchpoints import log_visit
from crm_desktop.ui.main_window import MainWindow
from crm_desktop.ui.referral_tables import (
    LeaderboardModel,
    SourcesModel,
    ThanksModel,
    source_shares,
)
from crm_desktop.ui.referral_tree_model import (
    DIRECT,
    NAME,
    REWARD,
    TOTAL,
    ReferralTreeModel,
    load_family,
)
from crm_desktop.ui.referrals_section import ReferralsSection
from crm_desktop.ui.tasks import SyncTaskRunner
from tests.ui.conftest import add_customers, person

NAMES = ("aino", "bea", "cecilia", "daniel", "eero")


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    def refuse(box):
        raise AssertionError(f"unexpected dialog: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.fixture
def family(sqlite_db) -> dict[str, int]:
    """Aino brought Bea and Eero; Bea brought Cecilia; Cecilia brought Daniel."""
    ids = dict(zip(NAMES, add_customers(
        sqlite_db,
        person("Aino", "Aalto"),
        person("Bea", "Berg"),
        person("Cecilia", "Carlsson"),
        person("Daniel", "Dahl"),
        person("Eero", "Eskola"),
    ), strict=True))
    with sqlite_db.session() as session:
        for referred, referrer, on in (
            ("bea", "aino", date(2024, 1, 10)),
            ("eero", "aino", date(2024, 6, 1)),
            ("cecilia", "bea", date(2024, 2, 20)),
            ("daniel", "cecilia", date(2025, 3, 3)),
        ):
            set_referral(session, ids[referred], ids[referrer], None, on)
        set_referral(session, ids["aino"], None, "advert", None)
    return ids


def rows_below(model, parent: QModelIndex | None = None) -> list[tuple[str, ...]]:
    """Every row in display order, as (name, direct, total, reward status), depth first."""
    parent = parent if parent is not None else QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(tuple(model.index(row, c, parent).data() for c in (NAME, DIRECT, TOTAL,
                                                                          REWARD)))
        found.extend(rows_below(model, index))
    return found


# The tree model ---------------------------------------------------------------------------------


def test_tree_model_rules_hold(qtmodeltester, sqlite_db, family):
    model = ReferralTreeModel()
    model.set_family(sqlite_db.run(lambda s: load_family(s, family["cecilia"])))
    qtmodeltester.check(model)
    model.set_whole_family(True)
    qtmodeltester.check(model)


def test_tree_model_rules_hold_when_empty(qtmodeltester):
    model = ReferralTreeModel()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_chain_above_and_tree_below_with_counts(sqlite_db, family):
    model = ReferralTreeModel()
    model.set_family(sqlite_db.run(lambda s: load_family(s, family["cecilia"])))
    assert rows_below(model) == [
        ("Aino Aalto", "2", "4", ""),  # nobody referred Aino (she came from an advert)
        ("Bea Berg", "1", "2", "Waiting for a first visit"),
        ("Cecilia Carlsson", "1", "1", "Waiting for a first visit"),
        ("Daniel Dahl", "0", "0", "Waiting for a first visit"),
    ]
    focus = model.focus_index()
    assert focus.data() == "Cecilia Carlsson" and focus.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()  # a referrer above

    model.set_whole_family(True)
    assert [row[0] for row in rows_below(model)] == [
        "Aino Aalto", "Bea Berg", "Cecilia Carlsson", "Daniel Dahl", "Eero Eskola"]
    assert model.focus_index().data() == "Cecilia Carlsson"


def test_a_thanked_referral_shows_in_the_tree(sqlite_db, family):
    with sqlite_db.session() as session:
        reward_referral(session, get_referral(session, family["daniel"]).id)
    model = ReferralTreeModel()
    model.set_family(sqlite_db.run(lambda s: load_family(s, family["daniel"])))
    assert rows_below(model)[-1] == ("Daniel Dahl", "0", "0", "Thanked")


# The section ----------------------------------------------------------------------------------


@pytest.fixture
def window(sqlite_db, family, ui_settings, qtbot) -> MainWindow:
    main = MainWindow(SyncTaskRunner(sqlite_db), ui_settings)
    qtbot.addWidget(main)
    main.resize(1024, 700)
    main.show()
    qtbot.waitExposed(main)
    return main


def show_referrals(window: MainWindow) -> ReferralsSection:
    window.navigation.setCurrentRow(list(window.sections).index("referrals"))
    section = window.sections["referrals"]
    assert isinstance(section, ReferralsSection) and section.isVisible()
    return section


def find_row(model, name: str, parent: QModelIndex | None = None) -> QModelIndex:
    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == name:
            return index
        found = find_row(model, name, index)
        if found.isValid():
            return found
    return QModelIndex()


def test_the_tree_follows_the_customer_chosen_on_the_customers_desk(window, family):
    window.customers.open_customer(family["bea"])
    section = show_referrals(window)
    assert section.tree_pane.customer_id == family["bea"]
    assert section.tree_pane.heading.text() == (
        "Bea Berg: a referral family of 5 people")


def test_double_click_opens_the_card(qtbot, window, family):
    section = show_referrals(window)
    section.tree_pane.show_customer(family["cecilia"])
    tree = section.tree_pane.tree
    index = find_row(tree.model(), "Daniel Dahl")
    assert index.isValid()
    tree.scrollTo(index)
    where = tree.visualRect(index).center()
    # A real double-click starts with a press; QTest's double-click alone sends none.
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.sections["customers"].isVisible()
    assert window.customers.card.customer_id == family["daniel"]
    assert window.customers.card.title.text() == "Daniel Dahl"


def test_leaderboard_lists_the_top_referrers_with_bars(qtmodeltester, window, sqlite_db, family):
    section = show_referrals(window)
    model = section.leaderboard.model
    expected = sqlite_db.run(lambda s: top_referrers(s, 20))
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        top.name for top in expected]
    assert model.index(0, 1).data() == "Aino Aalto" and model.index(0, 3).data() == "4"
    assert [bar.label for bar in section.leaderboard.chart.bars] == [t.name for t in expected]
    qtmodeltester.check(model)


def test_leaderboard_for_a_period_and_a_refused_period(window, sqlite_db, family):
    section = show_referrals(window)
    section.period.set_period(date(2024, 2, 1), date(2024, 12, 31))
    model = section.leaderboard.model
    expected = sqlite_db.run(lambda s: top_referrers(s, 20, date(2024, 2, 1), date(2024, 12, 31)))
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        top.name for top in expected]
    assert "Daniel Dahl" not in [top.name for top in expected]  # his referral is from 2025
    section.period.set_period(date(2025, 1, 1), date(2024, 1, 1))
    assert section.period.error.isVisible()
    assert section.period.error.text() == "The period starts after it ends."
    assert model.rowCount() == 0


def test_choosing_a_leaderboard_row_shows_that_referrers_tree(window, family):
    section = show_referrals(window)
    table = section.leaderboard.table
    table.setCurrentIndex(section.leaderboard.model.index(0, 1))
    assert section.tree_pane.customer_id == family["aino"]


def test_sources_breakdown(window, sqlite_db, family):
    section = show_referrals(window)
    model = section.sources.model
    expected = sqlite_db.run(lambda s: referral_sources(s))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        c.label for c in expected]
    assert model.index(0, 0).data() == "Referred by a customer"
    assert model.index(0, 1).data() == "4"
    assert [bar.value for bar in section.sources.chart.bars] == [c.count for c in expected]


def test_table_models_rules_hold_empty_and_filled(qtmodeltester, sqlite_db, family):
    for model in (LeaderboardModel(), SourcesModel(), ThanksModel()):
        qtmodeltester.check(model)
    sources = SourcesModel()
    sources.set_records(source_shares(sqlite_db.run(lambda s: referral_sources(s))))
    qtmodeltester.check(sources)


# Thanks ---------------------------------------------------------------------------------------


def test_thank_rewards_once_with_a_coupon(qtbot, window, sqlite_db, family):
    with sqlite_db.session() as session:
        log_visit(session, family["daniel"])  # Cecilia is now owed a thank-you
    section = show_referrals(window)
    pane = section.thanks
    section.tabs.setCurrentWidget(pane)
    assert section.tabs.tabText(section.tabs.currentIndex()) == "Thanks due (1)"
    assert pane.model.rowCount() == 1
    due = pane.model.record(0)
    assert (due.referrer_id, due.referred_id) == (family["cecilia"], family["daniel"])
    pane.table.selectRow(0)
    qtbot.mouseClick(pane.thank_button, Qt.MouseButton.LeftButton)
    dialog = pane.dialog
    assert dialog is not None and dialog.with_coupon.isChecked()
    with qtbot.waitSignal(pane.referrer_thanked) as thanked:
        dialog.accept()
    result = thanked.args[0]
    info = sqlite_db.run(lambda s: get_referral(s, family["daniel"]))
    assert info.reward_status == "rewarded" and info.reward_coupon_id == result.coupon.id
    coupon = sqlite_db.run(lambda s: get_coupon(s, result.coupon.code))
    assert (coupon.customer_id, coupon.reason, coupon.kind, coupon.value) == (
        family["cecilia"], "referral", "amount", 500)
    assert coupon.expires_on == date.today() + timedelta(days=90)
    assert pane.model.rowCount() == 0
    assert sqlite_db.run(referrals_due_thanks) == []
    assert section.tabs.tabText(section.tabs.currentIndex()) == "Thanks due (0)"

    pane.reward(due, None)  # a second attempt from an out-of-date list
    with pytest.raises(Conflict) as refused, sqlite_db.session() as session:
        reward_referral(session, due.referral_id)
    assert pane.message.isVisible()
    assert pane.message.text() == str(refused.value)
    assert "already rewarded" in pane.message.text()


def test_thank_without_a_coupon(qtbot, window, sqlite_db, family):
    with sqlite_db.session() as session:
        log_visit(session, family["bea"])
    pane = show_referrals(window).thanks
    pane.table.selectRow(0)
    pane.thank_selected()
    pane.dialog.with_coupon.setChecked(False)
    pane.dialog.accept()
    info = sqlite_db.run(lambda s: get_referral(s, family["bea"]))
    assert info.reward_status == "rewarded" and info.reward_coupon_id is None


# The picture ----------------------------------------------------------------------------------


def test_the_picture_opens_in_the_preview(qtbot, window, family):
    section = show_referrals(window)
    section.tree_pane.show_customer(family["bea"])
    qtbot.mouseClick(section.tree_pane.picture_button, Qt.MouseButton.LeftButton)
    preview = section.tree_pane.preview
    assert preview is not None and preview.isVisible()
    assert preview.document.status() == preview.document.Status.Ready
    assert preview.document.pageCount() > 0
    assert preview.pages.text() == "1 page"
    preview.close()
