"""References between records that are settled after the rows they point at are in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Coupon, Customer, Referral

# Any constant: the key of PostgreSQL's advisory lock that lets one link change at a time.
_LINKS_LOCK_KEY = 0x4B616E74


@dataclass(frozen=True)
class PendingCoupon:
    """``model.attribute`` of row ``row_id`` should point at the coupon ``code``."""

    model: type[Any]
    row_id: int
    attribute: str
    code: str
    field: str


@dataclass(frozen=True)
class PendingReferral:
    referred_id: int
    referrer_uid: str | None
    coupon_code: str | None
    values: dict[str, object]  # source, referred_on, reward_status, rewarded_at
    field: str


@dataclass
class Links:
    coupons: list[PendingCoupon] = field(default_factory=list)
    referrals: list[PendingReferral] = field(default_factory=list)
    relinks: list[tuple[int, int]] = field(default_factory=list)  # (referral id, referrer id)

    def __bool__(self) -> bool:
        return bool(self.coupons or self.referrals or self.relinks)


def settle(session: Session, links: Links) -> list[str]:
    """Make every link that can be made; returns a sentence per reference left out."""
    if links.referrals or links.relinks:
        one_link_change_at_a_time(session)
    problems: list[str] = []
    for pending in links.coupons:
        coupon_id = coupon_by_code(session, pending.code)
        if coupon_id is None:
            problems.append(_missing_coupon(pending.field, pending.code))
        else:
            setattr(session.get_one(pending.model, pending.row_id), pending.attribute, coupon_id)
    for referral in links.referrals:
        problems.extend(_settle_referral(session, referral))
    for referral_id, referrer_id in links.relinks:
        row = session.get_one(Referral, referral_id)
        if row.referrer_id is None and not creates_cycle(session, row.referred_id, referrer_id):
            row.referrer_id = referrer_id
    session.flush()
    return problems


def one_link_change_at_a_time(session: Session) -> None:
    """Wait for any other desk changing referral links to finish.

    A cycle check reads the links committed so far: two desks on PostgreSQL linking Aino
    under Eero and Eero under Aino at the same moment (by hand, by an import or an undo)
    would each pass it and close a cycle. The lock lasts until this transaction ends. SQLite
    needs none: one program holds the file and its single worker writes one transaction at
    a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_LINKS_LOCK_KEY)))


def coupon_by_code(session: Session, code: str) -> int | None:
    return session.scalar(select(Coupon.id).where(Coupon.code == code))


def creates_cycle(session: Session, referred_id: int, referrer_id: int) -> bool:
    """True when ``referrer_id`` is ``referred_id`` or was brought in by them, however
    indirectly: one recursive query up the referrer chain."""
    if referred_id == referrer_id:
        return True
    chain = (
        select(Referral.referrer_id.label("id"))
        .where(Referral.referred_id == referrer_id)
        .cte("chain", recursive=True)
    )
    # UNION (not UNION ALL) stops even on a chain that already loops.
    chain = chain.union(
        select(Referral.referrer_id).join(chain, Referral.referred_id == chain.c.id)
    )
    count = session.scalar(select(func.count()).select_from(chain).where(chain.c.id == referred_id))
    return bool(count)


def _settle_referral(session: Session, pending: PendingReferral) -> list[str]:
    problems: list[str] = []
    referrer_id = None
    if pending.referrer_uid is not None:
        uid = pending.referrer_uid
        referrer_id = session.scalar(select(Customer.id).where(Customer.uid == uid))
        key = f"{pending.field}.referrer"
        if referrer_id is None:
            problems.append(key + ": " + _("No customer has the uid {uid}.").format(
                uid=pending.referrer_uid))
        elif creates_cycle(session, pending.referred_id, referrer_id):
            problems.append(key + ": " + _("Referrals cannot go round in a circle."))
            referrer_id = None
    coupon_id = None
    if pending.coupon_code is not None:
        coupon_id = coupon_by_code(session, pending.coupon_code)
        if coupon_id is None:
            problems.append(_missing_coupon(f"{pending.field}.reward_coupon", pending.coupon_code))
    if referrer_id is None and pending.values.get("source") is None:
        problems.append(pending.field + ": " + _("The referral was left out: it names neither a "
                                                 "customer in the database nor a source."))
        return problems
    session.add(Referral(referred_id=pending.referred_id, referrer_id=referrer_id,
                         reward_coupon_id=coupon_id, **pending.values))
    return problems


def _missing_coupon(key: str, code: str) -> str:
    return key + ": " + _("No coupon has the code {code}; the link was left out.").format(code=code)
