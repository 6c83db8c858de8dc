"""``crm-desktop referrals tree|top``: the referral tree and the leaderboard on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from crm_desktop.cli import (
    EXIT_OK,
    EXIT_USAGE,
    ExitCode,
    fail,
    iso_date,
    open_for_command,
    subcommand,
)
from crm_desktop.i18n import _

if TYPE_CHECKING:
    from crm_desktop.services.referral_data import (
        ReferralNode,
        ReferralTree,
        TopReferrer,
        TreeNode,
    )

DEEPEST_INDENT = 40  # deeper generations are printed at this indent, with their level


def register_referrals(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    referrals = subcommand(
        commands, "referrals", _("the referral tree and the top referrers"), cmd_referrals
    )
    actions = referrals.add_subparsers(dest="referrals_action", metavar=_("ACTION"))
    tree = subcommand(
        actions, "tree", _("who brought whom, below one customer"), cmd_referrals_tree
    )
    tree.add_argument("customer_id", type=int, metavar="CUSTOMER_ID", help=_("the customer"))
    tree.add_argument(
        "--family", action="store_true", help=_("start at the first referrer of the chain")
    )
    tree.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    top = subcommand(
        actions, "top", _("the customers who brought the most people"), cmd_referrals_top
    )
    top.add_argument("--limit", type=int, default=20, metavar="N", help=_("how many to list"))
    top.add_argument(
        "--by",
        choices=("total", "direct"),
        default="total",
        help=_("rank by everyone brought (total) or by those brought directly"),
    )
    top.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help=_("first day"))
    top.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help=_("last day"))
    top.add_argument("--json", action="store_true", help=_("print the result as JSON"))


def cmd_referrals(args: argparse.Namespace) -> ExitCode:
    print(_("Say what to show: crm-desktop referrals tree or top."), file=sys.stderr)
    return EXIT_USAGE


def cmd_referrals_tree(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.referrals import referral_chain, referral_tree

    database = open_for_command(args)
    with database.session() as session:
        chain = referral_chain(session, args.customer_id)
        tree = referral_tree(session, args.customer_id, whole_family=args.family)
    if args.family:
        chain = chain[:1]
    if args.json:
        _print_json({"chain": [_chain_json(node) for node in chain], **_tree_json(tree)})
        return EXIT_OK
    glyphs = _Glyphs.for_stream(sys.stdout)
    above = [node.name for node in chain[:-1]]
    if above:
        # First referrer first; the last name is the one who brought this customer.
        print(_("Chain of referrers: {chain}").format(chain=glyphs.arrow.join(above)))
    for line in _tree_lines(tree.root, glyphs):
        print(line)
    return EXIT_OK


def cmd_referrals_top(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.referrals import top_referrers

    if args.limit < 1:
        return fail(_("--limit must be at least 1."), EXIT_USAGE)
    database = open_for_command(args)
    with database.session() as session:
        rows = top_referrers(session, args.limit, args.since, args.until, by=args.by)
    if args.json:
        _print_json([_top_json(rank, row) for rank, row in enumerate(rows, 1)])
    elif not rows:
        print(_("Nobody has referred anyone yet."))
    else:
        for line in _top_table(rows):
            print(line)
    return EXIT_OK


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=not _speaks_unicode(sys.stdout), indent=2))


def _chain_json(node: ReferralNode) -> dict[str, Any]:
    return {
        "customer_id": node.customer_id,
        "name": node.name,
        "depth": node.depth,
        "referrer_id": node.referrer_id,
        "source": node.source,
        "referred_on": node.referred_on.isoformat() if node.referred_on else None,
        "reward_status": node.reward_status,
    }


def _tree_json(tree: ReferralTree) -> dict[str, Any]:
    """Flat, in reading order: a tree thousands of levels deep would not nest in JSON."""
    people = [
        {
            "customer_id": node.customer_id,
            "name": node.name,
            "parent_id": node.parent_id,
            "depth": node.depth,
            "direct": node.direct,
            "total": node.total,
            "referral_id": node.referral_id,
            "reward_status": node.reward_status,
            "referred_on": node.referred_on.isoformat() if node.referred_on else None,
        }
        for node, _last in _walk(tree.root)
    ]
    return {
        "root_id": tree.root.customer_id,
        "size": tree.size,
        "depth": tree.depth,
        "truncated": tree.truncated,
        "people": people,
    }


def _top_json(rank: int, row: TopReferrer) -> dict[str, Any]:
    return {
        "rank": rank,
        "customer_id": row.customer_id,
        "name": row.name,
        "direct": row.direct,
        "total": row.total,
    }


def _walk(root: TreeNode) -> Iterator[tuple[TreeNode, bool]]:
    """Each node with whether it is its parent's last child, depth first, without recursion."""
    pending = [(root, True)]
    while pending:
        node, last = pending.pop()
        yield node, last
        count = len(node.children)
        pending.extend(
            (child, index == count - 1) for index, child in reversed(list(enumerate(node.children)))
        )


class _Glyphs:
    """Tree lines in box-drawing characters, or in ASCII where the console cannot show them."""

    def __init__(self, unicode: bool) -> None:
        unicode_lines, ascii_lines = ("├─ ", "└─ ", "│  "), ("|- ", "`- ", "|  ")
        self.branch, self.last, self.pipe = unicode_lines if unicode else ascii_lines
        self.arrow = " › " if unicode else " > "
        self.rewarded, self.due = ("✓", "!") if unicode else ("+", "!")

    @classmethod
    def for_stream(cls, stream: TextIO) -> _Glyphs:
        return cls(_speaks_unicode(stream))


def _speaks_unicode(stream: TextIO) -> bool:
    """Whether the stream can print box-drawing characters (a Windows code page cannot)."""
    try:
        "├└│✓›".encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _tree_lines(root: TreeNode, glyphs: _Glyphs) -> Iterator[str]:
    """The tree as indented lines: "├─ Name  (2 direct, 5 in all) ✓"."""
    prefixes: dict[int, str] = {}  # the indent below each person, by customer id
    for node, last in _walk(root):
        if node.depth == 0:
            yield _label(node, glyphs)
            prefixes[node.customer_id] = ""
            continue
        above = prefixes[node.parent_id] if node.parent_id is not None else ""
        if node.depth > DEEPEST_INDENT:
            level = _("level {depth}").format(depth=node.depth)
            yield f"{above}{glyphs.last}[{level}] {_label(node, glyphs)}"
            prefixes[node.customer_id] = above
            continue
        yield f"{above}{glyphs.last if last else glyphs.branch}{_label(node, glyphs)}"
        prefixes[node.customer_id] = above + ("   " if last else glyphs.pipe)


def _label(node: TreeNode, glyphs: _Glyphs) -> str:
    text = f"{node.name} [{node.customer_id}]"
    if node.direct:
        text += "  " + _("({direct} direct, {total} in all)").format(
            direct=node.direct, total=node.total
        )
    if node.reward_status == "rewarded":
        text += " " + glyphs.rewarded
    elif node.reward_status == "due":
        text += " " + glyphs.due
    return text


def _top_table(rows: list[TopReferrer]) -> Iterator[str]:
    headings = ("#", _("Customer"), _("Name"), _("Direct"), _("Total"))
    cells = [
        (str(rank), str(row.customer_id), row.name, str(row.direct), str(row.total))
        for rank, row in enumerate(rows, 1)
    ]
    widths = [max(len(line[i]) for line in [headings, *cells]) for i in range(len(headings))]
    for line in [headings, *cells]:
        yield "  ".join(
            cell.ljust(width) if i == 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
