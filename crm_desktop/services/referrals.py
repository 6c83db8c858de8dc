"""Who referred whom: one referrer (a customer) or one source per customer.

Refused, with one sentence for the user: a customer referring themself, and any link that would
close a cycle (A → B → C → A). Replacing an existing referrer is allowed (the window asks first)
and is written to the referred customer's history as a "referral" entry.

The owner's own sources (besides the built-in walk-in, advert, web, event, other) are kept in
the ``setting`` table under ``referral.sources`` as a JSON list, so every desk sees them.

The tree, the leaderboard and the thanks live in their own modules and are re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import REFERRAL_SOURCES, Customer, Referral, Setting, Touchpoint, utcnow
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.portable_links import one_link_change_at_a_time
from crm_desktop.services.referral_data import (
    BUILT_IN_SOURCE_LABELS,
    CUSTOMER_SOURCE,
    UNKNOWN_SOURCE,
    ReferralCleared,
    ReferralInfo,
    ReferralSaved,
    ReferralSource,
    person_name,
    source_label,
)
from crm_desktop.services.referral_stats import referral_sources, top_referrers
from crm_desktop.services.referral_thanks import (
    on_visit_logged,
    referrals_due_thanks,
    reward_referral,
    thanks_became_due,
)
from crm_desktop.services.referral_tree import (
    MAX_DEPTH,
    referral_chain,
    referral_tree,
    referral_tree_pdf,
    tree_picture,
)

__all__ = [
    "MAX_DEPTH",
    "clear_referral",
    "get_referral",
    "on_visit_logged",
    "referral_chain",
    "referral_sources",
    "referral_tree",
    "referral_tree_pdf",
    "referrals_due_thanks",
    "reward_referral",
    "save_extra_sources",
    "set_referral",
    "source_choices",
    "source_label",
    "top_referrers",
    "tree_picture",
]

SOURCES_KEY = "referral.sources"
SOURCE_MAX_LENGTH = 30  # referral.source is VARCHAR(30)
_CHANGE_KINDS = ("customers", "referrals")


def set_referral(
    session: Session,
    customer_id: int,
    referrer_id: int | None,
    source: str | None,
    referred_on: date | None,
) -> ReferralSaved:
    """Record who referred the customer (``referrer_id``) or where they came from (``source``).

    Exactly one of the two is given. ``referred_on`` None means the date is not known.
    """
    customer = _customer(session, customer_id)
    if referrer_id is not None:
        one_link_change_at_a_time(session)
    existing = session.scalar(select(Referral).where(Referral.referred_id == customer_id))
    _check_input(session, customer, referrer_id, source, referred_on, existing)
    if existing is None:
        existing = Referral(referred_id=customer_id, reward_status="pending")
        session.add(existing)
        previous, changed = None, False
    else:
        previous = existing.referrer_id
        changed = (existing.referrer_id, existing.source) != (referrer_id, source)
        if changed:
            _log_change(session, existing, referrer_id, source)
    existing.referrer_id, existing.source, existing.referred_on = referrer_id, source, referred_on
    session.flush()
    thanks_became_due(session, existing)
    ids = {customer_id} | {i for i in (previous, referrer_id) if i is not None}
    kinds = (*_CHANGE_KINDS, "touchpoints") if changed else _CHANGE_KINDS
    return ReferralSaved(
        _info(session, existing), previous, changed, Changes.of_customers(*ids, kinds=kinds)
    )


def clear_referral(session: Session, customer_id: int) -> ReferralCleared:
    """Forget how the customer came; the removal is written to their history like a change."""
    _customer(session, customer_id)
    existing = session.scalar(select(Referral).where(Referral.referred_id == customer_id))
    if existing is None:
        return ReferralCleared(customer_id, None, Changes())
    removed = _info(session, existing)
    summary = _("Referrer {old} removed.").format(
        old=_describe(session, existing.referrer_id, existing.source)
    )
    session.add(
        Touchpoint(customer_id=customer_id, kind="referral", occurred_at=utcnow(), summary=summary)
    )
    session.delete(existing)
    session.flush()
    ids = {customer_id} | ({removed.referrer_id} if removed.referrer_id is not None else set())
    kinds = (*_CHANGE_KINDS, "touchpoints")
    return ReferralCleared(customer_id, removed, Changes.of_customers(*ids, kinds=kinds))


def get_referral(session: Session, customer_id: int) -> ReferralInfo | None:
    """How the customer came, or None when nothing is recorded."""
    _customer(session, customer_id)
    existing = session.scalar(select(Referral).where(Referral.referred_id == customer_id))
    return None if existing is None else _info(session, existing)


def source_choices(session: Session) -> list[ReferralSource]:
    """The built-in sources (translated) followed by the owner's own, in their order."""
    built_in = [
        ReferralSource(key, _(label), True) for key, label in BUILT_IN_SOURCE_LABELS.items()
    ]
    extra = [ReferralSource(name, name, False) for name in _extra_sources(session)]
    return built_in + extra


