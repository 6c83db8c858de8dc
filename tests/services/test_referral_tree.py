"""The chain up, the tree below, the leaderboard and the sources breakdown."""

from __future__ import annotations

import io
import uuid
from datetime import date
from itertools import pairwise

import pytest
from pypdf import PdfReader
from sqlalchemy import insert, select

from crm_desktop.models import Customer, Referral
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.errors import NotFound, ValidationError
from crm_desktop.services.referral_tree import MAX_DEPTH, tree_picture
from crm_desktop.services.referrals import (
    referral_chain,
    referral_sources,
    referral_tree,
    referral_tree_pdf,
    reward_referral,
    set_referral,
    top_referrers,
)

IN_2025, IN_2026 = date(2025, 6, 1), date(2026, 2, 1)


@pytest.fixture
def family(db) -> dict[str, int]:
    """A(B(D(G(H)), E), C(F)) and, apart, X(P, Q, R); E and X's three came in 2025.

    Two more came from a walk-in and one from the web; A and X have nothing recorded.
    """
    names = ["A", "B", "C", "D", "E", "F", "G", "H", "X", "P", "Q", "R", "S", "T", "U"]
    ids: dict[str, int] = {}
    with db.session() as s:
        for name in names:
            since = IN_2026 if name == "A" else None
            data = CustomerInput(first_name=f"{name}-person", customer_since=since)
            ids[name] = create_customer(s, data, "FI").customer.id
        links = [
            ("B", "A", IN_2026), ("C", "A", IN_2026), ("D", "B", IN_2026), ("E", "B", IN_2025),
            ("F", "C", IN_2026), ("G", "D", IN_2026), ("H", "G", IN_2026),
            ("P", "X", IN_2025), ("Q", "X", IN_2025), ("R", "X", IN_2025),
        ]
        for customer, referrer, on in links:
            set_referral(s, ids[customer], ids[referrer], None, on)
        set_referral(s, ids["S"], None, "walk_in", IN_2026)
        set_referral(s, ids["T"], None, "walk_in", IN_2025)
        set_referral(s, ids["U"], None, "web", IN_2026)
    return ids


def counts(node) -> dict[str, tuple[int, int, int]]:
    """name → (depth, direct, total) for the node and everyone below it."""
    found, pending = {}, [node]
    while pending:
        node = pending.pop()
        found[node.name[0]] = (node.depth, node.direct, node.total)
        pending.extend(node.children)
    return found


def test_the_chain_runs_from_the_first_referrer_down_to_the_customer(db, family):
    with db.session() as s:
        chain = referral_chain(s, family["H"])
    assert [n.name for n in chain] == ["A-person", "B-person", "D-person", "G-person", "H-person"]
    assert [n.depth for n in chain] == [0, 1, 2, 3, 4]
    assert chain[0].referral_id is None and chain[0].referrer_id is None
    assert [n.referrer_id for n in chain[1:]] == [family[k] for k in "ABDG"]


def test_the_chain_of_a_first_referrer_is_just_them(db, family):
    with db.session() as s:
        assert [n.customer_id for n in referral_chain(s, family["A"])] == [family["A"]]
        with pytest.raises(NotFound):
            referral_chain(s, 999_999)


def test_tree_counts_direct_and_total_on_every_level(db, family):
    with db.session() as s:
        tree = referral_tree(s, family["A"])
    assert counts(tree.root) == {
        "A": (0, 2, 7), "B": (1, 2, 4), "C": (1, 1, 1), "D": (2, 1, 2),
        "E": (2, 0, 0), "F": (2, 0, 0), "G": (3, 1, 1), "H": (4, 0, 0),
    }
    assert (tree.size, tree.depth, tree.truncated) == (8, 4, False)
    assert [c.name for c in tree.root.children] == ["B-person", "C-person"]  # by name
    assert tree.root.parent_id is None
    assert tree.root.children[0].parent_id == family["A"]


def test_the_tree_starts_below_the_customer_unless_the_whole_family_is_asked(db, family):
    with db.session() as s:
        below = referral_tree(s, family["D"])
        whole = referral_tree(s, family["H"], whole_family=True)
        leaf = referral_tree(s, family["H"])
    assert counts(below.root) == {"D": (0, 1, 2), "G": (1, 1, 1), "H": (2, 0, 0)}
    assert below.root.parent_id is None  # D's referrer is outside this tree
    assert below.root.reward_status == "pending"
    assert whole.root.customer_id == family["A"] and whole.size == 8
    assert (leaf.size, leaf.depth, leaf.root.children) == (1, 0, ())
    with db.session() as s, pytest.raises(NotFound):
        referral_tree(s, 999_999)


def test_reward_status_shows_in_the_tree_and_the_picture_data(db, family):
    with db.session() as s:
        b_referral = referral_chain(s, family["B"])[-1].referral_id
        reward_referral(s, b_referral)
    with db.session() as s:
        tree = referral_tree(s, family["A"])
    b, c = tree.root.children
    assert (tree.root.reward_status, b.reward_status, c.reward_status) == (
        None, "rewarded", "pending"
    )
    picture = tree_picture(tree)
    assert (picture.name, picture.direct, picture.total) == ("A-person", 2, 7)
    assert [(p.name, p.rewarded) for p in picture.children] == [
        ("B-person", True), ("C-person", False)
    ]
    assert picture.children[0].children[0].children[0].children[0].name == "H-person"


