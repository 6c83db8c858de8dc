"""The command line: the same services as the window, no Qt unless a command needs it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from crm_desktop import APP_NAME, __version__
from crm_desktop.i18n import _, ngettext, set_language

ExitCode = int
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def database_url(args: argparse.Namespace) -> str:
    from crm_desktop.paths import default_database_url

    explicit = getattr(args, "db", None)  # absent when --db was not given (SUPPRESS)
    return str(explicit or os.environ.get("CRM_DATABASE_URL") or default_database_url())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-desktop",
        description=_("{app}: keep the customers you already have.").format(app=APP_NAME),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    add_common(parser)
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for register in _COMMANDS:
        register(commands)
    return parser


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_(
            "database: an SQLite file or postgresql+psycopg://… (default: CRM_DATABASE_URL "
            "or the file in the user data folder)"
        ),
    )
    parser.add_argument(
        "--lang", choices=["fi", "en"], default=argparse.SUPPRESS, help=_("interface language")
    )


def subcommand(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], ExitCode],
) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    add_common(sub)
    sub.set_defaults(handler=handler)
    return sub


def iso_date(text: str) -> date:
    """argparse type for dates typed as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a date in the form YYYY-MM-DD.").format(text=text)
        ) from None


def _register_gui(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subcommand(commands, "gui", _("open the window (the default)"), cmd_gui)


def _register_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(commands, "demo", _("fill the database with a demo business"), cmd_demo)
    sub.add_argument(
        "--customers", type=int, default=400, metavar="N", help=_("how many customers")
    )
    sub.add_argument("--seed", type=int, default=1, metavar="S", help=_("random seed"))


def _register_backup(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(commands, "backup", _("back up the SQLite database"), cmd_backup)
    sub.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help=_("where to write the copy (default: the backups folder)"),
    )


def _register_restore(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(commands, "restore", _("replace the database with a backup"), cmd_restore)
    sub.add_argument("file", type=Path, metavar="FILE", help=_("the backup to restore"))


def _register_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(commands, "export", _("export customers"), cmd_export)
    sub.add_argument(
        "format",
        choices=["json", "ics"],
        help=_("file format: json (customers) or ics (birthdays and anniversaries)"),
    )
    sub.add_argument("file", type=Path, metavar="FILE", help=_("the file to write"))


def _register_reminders(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # The agenda commands live in their own module, which imports this one.
    from crm_desktop.cli_agenda import register_reminders

    register_reminders(commands)


def _register_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = subcommand(commands, "import", _("import customers from a Kanta JSON file"), cmd_import)
    sub.add_argument("file", type=Path, metavar="FILE", help=_("the file to read"))


def _register_self_test(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subcommand(commands, "self-test", _("check that this installation works"), cmd_self_test)


def _register_coupon(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # The coupon commands live in their own module, which imports this one.
    from crm_desktop.cli_coupons import register_coupon

    register_coupon(commands)


def _register_letter(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # The letter command lives in its own module, which imports this one.
    from crm_desktop.cli_letters import register_letter

    register_letter(commands)


def _register_referrals(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # The referral commands live in their own module, which imports this one.
    from crm_desktop.cli_referrals import register_referrals

    register_referrals(commands)


_COMMANDS = [
    _register_gui,
    _register_demo,
    _register_backup,
    _register_restore,
    _register_export,
    _register_import,
    _register_reminders,
    _register_self_test,
    _register_coupon,
    _register_letter,
    _register_referrals,
]


def fail(message: str, code: ExitCode = EXIT_FAILED) -> ExitCode:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return code


def cmd_gui(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.app import run_gui

    return int(run_gui(database_url(args), getattr(args, "lang", None)))


def cmd_demo(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.demo import generate_demo

    if args.customers < 1:
        return fail(_("--customers must be at least 1."), EXIT_USAGE)
    database = open_for_command(args)
    result = database.run(lambda s: generate_demo(s, customers=args.customers, seed=args.seed))
    added = ngettext(
        "Added {count} demo customer.", "Added {count} demo customers.", result.customers
    )
    print(added.format(count=result.customers))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.backup import backup_database

    path = require_sqlite_file(args)
    result = backup_database(path, args.file)
    print(_("Backed up to {path}.").format(path=result.path))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.backup import restore_database

    path = require_sqlite_file(args, must_exist=False)
    result = restore_database(args.file, path)
    print(_("Restored {source}.").format(source=args.file))
    if result.previous_saved_as is not None:
        print(_("The replaced database was kept as {path}.").format(path=result.previous_saved_as))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.portable import export_json

    if args.format == "ics":
        from crm_desktop.cli_agenda import cmd_export_ics

        return cmd_export_ics(args)
    database = open_for_command(args)
    result = database.run(lambda s: export_json(s, args.file))
    exported = ngettext(
        "Exported {count} customer to {path}.", "Exported {count} customers to {path}.",
        result.customers,
    )
    print(exported.format(count=result.customers, path=args.file))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.services.portable import import_json

    database = open_for_command(args)
    report = database.run(lambda s: import_json(s, args.file))
    for problem in report.problems:
        print(
            _("Record {index}: {message}").format(index=problem.index, message=problem.message),
            file=sys.stderr,
        )
    imported = ngettext(
        "Imported {count} customer.", "Imported {count} customers.", report.imported
    )
    print(imported.format(count=report.imported))
    return EXIT_OK if not report.problems else EXIT_FAILED


def cmd_self_test(args: argparse.Namespace) -> ExitCode:
    from crm_desktop.selftest import run_self_test

    return int(run_self_test(print))


def open_for_command(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from crm_desktop.services.database import open_database

    return open_database(database_url(args))


def require_sqlite_file(args: argparse.Namespace, must_exist: bool = True) -> Path:
    from crm_desktop.models.engine import DatabaseOpenError, parse_url, sqlite_path

    url = database_url(args)
    path = sqlite_path(parse_url(url))
    if path is None:
        raise DatabaseOpenError(
            _("Backup and restore work on SQLite files; for PostgreSQL use pg_dump and pg_restore.")
        )
    if must_exist and not path.exists():
        raise DatabaseOpenError(_("There is no database at {path}.").format(path=path))
    return path


def main(argv: Sequence[str] | None = None) -> ExitCode:
    set_language(os.environ.get("CRM_LANGUAGE") or None)
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "lang", None):
        set_language(args.lang)
    handler: Callable[[argparse.Namespace], ExitCode] = getattr(args, "handler", cmd_gui)
    return run_handler(handler, args)


def run_handler(
    handler: Callable[[argparse.Namespace], ExitCode], args: argparse.Namespace
) -> ExitCode:
    from crm_desktop.models.engine import DatabaseOpenError
    from crm_desktop.services.errors import ServiceError

    try:
        return handler(args)
    except (DatabaseOpenError, ServiceError) as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return fail(_("Interrupted."), 130)