def save_extra_sources(session: Session, names: Sequence[str]) -> Changes:
    """Replace the owner's own sources; referrals already using a removed one keep it."""
    cleaned = [name.strip() for name in names if name.strip()]
    _check_extra_sources(cleaned)
    row = session.get(Setting, SOURCES_KEY)
    encoded = json.dumps(cleaned, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=SOURCES_KEY, value=encoded))
    else:
        row.value = encoded
    session.flush()
    return Changes(kinds=frozenset({"settings", "referrals"}))


def _check_extra_sources(names: list[str]) -> None:
    reserved = {key.casefold() for key in (*REFERRAL_SOURCES, CUSTOMER_SOURCE, UNKNOWN_SOURCE)}
    reserved |= {_(label).casefold() for label in BUILT_IN_SOURCE_LABELS.values()}
    seen: set[str] = set()
    for name in names:
        folded = name.casefold()
        if len(name) > SOURCE_MAX_LENGTH:
            message = _("A source name can be at most {count} characters long.").format(
                count=SOURCE_MAX_LENGTH
            )
        elif folded in reserved or folded in seen:
            message = _("The source “{name}” is already in the list.").format(name=name)
        else:
            seen.add(folded)
            continue
        raise ValidationError({"sources": message})


def _extra_sources(session: Session) -> list[str]:
    row = session.get(Setting, SOURCES_KEY)
    if row is None:
        return []
    try:
        value = json.loads(row.value)
    except ValueError:
        return []  # a damaged value is treated as "no own sources" rather than failing
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str) and item]


def _check_input(
    session: Session,
    customer: Customer,
    referrer_id: int | None,
    source: str | None,
    referred_on: date | None,
    existing: Referral | None,
) -> None:
    if (referrer_id is None) == (source is None):
        raise ValidationError(
            {"referrer": _("Choose either the customer who referred them or a source.")}
        )
    if referred_on is not None and referred_on > date.today():
        raise ValidationError({"referred_on": _("The referral date cannot be in the future.")})
    if source is not None:
        keep = existing is not None and existing.source == source
        if not keep and source not in {s.key for s in source_choices(session)}:
            raise ValidationError(
                {"source": _("“{source}” is not one of the sources.").format(source=source)}
            )
    if referrer_id is not None:
        _check_referrer(session, customer, referrer_id)


def _check_referrer(session: Session, customer: Customer, referrer_id: int) -> None:
    if referrer_id == customer.id:
        raise ValidationError({"referrer": _("A customer cannot refer themself.")})
    referrer = session.get(Customer, referrer_id)
    if referrer is None:
        raise ValidationError(
            {"referrer": _("Customer {id} does not exist.").format(id=referrer_id)}
        )
    if _is_above(session, customer.id, referrer_id):
        raise ValidationError(
            {
                "referrer": _(
                    "{referrer} was referred, directly or through others, by {customer}; "
                    "a referral cannot go round in a circle."
                ).format(referrer=_name(referrer), customer=_name(customer))
            }
        )


def _is_above(session: Session, ancestor_id: int, customer_id: int) -> bool:
    """Whether ``ancestor_id`` is somewhere in the chain of referrers above ``customer_id``.

    One recursive query walks up from the customer; the depth guard stops it on damaged data.
    """
    up = (
        select(Referral.referrer_id.label("id"), literal_column("1").label("depth"))
        .where(Referral.referred_id == customer_id, Referral.referrer_id.is_not(None))
        .cte("up", recursive=True)
    )
    step = (
        select(Referral.referrer_id, up.c.depth + literal_column("1"))
        .join(up, Referral.referred_id == up.c.id)
        .where(Referral.referrer_id.is_not(None), up.c.depth < MAX_DEPTH)
    )
    up = up.union_all(step)
    return session.scalar(select(up.c.depth).where(up.c.id == ancestor_id).limit(1)) is not None


def _log_change(
    session: Session, existing: Referral, referrer_id: int | None, source: str | None
) -> None:
    summary = _("Referrer changed from {old} to {new}.").format(
        old=_describe(session, existing.referrer_id, existing.source),
        new=_describe(session, referrer_id, source),
    )
    session.add(
        Touchpoint(
            customer_id=existing.referred_id, kind="referral", occurred_at=utcnow(), summary=summary
        )
    )


def _describe(session: Session, referrer_id: int | None, source: str | None) -> str:
    if referrer_id is not None:
        return _name_of(session, referrer_id)
    if source is not None:
        return source_label(source)
    return _("a deleted customer")


def _info(session: Session, row: Referral) -> ReferralInfo:
    referrer = "" if row.referrer_id is None else _name_of(session, row.referrer_id)
    return ReferralInfo(
        id=row.id,
        customer_id=row.referred_id,
        referrer_id=row.referrer_id,
        referrer_name=referrer,
        source=row.source,
        source_label=source_label(row.source),
        referred_on=row.referred_on,
        reward_status=row.reward_status,
        rewarded_at=row.rewarded_at,
        reward_coupon_id=row.reward_coupon_id,
    )


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return customer


def _name_of(session: Session, customer_id: int) -> str:
    customer = session.get(Customer, customer_id)
    return _("a deleted customer") if customer is None else _name(customer)


def _name(customer: Customer) -> str:
    return person_name(customer.first_name, customer.last_name, customer.company, customer.id)
