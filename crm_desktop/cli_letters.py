"""``crm-desktop letter TEMPLATE --customer ID [--coupon CODE] --out FILE.pdf``."""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from crm_desktop.cli import EXIT_OK, ExitCode, fail, iso_date, open_for_command, subcommand
from crm_desktop.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def register_letter(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(commands, "letter", _("write one customer's letter to a PDF file"), cmd_letter)
    sub.add_argument(
        "template",
        metavar="TEMPLATE",
        help=_(
            "the letter: apology, birthday, referral_thanks, win_back, anniversary or "
            "retention_confirmation"
        ),
    )
    sub.add_argument(
        "--customer", required=True, type=int, metavar="ID", help=_("the customer's number")
    )
    sub.add_argument("--coupon", metavar="CODE", help=_("a coupon to send with the letter"))
    sub.add_argument("--staff", default="", metavar="NAME", help=_("who signs the letter"))
    sub.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the date printed on the letter (default: today)"),
    )
    sub.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help=_("the PDF file to write")
    )


def cmd_letter(args: argparse.Namespace) -> ExitCode:
    database = open_for_command(args)
    today = args.date or date.today()

    def produce(session: Session) -> None:
        from crm_desktop.services.coupons import get_coupon
        from crm_desktop.services.letters import letter_pdf, log_letter_sent

        coupon_id = get_coupon(session, args.coupon).id if args.coupon else None
        pdf = letter_pdf(session, args.template, args.customer, coupon_id, today, args.staff)
        # Written before the transaction ends: a file that cannot be written logs nothing.
        _write_whole(args.out, pdf)
        log_letter_sent(session, args.customer, args.template, args.staff, coupon_id)

    from crm_desktop.services.errors import ValidationError

    try:
        database.run(produce)
    except ValidationError as error:
        # Only the sentences: the field names mean nothing on the command line.
        return fail(" ".join(error.fields.values()))
    except OSError as error:
        return fail(
            _("Cannot write {path}: {reason}.").format(
                path=args.out, reason=error.strerror or error
            )
        )
    print(_("Wrote the letter to {path}.").format(path=args.out))
    return EXIT_OK


def _write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file and rename it, so a failure never leaves half a PDF."""
    target = path.expanduser()
    handle, temporary = tempfile.mkstemp(
        prefix=".letter-", suffix=".pdf", dir=target.parent if str(target.parent) else "."
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
