"""Thanking referrers: a thank-you falls due when the person they brought first visits.

Reward status of a referral: ``pending`` (no visit yet), ``due`` (visited: thank the referrer),
``rewarded`` (thanked, once and for all) or ``declined``. Rewarding is one conditional UPDATE,
so two desks clicking at the same moment get exactly one success. ``thank_referrer`` is the
one-click thank-you of the Today and Referrals desks: coupon, reward and letter together.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from crm_desktop.i18n import _, format_date
from crm_desktop.models import Coupon, Customer, Referral, Touchpoint, utcnow
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupons import issue_coupon
from crm_desktop.services.errors import Conflict, NotFound, ValidationError
from crm_desktop.services.letters import build_letter, log_letter_sent, render_pdf
from crm_desktop.services.referral_data import (
    RewardedReferral,
    ThankCoupon,
    ThankResult,
    ThanksDue,
    person_name,
)
from crm_desktop.services.validation import clean_staff

_CHANGE_KINDS = ("customers", "referrals")
THANKS_LETTER = "referral_thanks"
DEFAULT_THANKS_CENTS = 500  # the one-click thank-you: 5.00 off in the business currency…
THANKS_VALID_DAYS = 90  # …for three months


def on_visit_logged(session: Session, customer_id: int) -> Changes:
    """Call after a visit is logged: the customer's referrer now has a thank-you due."""
    return _move_thanks(session, customer_id, "pending", "due")


def on_visit_removed(session: Session, customer_id: int) -> Changes:
    """Call after a visit is removed: with no visit left, no thank-you is due yet after all."""
    if _has_visited(session, customer_id):
        return Changes()
    return _move_thanks(session, customer_id, "due", "pending")


def _move_thanks(session: Session, customer_id: int, was: str, becomes: str) -> Changes:
    """The customer's referral by a referrer from ``was`` to ``becomes``, if it is ``was``."""
    row = session.execute(
        select(Referral.id, Referral.referrer_id).where(
            Referral.referred_id == customer_id,
            Referral.reward_status == was,
            Referral.referrer_id.is_not(None),
        )
    ).first()
    if row is None:
        return Changes()
    session.execute(
        update(Referral)
        .where(Referral.id == row.id, Referral.reward_status == was)
        .values(reward_status=becomes)
    )
    return Changes.of_customers(customer_id, row.referrer_id, kinds=_CHANGE_KINDS)


def thanks_became_due(session: Session, referral: Referral) -> bool:
    """A referral recorded after the customer already visited is due at once."""
    if referral.referrer_id is None or referral.reward_status != "pending":
        return False
    if not _has_visited(session, referral.referred_id):
        return False
    referral.reward_status = "due"
    session.flush()
    return True


def referrals_due_thanks(session: Session) -> list[ThanksDue]:
    """Referrers to thank, oldest first visit first.

    Visits that reached the database without ``on_visit_logged`` (an import, the demo) count
    too: a pending referral whose customer has visited is listed as well.
    """
    query, first_visit, visit = _thanks_select()
    rows = session.execute(
        query.where(
            Referral.referrer_id.is_not(None),  # the status index then skips the sources
            or_(
                Referral.reward_status == "due",
                and_(Referral.reward_status == "pending", exists().where(visit)),
            )
        ).order_by(first_visit, Referral.id)
    )
    return [_thanks(row) for row in rows]


def _thanks_select() -> tuple[Any, Any, ColumnElement[bool]]:
    """Referrals with both people's names and the first visit; the visit condition too."""
    referrer, referred = aliased(Customer), aliased(Customer)
    visit = and_(Touchpoint.customer_id == Referral.referred_id, Touchpoint.kind == "visit")
    first_visit = select(func.min(Touchpoint.occurred_at)).where(visit).scalar_subquery()
    query = (
        select(
            Referral.id,
            Referral.referred_on,
            Referral.reward_status,
            first_visit.label("first_visit"),
            referrer.id.label("referrer_id"),
            referrer.first_name.label("referrer_first"),
            referrer.last_name.label("referrer_last"),
            referrer.company.label("referrer_company"),
            referred.id.label("referred_id"),
            referred.first_name,
            referred.last_name,
            referred.company,
        )
        .join(referrer, referrer.id == Referral.referrer_id)
        .join(referred, referred.id == Referral.referred_id)
    )
    return query, first_visit, visit


def _thanks(row: Any) -> ThanksDue:
    return ThanksDue(
        referral_id=row.id,
        referrer_id=row.referrer_id,
        referrer_name=person_name(
            row.referrer_first, row.referrer_last, row.referrer_company, row.referrer_id
        ),
        referred_id=row.referred_id,
        referred_name=person_name(row.first_name, row.last_name, row.company, row.referred_id),
        referred_on=row.referred_on,
        first_visit_at=row.first_visit,
    )


