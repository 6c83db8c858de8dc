"""Late means missed while Kanta was closed: the days the agenda was shown set the late window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm_desktop.models import Complaint, Setting
from crm_desktop.services.agenda import agenda, mark_done, snooze
from crm_desktop.services.agenda_data import LATE_DAYS, AgendaWindow
from crm_desktop.services.agenda_shown import (
    SHOWN_KEYS,
    late_window_start,
    record_agenda_shown,
    shown_days,
)
from crm_desktop.services.agenda_sources import complaint_items, important_date_items
from crm_desktop.services.settings import BusinessSettings, load_settings
from tests.services.agenda_helpers import birthday, customer, keys, no_lead_times

MONDAY = date(2026, 6, 15)
THURSDAY, FRIDAY = MONDAY - timedelta(days=4), MONDAY - timedelta(days=3)
DATES_ONLY = [important_date_items]


def days_ago(count: int) -> date:
    return MONDAY - timedelta(days=count)


def birthdays_ago(session, *counts: int) -> dict[int, str]:
    """A customer with a birthday ``count`` days before Monday, for each count: by count."""
    found = {}
    for count in counts:
        day = days_ago(count)
        date_id = birthday(session, customer(session, f"c{count}"), day.month, day.day)
        found[count] = f"date:{date_id}"
    return found


def late_keys(result) -> list[str]:
    return [item.item_key for item in result.late]


def test_on_the_first_start_the_last_30_days_are_late(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 1, LATE_DAYS, LATE_DAYS + 1)
        assert shown_days(s) == []
        result = agenda(s, MONDAY, 7, DATES_ONLY)
    assert late_keys(result) == [dates[LATE_DAYS], dates[1]]


def test_shown_yesterday_nothing_is_late_but_what_a_snooze_brings_back(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 1, 5, 10, 12, 0)
        snooze(s, dates[10], "2026", MONDAY, today=days_ago(10))  # back today
        snooze(s, dates[12], "2026", MONDAY + timedelta(days=1), today=days_ago(12))  # not yet
        record_agenda_shown(s, days_ago(1))
        result = agenda(s, MONDAY, 7, DATES_ONLY)
    assert late_keys(result) == [dates[10]]
    assert result.late[0].snoozed_until == MONDAY
    assert [item.item_key for item in result.upcoming[0].items] == [dates[0]]


def test_after_a_closed_weekend_the_weekend_is_late(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 1, 2, 3, 4)  # Sunday, Saturday, Friday, Thursday
        record_agenda_shown(s, THURSDAY)
        record_agenda_shown(s, FRIDAY)
        assert late_window_start(s, MONDAY) == days_ago(2)
        result = agenda(s, MONDAY, 7, DATES_ONLY)
    assert late_keys(result) == [dates[2], dates[1]]
    assert [item.due_on for item in result.late] == [days_ago(2), days_ago(1)]


def test_loading_again_the_same_day_keeps_the_late_items(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 1, 2, 3)
        record_agenda_shown(s, FRIDAY)
        first = agenda(s, MONDAY, 7, DATES_ONLY)
        record_agenda_shown(s, MONDAY)
        again = agenda(s, MONDAY, 7, DATES_ONLY)
        record_agenda_shown(s, MONDAY)
        tuesday = agenda(s, MONDAY + timedelta(days=1), 7, DATES_ONLY)
        assert shown_days(s) == [MONDAY, FRIDAY]
    assert late_keys(first) == late_keys(again) == [dates[2], dates[1]]
    assert tuesday.late == ()  # Monday's agenda was shown: nothing missed since


def test_the_late_window_reaches_back_30_days_at_most(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, LATE_DAYS, LATE_DAYS + 1)
        record_agenda_shown(s, days_ago(60))
        assert late_window_start(s, MONDAY) == days_ago(LATE_DAYS)
        result = agenda(s, MONDAY, 7, DATES_ONLY)
    assert late_keys(result) == [dates[LATE_DAYS]]


def test_done_stays_done_in_the_late_window(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 1, 2)
        record_agenda_shown(s, FRIDAY)
        mark_done(s, dates[2], "2026", customer(s, "someone"))
        result = agenda(s, MONDAY, 7, DATES_ONLY)
    assert late_keys(result) == [dates[1]]


def test_a_snooze_that_ended_before_the_day_does_not_bring_it_back(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 10, 40)
        snooze(s, dates[10], "2026", days_ago(12), today=days_ago(14))  # over before the day
        snooze(s, dates[40], "2026", MONDAY, today=days_ago(40))  # older than 30 days
        record_agenda_shown(s, days_ago(1))
        result = agenda(s, MONDAY, 7, DATES_ONLY)
    assert result.late == ()


def test_follow_ups_still_owed_stay_late_however_often_the_agenda_was_shown(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        follow_ups = []
        for ago in (6, 8, LATE_DAYS + 1):
            complaint = Complaint(customer_id=cid, received_on=days_ago(40), status="open",
                                  follow_up_on=days_ago(ago), description="Cold coffee")
            s.add(complaint)
            s.flush()
            follow_ups.append(complaint.id)
        snooze(s, f"complaint:{follow_ups[0]}", days_ago(6).isoformat(), days_ago(2),
               today=days_ago(6))
        dates = birthdays_ago(s, 1)  # shown yesterday: a greeting whose day has passed
        record_agenda_shown(s, days_ago(1))
        result = agenda(s, MONDAY, 7, [complaint_items, important_date_items])
    assert [(item.item_key, item.late) for item in result.items] == [
        (f"complaint:{follow_ups[1]}", True),  # owed since eight days ago
        (f"complaint:{follow_ups[0]}", True),  # its snooze ended two days ago
    ]
    assert dates[1] not in late_keys(result)


def test_recording_keeps_the_two_latest_days(db):
    with db.session() as s:
        record_agenda_shown(s, THURSDAY)
        record_agenda_shown(s, THURSDAY)
        assert shown_days(s) == [THURSDAY]
        record_agenda_shown(s, FRIDAY)
        record_agenda_shown(s, MONDAY)
        assert shown_days(s) == [MONDAY, FRIDAY]
        record_agenda_shown(s, THURSDAY)  # a desk whose clock lags changes nothing
        assert shown_days(s) == [MONDAY, FRIDAY]
        stored = dict(s.execute(select(Setting.key, Setting.value)).all())
    assert {key: stored[key] for key in SHOWN_KEYS} == {
        "agenda.shown_on": '"2026-06-15"', "agenda.shown_before": '"2026-06-12"'
    }


def test_recording_leaves_the_business_settings_alone(db):
    with db.session() as s:
        no_lead_times(s, agenda_days=3)
        record_agenda_shown(s, MONDAY)
        assert load_settings(s).agenda_days == 3


@pytest.mark.parametrize("value", ["not json", '"31.12.2026"', "17"])
def test_a_damaged_record_counts_as_never_shown(db, value):
    with db.session() as s:
        s.add(Setting(key="agenda.shown_on", value=value))
        s.flush()
        assert shown_days(s) == []
        assert late_window_start(s, MONDAY) == days_ago(LATE_DAYS)
        record_agenda_shown(s, MONDAY)
        assert shown_days(s) == [MONDAY]


def test_the_window_names_the_items_it_wants_by_kind():
    settings = BusinessSettings()
    every = AgendaWindow(MONDAY, 7, MONDAY, settings)
    some = AgendaWindow(MONDAY, 7, MONDAY, settings, frozenset({"date:12", "date:3", "coupon:3"}))
    assert every.ids_of("date") is None
    assert some.ids_of("date") == [3, 12]
    assert some.ids_of("since") == []


def test_the_agenda_itself_records_nothing(db):
    with db.session() as s:
        agenda(s, MONDAY, 7)
        assert shown_days(s) == []
        assert keys(agenda(s, MONDAY, 7)) == []


def test_a_desk_whose_clock_lags_finds_nothing_missed(db):
    with db.session() as s:
        no_lead_times(s)
        dates = birthdays_ago(s, 2)
        record_agenda_shown(s, MONDAY)  # another desk, a day ahead, showed Monday's agenda
        assert late_window_start(s, days_ago(1)) == days_ago(1)
        result = agenda(s, days_ago(1), 7, DATES_ONLY)
    assert dates[2] not in late_keys(result)
