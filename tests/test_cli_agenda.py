"""``crm-desktop reminders`` and ``crm-desktop export ics`` as a user runs them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from icalendar import Calendar

from crm_desktop.cli import build_parser
from crm_desktop.services.agenda import mark_done
from crm_desktop.services.agenda_shown import record_agenda_shown, shown_days
from crm_desktop.services.database import open_database
from tests.services.agenda_helpers import birthday, customer, no_lead_times
from tests.test_cli import run_cli


@pytest.fixture
def shop(tmp_path):
    """A database file with a birthday with a year, one without, and one done already."""
    path = tmp_path / "shop.sqlite3"
    database = open_database(f"sqlite:///{path}", backup_before_migration=False)
    with database.session() as s:
        no_lead_times(s)
        maija = customer(s, "Maija", "Mäkinen")
        birthday(s, maija, 12, 30, 1986)
        birthday(s, customer(s, "Ville", "Virtanen"), 1, 2)
        birthday(s, customer(s, "Late", "Lind"), 12, 20)
        dahl = customer(s, "Done", "Dahl")
        mark_done(s, f"date:{birthday(s, dahl, 12, 24)}", "2026", dahl)
    database.dispose()
    return f"sqlite:///{path}"


def test_reminders_as_json(shop, tmp_path):
    result = run_cli("--db", shop, "reminders", "--on", "2026-12-23", "--days", "14", "--json",
                     data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["today"], document["days"]) == ("2026-12-23", 14)
    items = document["items"]
    assert [(i["name"], i["date"], i["late"]) for i in items] == [
        ("Late Lind", "2026-12-20", True),
        ("Maija Mäkinen", "2026-12-30", False),
        ("Ville Virtanen", "2027-01-02", False),
    ]
    assert items[1]["age"] == 40 and items[1]["kind"] == "birthday"
    assert "age" not in items[2] and "years" not in items[2]  # no year, no age
    assert {"customer_id", "occurrence", "item_key", "due"} <= set(items[0])
    assert items[2]["occurrence"] == "2027"


def test_reminders_as_text(shop, tmp_path):
    result = run_cli("--db", shop, "reminders", "--on", "2026-12-23", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Late"
    assert "Late Lind" in lines[1]
    assert any("Maija Mäkinen: Birthday, turns 40" in line for line in lines)
    assert "Done Dahl" not in result.stdout


def test_reminders_only_read_and_use_the_same_late_window(shop, tmp_path):
    database = open_database(shop, migrate=False)
    database.run(lambda s: record_agenda_shown(s, date(2026, 12, 21)))
    result = run_cli("--db", shop, "reminders", "--on", "2026-12-23", "--json",
                     data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    # Late Lind's birthday (20 Dec) was before the agenda was last shown: not missed.
    assert [(i["name"], i["late"]) for i in items] == [
        ("Maija Mäkinen", False), ("Ville Virtanen", False)]
    assert database.run(shown_days) == [date(2026, 12, 21)]  # nothing recorded
    database.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--on", "2026-02-30"], "YYYY-MM-DD"), (["--days", "-3"], "days from 0 to")],
)
def test_bad_reminder_arguments(shop, tmp_path, args, message):
    result = run_cli("--db", shop, "reminders", *args, data_dir=tmp_path)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert result.stdout == ""


def test_export_ics(shop, tmp_path):
    out = tmp_path / "dates.ics"
    result = run_cli("--db", shop, "export", "ics", str(out), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Exported 4 dates" in result.stdout
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Birthday: Done Dahl", "Birthday: Late Lind", "Birthday: Maija Mäkinen",
        "Birthday: Ville Virtanen",
    ]
    assert {e.decoded("DTSTART") for e in events} >= {date(1986, 12, 30)}


def test_reminders_and_ics_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    assert "reminders" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        build_parser().parse_args(["export", "--help"])
    assert "ics" in capsys.readouterr().out
