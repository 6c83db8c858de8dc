"""Where agenda items come from: one function per kind of thing to remember.

Each source takes the session and the window and yields :class:`Candidate` occurrences whose
reminder period (``lead_days`` before the occurrence through the occurrence) meets the window.
Every query is a range on an indexed column, or on a small table, so the agenda stays quick
with a hundred thousand customers; nothing loads every customer. Each query also brings the
done or snoozed state of its occurrences, one index probe per row, so the agenda never reads
a year of states. A new feature adds its own source function to :data:`DEFAULT_SOURCES`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, format_date, ngettext
from crm_desktop.models import (
    Complaint,
    Coupon,
    Customer,
    ImportantDate,
    Redemption,
    ReminderState,
    RetentionCase,
    RetentionOffer,
    Subscription,
)
from crm_desktop.services.agenda_data import (
    NO_STATE,
    AgendaSource,
    AgendaWindow,
    Candidate,
    StoredState,
    person_name,
)
from crm_desktop.services.agenda_lapsed import lapsed_items
from crm_desktop.services.agenda_referrals import referral_thanks_items
from crm_desktop.services.important_dates import MAX_LEAD_DAYS
from crm_desktop.services.occurrences import month_day_ranges, occurrences_between
from crm_desktop.services.reminders import (
    AnySelect,
    day_occurrence,
    join_states,
    states_where,
    wanted,
)
from crm_desktop.services.row_stream import stream_rows

COUPON_LEAD_DAYS = 7  # remind a week before an unused coupon expires
OFFER_LEAD_DAYS = 7  # and a week before a retention offer ends
_NAME_COLUMNS = (Customer.first_name, Customer.last_name, Customer.company)
# Candidate(*fields) with every field given, without the named tuple's Python-level
# constructor: the date sources make thousands a time (and inline person_name, too).
_new = tuple.__new__


def important_date_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Birthdays, anniversaries and custom dates, through the indexed ``month_day`` ranges."""
    if not window.wants("date"):
        return
    settings = window.settings
    leads = {
        "birthday": settings.birthday_lead_days,
        "anniversary": settings.anniversary_lead_days,
        "custom": settings.anniversary_lead_days,
    }
    rows, states = _date_rows(session, window, max(leads.values()))
    first, last, rule = window.first, window.last, settings.leap_day_rule
    # A hundred thousand customers share 366 days and a few lead times: work each out once,
    # by month_day * 1000 + lead days (a lead time is at most 365 days).
    days: dict[int, list[tuple[date, str, int]]] = {}
    texts: dict[tuple[str, str, int | None], str] = {}
    for date_id, customer_id, kind, label, key, year, lead, given, family, company in rows:
        lead_days = leads[kind] if lead is None else lead
        found = days.get(key * 1000 + lead_days)
        if found is None:
            until = last + timedelta(days=lead_days)
            found = days[key * 1000 + lead_days] = _occurrences(key, first, until, rule)
        recorded = states.get(date_id)
        for when, occurrence, in_year in found:
            if recorded is None:
                state = NO_STATE
            else:
                state = recorded.get(occurrence, NO_STATE)
                if state.state == "done":
                    continue  # never listed: no need to make it a candidate
            # The age a birthday turns, the years of an anniversary: only with a known year.
            years = in_year - year if year is not None and in_year > year else None
            text = texts.get((kind, label, years))
            if text is None:
                text = texts[kind, label, years] = date_text(kind, label, years)
            yield _new(Candidate, (
                f"date:{date_id}", occurrence, customer_id,
                f"{given} {family}" if given and family else given or family or company,
                kind, when, lead_days, years, text, label, True, state,
            ))


def _date_rows(
    session: Session, window: AgendaWindow, widest: int
) -> tuple[Iterator[Any], dict[int, dict[str, StoredState]]]:
    """The dates that may occur in the window, names joined, and the states recorded for them.

    They are the dates in the ``month_day`` ranges of the window and the widest lead time,
    and the few whose own lead time reaches further ahead.
    """
    query = select(
        ImportantDate.id, ImportantDate.customer_id, ImportantDate.kind, ImportantDate.label,
        ImportantDate.month_day, ImportantDate.year, ImportantDate.lead_days, *_NAME_COLUMNS,
    ).join(Customer, Customer.id == ImportantDate.customer_id)
    first, last = window.first, window.last
    end = last + timedelta(days=widest)
    only = wanted(window, "date", ImportantDate.id)
    ranges = [
        and_(ImportantDate.month_day.between(low, high), only)
        for low, high in month_day_ranges(first, end, window.settings.leap_day_rule)
    ]
    states = _year_states(session, "date", ImportantDate.id, ranges, first, end)
    further = and_(ImportantDate.lead_days > widest, only)
    further_rows = list(stream_rows(session, query.where(further)))
    if not further_rows:
        return _ranged(session, query, ranges), states
    _merge(states, _year_states(
        session, "date", ImportantDate.id, [further], first, last + timedelta(MAX_LEAD_DAYS)
    ))
    return _ranged_then_further(session, query, ranges, further_rows), states


