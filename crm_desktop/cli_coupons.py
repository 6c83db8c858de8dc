"""``crm-desktop coupon issue|redeem|print``: the coupon desk on the command line."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from crm_desktop.cli import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    ExitCode,
    fail,
    iso_date,
    open_for_command,
    subcommand,
)
from crm_desktop.i18n import _, format_date, ngettext

if TYPE_CHECKING:
    from crm_desktop.services.coupon_data import IssuedCoupon

# The same as the models' lists, written out so that building the parser imports no SQLAlchemy.
KINDS = ("free_item", "percent", "amount")
REASONS = ("complaint", "birthday", "referral", "loyalty", "retention", "campaign")


def register_coupon(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    coupon = subcommand(commands, "coupon", _("issue, redeem and print coupons"), cmd_coupon)
    actions = coupon.add_subparsers(dest="coupon_action", metavar=_("ACTION"))
    _register_issue(actions)
    _register_redeem(actions)
    _register_print(actions)


def _register_issue(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(actions, "issue", _("issue a new coupon"), cmd_coupon_issue)
    sub.add_argument(
        "--customer",
        type=int,
        metavar="ID",
        help=_("the customer's number (leave out for a coupon to anyone)"),
    )
    sub.add_argument("--kind", required=True, choices=KINDS, help=_("what the coupon gives"))
    sub.add_argument(
        "--value",
        default="0",
        metavar="VALUE",
        help=_(
            "euros for amount (5 or 4,50), whole percent for percent, the item's worth "
            "in euros for free_item"
        ),
    )
    sub.add_argument(
        "--expires",
        required=True,
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the last day the coupon is valid"),
    )
    sub.add_argument("--reason", default="campaign", choices=REASONS, help=_("why it is given"))
    sub.add_argument("--product", metavar="NAME", help=_("the product it is for"))
    sub.add_argument("--terms", default="", metavar="TEXT", help=_("small print"))
    sub.add_argument("--json", action="store_true", help=_("print the result as JSON"))


def _register_redeem(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(
        actions,
        "redeem",
        _("redeem a coupon (exit code 0 only when redeemed now)"),
        cmd_coupon_redeem,
    )
    sub.add_argument("code", nargs="+", metavar="CODE", help=_("the code, as printed or typed"))
    sub.add_argument(
        "--desk",
        metavar="NAME",
        help=_("this till or desk (default: CRM_DESK or the computer's name)"),
    )
    sub.add_argument("--json", action="store_true", help=_("print the answer as JSON"))


def _register_print(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(actions, "print", _("print coupons to a PDF file"), cmd_coupon_print)
    sub.add_argument("codes", nargs="+", metavar="CODE", help=_("the coupons to print"))
    sub.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help=_("the PDF file to write")
    )
    sub.add_argument(
        "--per-page", type=int, choices=(1, 4), default=4, help=_("coupons on each A4 sheet")
    )


def cmd_coupon(args: argparse.Namespace) -> ExitCode:
    print(_("Say what to do: crm-desktop coupon issue, redeem or print."), file=sys.stderr)
    return EXIT_USAGE


def cmd_coupon_issue(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.coupons import issue_coupon, product_id_by_name
    from crm_desktop.services.errors import ValidationError

    value = _parse_value(args.kind, args.value)
    if value is None:
        return fail(_("--value “{value}” is not a number.").format(value=args.value), EXIT_USAGE)
    database = open_for_command(args)
    try:
        with database.session() as session:
            product_id = product_id_by_name(session, args.product) if args.product else None
            issued = issue_coupon(
                session,
                args.kind,
                value,
                args.expires,
                args.reason,
                args.customer,
                product_id,
                terms=args.terms,
            )
    except ValidationError as error:
        # The messages name their fields already; the field keys are for the window.
        return fail(" ".join(error.fields.values()))
    if args.json:
        print(json.dumps(_issued_json(issued), ensure_ascii=False))
    else:
        print(_issued_line(issued))
    return EXIT_OK


def _parse_value(kind: str, text: str) -> int | None:
    """Whole percent for ``percent``; euros (``4,50``) as cents for the others."""
    try:
        number = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if kind == "percent":
        return int(number) if number == number.to_integral_value() else None
    return int((number * 100).to_integral_value())


def _issued_line(issued: IssuedCoupon) -> str:
    coupon = issued.coupon
    expires = format_date(coupon.expires_on) if coupon.expires_on else "—"
    return _("Issued coupon {code}, valid until {date}.").format(
        code=coupon.grouped_code, date=expires
    )


def _issued_json(issued: IssuedCoupon) -> dict[str, object]:
    coupon = issued.coupon
    return {
        "status": "issued",
        "code": coupon.grouped_code,
        "scan_code": coupon.code,
        "kind": coupon.kind,
        "value": coupon.value,
        "product": coupon.product_name or None,
        "reason": coupon.reason,
        "customer_id": coupon.customer_id,
        "issued_at": coupon.issued_at.isoformat() + "Z",
        "expires_on": coupon.expires_on.isoformat() if coupon.expires_on else None,
    }


def cmd_coupon_redeem(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.coupons import redeem_coupon

    desk = args.desk if args.desk is not None else _default_desk()
    database = open_for_command(args)
    with database.session() as session:
        outcome = redeem_coupon(session, "".join(args.code), desk, date.today())
    if args.json:
        print(json.dumps(outcome.to_json(), ensure_ascii=False))
    else:
        print(outcome.message)
    return EXIT_OK if outcome.redeemed_now else EXIT_FAILED


def _default_desk() -> str:
    return os.environ.get("CRM_DESK") or socket.gethostname()[:50]


def cmd_coupon_print(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.reports import ReportError
    from crm_desktop.services.coupon_printing import coupon_pdf

    database = open_for_command(args)
    try:
        with database.session() as session:
            pdf = coupon_pdf(session, args.codes, per_page=args.per_page)
    except ReportError as error:
        return fail(str(error))
    try:
        args.out.write_bytes(pdf)
    except OSError as error:
        return fail(
            _("Cannot write {path}: {reason}.").format(path=args.out, reason=error.strerror)
        )
    count = len(args.codes)
    print(
        ngettext(
            "Wrote {count} coupon to {path}.", "Wrote {count} coupons to {path}.", count
        ).format(count=count, path=args.out)
    )
    return EXIT_OK
