"""Coupons: issue, redeem (single use, enforced by the database), void, undo a redemption.

Every change is written to the coupon's audit log (CouponEvent) and, for a customer's coupon,
to the customer's timeline. Callers own the transaction; nothing here commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    DateTime,
    String,
    delete,
    exists,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, format_date
from crm_desktop.models import (
    COUPON_KINDS,
    Coupon,
    CouponEvent,
    Customer,
    Product,
    Redemption,
    Touchpoint,
    utcnow,
)
from crm_desktop.models.recovery import COUPON_REASONS
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_codes import check_code, group_code, new_code, normalise_code
from crm_desktop.services.coupon_data import (
    ACTIVE,
    ALREADY_REDEEMED,
    EXPIRED,
    REDEEMED,
    REDEEMED_NOW,
    TYPO,
    UNKNOWN,
    VOID,
    ChangedCoupon,
    CouponInfo,
    IssuedCoupon,
    RedemptionOutcome,
)
from crm_desktop.services.coupon_queries import (
    existing_coupon,
    expiring_coupons,
    find_coupon,
    get_coupon,
    list_coupons,
    require_code,
)
from crm_desktop.services.coupon_text import (
    already_message,
    coupon_value_text,
    expired_message,
    issued_summary,
    redeemed_message,
    typo_message,
    unknown_message,
    value_here,
    void_message,
)
from crm_desktop.services.errors import Conflict, NotFound, ValidationError

__all__ = [
    "coupon_value_text",
    "expiring_coupons",
    "get_coupon",
    "issue_coupon",
    "list_coupons",
    "product_id_by_name",
    "redeem_coupon",
    "undo_redemption",
    "void_coupon",
]

DESK_MAX_LENGTH = 50
TERMS_MAX_LENGTH = 200  # three lines of small print on the coupon
_CLAIM_ATTEMPTS = 3
_CODE_ATTEMPTS = 5


def issue_coupon(
    session: Session,
    kind: str,
    value: int,
    expires_on: date | None,
    reason: str,
    customer_id: int | None,
    product_id: int | None,
    terms: str = "",
    today: date | None = None,
) -> IssuedCoupon:
    """A new coupon with a fresh code; ``expires_on`` is the last valid day (None: never).

    ``value`` is cents for ``amount``, whole percent for ``percent`` and, for ``free_item``,
    what the item is worth in cents (0 takes the product's price) so remedies can be costed.
    """
    _check_issue(kind, value, expires_on, reason, today or date.today())
    _check_terms(terms)
    _require(session, Customer, customer_id, _("Customer {id} does not exist."))
    product = _require(session, Product, product_id, _("Product {id} does not exist."))
    if kind == "free_item" and value == 0 and product is not None and product.price_cents:
        value = product.price_cents
    coupon = Coupon(
        code=_unused_code(session), kind=kind, value=value, product_id=product_id,
        reason=reason, customer_id=customer_id, terms=terms.strip(), expires_on=expires_on,
    )
    session.add(coupon)
    session.flush()
    info = _reload(session, coupon.code)
    _log(session, info, "issued", "", reason, "coupon_issued",
         issued_summary(info, value_here(session, info)))
    return IssuedCoupon(info, _changes(info))


def _check_issue(
    kind: str, value: int, expires_on: date | None, reason: str, today: date
) -> None:
    errors: dict[str, str] = {}
    if kind not in COUPON_KINDS:
        errors["kind"] = _("Choose a free item, a percentage off or an amount off.")
    elif kind == "percent" and not 1 <= value <= 100:
        errors["value"] = _("A percentage off must be between 1 and 100.")
    elif kind == "amount" and value <= 0:
        errors["value"] = _("An amount off must be more than zero.")
    elif kind == "free_item" and value < 0:
        errors["value"] = _("What the free item is worth cannot be negative.")
    if expires_on is not None and expires_on < today:
        errors["expires_on"] = _("The expiry date {date} has already passed.").format(
            date=format_date(expires_on)
        )
    if reason not in COUPON_REASONS:
        errors["reason"] = _("“{reason}” is not a reason for a coupon.").format(reason=reason)
    if errors:
        raise ValidationError(errors)


def _check_terms(terms: str) -> None:
    if len(terms.strip()) > TERMS_MAX_LENGTH:
        raise ValidationError({"terms": _(
            "The terms can be at most {count} characters long, so that they fit on the coupon."
        ).format(count=TERMS_MAX_LENGTH)})


def redeem_coupon(
    session: Session, typed_code: str, desk: str = "", today: date | None = None
) -> RedemptionOutcome:
    """Redeem a code as typed or scanned, with one answer: now, already, expired, void, …

    ``today`` is the local date; a coupon is still good on its expiry date. The claim is an
    INSERT of the redemption row guarded by the unique key on its coupon, so two desks racing
    get exactly one success. Call it first in its transaction: on SQLite the waiting desk
    then starts over with fresh data instead of failing as locked.
    """
    code = check_code(typed_code)
    if code is None:
        return RedemptionOutcome(TYPO, normalise_code(typed_code), typo_message(typed_code))
    desk = _clean_desk(desk)
    today = today or date.today()
    for _attempt in range(_CLAIM_ATTEMPTS):
        if _claim(session, code, desk, today):
            return _redeemed_now(session, code, desk)
        coupon = find_coupon(session, code)
        if coupon is None or coupon.status(today) != ACTIVE:
            return _refusal(code, coupon, today)
        # Usable after all: the redemption that stopped this one was rolled back or undone.
    raise Conflict(_("Another desk is redeeming this coupon right now; try again."))


def _claim(session: Session, code: str, desk: str, today: date) -> bool:
    """Insert the redemption if the coupon is usable; False when it is not or was taken."""
    usable = select(
        Coupon.id, literal(utcnow(), DateTime()), literal(desk, String()), literal("", String())
    ).where(
        Coupon.code == code,
        Coupon.voided_at.is_(None),
        or_(Coupon.expires_on.is_(None), Coupon.expires_on >= today),
        ~exists().where(Redemption.coupon_id == Coupon.id),
    )
    statement = (
        insert(Redemption)
        .from_select(["coupon_id", "redeemed_at", "desk", "staff"], usable)
        .returning(Redemption.id)
    )
    try:
        # The savepoint keeps the caller's transaction usable when the other desk won.
        with session.begin_nested():
            # RETURNING, not rowcount: psycopg reports -1 for INSERT … SELECT here.
            inserted = session.execute(statement).scalar_one_or_none()
    except IntegrityError:
        return False
    return inserted is not None


def _redeemed_now(session: Session, code: str, desk: str) -> RedemptionOutcome:
    coupon = _reload(session, code)
    value = value_here(session, coupon)
    summary = _("Coupon {code} redeemed: {value}").format(code=coupon.grouped_code, value=value)
    _log(session, coupon, "redeemed", desk, "", "coupon_redeemed", summary)
    return RedemptionOutcome(
        REDEEMED_NOW, coupon.grouped_code, redeemed_message(coupon, value), coupon,
        coupon.redeemed_at, desk, _changes(coupon),
    )


def _refusal(code: str, coupon: CouponInfo | None, today: date) -> RedemptionOutcome:
    if coupon is None:
        return RedemptionOutcome(UNKNOWN, group_code(code), unknown_message(code))
    status = coupon.status(today)
    if status == REDEEMED:
        return RedemptionOutcome(
            ALREADY_REDEEMED, coupon.grouped_code, already_message(coupon), coupon,
            coupon.redeemed_at, coupon.redeemed_desk,
        )
    if status == VOID:
        return RedemptionOutcome(VOID, coupon.grouped_code, void_message(coupon), coupon)
    return RedemptionOutcome(EXPIRED, coupon.grouped_code, expired_message(coupon), coupon)


def void_coupon(session: Session, code: str, reason: str, desk: str = "") -> ChangedCoupon:
    """Cancel a coupon that has not been redeemed; the reason goes to the audit log."""
    normalised = require_code(code)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the coupon is cancelled.")})
    desk = _clean_desk(desk)
    coupon = existing_coupon(session, normalised)
    if coupon.redeemed_at is not None:
        raise Conflict(_("{answer} Undo the redemption before cancelling the coupon.").format(
            answer=already_message(coupon)
        ))
    if coupon.voided_at is not None:
        raise Conflict(_("Coupon {code} is already void.").format(code=coupon.grouped_code))
    session.execute(
        update(Coupon).where(Coupon.id == coupon.id).values(voided_at=utcnow(), void_reason=reason)
    )
    coupon = _reload(session, normalised)
    summary = _("Coupon {code} cancelled: {reason}").format(code=coupon.grouped_code, reason=reason)
    _log(session, coupon, "voided", desk, reason, "note", summary)
    return ChangedCoupon(coupon, _changes(coupon))


def undo_redemption(session: Session, code: str, desk: str = "") -> ChangedCoupon:
    """Take back a redemption made by mistake, so the coupon can be redeemed again."""
    normalised = require_code(code)
    desk = _clean_desk(desk)
    coupon = existing_coupon(session, normalised)
    if coupon.redeemed_at is None:
        raise Conflict(
            _("Coupon {code} has not been redeemed.").format(code=coupon.grouped_code)
        )
    what_was_undone = already_message(coupon)
    session.execute(delete(Redemption).where(Redemption.coupon_id == coupon.id))
    coupon = _reload(session, normalised)
    summary = _("Redemption of coupon {code} undone").format(code=coupon.grouped_code)
    _log(session, coupon, "redemption_undone", desk, what_was_undone, "note", summary)
    return ChangedCoupon(coupon, _changes(coupon))


def product_id_by_name(session: Session, name: str) -> int:
    """A product by its name, ignoring case (the catalogue is small)."""
    wanted = name.strip().casefold()
    for product_id, product_name in session.execute(select(Product.id, Product.name)):
        if product_name.casefold() == wanted:
            return int(product_id)
    raise NotFound(_("There is no product called “{name}”.").format(name=name.strip()))


def _log(
    session: Session, coupon: CouponInfo, event: str, desk: str, note: str,
    timeline_kind: str, summary: str,
) -> None:
    """The coupon's audit log, and the customer's timeline when the coupon is someone's."""
    session.add(CouponEvent(coupon_id=coupon.id, kind=event, desk=desk, note=note))
    if coupon.customer_id is not None:
        session.add(Touchpoint(
            customer_id=coupon.customer_id, kind=timeline_kind, summary=summary,
            coupon_id=coupon.id,
        ))
    session.flush()


def _changes(coupon: CouponInfo) -> Changes:
    if coupon.customer_id is None:
        return Changes(kinds=frozenset({"coupons"}))
    return Changes.of_customers(coupon.customer_id, kinds=("coupons", "touchpoints"))


def _require(session: Session, model: Any, row_id: int | None, message: str) -> Any:
    if row_id is None:
        return None
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(message.format(id=row_id))
    return row


def _reload(session: Session, code: str) -> CouponInfo:
    coupon = find_coupon(session, code)
    assert coupon is not None, "the coupon was written in this transaction"
    return coupon


def _unused_code(session: Session) -> str:
    # 60 random bits make a clash unlikely beyond reason, but the check costs one lookup.
    for _attempt in range(_CODE_ATTEMPTS):
        code = new_code()
        if not session.scalar(select(exists().where(Coupon.code == code))):
            return code
    raise Conflict(_("Could not find an unused coupon code; try again."))


def _clean_desk(desk: str) -> str:
    desk = desk.strip()
    if len(desk) > DESK_MAX_LENGTH:
        raise ValidationError({"desk": _(
            "A desk name can be at most {count} characters long."
        ).format(count=DESK_MAX_LENGTH)})
    return desk