def date_text(kind: str, label: str, years: int | None) -> str:
    """What to do about a date; an age or a count only when the year is known."""
    if kind == "birthday":
        if years is None:
            return _("Birthday: send greetings.")
        return _("Birthday, turns {age}: send greetings.").format(age=years)
    if kind == "customer_since":
        return ngettext(
            "{count} year as a customer: say thank you.",
            "{count} years as a customer: say thank you.",
            years or 0,
        ).format(count=years)
    label = label or (_("Anniversary") if kind == "anniversary" else _("Date"))
    if years is None:
        return _("{label}: get in touch.").format(label=label)
    return ngettext(
        "{label}, {count} year: get in touch.", "{label}, {count} years: get in touch.", years
    ).format(label=label, count=years)


def customer_since_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Anniversaries of becoming a customer, through the indexed ``since_month_day``."""
    if not window.wants("since"):
        return
    settings = window.settings
    lead_days = settings.anniversary_lead_days
    first, until = window.first, window.last + timedelta(days=lead_days)
    rule = settings.leap_day_rule
    query = select(Customer.id, Customer.since_month_day, Customer.customer_since, *_NAME_COLUMNS)
    only = wanted(window, "since", Customer.id)
    conditions = [
        and_(Customer.since_month_day.between(low, high), only)
        for low, high in month_day_ranges(first, until, rule)
    ]
    states = _year_states(session, "since", Customer.id, conditions, first, until)
    days: dict[int, list[tuple[date, str, int]]] = {}  # by month_day
    texts: dict[int, str] = {}
    for condition in conditions:
        for customer_id, key, since, given, family, company in stream_rows(
            session, query.where(condition)
        ):
            found = days.get(key)
            if found is None:
                found = days[key] = _occurrences(key, first, until, rule)
            recorded = states.get(customer_id)
            for when, occurrence, year in found:
                years = year - since.year
                if years < 1:  # not a year yet
                    continue
                if recorded is None:
                    state = NO_STATE
                else:
                    state = recorded.get(occurrence, NO_STATE)
                    if state.state == "done":
                        continue  # never listed: no need to make it a candidate
                text = texts.get(years)
                if text is None:
                    text = texts[years] = date_text("customer_since", "", years)
                yield _new(Candidate, (
                    f"since:{customer_id}", occurrence, customer_id,
                    f"{given} {family}" if given and family else given or family or company,
                    "customer_since", when, lead_days, years, text, "", True, state,
                ))


def _occurrences(key: int, first: date, last: date, rule: str) -> list[tuple[date, str, int]]:
    """Each occurrence of a ``month_day`` from ``first`` through ``last``: the day, its
    occurrence text (the year) and the year."""
    return [
        (when, str(when.year), when.year)
        for when in occurrences_between(key // 100, key % 100, first, last, rule)
    ]


def _ranged(
    session: Session, query: AnySelect, ranges: Sequence[ColumnElement[bool]]
) -> Iterator[Any]:
    """The rows in the ``month_day`` ranges."""
    for condition in ranges:
        yield from stream_rows(session, query.where(condition))


def _ranged_then_further(
    session: Session, query: AnySelect, ranges: Sequence[ColumnElement[bool]], further: list[Any]
) -> Iterator[Any]:
    """The rows in the ``month_day`` ranges, then the ``further`` rows not among them."""
    further_ids = {row[0] for row in further}
    listed: set[int] = set()
    for condition in ranges:
        for row in stream_rows(session, query.where(condition)):
            if further_ids and row[0] in further_ids:
                listed.add(row[0])
            yield row
    yield from (row for row in further if row[0] not in listed)


def _year_states(
    session: Session,
    kind: str,
    ident: Any,
    conditions: Sequence[ColumnElement[bool]],
    first: date,
    last: date,
) -> dict[int, dict[str, StoredState]]:
    """States of the yearly occurrences ("2026") from ``first`` to ``last`` of the rows
    meeting any of ``conditions``, by id, then occurrence."""
    years = ReminderState.occurrence.in_([str(y) for y in range(first.year, last.year + 1)])
    states: dict[int, dict[str, StoredState]] = {}
    for condition in conditions:
        _merge(states, states_where(session, kind, ident, years, condition))
    return states


def _merge(
    states: dict[int, dict[str, StoredState]], more: dict[int, dict[str, StoredState]]
) -> None:
    for ident, by_occurrence in more.items():
        states.setdefault(ident, {}).update(by_occurrence)


def _with_day_states(
    session: Session, query: AnySelect, kind: str, ident: Any, day: Any
) -> AnySelect:
    """``query`` with the state of each row's occurrence, the day in column ``day``."""
    return join_states(
        query, kind, ident, ReminderState.occurrence == day_occurrence(session, day)
    )


