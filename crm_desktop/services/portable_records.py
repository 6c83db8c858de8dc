"""Customers as complete JSON-ready records, read in batches as plain rows (no ORM objects).

Other customers are named by uid, products and loyalty programs by name, coupons by code;
a touchpoint names a complaint and a stamp the stamp it reverses by their 1-based position
in the same record's list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crm_desktop.i18n import _
from crm_desktop.models import (
    Complaint,
    Consent,
    Coupon,
    CouponEvent,
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    Favourite,
    ImportantDate,
    LoyaltyCard,
    LoyaltyProgram,
    Product,
    Redemption,
    Referral,
    RetentionCase,
    RetentionOffer,
    Stamp,
    Subscription,
    Touchpoint,
)
from crm_desktop.services.customer_data import CUSTOMER_SCALAR_FIELDS
from crm_desktop.services.errors import NotFound
from crm_desktop.services.portable_fields import plain

BATCH_SIZE = 500

CUSTOMER_FIELDS = CUSTOMER_SCALAR_FIELDS
CUSTOMER_TIMES = ("last_visit_at", "created_at", "updated_at")
EMAIL_FIELDS = ("address", "label")
CONSENT_FIELDS = ("channel", "granted", "recorded_on", "source")
DATE_FIELDS = ("kind", "label", "month", "day", "year", "lead_days")
REFERRAL_FIELDS = ("source", "referred_on", "reward_status", "rewarded_at")
TOUCHPOINT_FIELDS = ("kind", "occurred_at", "staff", "summary")
COMPLAINT_FIELDS = (
    "received_on", "channel", "description", "severity", "staff", "status", "remedy",
    "compensation_cents", "follow_up_on", "outcome", "resolved_at",
)
COUPON_FIELDS = (
    "code", "kind", "value", "reason", "terms", "issued_at", "expires_on", "voided_at",
    "void_reason",
)
REDEMPTION_FIELDS = ("redeemed_at", "desk", "staff")
EVENT_FIELDS = ("kind", "at", "desk", "note")
CARD_FIELDS = ("stamps_required", "reward", "opened_at", "completed_at")
STAMP_FIELDS = ("at", "quantity", "staff", "note")
SUBSCRIPTION_FIELDS = ("plan", "monthly_price_cents", "started_on", "ended_on", "status")
CASE_FIELDS = ("opened_at", "reason", "note", "outcome", "closed_at")
OFFER_FIELDS = ("kind", "value", "description", "ends_on", "accepted")
PRODUCT_FIELDS = ("name", "category", "price_cents", "active")
PROGRAM_FIELDS = ("name", "category", "stamps_required", "reward", "active")

Rows = dict[int, list[RowMapping]]


@dataclass(frozen=True)
class Names:
    """The small catalogues, read once per export: product and program names by id."""

    products: dict[int, RowMapping]
    programs: dict[int, str]

    @staticmethod
    def load(session: Session) -> Names:
        products = {row["id"]: row for row in _select(session, Product, None, (), Product.id)}
        programs = {row.id: row.name for row in session.execute(
            select(LoyaltyProgram.id, LoyaltyProgram.name))}
        return Names(products, programs)

    def product(self, product_id: int | None) -> str | None:
        return None if product_id is None else str(self.products[product_id]["name"])


def customer_record(session: Session, customer_id: int) -> dict[str, object]:
    """One customer with everything that is theirs, as plain JSON-ready data."""
    records = customer_records(session, [customer_id], Names.load(session))
    if not records:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return records[0]


def customer_records(
    session: Session, ids: Sequence[int], names: Names
) -> list[dict[str, object]]:
    """Records for up to a few hundred customers at once, in id order."""
    return _Batch(session, ids, names).records()


def product_entries(names: Names) -> list[dict[str, object]]:
    return [plain(row, PRODUCT_FIELDS) for row in names.products.values()]


def program_entries(session: Session, names: Names) -> list[dict[str, object]]:
    return [
        {**plain(row, PROGRAM_FIELDS), "product": names.product(row["product_id"])}
        for row in _select(session, LoyaltyProgram, None, (), LoyaltyProgram.id)
    ]


def unassigned_coupon_entries(session: Session, names: Names) -> Iterator[dict[str, object]]:
    """Coupons issued to nobody (campaigns), which records may still refer to by code."""
    ids = session.scalars(
        select(Coupon.id).where(Coupon.customer_id.is_(None)).order_by(Coupon.id)
    ).all()
    for start in range(0, len(ids), BATCH_SIZE):
        rows = _select(session, Coupon, Coupon.id, ids[start : start + BATCH_SIZE], Coupon.id)
        yield from coupon_entries(session, rows, names)


def coupon_entries(
    session: Session, coupons: list[RowMapping], names: Names
) -> list[dict[str, object]]:
    ids = [row["id"] for row in coupons]
    redemptions = _grouped(session, Redemption, Redemption.coupon_id, ids)
    events = _grouped(session, CouponEvent, CouponEvent.coupon_id, ids, CouponEvent.id)
    return [
        {
            **plain(row, COUPON_FIELDS),
            "product": names.product(row["product_id"]),
            "redemption": next(
                (plain(r, REDEMPTION_FIELDS) for r in redemptions.get(row["id"], [])), None
            ),
            "events": [plain(e, EVENT_FIELDS) for e in events.get(row["id"], [])],
        }
        for row in coupons
    ]


def _select(
    session: Session,
    model: type[Any],
    key: InstrumentedAttribute[Any] | None,
    values: Sequence[int],
    *order: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> list[RowMapping]:
    """Whole rows of ``model`` (all of them when ``key`` is None), in chunks of ids."""
    table = model.__table__
    if key is None:
        return list(session.execute(select(table).order_by(*order)).mappings())
    rows: list[RowMapping] = []
    for start in range(0, len(values), BATCH_SIZE):
        chunk = values[start : start + BATCH_SIZE]
        statement = select(table).where(key.in_(chunk)).order_by(*order)
        rows.extend(session.execute(statement).mappings())
    return rows


def _grouped(
    session: Session,
    model: type[Any],
    key: InstrumentedAttribute[Any],
    values: Sequence[int],
    *order: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> Rows:
    groups: Rows = defaultdict(list)
    for row in _select(session, model, key, values, *(order or (model.id,))):
        groups[row[key.key]].append(row)
    return groups


def _lookup(
    session: Session,
    key: InstrumentedAttribute[int],
    value: InstrumentedAttribute[str],
    ids: Iterable[int | None],
) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        found.update((k, v) for k, v in session.execute(select(key, value).where(key.in_(chunk))))
    return found


class _Batch:
    """Everything about a batch of customers, one query per table."""

    def __init__(self, session: Session, ids: Sequence[int], names: Names) -> None:
        self.session = session
        self.names = names
        self.customers = _select(session, Customer, Customer.id, ids, Customer.id)
        ids = [row["id"] for row in self.customers]
        self.emails = _grouped(session, CustomerEmail, CustomerEmail.customer_id, ids,
                               CustomerEmail.position, CustomerEmail.id)
        self.phones = _grouped(session, CustomerPhone, CustomerPhone.customer_id, ids,
                               CustomerPhone.position, CustomerPhone.id)
        self.tags = _grouped(session, CustomerTag, CustomerTag.customer_id, ids, CustomerTag.name)
        self.consents = _grouped(session, Consent, Consent.customer_id, ids, Consent.channel)
        self.dates = _grouped(session, ImportantDate, ImportantDate.customer_id, ids)
        self.favourites = _grouped(session, Favourite, Favourite.customer_id, ids)
        self.referrals = _grouped(session, Referral, Referral.referred_id, ids)
        self.touchpoints = _grouped(session, Touchpoint, Touchpoint.customer_id, ids,
                                    Touchpoint.occurred_at, Touchpoint.id)
        self.complaints = _grouped(session, Complaint, Complaint.customer_id, ids)
        self.coupons = _grouped(session, Coupon, Coupon.customer_id, ids)
        self.cards = _grouped(session, LoyaltyCard, LoyaltyCard.customer_id, ids)
        self.subscriptions = _grouped(session, Subscription, Subscription.customer_id, ids)
        self._load_links(ids)

    def _load_links(self, ids: list[int]) -> None:
        session = self.session
        self.referred: dict[int, list[str]] = defaultdict(list)
        for referrer_id, uid in session.execute(
            select(Referral.referrer_id, Customer.uid)
            .join(Customer, Customer.id == Referral.referred_id)
            .where(Referral.referrer_id.in_(ids))
            .order_by(Customer.id)
        ):
            if referrer_id is not None:
                self.referred[referrer_id].append(uid)
        referrals = [r for rows in self.referrals.values() for r in rows]
        referrers = (r["referrer_id"] for r in referrals)
        self.uids = _lookup(session, Customer.id, Customer.uid, referrers)
        card_ids = [c["id"] for rows in self.cards.values() for c in rows]
        self.stamps = _grouped(session, Stamp, Stamp.card_id, card_ids)
        sub_ids = [s["id"] for rows in self.subscriptions.values() for s in rows]
        self.cases = _grouped(session, RetentionCase, RetentionCase.subscription_id, sub_ids)
        case_ids = [c["id"] for rows in self.cases.values() for c in rows]
        self.offers = _grouped(session, RetentionOffer, RetentionOffer.case_id, case_ids)
        referenced = [
            row[name]
            for rows, name in (
                (referrals, "reward_coupon_id"),
                ([t for rows in self.touchpoints.values() for t in rows], "coupon_id"),
                ([c for rows in self.complaints.values() for c in rows], "coupon_id"),
                ([c for rows in self.cards.values() for c in rows], "reward_coupon_id"),
            )
            for row in rows
        ]
        self.codes = _lookup(session, Coupon.id, Coupon.code, referenced)
        coupons = [c for rows in self.coupons.values() for c in rows]
        self.coupon_entries: dict[int, list[dict[str, object]]] = defaultdict(list)
        for row, entry in zip(coupons, coupon_entries(session, coupons, self.names), strict=True):
            self.coupon_entries[row["customer_id"]].append(entry)

    def code(self, coupon_id: int | None) -> str | None:
        return None if coupon_id is None else self.codes[coupon_id]

    def records(self) -> list[dict[str, object]]:
        return [self._record(row) for row in self.customers]

    def _record(self, row: RowMapping) -> dict[str, object]:
        cid: int = row["id"]
        complaints = self.complaints.get(cid, [])
        return {
            "id": cid,
            "uid": row["uid"],
            **plain(row, (*CUSTOMER_FIELDS, *CUSTOMER_TIMES)),
            "emails": [plain(e, EMAIL_FIELDS) for e in self.emails.get(cid, [])],
            "phones": [
                {"number": p["e164"], "label": p["label"]} for p in self.phones.get(cid, [])
            ],
            "tags": [t["name"] for t in self.tags.get(cid, [])],
            "consents": [plain(c, CONSENT_FIELDS) for c in self.consents.get(cid, [])],
            "important_dates": [plain(d, DATE_FIELDS) for d in self.dates.get(cid, [])],
            "favourites": [self._favourite(f) for f in self.favourites.get(cid, [])],
            "referral": next((self._referral(r) for r in self.referrals.get(cid, [])), None),
            "referred": self.referred.get(cid, []),
            "touchpoints": self._touchpoints(cid, [c["id"] for c in complaints]),
            "complaints": [self._complaint(c) for c in complaints],
            "coupons": self.coupon_entries.get(cid, []),
            "loyalty_cards": [self._card(c) for c in self.cards.get(cid, [])],
            "subscriptions": [self._subscription(s) for s in self.subscriptions.get(cid, [])],
        }

    def _favourite(self, row: RowMapping) -> dict[str, object]:
        product = self.names.products[row["product_id"]]
        return {"product": product["name"], "category": product["category"], "note": row["note"]}

    def _referral(self, row: RowMapping) -> dict[str, object]:
        referrer = row["referrer_id"]
        return {
            "referrer": None if referrer is None else self.uids[referrer],
            **plain(row, REFERRAL_FIELDS),
            "reward_coupon": self.code(row["reward_coupon_id"]),
        }

    def _touchpoints(self, cid: int, complaint_ids: list[int]) -> list[dict[str, object]]:
        position = {complaint_id: n for n, complaint_id in enumerate(complaint_ids, 1)}
        return [
            {
                **plain(t, TOUCHPOINT_FIELDS),
                "complaint": position.get(t["complaint_id"]),
                "coupon": self.code(t["coupon_id"]),
            }
            for t in self.touchpoints.get(cid, [])
        ]

    def _complaint(self, row: RowMapping) -> dict[str, object]:
        return {
            **plain(row, COMPLAINT_FIELDS),
            "product": self.names.product(row["product_id"]),
            "coupon": self.code(row["coupon_id"]),
        }

    def _card(self, row: RowMapping) -> dict[str, object]:
        stamps = self.stamps.get(row["id"], [])
        position = {stamp["id"]: n for n, stamp in enumerate(stamps, 1)}
        return {
            "program": self.names.programs[row["program_id"]],
            **plain(row, CARD_FIELDS),
            "reward_coupon": self.code(row["reward_coupon_id"]),
            "stamps": [
                {**plain(s, STAMP_FIELDS), "reverses": position.get(s["reverses_id"])}
                for s in stamps
            ],
        }

    def _subscription(self, row: RowMapping) -> dict[str, object]:
        return {
            **plain(row, SUBSCRIPTION_FIELDS),
            "retention_cases": [
                {
                    **plain(case, CASE_FIELDS),
                    "offers": [plain(o, OFFER_FIELDS) for o in self.offers.get(case["id"], [])],
                }
                for case in self.cases.get(row["id"], [])
            ],
        }