def reward_referral(
    session: Session, referral_id: int, coupon_id: int | None = None
) -> RewardedReferral:
    """Mark the referral thanked (optionally with the coupon given); refused a second time."""
    if coupon_id is not None and session.get(Coupon, coupon_id) is None:
        raise ValidationError({"coupon": _("Coupon {id} does not exist.").format(id=coupon_id)})
    now = utcnow()
    row = session.execute(
        update(Referral)
        .where(
            Referral.id == referral_id,
            Referral.reward_status != "rewarded",
            Referral.referrer_id.is_not(None),
        )
        .values(reward_status="rewarded", rewarded_at=now, reward_coupon_id=coupon_id)
        .returning(Referral.referrer_id, Referral.referred_id)
    ).first()
    if row is None:
        raise _why_not_rewarded(session, referral_id)
    referrer_id, referred_id = row.referrer_id, row.referred_id
    assert referrer_id is not None  # the WHERE clause above
    changes = Changes.of_customers(referrer_id, referred_id, kinds=_CHANGE_KINDS)
    return RewardedReferral(referral_id, referrer_id, referred_id, now, coupon_id, changes)


def default_thank_coupon(today: date) -> ThankCoupon:
    """What one click gives: 5.00 off, valid for 90 days (no setting asks for another)."""
    return ThankCoupon(DEFAULT_THANKS_CENTS, today + timedelta(days=THANKS_VALID_DAYS))


def thank_referrer(
    session: Session, referral_id: int, coupon: ThankCoupon | None, today: date, staff: str = ""
) -> ThankResult:
    """Thank the referrer: the coupon, the reward (once only) and the letter.

    All of it stands or falls together: a referral thanked meanwhile at another desk
    (Conflict) or a letter that cannot be made (LetterProblem) leaves no coupon behind.
    Without a coupon the referral is only marked thanked: the letter is written around the
    coupon. The PDF is made here too, on the database worker, so the desk only shows it.
    The letter goes on the referrer's timeline once it is printed or saved
    (:func:`log_thanks_letter`), as every other letter does.
    """
    staff = clean_staff(staff)
    due = _thanks_of(session, referral_id)
    if due is None:
        raise _why_not_rewarded(session, referral_id)
    if coupon is None:
        rewarded = reward_referral(session, referral_id)
        return ThankResult(due, rewarded, None, None, None, rewarded.changes)
    issued = issue_coupon(
        session, "amount", coupon.cents, coupon.expires_on, "referral", due.referrer_id, None,
        today=today,
    )
    coupon_id = issued.coupon.id
    rewarded = reward_referral(session, referral_id, coupon_id)
    letter = build_letter(
        session, THANKS_LETTER, due.referrer_id, coupon_id, today, staff, friend_id=due.referred_id
    )
    pdf = render_pdf(letter)
    changes = issued.changes | rewarded.changes
    return ThankResult(due, rewarded, issued.coupon, letter, pdf, changes, staff)


def log_thanks_letter(session: Session, result: ThankResult) -> Changes:
    """The thank-you letter of ``result`` printed or saved: on the referrer's timeline."""
    coupon_id = result.coupon.id if result.coupon is not None else None
    return log_letter_sent(session, result.due.referrer_id, THANKS_LETTER, result.staff, coupon_id)


def _thanks_of(session: Session, referral_id: int) -> ThanksDue | None:
    """The referral's people, or None when it is unknown, thanked already or has no referrer."""
    query, _first_visit, _visit = _thanks_select()
    row = session.execute(query.where(Referral.id == referral_id)).first()
    return _thanks(row) if row is not None and row.reward_status != "rewarded" else None


def _why_not_rewarded(session: Session, referral_id: int) -> Exception:
    row = session.execute(
        select(Referral.referrer_id, Referral.reward_status, Referral.rewarded_at).where(
            Referral.id == referral_id
        )
    ).first()
    if row is None:
        return NotFound(_("Referral {id} does not exist.").format(id=referral_id))
    if row.reward_status == "rewarded":
        if row.rewarded_at is None:
            return Conflict(_("This referral has already been rewarded."))
        return Conflict(
            _("This referral was already rewarded on {date}.").format(
                date=format_date(row.rewarded_at.date())
            )
        )
    return Conflict(_("Nobody to thank: this customer was not referred by a customer."))


def _has_visited(session: Session, customer_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(Touchpoint.customer_id == customer_id, Touchpoint.kind == "visit")
            )
        )
    )