def _state_of(_occurrence: str | None, state: str | None, until: date | None) -> StoredState:
    """The state from the last columns of a :func:`_with_day_states` row."""
    return NO_STATE if state is None else StoredState(state, until)


def complaint_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Follow-ups due on complaints still open, or resolved without a recorded outcome."""
    if not window.wants("complaint"):
        return
    query = (
        select(Complaint.id, Complaint.customer_id, Complaint.follow_up_on,
               Complaint.received_on, *_NAME_COLUMNS)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            Complaint.follow_up_on.between(window.first, window.last),
            or_(Complaint.status == "open",
                and_(Complaint.status == "resolved", Complaint.outcome == "")),
            wanted(window, "complaint", Complaint.id),
        )
    )
    query = _with_day_states(session, query, "complaint", Complaint.id, Complaint.follow_up_on)
    for complaint_id, customer_id, follow_up, received, first, last, company, *state in stream_rows(
        session, query
    ):
        text = _("Follow up the complaint of {date}: ask whether all is well now.").format(
            date=format_date(received)
        )
        yield Candidate(
            f"complaint:{complaint_id}", follow_up.isoformat(), customer_id,
            person_name(first, last, company), "complaint", follow_up, 0, None, text,
            state=_state_of(*state),
        )


def coupon_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """A customer's coupons that will expire unused; an expired one is no longer listed."""
    if not window.wants("coupon"):
        return
    redeemed = exists().where(Redemption.coupon_id == Coupon.id)
    query = (
        select(Coupon.id, Coupon.customer_id, Coupon.code, Coupon.expires_on, *_NAME_COLUMNS)
        .join(Customer, Customer.id == Coupon.customer_id)
        .where(
            Coupon.expires_on.between(
                window.today, window.last + timedelta(days=COUPON_LEAD_DAYS)
            ),
            Coupon.voided_at.is_(None),
            not_(redeemed),
            wanted(window, "coupon", Coupon.id),
        )
    )
    query = _with_day_states(session, query, "coupon", Coupon.id, Coupon.expires_on)
    for coupon_id, customer_id, code, expires, first, last, company, *state in stream_rows(
        session, query
    ):
        # No formatted date here: there can be hundreds, and the item carries the date.
        text = _("Coupon {code} is still unused: remind them before it expires.").format(
            code=code
        )
        yield Candidate(
            f"coupon:{coupon_id}", expires.isoformat(), customer_id,
            person_name(first, last, company), "coupon", expires, COUPON_LEAD_DAYS, None, text,
            may_be_late=False, state=_state_of(*state),
        )


def retention_offer_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """Retention offers ending: ask whether the customer stays at the normal price."""
    if not window.wants("offer"):
        return
    query = (
        select(RetentionOffer.id, Subscription.customer_id, RetentionOffer.ends_on,
               Subscription.plan, *_NAME_COLUMNS)
        .join(RetentionCase, RetentionCase.id == RetentionOffer.case_id)
        .join(Subscription, Subscription.id == RetentionCase.subscription_id)
        .join(Customer, Customer.id == Subscription.customer_id)
        .where(
            RetentionOffer.ends_on.between(
                window.first, window.last + timedelta(days=OFFER_LEAD_DAYS)
            ),
            or_(RetentionOffer.accepted.is_(None), RetentionOffer.accepted.is_(True)),
            RetentionCase.outcome != "cancelled",
            wanted(window, "offer", RetentionOffer.id),
        )
    )
    query = _with_day_states(session, query, "offer", RetentionOffer.id, RetentionOffer.ends_on)
    for offer_id, customer_id, ends, plan, first, last, company, *state in stream_rows(
        session, query
    ):
        text = _("The offer on {plan} ends on {date}: ask whether they will stay.").format(
            plan=plan, date=format_date(ends)
        )
        yield Candidate(
            f"offer:{offer_id}", ends.isoformat(), customer_id,
            person_name(first, last, company), "offer", ends, OFFER_LEAD_DAYS, None, text,
            state=_state_of(*state),
        )


DEFAULT_SOURCES: list[AgendaSource] = [
    important_date_items,
    customer_since_items,
    lapsed_items,
    complaint_items,
    coupon_items,
    retention_offer_items,
    referral_thanks_items,
]
# Things still owed until they are done, unlike a greeting whose day passes: a complaint to
# follow up, a regular to invite back, an offer to ask about, a referrer to thank. They stay
# on the agenda, late, for LATE_DAYS whether or not the agenda was shown meanwhile.
OBLIGATIONS: frozenset[AgendaSource] = frozenset(
    {lapsed_items, complaint_items, retention_offer_items, referral_thanks_items}
)
