"""What the referral tree picture is drawn from: plain data, no database objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class TreePictureNode:
    """One person in the picture and the people they brought, in drawing order.

    ``direct`` counts ``children``; ``total`` everyone below. ``rewarded`` and ``thanks_due``
    describe the referral that brought this person (the thank-you their referrer got or is owed).
    Compared by identity: trees can be thousands of levels deep, too deep for a recursive ``==``.
    """

    name: str
    direct: int
    total: int
    rewarded: bool
    children: tuple[TreePictureNode, ...] = ()
    thanks_due: bool = False
