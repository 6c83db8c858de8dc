"""The referral chain above a customer and the tree of everyone they brought.

Each is read with one recursive query (walking the ORM one person at a time is ~25× slower on
a family of a thousand). Both walks stop after ``MAX_DEPTH`` levels, so damaged data (a cycle
written behind the services' back) cannot make them run away; a person met twice is shown once.

``referral_tree`` is the tree *below the given customer*; pass ``whole_family=True`` to start at
the first referrer of the customer's chain instead. A view showing "from any customer, the
chain up and the tree below" calls ``referral_chain`` and ``referral_tree`` (two queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Row, Select, bindparam, literal_column, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, format_date, ngettext
from crm_desktop.models import Customer, Referral
from crm_desktop.reports.referral_tree_data import TreePictureNode
from crm_desktop.services.errors import NotFound
from crm_desktop.services.referral_data import ReferralNode, ReferralTree, TreeNode, person_name

MAX_DEPTH = 10_000


def referral_chain(session: Session, customer_id: int) -> list[ReferralNode]:
    """From the first referrer (depth 0) down to the customer (last)."""
    up = (
        select(Customer.id.label("id"), literal_column("0").label("depth"))
        .where(Customer.id == customer_id)
        .cte("up", recursive=True)
    )
    step = (
        select(Referral.referrer_id, up.c.depth + literal_column("1"))
        .join(up, Referral.referred_id == up.c.id)
        .where(Referral.referrer_id.is_not(None), up.c.depth < MAX_DEPTH)
    )
    up = up.union_all(step)
    rows = session.execute(
        select(
            up.c.id,
            Customer.first_name,
            Customer.last_name,
            Customer.company,
            Referral.id.label("referral_id"),
            Referral.referrer_id,
            Referral.source,
            Referral.referred_on,
            Referral.reward_status,
        )
        .join(Customer, Customer.id == up.c.id)
        .outerjoin(Referral, Referral.referred_id == up.c.id)
        .order_by(up.c.depth)
    ).all()
    if not rows:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return _chain_nodes(rows)


def _chain_nodes(rows: Sequence[Row[Any]]) -> list[ReferralNode]:
    seen: set[int] = set()
    upward: list[Row[Any]] = []
    for row in rows:  # the customer first, then each referrer above
        if row.id in seen:
            break  # a cycle in damaged data: stop where it closes
        seen.add(row.id)
        upward.append(row)
    return [
        ReferralNode(
            customer_id=row.id,
            name=person_name(row.first_name, row.last_name, row.company, row.id),
            depth=depth,
            referral_id=row.referral_id,
            referrer_id=row.referrer_id,
            source=row.source,
            referred_on=row.referred_on,
            reward_status=row.reward_status,
        )
        for depth, row in enumerate(reversed(upward))
    ]


def referral_tree(session: Session, customer_id: int, whole_family: bool = False) -> ReferralTree:
    """Everyone below the customer (or below their first referrer), with counts per person."""
    root_id = referral_chain(session, customer_id)[0].customer_id if whole_family else customer_id
    session.flush()  # the Core statement below does not flush pending changes by itself
    rows = session.connection().execute(_tree_statement(), {"root_id": root_id}).all()
    if not rows:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return _build_tree(rows)


@cache
def _tree_statement() -> Select[Any]:
    """Built once: the walk down from ``:root_id``, carrying each person's referral along.

    Core table columns (not ORM attributes) keep the per-call overhead small; the figure in
    benchmarks/ holds it within 2× the same query run straight through sqlite3.
    """
    customer, referral = Customer.__table__.c, Referral.__table__.c
    down = (
        select(
            customer.id.label("id"),
            referral.referrer_id.label("parent_id"),
            literal_column("0").label("depth"),
            referral.id.label("referral_id"),
            referral.reward_status,
            referral.referred_on,
        )
        .select_from(Customer.__table__)
        .outerjoin(Referral.__table__, referral.referred_id == customer.id)
        .where(customer.id == bindparam("root_id"))
        .cte("down", recursive=True)
    )
    step = select(
        referral.referred_id,
        referral.referrer_id,
        down.c.depth + literal_column("1"),
        referral.id,
        referral.reward_status,
        referral.referred_on,
    ).where(referral.referrer_id == down.c.id, down.c.depth < MAX_DEPTH)
    down = down.union_all(step)
    return (
        select(down, customer.first_name, customer.last_name, customer.company)
        .join(Customer.__table__, customer.id == down.c.id)
        .order_by(down.c.depth, customer.sort_name, customer.id)
    )


def _build_tree(rows: Sequence[Any]) -> ReferralTree:
    """Nodes from the walk's rows (by depth, then name), built deepest first in one pass."""
    truncated = rows[-1][2] >= MAX_DEPTH  # the guard cut the walk (a cycle also repeats people)
    rows = _first_meetings(rows)
    waiting: dict[int, list[TreeNode]] = {}  # children built, by their parent's id
    for customer_id, parent_id, depth, referral_id, status, on, first, last, company in reversed(
        rows
    ):
        kids = waiting.pop(customer_id, None)
        if kids is None:
            children: tuple[TreeNode, ...] = ()
            total = 0
        else:
            kids.reverse()  # siblings arrived last name first
            children = tuple(kids)
            total = len(children)
            for kid in children:
                total += kid.total
        node = TreeNode(
            customer_id,
            parent_id if depth else None,
            person_name(first, last, company, customer_id),
            depth,
            len(children),
            total,
            referral_id,
            status,
            on,
            children,
        )
        waiting.setdefault(parent_id, []).append(node)
    root = node  # the last built: depth 0
    return ReferralTree(root, root.total + 1, rows[-1][2], truncated)


def _first_meetings(rows: Sequence[Any]) -> Sequence[Any]:
    """The rows without people met again, which only a cycle in damaged data can cause."""
    ids = [row[0] for row in rows]
    if len(set(ids)) == len(ids):
        return rows
    seen: set[int] = set()
    kept = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            kept.append(row)
    return kept


def tree_picture(tree: ReferralTree) -> TreePictureNode:
    """The plain data the PDF picture is drawn from (built without recursion: trees can be deep)."""
    pending: list[tuple[TreeNode, bool]] = [(tree.root, False)]
    built: list[TreePictureNode] = []  # a stack of finished pictures, children in order
    while pending:
        node, children_done = pending.pop()
        if not children_done:
            pending.append((node, True))
            pending.extend((child, False) for child in reversed(node.children))
            continue
        count = len(node.children)
        kids = tuple(built[len(built) - count :]) if count else ()
        del built[len(built) - count :]
        built.append(
            TreePictureNode(
                name=node.name,
                direct=node.direct,
                total=node.total,
                rewarded=node.reward_status == "rewarded",
                children=kids,
                thanks_due=node.reward_status == "due",
            )
        )
    return built[0]


def referral_tree_pdf(session: Session, customer_id: int, whole_family: bool = False) -> bytes:
    """The tree drawn as a diagram, as PDF bytes for viewing, saving or printing."""
    from crm_desktop.reports.referral_tree import render_referral_tree  # ReportLab on demand

    tree = referral_tree(session, customer_id, whole_family)
    people = ngettext("{count} person", "{count} people", tree.size).format(count=tree.size)
    subtitle = _("{people} · printed {date}").format(people=people, date=format_date(date.today()))
    above = [node.name for node in referral_chain(session, tree.root.customer_id)[:-1]]
    if above:
        subtitle += " · " + _("chain of referrers: {chain}").format(chain=" › ".join(above))
    return render_referral_tree(tree_picture(tree), subtitle=subtitle)
