"""The Today agenda from important dates: windows, lead times, late, done and snoozed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm_desktop.models import ReminderState, Touchpoint
from crm_desktop.services.agenda import agenda, mark_done, snooze, undo_state
from crm_desktop.services.agenda_data import Candidate
from crm_desktop.services.agenda_sources import DEFAULT_SOURCES, important_date_items
from crm_desktop.services.errors import NotFound, ValidationError
from tests.services.agenda_helpers import birthday, customer, dated, keys, no_lead_times, settings

DATES_ONLY = [important_date_items]


def test_the_window_wraps_the_year_end(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        inside = [birthday(s, cid, 12, 23)]
        for name, (month, day) in {"a": (12, 31), "b": (1, 1), "c": (1, 6)}.items():
            inside.append(birthday(s, customer(s, name), month, day))
        after = birthday(s, customer(s, "d"), 1, 7)
        result = agenda(s, date(2026, 12, 23), 14, DATES_ONLY)
    assert [k for k, _ in keys(result)] == [f"date:{i}" for i in inside]
    assert f"date:{after}" not in dict(keys(result))
    assert [day.day for day in result.upcoming] == [
        date(2026, 12, 23), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 6)
    ]
    assert [item.occurrence for item in result.items] == ["2026", "2026", "2027", "2027"]


def test_the_default_window_comes_from_the_settings(db):
    with db.session() as s:
        no_lead_times(s, agenda_days=3)
        birthday(s, customer(s), 5, 4)
        birthday(s, customer(s, "Ville"), 5, 5)
        result = agenda(s, date(2026, 5, 1), sources=DATES_ONLY)
    assert result.days == 3
    assert [item.occurs_on for item in result.items] == [date(2026, 5, 4)]


def test_lead_days_show_an_item_ahead_and_on_the_day(db):
    with db.session() as s:
        settings(s, birthday_lead_days=7, anniversary_lead_days=0)
        week = birthday(s, customer(s, "a"), 5, 8)  # in 7 days: due today
        eight = birthday(s, customer(s, "b"), 5, 9)  # in 8 days: not yet
        own = birthday(s, customer(s, "c"), 5, 21, lead_days=20)  # own lead time reaches
        none = birthday(s, customer(s, "d"), 5, 4, lead_days=0)  # own lead time of zero
        wedding = dated(s, customer(s, "e"), "anniversary", 5, 3, 2000)
        today_only = agenda(s, date(2026, 5, 1), 0, DATES_ONLY)
        on_the_day = agenda(s, date(2026, 5, 4), 0, DATES_ONLY)
        fortnight = agenda(s, date(2026, 5, 1), 14, DATES_ONLY)
    assert {k for k, _ in keys(today_only)} == {f"date:{week}", f"date:{own}"}
    assert all(item.due_on == date(2026, 5, 1) for item in today_only.items)
    assert f"date:{none}" in {k for k, _ in keys(on_the_day)}
    assert f"date:{eight}" not in {k for k, _ in keys(today_only)}
    due = {item.item_key: item.due_on for item in fortnight.items}
    assert due[f"date:{eight}"] == date(2026, 5, 2)  # shown from 7 days before
    assert due[f"date:{none}"] == date(2026, 5, 4)
    assert due[f"date:{wedding}"] == date(2026, 5, 3)


def test_ages_and_years_only_when_the_year_is_known(db):
    with db.session() as s:
        no_lead_times(s)
        known = birthday(s, customer(s, "a"), 6, 2, 1986)
        yearless = birthday(s, customer(s, "b"), 6, 2)
        wedding = dated(s, customer(s, "c"), "anniversary", 6, 2, 2016, "Wedding")
        name_day = dated(s, customer(s, "d"), "custom", 6, 2, label="Name day")
        items = {i.item_key: i for i in agenda(s, date(2026, 6, 1), 3, DATES_ONLY).items}
    assert items[f"date:{known}"].age == 40
    assert "turns 40" in items[f"date:{known}"].what_to_do
    assert items[f"date:{yearless}"].years is None
    assert items[f"date:{yearless}"].age is None
    assert "turns" not in items[f"date:{yearless}"].what_to_do
    assert items[f"date:{wedding}"].years == 10
    assert "Wedding, 10 years" in items[f"date:{wedding}"].what_to_do
    assert items[f"date:{name_day}"].years is None
    assert items[f"date:{name_day}"].label == "Name day"


@pytest.mark.parametrize(
    ("rule", "day", "other"), [("feb28", date(2100, 2, 28), date(2100, 3, 1)),
                               ("mar1", date(2100, 3, 1), date(2100, 2, 28))]
)
def test_a_leap_day_birthday_in_a_non_leap_year(db, rule, day, other):
    with db.session() as s:
        no_lead_times(s, leap_day_rule=rule)
        date_id = birthday(s, customer(s), 2, 29, 2000)
        on_the_day = agenda(s, day, 0, DATES_ONLY)  # a window of that one day
        other_day = agenda(s, other, 0, DATES_ONLY)
        leap_year = agenda(s, date(2028, 2, 29), 0, DATES_ONLY)
    (item,) = on_the_day.items
    assert (item.item_key, item.occurs_on, item.age) == (f"date:{date_id}", day, 100)
    assert [i.late for i in other_day.items] == ([True] if other > day else [])
    assert [i.occurs_on for i in leap_year.items] == [date(2028, 2, 29)]


def test_missed_items_are_late_and_listed_first(db):
    with db.session() as s:
        no_lead_times(s)
        upcoming = birthday(s, customer(s, "a"), 3, 12)
        late_old = birthday(s, customer(s, "b"), 2, 10)
        late_new = birthday(s, customer(s, "c"), 3, 1)
        too_old = birthday(s, customer(s, "d"), 2, 8)  # 31 days ago: no longer listed
        result = agenda(s, date(2026, 3, 11), 7, DATES_ONLY)
    assert keys(result) == [
        (f"date:{late_old}", "2026"), (f"date:{late_new}", "2026"), (f"date:{upcoming}", "2026")
    ]
    assert [item.late for item in result.items] == [True, True, False]
    assert [item.due_on for item in result.late] == [date(2026, 2, 10), date(2026, 3, 1)]
    assert f"date:{too_old}" not in dict(keys(result))
    assert result.due_today == 2


def test_done_is_for_one_occurrence_and_logged_in_the_history(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        date_id = birthday(s, cid, 4, 14, 1990)
        change = mark_done(s, f"date:{date_id}", "2026", cid, note="Card sent")
        this_year = agenda(s, date(2026, 4, 10), 7, DATES_ONLY)
        late_check = agenda(s, date(2026, 4, 20), 7, DATES_ONLY)
        next_year = agenda(s, date(2027, 4, 10), 7, DATES_ONLY)
        logged = s.scalars(select(Touchpoint).where(Touchpoint.kind == "reminder_done")).all()
    assert this_year.items == [] and late_check.items == []
    assert keys(next_year) == [(f"date:{date_id}", "2027")]
    assert change.state == "done" and cid in change.changes.customers
    assert [(t.customer_id, t.summary, t.id) for t in logged] == [
        (cid, "Card sent", change.touchpoint_id)
    ]


def test_undo_brings_the_item_back_and_removes_the_history_entry(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        date_id = birthday(s, cid, 4, 14)
        done = mark_done(s, f"date:{date_id}", "2026", cid)
        undo_state(s, f"date:{date_id}", "2026", done.touchpoint_id)
        result = agenda(s, date(2026, 4, 14), 0, DATES_ONLY)
        assert s.scalars(select(Touchpoint)).all() == []
    assert keys(result) == [(f"date:{date_id}", "2026")]


def test_done_without_a_note_describes_the_reminder(db):
    with db.session() as s:
        cid = customer(s)
        date_id = birthday(s, cid, 4, 14)
        mark_done(s, f"date:{date_id}", "2026", cid)
        assert s.scalar(select(Touchpoint.summary)) == "Birthday greeting done."


def test_snooze_hides_until_the_day_then_only_that_occurrence(db):
    with db.session() as s:
        no_lead_times(s)
        cid = customer(s)
        date_id = birthday(s, cid, 4, 14)
        key = f"date:{date_id}"
        snooze(s, key, "2026", date(2026, 4, 16), today=date(2026, 4, 14))
        before = agenda(s, date(2026, 4, 15), 0, DATES_ONLY)
        window = agenda(s, date(2026, 4, 14), 7, DATES_ONLY)
        after = agenda(s, date(2026, 4, 16), 0, DATES_ONLY)
        next_year = agenda(s, date(2027, 4, 14), 0, DATES_ONLY)
    assert before.items == []
    (moved,) = window.items
    assert (moved.due_on, moved.snoozed_until, moved.late) == (date(2026, 4, 16),) * 2 + (False,)
    (late,) = after.items
    assert late.late and late.snoozed_until == date(2026, 4, 16)
    assert [(i.occurrence, i.snoozed_until) for i in next_year.items] == [("2027", None)]


def test_snoozing_to_today_or_a_bad_key_is_refused(db):
    with db.session() as s:
        cid = customer(s)
        with pytest.raises(ValidationError) as error:
            snooze(s, "date:1", "2026", date(2026, 4, 14), today=date(2026, 4, 14))
        assert "until" in error.value.fields
        with pytest.raises(ValidationError):
            mark_done(s, "not a key", "2026", cid)
        with pytest.raises(NotFound):
            mark_done(s, "date:1", "2026", cid + 1)
        assert s.scalars(select(ReminderState)).all() == []


def test_mark_done_after_snooze_replaces_the_state(db):
    with db.session() as s:
        cid = customer(s)
        snooze(s, "date:7", "2026", date(2026, 5, 1), today=date(2026, 4, 1))
        mark_done(s, "date:7", "2026", cid)
        rows = s.execute(select(ReminderState.state, ReminderState.snoozed_until)).all()
    assert rows == [("done", None)]


def test_a_days_count_out_of_range_is_refused(db):
    with db.session() as s, pytest.raises(ValidationError) as error:
        agenda(s, date(2026, 1, 1), -1)
    assert "days" in error.value.fields


def test_sources_are_pluggable(db):
    def referral_thanks(session, window):
        yield Candidate("thanks:5", window.today.isoformat(), cid, "Maija Mäkinen", "thanks",
                        window.today, 0, None, "Say thank you for the referral.")

    with db.session() as s:
        cid = customer(s)
        birthday(s, cid, 1, 2)
        result = agenda(s, date(2026, 1, 1), 3, [*DEFAULT_SOURCES, referral_thanks])
    assert [item.kind for item in result.items] == ["thanks", "birthday"]
    assert important_date_items in DEFAULT_SOURCES


def test_an_empty_agenda(db):
    with db.session() as s:
        result = agenda(s, date(2026, 1, 1))
    assert result.items == [] and result.due_today == 0
    assert result.today + timedelta(days=result.days) == date(2026, 1, 15)


def test_late_items_from_every_source_are_sorted_oldest_first(db):
    def follow_ups(session, window):
        for days in (2, 9, 5):
            when = window.today - timedelta(days=days)
            yield Candidate(f"call:{days}", when.isoformat(), cid, "Maija Mäkinen", "call",
                            when, 0, None, "Call back.")

    with db.session() as s:
        cid = customer(s)
        result = agenda(s, date(2026, 1, 20), 0, [follow_ups])
    assert [item.item_key for item in result.late] == ["call:9", "call:5", "call:2"]
