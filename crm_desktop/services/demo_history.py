"""The demo customers' history: visits, referrals, coupons and complaints."""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime, timedelta

from crm_desktop.services.demo_names import COMPLAINTS, DESKS, PRODUCTS, STAFF
from crm_desktop.services.demo_writer import DemoWriter, at_time

HISTORY_DAYS = 730  # visits cover the last two years
_OPENING, _CLOSING = 6 * 3600, 16 * 3600  # 8–18 local time, in UTC seconds
CHAIN_EVERY, CHAIN_LENGTH = 60, 6  # every 60th customer starts a chain of six referrals
_SOURCES = ("walk_in", "advert", "web", "event")
_SOURCE_WEIGHTS = (60, 15, 18, 7)
_COUPON_DAYS = 60
Offer = tuple[str, int, int | None]  # kind, value, product id


def plan_visits(rng: random.Random, since: date, today: date) -> list[datetime]:
    """Visit times up to yesterday: a few regulars, more occasional guests, many rare ones."""
    start = max(since, today - timedelta(days=HISTORY_DAYS))
    span = (today - start).days - 1  # nothing has happened yet today
    roll = rng.random()
    if roll < 0.05:
        mean_gap = rng.uniform(4, 12)  # about weekly
    elif roll < 0.30:
        mean_gap = rng.uniform(25, 80)  # about monthly
    else:
        offsets = [rng.randint(0, span) for _ in range(rng.randint(0, 3))]
        return sorted(at_time(start + timedelta(days=o), _time_of_day(rng)) for o in offsets)
    if rng.random() < 0.25:
        span -= rng.randint(70, 540)  # lapsed: stopped coming some time ago
    visits: list[datetime] = []
    offset = rng.uniform(0, mean_gap)
    while offset <= span:
        visits.append(at_time(start + timedelta(days=int(offset)), _time_of_day(rng)))
        offset += mean_gap * rng.uniform(0.4, 1.6)
    return visits


def _time_of_day(rng: random.Random) -> int:
    return rng.randrange(_OPENING, _CLOSING)


def add_visits(writer: DemoWriter, customer_id: int, visits: list[datetime]) -> None:
    for visit in visits:
        add_touchpoint(writer, customer_id, "visit", visit)


def add_touchpoint(
    writer: DemoWriter,
    customer_id: int,
    kind: str,
    at: datetime,
    summary: str = "",
    complaint_id: int | None = None,
    coupon_id: int | None = None,
) -> None:
    writer.add_with_id(
        "touchpoint",
        {
            "customer_id": customer_id,
            "kind": kind,
            "occurred_at": at,
            "staff": writer.rng.choice(STAFF),
            "summary": summary,
            "complaint_id": complaint_id,
            "coupon_id": coupon_id,
        },
    )


def referrer_index(rng: random.Random, index: int) -> int | None:
    """Which earlier customer (by position) brought this one, if any."""
    if 1 <= index % CHAIN_EVERY <= CHAIN_LENGTH:
        return index - 1  # a chain: each brought the next
    if index > 0 and rng.random() < 0.18:
        return rng.randrange(max(0, index - 300), index)
    return None


def add_referral(
    writer: DemoWriter, customer_id: int, referrer_id: int | None, since: date, name: str
) -> None:
    row: dict[str, object] = {
        "referred_id": customer_id,
        "referrer_id": referrer_id,
        "source": None,
        "referred_on": since,
        "reward_status": "pending",
        "rewarded_at": None,
        "reward_coupon_id": None,
    }
    if referrer_id is None:
        row["source"] = writer.rng.choices(_SOURCES, weights=_SOURCE_WEIGHTS)[0]
    else:
        row.update(_reward(writer, referrer_id, since))
        add_touchpoint(
            writer, referrer_id, "referral", at_time(since, _CLOSING), f"Suositteli: {name}"
        )
    writer.add_with_id("referral", row)


def _reward(writer: DemoWriter, referrer_id: int, referred_on: date) -> dict[str, object]:
    """Older referrals are mostly rewarded with a free cappuccino; recent ones wait."""
    age = (writer.today - referred_on).days
    roll = writer.rng.random()
    if age < 14:
        return {"reward_status": "pending"}
    if roll < 0.05:
        return {"reward_status": "declined"}
    if roll < 0.25:
        return {"reward_status": "due"}
    at = at_time(referred_on + timedelta(days=writer.rng.randint(7, 14)), _time_of_day(writer.rng))
    if at.date() >= writer.today:
        return {"reward_status": "due"}
    offer: Offer = ("free_item", 0, writer.product_id("Cappuccino"))
    coupon_id = issue_coupon(writer, referrer_id, "referral", at, offer)
    return {"reward_status": "rewarded", "rewarded_at": at, "reward_coupon_id": coupon_id}


