"""Plain results of the referral services: links, chains, trees, leaderboards, thanks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_desktop.i18n import N_, _
from crm_desktop.reports.letter_data import LetterData
from crm_desktop.services.changes import Changes
from crm_desktop.services.coupon_data import CouponInfo

# Key of the "referred by a customer" row in the sources breakdown (stored sources never use it:
# a referral by a customer has no source).
CUSTOMER_SOURCE = "customer"
# Key of the customers who have no referral recorded at all.
UNKNOWN_SOURCE = "unknown"

# The built-in sources (models.REFERRAL_SOURCES), labels translated where they are shown.
BUILT_IN_SOURCE_LABELS = {
    "walk_in": N_("Walk-in"),
    "advert": N_("Advert"),
    "web": N_("Web"),
    "event": N_("Event"),
    "other": N_("Other"),
}
_SPECIAL_LABELS = {
    CUSTOMER_SOURCE: N_("Referred by a customer"),
    UNKNOWN_SOURCE: N_("Not recorded"),
}


def source_label(key: str | None) -> str:
    """What to show for a stored source key (the owner's own sources are shown as typed)."""
    if key is None:
        return ""
    label = BUILT_IN_SOURCE_LABELS.get(key) or _SPECIAL_LABELS.get(key)
    return _(label) if label is not None else key


def person_name(first_name: str, last_name: str, company: str, customer_id: int) -> str:
    """The name shown in trees and lists; a customer with no name at all gets their number.

    The same as ``customer_data.display_name`` for stored (already trimmed) names, but quick:
    a tree of a thousand people calls it a thousand times.
    """
    if first_name and last_name:
        return f"{first_name} {last_name}"
    name = first_name or last_name or company
    return name or _("Customer {id}").format(id=customer_id)


@dataclass(frozen=True)
class ReferralSource:
    key: str  # stored in referral.source
    label: str  # translated for the built-in sources, as typed for the owner's own
    built_in: bool


@dataclass(frozen=True)
class ReferralInfo:
    """How one customer came: referred by a customer, from a source, or neither (deleted)."""

    id: int
    customer_id: int
    referrer_id: int | None
    referrer_name: str
    source: str | None
    source_label: str
    referred_on: date | None
    reward_status: str  # pending, due, rewarded, declined
    rewarded_at: datetime | None
    reward_coupon_id: int | None


@dataclass(frozen=True)
class ReferralSaved:
    referral: ReferralInfo
    previous_referrer_id: int | None
    changed_referrer: bool  # the referrer or source was replaced (and the change logged)
    changes: Changes


@dataclass(frozen=True)
class ReferralCleared:
    customer_id: int
    removed: ReferralInfo | None  # None when there was nothing to remove
    changes: Changes


@dataclass(frozen=True)
class ReferralNode:
    """One step of the chain above a customer; depth 0 is the first referrer."""

    customer_id: int
    name: str
    depth: int
    referral_id: int | None  # the referral that brought this customer, if any
    referrer_id: int | None
    source: str | None
    referred_on: date | None
    reward_status: str | None


@dataclass(frozen=True, eq=False, init=False)
class TreeNode:
    """A customer in a referral tree with the people they brought.

    ``direct`` counts the children, ``total`` everyone below (children, their children…).
    ``reward_status`` belongs to the referral that brought this customer (None for the root
    when nobody referred them). Compared by identity: a recursive ``==`` could not cope with
    a tree thousands of levels deep.
    """

    customer_id: int
    parent_id: int | None
    name: str
    depth: int
    direct: int
    total: int
    referral_id: int | None
    reward_status: str | None
    referred_on: date | None
    children: tuple[TreeNode, ...]

    def __init__(
        self,
        customer_id: int,
        parent_id: int | None,
        name: str,
        depth: int,
        direct: int,
        total: int,
        referral_id: int | None,
        reward_status: str | None,
        referred_on: date | None,
        children: tuple[TreeNode, ...],
    ) -> None:
        # One dict instead of the generated frozen __init__'s ten object.__setattr__ calls:
        # half the cost, which matters for a thousand-person tree (see benchmarks/).
        object.__setattr__(
            self,
            "__dict__",
            {
                "customer_id": customer_id,
                "parent_id": parent_id,
                "name": name,
                "depth": depth,
                "direct": direct,
                "total": total,
                "referral_id": referral_id,
                "reward_status": reward_status,
                "referred_on": referred_on,
                "children": children,
            },
        )


@dataclass(frozen=True)
class ReferralTree:
    root: TreeNode
    size: int  # people in the tree, the root included
    depth: int  # levels below the root
    truncated: bool  # the depth guard stopped the walk


@dataclass(frozen=True)
class TopReferrer:
    customer_id: int
    name: str
    direct: int
    total: int


@dataclass(frozen=True)
class SourceCount:
    key: str  # a source key, CUSTOMER_SOURCE or UNKNOWN_SOURCE
    label: str
    count: int


@dataclass(frozen=True)
class ThanksDue:
    """A referrer to thank: the person they brought has visited."""

    referral_id: int
    referrer_id: int
    referrer_name: str
    referred_id: int
    referred_name: str
    referred_on: date | None
    first_visit_at: datetime | None


@dataclass(frozen=True)
class RewardedReferral:
    referral_id: int
    referrer_id: int
    referred_id: int
    rewarded_at: datetime
    coupon_id: int | None
    changes: Changes


@dataclass(frozen=True)
class ThankCoupon:
    """The thank-you coupon to give: an amount off, valid through ``expires_on``."""

    cents: int
    expires_on: date


@dataclass(frozen=True)
class ThankResult:
    """A referrer thanked: the reward, and with a coupon the thank-you letter to print."""

    due: ThanksDue  # who brought whom
    rewarded: RewardedReferral
    coupon: CouponInfo | None
    letter: LetterData | None  # the letter is written around the coupon: none without one
    pdf: bytes | None
    changes: Changes
    staff: str = ""  # who signs the letter, for its timeline entry

    @property
    def coupon_code(self) -> str | None:
        return self.coupon.grouped_code if self.coupon is not None else None