def test_leaderboard_by_total_and_by_direct(db, family):
    with db.session() as s:
        by_total = top_referrers(s)
        by_direct = top_referrers(s, by="direct")
        top_two = top_referrers(s, limit=2)
    assert [(t.name[0], t.direct, t.total) for t in by_total] == [
        ("A", 2, 7), ("B", 2, 4), ("X", 3, 3), ("D", 1, 2), ("C", 1, 1), ("G", 1, 1)
    ]
    assert [t.name[0] for t in by_direct] == ["X", "A", "B", "D", "C", "G"]
    assert [t.customer_id for t in top_two] == [family["A"], family["B"]]


def test_leaderboard_for_a_period_counts_only_referrals_made_in_it(db, family):
    with db.session() as s:
        this_year = top_referrers(s, since=date(2026, 1, 1))
        last_year = top_referrers(s, since=date(2025, 1, 1), until=date(2025, 12, 31))
        nothing = top_referrers(s, until=date(2024, 12, 31))
    # E (B's, 2025) drops out of B's and A's counts.
    assert [(t.name[0], t.direct, t.total) for t in this_year] == [
        ("A", 2, 6), ("B", 1, 3), ("D", 1, 2), ("C", 1, 1), ("G", 1, 1)
    ]
    assert [(t.name[0], t.direct, t.total) for t in last_year] == [
        ("X", 3, 3), ("B", 1, 1), ("A", 0, 1)
    ]
    assert nothing == []


def test_leaderboard_refuses_nonsense(db):
    with db.session() as s:
        with pytest.raises(ValidationError):
            top_referrers(s, since=date(2026, 2, 1), until=date(2026, 1, 1))
        with pytest.raises(ValidationError):
            top_referrers(s, limit=0)
        with pytest.raises(ValidationError):
            top_referrers(s, by="loudest")  # type: ignore[arg-type]


def test_sources_breakdown(db, family):
    with db.session() as s:
        everything = referral_sources(s)
        this_year = referral_sources(s, since=date(2026, 1, 1))
    assert [(c.key, c.label, c.count) for c in everything] == [
        ("customer", "Referred by a customer", 10),
        ("unknown", "Not recorded", 2),  # A and X; ties in key order
        ("walk_in", "Walk-in", 2),
        ("web", "Web", 1),
    ]
    # In 2026: six by customers, one walk-in, one web, and A (a customer since 2026, no record).
    assert [(c.key, c.count) for c in this_year] == [
        ("customer", 6), ("unknown", 1), ("walk_in", 1), ("web", 1)
    ]


def _chain_rows(db, length: int) -> list[int]:
    """Customers 1…length, each referred by the one before, written directly."""
    with db.session() as s:
        s.execute(
            insert(Customer),
            [{"uid": str(uuid.uuid4()), "first_name": f"N{i}"} for i in range(length)],
        )
        ids = list(s.scalars(select(Customer.id).order_by(Customer.id)))
        s.execute(
            insert(Referral),
            [
                {"referred_id": b, "referrer_id": a, "reward_status": "pending"}
                for a, b in pairwise(ids)
            ],
        )
    return ids


def test_a_cycle_written_behind_the_services_back_cannot_hang_the_walks(db):
    a, b, c = _chain_rows(db, 3)
    with db.session() as s:  # close the circle c → a directly in the table
        s.execute(insert(Referral), [{"referred_id": a, "referrer_id": c, "reward_status": "due"}])
    with db.session() as s:
        chain = referral_chain(s, c)
        tree = referral_tree(s, a)
        top = top_referrers(s, limit=3)
    assert [n.customer_id for n in chain] == [a, b, c]  # stops where the circle closes
    assert tree.size == 3 and tree.truncated
    assert {t.customer_id for t in top} == {a, b, c}


def test_the_depth_guard_stops_a_pathologically_long_chain(db):
    ids = _chain_rows(db, MAX_DEPTH + 5)
    with db.session() as s:
        tree = referral_tree(s, ids[0])
        chain = referral_chain(s, ids[-1])
    assert tree.truncated and tree.depth == MAX_DEPTH and tree.size == MAX_DEPTH + 1
    assert len(chain) == MAX_DEPTH + 1 and chain[-1].customer_id == ids[-1]
    picture = tree_picture(tree)  # built without recursion, however deep
    assert picture.total == MAX_DEPTH


def test_the_tree_picture_pdf_names_everyone_and_the_chain_above(db, family):
    with db.session() as s:
        pdf = referral_tree_pdf(s, family["B"])
    (text,) = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    for name in ("B-person", "D-person", "E-person", "G-person", "H-person"):
        assert name in text
    assert "C-person" not in text  # not below B
    assert "5 people" in text and "chain of referrers: A-person" in text
    assert "2 / 4" in text  # B brought two directly, four in all
