"""``crm-desktop reminders`` and ``crm-desktop export ics``: the agenda on the command line."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from crm_desktop.cli import EXIT_OK, ExitCode, iso_date, open_for_command, subcommand
from crm_desktop.i18n import _, format_date, ngettext

if TYPE_CHECKING:
    from crm_desktop.services.agenda_data import Agenda


def register_reminders(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(
        commands, "reminders", _("list the agenda: what to do and when"), cmd_reminders
    )
    sub.add_argument(
        "--on",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the day to list the agenda for (default: today)"),
    )
    sub.add_argument(
        "--days", type=int, metavar="N", help=_("how many days ahead (default: the settings)")
    )
    sub.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def cmd_reminders(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.agenda import agenda

    database = open_for_command(args)
    today = args.on or date.today()
    result = database.run(lambda s: agenda(s, today, args.days))
    if args.json:
        print(json.dumps(agenda_json(result), ensure_ascii=False, indent=2))
    else:
        print_agenda(result)
    return EXIT_OK


def cmd_export_ics(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.calendar_export import export_ics

    database = open_for_command(args)
    result = database.run(lambda s: export_ics(s, args.file))
    print(
        ngettext(
            "Exported {count} date to {path}.", "Exported {count} dates to {path}.", result.events
        ).format(count=result.events, path=args.file)
    )
    return EXIT_OK


def agenda_json(result: Agenda) -> dict[str, object]:
    """The agenda as plain JSON: late items first, then by the day each is due."""
    items = []
    for item in result.items:
        entry: dict[str, object] = {
            "customer_id": item.customer_id,
            "name": item.name,
            "kind": item.kind,
            "label": item.label,
            "date": item.occurs_on.isoformat(),
            "due": item.due_on.isoformat(),
            "late": item.late,
            "item_key": item.item_key,
            "occurrence": item.occurrence,
            "what_to_do": item.what_to_do,
        }
        if item.years is not None:  # a year-less date never has an age
            entry["age" if item.kind == "birthday" else "years"] = item.years
        items.append(entry)
    return {"today": result.today.isoformat(), "days": result.days, "items": items}


def print_agenda(result: Agenda) -> None:
    if not result.items:
        print(_("Nothing due."))
        return
    sections = [(_("Late"), result.late)]
    sections += [(format_date(day.day, style="full"), day.items) for day in result.upcoming]
    for heading, items in sections:
        if not items:
            continue
        print(heading)
        for item in items:
            print(f"  {format_date(item.occurs_on)}  {item.name}: {item.what_to_do}")
