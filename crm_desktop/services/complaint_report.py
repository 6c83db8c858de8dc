"""The recovery report: how many complaints, resolved how, at what cost, and who came back."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Complaint, Touchpoint
from crm_desktop.models.recovery import REMEDIES
from crm_desktop.services.complaint_data import RecoveryReport
from crm_desktop.services.coupon_data import local_date
from crm_desktop.services.errors import ValidationError


def recovery_report(session: Session, since: date, until: date) -> RecoveryReport:
    """Complaints received from ``since`` through ``until`` (both included).

    A customer came back when a visit was logged on a later day than their last complaint
    of the period; visits are counted up to now, so a recent period can still improve.
    """
    if until < since:
        raise ValidationError({"until": _("The end of the period is before its start.")})
    rows = session.execute(
        select(Complaint.customer_id, Complaint.received_on, Complaint.status,
               Complaint.remedy, Complaint.compensation_cents)
        .where(Complaint.received_on >= since, Complaint.received_on <= until)
    ).all()
    statuses = Counter(row.status for row in rows)
    remedies = Counter(row.remedy for row in rows if row.remedy is not None)
    last_complaint: dict[int, date] = {}
    for row in rows:
        last_complaint[row.customer_id] = max(row.received_on,
                                              last_complaint.get(row.customer_id, row.received_on))
    return RecoveryReport(
        since=since, until=until, complaints=len(rows),
        open=statuses["open"], resolved=statuses["resolved"], closed=statuses["closed"],
        by_remedy=tuple((remedy, remedies[remedy]) for remedy in REMEDIES),
        total_compensation_cents=sum(row.compensation_cents for row in rows),
        customers=len(last_complaint),
        came_back=_came_back(session, since, until, last_complaint),
    )


def _came_back(
    session: Session, since: date, until: date, last_complaint: dict[int, date]
) -> int:
    if not last_complaint:
        return 0
    complainers = (
        select(Complaint.customer_id)
        .where(Complaint.received_on >= since, Complaint.received_on <= until)
        .distinct()
    )
    last_visits = session.execute(
        select(Touchpoint.customer_id, func.max(Touchpoint.occurred_at))
        .where(Touchpoint.kind == "visit", Touchpoint.customer_id.in_(complainers))
        .group_by(Touchpoint.customer_id)
    )
    return sum(
        1 for customer_id, visited_at in last_visits
        if customer_id in last_complaint and local_date(visited_at) > last_complaint[customer_id]
    )
