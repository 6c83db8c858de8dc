"""Referrers to thank on the Today agenda, from the day the person they brought first visited.

One item per referral waiting for its thank-you, on the referrer: item key ``referral:ID``
and the single occurrence ``"1"``, as a referral is thanked once and for all. Thanking it
(``referral_thanks.thank_referrer``) rewards the referral, and a rewarded referral is no
longer listed. A first visit older than the late window is left to the Referrals desk's list.

Cheap at any size: the index on (``reward_status``, ``referrer_id``) finds the referrals by a
customer still waiting (due, or pending after an import) and skips the many from a source;
the customers who visited since the window began, listed once through the index on
``last_visit_at``, drop those who have not; a probe of the touchpoint index drops those who
visited before it. Only the few left look up their first visit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, not_, select
from sqlalchemy.orm import Session, aliased

from crm_desktop.i18n import _
from crm_desktop.models import Customer, Referral, ReminderState, Touchpoint
from crm_desktop.services.agenda_data import (
    NO_STATE,
    AgendaWindow,
    Candidate,
    StoredState,
    person_name,
)
from crm_desktop.services.coupon_data import local_date
from crm_desktop.services.referral_data import person_name as referred_name
from crm_desktop.services.reminders import join_states, wanted
from crm_desktop.services.row_stream import stream_rows

REFERRAL_ITEM = "referral"
THANKS_OCCURRENCE = "1"  # a referral is thanked at most once: it has one occurrence
WAITING = ("due", "pending")  # pending ones count once the customer has visited
# The customer table in three roles; made once, as an alias costs more than the query.
_REFERRER, _REFERRED, _RECENT = aliased(Customer), aliased(Customer), aliased(Customer)


def referral_item_key(referral_id: int) -> str:
    return f"{REFERRAL_ITEM}:{referral_id}"


def referral_id_of(item_key: str) -> int | None:
    """The referral an agenda item thanks for; None for every other kind of item."""
    kind, _sep, ident = item_key.partition(":")
    return int(ident) if kind == REFERRAL_ITEM and ident.isdigit() else None


def referral_thanks_items(session: Session, window: AgendaWindow) -> Iterator[Candidate]:
    """A thank-you for each referral whose customer first visited from the window's start on."""
    if not window.wants(REFERRAL_ITEM):
        return
    for row in stream_rows(session, _waiting_query(window)):
        (referral_id, referrer_id, first_visit, given, family, company,
         referred_id, friend_given, friend_family, friend_company, *state) = row
        if first_visit is None:  # marked due, but the visit has since been deleted
            continue
        friend = referred_name(friend_given, friend_family, friend_company, referred_id)
        yield Candidate(
            referral_item_key(referral_id), THANKS_OCCURRENCE, referrer_id,
            person_name(given, family, company), REFERRAL_ITEM, local_date(first_visit), 0,
            None, _("Thank for referring {name}").format(name=friend), state=_state_of(*state),
        )


def _waiting_query(window: AgendaWindow) -> Any:
    """Referrals waiting for thanks whose customer has not visited before the window.

    Timestamps are naive UTC: a day earlier than the window covers any local time zone, and
    the agenda leaves out a first visit on the local calendar before the window.
    """
    since = datetime.combine(window.first - timedelta(days=1), time())
    referrer, referred, recent = _REFERRER, _REFERRED, _RECENT
    visit = and_(Touchpoint.customer_id == Referral.referred_id, Touchpoint.kind == "visit")
    # As a list of ids, so that it is checked before the touchpoints are probed.
    visited_since = select(recent.id).where(recent.last_visit_at >= since)
    first_visit = select(func.min(Touchpoint.occurred_at)).where(visit).scalar_subquery()
    query = (
        select(
            Referral.id, Referral.referrer_id, first_visit,
            referrer.first_name, referrer.last_name, referrer.company,
            referred.id, referred.first_name, referred.last_name, referred.company,
        )
        .join(referrer, referrer.id == Referral.referrer_id)
        .join(referred, referred.id == Referral.referred_id)
        .where(
            Referral.reward_status.in_(WAITING),
            Referral.referrer_id.is_not(None),  # with the status, one range of the index
            Referral.referred_id.in_(visited_since),
            not_(exists().where(visit, Touchpoint.occurred_at < since)),
            wanted(window, REFERRAL_ITEM, Referral.id),
        )
    )
    return join_states(
        query, REFERRAL_ITEM, Referral.id, ReminderState.occurrence == THANKS_OCCURRENCE
    )


def _state_of(_occurrence: str | None, state: str | None, until: Any) -> StoredState:
    return NO_STATE if state is None else StoredState(state, until)
