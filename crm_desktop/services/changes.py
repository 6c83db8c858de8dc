"""What a service call changed, broadcast by the UI so each view can decide to refresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    customers: frozenset[int] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)

    @staticmethod
    def of_customers(*ids: int, kinds: tuple[str, ...] = ("customers",)) -> Changes:
        return Changes(customers=frozenset(ids), kinds=frozenset(kinds))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.customers | other.customers, self.kinds | other.kinds)
