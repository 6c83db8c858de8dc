"""Who brings the most customers, and where new customers come from.

A period filters by the referral's date (``referred_on``, both ends included); referrals with no
date count only when no period is given. "Total" is everyone below a referrer in the tree
(the people they brought, the people those brought, …) whose referral falls in the period.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, case, exists, func, literal_column, select, true
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Customer, Referral
from crm_desktop.services.errors import ValidationError
from crm_desktop.services.referral_data import (
    CUSTOMER_SOURCE,
    UNKNOWN_SOURCE,
    SourceCount,
    TopReferrer,
    person_name,
    source_label,
)

RankBy = Literal["total", "direct"]
_MAX_DEPTH = 10_000  # the same guard as the tree walk



def top_referrers(
    session: Session,
    limit: int = 20,
    since: date | None = None,
    until: date | None = None,
    by: RankBy = "total",
) -> list[TopReferrer]:
    """The customers who brought the most people, best first (ties by name).

    One recursive query pairs every referrer with everyone below them and counts the pairs.
    """
    _check_period(since, until)
    if by not in ("total", "direct"):
        raise ValidationError({"by": _("Rank by “total” or “direct”.")})
    if limit < 1:
        raise ValidationError({"limit": _("Show at least one referrer.")})
    below = (
        select(
            Referral.referrer_id.label("ancestor"),
            literal_column("1").label("depth"),
        )
        .where(Referral.referrer_id.is_not(None), _in_period(since, until))
        .cte("below", recursive=True)
    )
    step = (
        select(Referral.referrer_id, below.c.depth + literal_column("1"))
        .join(below, Referral.referred_id == below.c.ancestor)
        .where(Referral.referrer_id.is_not(None), below.c.depth < _MAX_DEPTH)
    )
    below = below.union_all(step)
    counts = (
        select(
            below.c.ancestor,
            func.count().label("total"),
            func.sum(case((below.c.depth == 1, 1), else_=0)).label("direct"),
        )
        .group_by(below.c.ancestor)
        .subquery()
    )
    first, second = (counts.c.total, counts.c.direct)[:: 1 if by == "total" else -1]
    rows = session.execute(
        select(counts, Customer.first_name, Customer.last_name, Customer.company)
        .join(Customer, Customer.id == counts.c.ancestor)
        .order_by(first.desc(), second.desc(), Customer.sort_name, Customer.id)
        .limit(limit)
    )
    return [_top(row) for row in rows]


def _top(row: Any) -> TopReferrer:
    return TopReferrer(
        customer_id=row.ancestor,
        name=person_name(row.first_name, row.last_name, row.company, row.ancestor),
        direct=int(row.direct),
        total=int(row.total),
    )


def referral_sources(
    session: Session, since: date | None = None, until: date | None = None
) -> list[SourceCount]:
    """How many customers came from each source, most first.

    A referral by a customer (also one whose referrer was later deleted) counts under
    ``CUSTOMER_SOURCE``; customers with nothing recorded (joined in the period, by their
    "customer since" date) under ``UNKNOWN_SOURCE``, listed only when there are any.
    """
    _check_period(since, until)
    key = func.coalesce(Referral.source, CUSTOMER_SOURCE)
    rows = session.execute(
        select(key.label("key"), func.count().label("people"))
        .where(_in_period(since, until))
        .group_by(key)
    ).all()
    counts = {str(row.key): int(row.people) for row in rows}
    unknown = _unrecorded(session, since, until)
    if unknown:
        counts[UNKNOWN_SOURCE] = unknown
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [SourceCount(key, source_label(key), count) for key, count in ranked]


def _unrecorded(session: Session, since: date | None, until: date | None) -> int:
    query = select(func.count(Customer.id)).where(
        ~exists().where(Referral.referred_id == Customer.id)
    )
    if since is not None:
        query = query.where(Customer.customer_since >= since)
    if until is not None:
        query = query.where(Customer.customer_since <= until)
    return int(session.scalar(query) or 0)


def _in_period(since: date | None, until: date | None) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = true()
    if since is not None:
        condition = condition & (Referral.referred_on >= since)
    if until is not None:
        condition = condition & (Referral.referred_on <= until)
    return condition


def _check_period(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        raise ValidationError({"since": _("The period starts after it ends.")})
