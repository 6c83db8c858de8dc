"""Complaints: register, resolve within the compensation limit, follow up, list.

Every step lands on the customer's timeline as a "complaint" entry. Resolving may issue a
coupon (through the coupon service, which logs it too) and sets the follow-up date that the
Today agenda shows until the follow-up is recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, format_date, format_money
from crm_desktop.models import Complaint, Coupon, Customer, Product, Touchpoint, utcnow
from crm_desktop.models.recovery import REMEDIES
from crm_desktop.services.changes import Changes
from crm_desktop.services.complaint_data import (
    COMPLAINT_CHANNELS,
    REMEDY_LABELS,
    ComplaintFilter,
    ComplaintInput,
    ComplaintRow,
    CouponSpec,
    ResolvedComplaint,
    SavedComplaint,
)
from crm_desktop.services.complaint_report import recovery_report
from crm_desktop.services.coupon_codes import group_code
from crm_desktop.services.coupons import issue_coupon
from crm_desktop.services.customer_data import display_name
from crm_desktop.services.errors import Conflict, NotFound, ValidationError
from crm_desktop.services.settings import load_settings
from crm_desktop.services.validation import clean_staff

__all__ = [
    "get_complaint",
    "list_complaints",
    "record_follow_up",
    "recovery_report",
    "register_complaint",
    "resolve_complaint",
]

DESCRIPTION_MAX_LENGTH = 5000
_CHANGE_KINDS = ("customers", "touchpoints", "complaints")


def register_complaint(
    session: Session, data: ComplaintInput, today: date | None = None
) -> SavedComplaint:
    """A new open complaint, and a timeline entry dated the day it was received."""
    today = today or date.today()
    _validate_input(session, data, today)
    complaint = Complaint(
        customer_id=data.customer_id, received_on=data.received_on, channel=data.channel,
        product_id=data.product_id, description=data.description.strip(),
        severity=data.severity, staff=data.staff.strip(), status="open",
    )
    session.add(complaint)
    session.flush()
    when = utcnow() if data.received_on >= today else datetime.combine(data.received_on, time(12))
    _log(session, complaint, _("Complaint: {description}").format(
        description=_first_line(complaint.description)), data.staff, when)
    return SavedComplaint(get_complaint(session, complaint.id), _changes(complaint))


def resolve_complaint(
    session: Session,
    complaint_id: int,
    remedy: str,
    compensation_cents: int,
    coupon: CouponSpec | None,
    follow_up_on: date | None,
    staff: str,
    today: date | None = None,
) -> ResolvedComplaint:
    """Choose the remedy; a coupon is issued when it has one. Above the limit nothing changes.

    The cost counted against ``BusinessSettings.compensation_limit_cents`` is the larger of
    ``compensation_cents`` and what the coupon is worth (an amount off, or the free item's
    price), so a generous coupon cannot slip past the limit.
    """
    today = today or date.today()
    complaint = _load(session, complaint_id)
    if complaint.status != "open":
        raise Conflict(_("This complaint has already been resolved."))
    cost = max(compensation_cents, _coupon_cost(session, coupon))
    _validate_resolution(session, remedy, compensation_cents, cost, coupon, follow_up_on, today)
    clean_staff(staff)
    issued = None
    if coupon is not None:
        issued = issue_coupon(
            session, coupon.kind, coupon.value, coupon.expires_on, "complaint",
            complaint.customer_id, coupon.product_id, coupon.terms, today=today,
        ).coupon
        if coupon.kind in ("amount", "free_item"):
            cost = max(cost, issued.value)
    complaint.remedy, complaint.compensation_cents = remedy, cost
    complaint.coupon_id = issued.id if issued is not None else None
    complaint.follow_up_on, complaint.status = follow_up_on, "resolved"
    complaint.resolved_at = utcnow()
    session.flush()
    _log(session, complaint, _resolution_summary(session, remedy, cost), staff, utcnow())
    return ResolvedComplaint(get_complaint(session, complaint.id), issued, _changes(complaint))


def record_follow_up(
    session: Session, complaint_id: int, outcome: str, staff: str = ""
) -> SavedComplaint:
    """How the follow-up went; the complaint is then closed and leaves the agenda."""
    complaint = _load(session, complaint_id)
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write down how the follow-up went.")})
    clean_staff(staff)
    if complaint.status == "open":
        raise Conflict(_("Resolve the complaint before recording its follow-up."))
    if complaint.status == "closed":
        raise Conflict(_("The follow-up of this complaint has already been recorded."))
    complaint.outcome, complaint.status = outcome, "closed"
    session.flush()
    _log(session, complaint, _("Complaint followed up: {outcome}").format(
        outcome=_first_line(outcome)), staff, utcnow())
    return SavedComplaint(get_complaint(session, complaint.id), _changes(complaint))


def get_complaint(session: Session, complaint_id: int) -> ComplaintRow:
    row = session.execute(_select().where(Complaint.id == complaint_id)).first()
    if row is None:
        raise NotFound(_("Complaint {id} does not exist.").format(id=complaint_id))
    return _row(row)


def list_complaints(
    session: Session, filters: ComplaintFilter | None = None
) -> list[ComplaintRow]:
    """Newest first, narrowed by the filter."""
    filters = filters or ComplaintFilter()
    query = _select().order_by(Complaint.received_on.desc(), Complaint.id.desc())
    if filters.status is not None:
        query = query.where(Complaint.status == filters.status)
    if filters.customer_id is not None:
        query = query.where(Complaint.customer_id == filters.customer_id)
    if filters.received_from is not None:
        query = query.where(Complaint.received_on >= filters.received_from)
    if filters.received_until is not None:
        query = query.where(Complaint.received_on <= filters.received_until)
    if filters.follow_up_due_by is not None:
        query = query.where(Complaint.status == "resolved",
                            Complaint.follow_up_on <= filters.follow_up_due_by)
    if filters.limit is not None:
        query = query.limit(filters.limit)
    return [_row(row) for row in session.execute(query)]


def _validate_input(session: Session, data: ComplaintInput, today: date) -> None:
    errors: dict[str, str] = {}
    if session.get(Customer, data.customer_id) is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=data.customer_id))
    if data.received_on > today:
        errors["received_on"] = _("A complaint cannot be received in the future.")
    if data.channel not in COMPLAINT_CHANNELS:
        errors["channel"] = _("Choose how the complaint came in.")
    if data.severity not in (1, 2, 3):
        errors["severity"] = _("Severity is 1 (minor), 2 (serious) or 3 (severe).")
    if not data.description.strip():
        errors["description"] = _("Describe what went wrong.")
    elif len(data.description.strip()) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("A description can be at most {count} characters long.").format(
            count=DESCRIPTION_MAX_LENGTH)
    if data.product_id is not None and session.get(Product, data.product_id) is None:
        errors["product_id"] = _("Product {id} does not exist.").format(id=data.product_id)
    if errors:
        raise ValidationError(errors)
    clean_staff(data.staff)


def _validate_resolution(
    session: Session, remedy: str, stated: int, cost: int, coupon: CouponSpec | None,
    follow_up_on: date | None, today: date,
) -> None:
    errors: dict[str, str] = {}
    if remedy not in REMEDIES:
        errors["remedy"] = _("Choose an apology, a replacement, a refund or a coupon.")
    elif remedy == "apology" and (stated or coupon is not None):
        errors["remedy"] = _("An apology alone has no compensation; choose another remedy.")
    elif remedy == "refund" and coupon is not None:
        errors["coupon"] = _("A refund is paid back, not given as a coupon.")
    elif remedy == "refund" and stated <= 0:
        errors["compensation_cents"] = _("Enter the amount refunded.")
    elif remedy == "coupon" and coupon is None:
        errors["coupon"] = _("Describe the coupon to give.")
    if stated < 0:
        errors["compensation_cents"] = _("Compensation cannot be negative.")
    limit = load_settings(session).compensation_limit_cents
    if cost > limit:
        errors["compensation_cents"] = _(
            "Compensation of {amount} is above the limit of {limit} set in the settings."
        ).format(amount=_money(session, cost), limit=_money(session, limit))
    if follow_up_on is not None and follow_up_on < today:
        errors["follow_up_on"] = _("The follow-up date {date} has already passed.").format(
            date=format_date(follow_up_on))
    if errors:
        raise ValidationError(errors)


def _coupon_cost(session: Session, coupon: CouponSpec | None) -> int:
    """What a coupon costs the business, when it can be known before it is used."""
    if coupon is None or coupon.kind == "percent":
        return 0
    if coupon.kind == "free_item" and coupon.value == 0 and coupon.product_id is not None:
        product = session.get(Product, coupon.product_id)
        return (product.price_cents or 0) if product is not None else 0
    return max(coupon.value, 0)


def _resolution_summary(session: Session, remedy: str, cost: int) -> str:
    label = _(REMEDY_LABELS[remedy])
    if cost <= 0:
        return _("Complaint resolved: {remedy}").format(remedy=label)
    return _("Complaint resolved: {remedy}, {amount}").format(
        remedy=label, amount=_money(session, cost))


def _log(
    session: Session, complaint: Complaint, summary: str, staff: str, when: datetime
) -> None:
    session.add(Touchpoint(
        customer_id=complaint.customer_id, kind="complaint", occurred_at=when,
        staff=staff.strip(), summary=summary, complaint_id=complaint.id,
        coupon_id=complaint.coupon_id,
    ))
    session.flush()


def _load(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(_("Complaint {id} does not exist.").format(id=complaint_id))
    return complaint


def _select() -> Any:
    return (
        select(Complaint, Customer.first_name, Customer.last_name, Customer.company,
               Product.name.label("product_name"), Coupon.code.label("coupon_code"))
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(Product, Product.id == Complaint.product_id)
        .outerjoin(Coupon, Coupon.id == Complaint.coupon_id)
    )


def _row(row: Any) -> ComplaintRow:
    complaint: Complaint = row.Complaint
    return ComplaintRow(
        id=complaint.id, customer_id=complaint.customer_id,
        customer_name=display_name(row.first_name, row.last_name, row.company),
        received_on=complaint.received_on, channel=complaint.channel,
        product_id=complaint.product_id, product_name=row.product_name or "",
        description=complaint.description, severity=complaint.severity, staff=complaint.staff,
        status=complaint.status, remedy=complaint.remedy,
        compensation_cents=complaint.compensation_cents, coupon_id=complaint.coupon_id,
        coupon_code=group_code(row.coupon_code) if row.coupon_code else "",
        follow_up_on=complaint.follow_up_on, outcome=complaint.outcome,
        resolved_at=complaint.resolved_at,
    )


def _money(session: Session, cents: int) -> str:
    return format_money(cents, load_settings(session).currency)


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _changes(complaint: Complaint) -> Changes:
    return Changes.of_customers(complaint.customer_id, kinds=_CHANGE_KINDS)