def issue_coupon(
    writer: DemoWriter, customer_id: int, reason: str, issued_at: datetime, offer: Offer
) -> int:
    """A coupon with its audit events and timeline entries; about half get redeemed."""
    rng = writer.rng
    expires = issued_at.date() + timedelta(days=_COUPON_DAYS)
    usable_days = (min(expires, writer.today - timedelta(days=1)) - issued_at.date()).days
    redeemed = usable_days >= 1 and rng.random() < 0.55
    voided = not redeemed and rng.random() < 0.05
    coupon_id = writer.add_with_id(
        "coupon",
        {
            "code": writer.new_coupon_code(),
            "kind": offer[0],
            "value": offer[1],
            "product_id": offer[2],
            "reason": reason,
            "customer_id": customer_id,
            "terms": "",
            "issued_at": issued_at,
            "expires_on": expires,
            "voided_at": issued_at + timedelta(hours=2) if voided else None,
            "void_reason": "Annettu vahingossa kahdesti." if voided else "",
        },
    )
    _coupon_event(writer, coupon_id, "issued", issued_at)
    add_touchpoint(writer, customer_id, "coupon_issued", issued_at, coupon_id=coupon_id)
    if voided:
        _coupon_event(writer, coupon_id, "voided", issued_at + timedelta(hours=2))
    if redeemed:
        day = issued_at.date() + timedelta(days=rng.randint(1, usable_days))
        _redeem(writer, customer_id, coupon_id, at_time(day, _time_of_day(rng)))
    return coupon_id


def _redeem(writer: DemoWriter, customer_id: int, coupon_id: int, at: datetime) -> None:
    desk, staff = writer.rng.choice(DESKS), writer.rng.choice(STAFF)
    writer.add_with_id(
        "redemption", {"coupon_id": coupon_id, "redeemed_at": at, "desk": desk, "staff": staff}
    )
    _coupon_event(writer, coupon_id, "redeemed", at, desk)
    add_touchpoint(writer, customer_id, "coupon_redeemed", at, coupon_id=coupon_id)


def _coupon_event(
    writer: DemoWriter, coupon_id: int, kind: str, at: datetime, desk: str = ""
) -> None:
    writer.add_with_id(
        "coupon_event", {"coupon_id": coupon_id, "kind": kind, "at": at, "desk": desk, "note": ""}
    )


def add_complaint(writer: DemoWriter, customer_id: int, visit: datetime) -> None:
    """A complaint made during a visit, with what was done about it."""
    rng = writer.rng
    name, _category, price = rng.choice(PRODUCTS[:9])  # things sold over the counter
    product_id = writer.product_id(name)
    is_open = (writer.today - visit.date()).days < 10
    remedy = None if is_open else rng.choice(("apology", "replacement", "refund", "coupon"))
    coupon_id = None
    if remedy == "coupon":
        offer: Offer = ("free_item", 0, product_id)
        coupon_id = issue_coupon(writer, customer_id, "complaint", visit, offer)
    description = rng.choice(COMPLAINTS)
    complaint_id = writer.add_with_id(
        "complaint",
        {
            "customer_id": customer_id,
            "received_on": visit.date(),
            "channel": rng.choice(("in_person", "in_person", "phone", "email")),
            "product_id": product_id,
            "description": description,
            "severity": rng.randint(1, 3),
            "staff": rng.choice(STAFF),
            "status": "open" if is_open else rng.choice(("resolved", "closed")),
            "remedy": remedy,
            "compensation_cents": (price or 0) if remedy == "refund" else 0,
            "coupon_id": coupon_id,
            "follow_up_on": writer.today + timedelta(days=rng.randint(0, 7)) if is_open else None,
            "outcome": "" if is_open else "Asiakas oli tyytyväinen hyvitykseen.",
            "resolved_at": None if is_open else visit + timedelta(days=1),
        },
    )
    add_touchpoint(writer, customer_id, "complaint", visit, description, complaint_id)


def add_extras(
    writer: DemoWriter,
    customer_id: int,
    visits: list[datetime],
    birthday: tuple[int, int, int | None] | None,
    may_market: bool,
) -> None:
    """Now and then a complaint, a birthday treat or a campaign coupon."""
    rng = writer.rng
    if visits and rng.random() < 0.012:
        add_complaint(writer, customer_id, rng.choice(visits))
    if not may_market:
        return
    if birthday and rng.random() < 0.05:
        treat: Offer = ("free_item", 0, writer.product_id("Korvapuusti"))
        day = _last_occurrence(birthday[0], birthday[1], writer.today - timedelta(days=1))
        issue_coupon(writer, customer_id, "birthday", at_time(day, _OPENING), treat)
    if rng.random() < 0.02:
        day = writer.today - timedelta(days=rng.randint(1, 200))
        issue_coupon(writer, customer_id, "campaign", at_time(day, _OPENING), ("percent", 15, None))


def _last_occurrence(month: int, day: int, latest: date) -> date:
    """The date's latest occurrence on or before ``latest``."""
    occurrence = _in_year(latest.year, month, day)
    return occurrence if occurrence <= latest else _in_year(latest.year - 1, month, day)


def _in_year(year: int, month: int, day: int) -> date:
    if (month, day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)  # the default leap-day rule
    return date(year, month, day)
