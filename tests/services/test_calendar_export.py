"""The iCalendar export: parsed by ``icalendar`` and accepted by a real CalDAV server (Radicale)."""

from __future__ import annotations

import base64
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from crm_desktop.services.calendar_export import CalendarExportError, export_ics, fold
from crm_desktop.services.errors import ValidationError
from tests.services.agenda_helpers import birthday, customer, dated, settings

YEARS = [*range(2024, 2031), 2100]


@pytest.fixture
def dates(db):
    """Five dates: known and unknown years, a leap day, a long label, a lead time of its own."""
    with db.session() as s:
        settings(s, birthday_lead_days=7, anniversary_lead_days=3)
        birthday(s, customer(s, "Maija", "Mäkinen"), 4, 14, 1986)
        birthday(s, customer(s, "Ville", "Virtanen"), 12, 24, lead_days=0)
        birthday(s, customer(s, "Leo", "Lind"), 2, 29, 2000, lead_days=30)
        long = customer(s, "Åsa-Märta", "Öhman-Järvinen-Lindqvist" + "ä" * 40)
        dated(s, long, "anniversary", 6, 1, 2001, "Wedding; church, Tampere")
        dated(s, long, "custom", 9, 9, label="Name day")
    return db


def _export(db, path, rule=None):
    with db.session() as s:
        return export_ics(s, path, rule)


def _events(path):
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_file_parses_with_one_yearly_all_day_event_per_date(dates, tmp_path):
    result = _export(dates, tmp_path / "dates.ics")
    assert result.events == 5
    events = _events(tmp_path / "dates.ics")
    assert set(events) == {
        "Birthday: Maija Mäkinen", "Birthday: Ville Virtanen", "Birthday: Leo Lind",
        f"Wedding; church, Tampere: Åsa-Märta Öhman-Järvinen-Lindqvist{'ä' * 40}",
        f"Name day: Åsa-Märta Öhman-Järvinen-Lindqvist{'ä' * 40}",
    }
    maija = events["Birthday: Maija Mäkinen"]
    assert maija.decoded("DTSTART") == date(1986, 4, 14)  # the year, when it is known
    assert not isinstance(maija.decoded("DTSTART"), datetime)  # all-day
    assert maija["RRULE"].to_ical() == b"FREQ=YEARLY"
    ville = events["Birthday: Ville Virtanen"]
    assert ville.decoded("DTSTART").month == 12 and ville.decoded("DTSTART").day == 24
    assert ville.decoded("DTSTART").year == date.today().year  # no year: a recent one


def test_alarms_at_the_lead_time(dates, tmp_path):
    events = _events(_export(dates, tmp_path / "dates.ics").path)
    triggers = {
        summary.split(":")[0]: event.walk("VALARM")[0].decoded("TRIGGER")
        for summary, event in events.items()
    }
    by_name = {s: e.walk("VALARM")[0].decoded("TRIGGER") for s, e in events.items()}
    assert by_name["Birthday: Maija Mäkinen"] == timedelta(days=-7)
    assert by_name["Birthday: Ville Virtanen"] == timedelta(0)
    assert by_name["Birthday: Leo Lind"] == timedelta(days=-30)
    assert triggers["Name day"] == timedelta(days=-3)


@pytest.mark.parametrize(("rule", "substitute"), [("feb28", (2, 28)), ("mar1", (3, 1))])
def test_a_leap_day_recurs_every_year_by_the_rule(dates, tmp_path, rule, substitute):
    event = _events(_export(dates, tmp_path / "dates.ics", rule).path)["Birthday: Leo Lind"]
    start = event.decoded("DTSTART")
    assert start == date(2000, 2, 29)
    rule_text = event["RRULE"].to_ical().decode()
    recurrence = rrulestr(rule_text, dtstart=datetime(2000, 2, 29))
    for year in YEARS:
        found = recurrence.between(datetime(year, 1, 1), datetime(year, 12, 31), inc=True)
        leap = year % 4 == 0 and year != 2100
        assert [d.date() for d in found] == [
            date(year, 2, 29) if leap else date(year, *substitute)
        ], year


def test_uids_are_stable_between_exports(dates, tmp_path):
    first = _events(_export(dates, tmp_path / "a.ics").path)
    second = _events(_export(dates, tmp_path / "b.ics").path)
    uids = {summary: str(event["UID"]) for summary, event in first.items()}
    assert uids == {summary: str(event["UID"]) for summary, event in second.items()}
    assert len(set(uids.values())) == 5
    assert all(re.fullmatch(r"[0-9a-f-]{36}-\d+@kanta", uid) for uid in uids.values())


def test_crlf_lines_folded_at_75_octets(dates, tmp_path):
    raw = _export(dates, tmp_path / "dates.ics").path.read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long name was folded
    for line in lines:
        line.decode("utf-8")  # no character split between lines
    assert b"SUMMARY:Wedding\\; church\\, Tampere" in raw


def test_fold_counts_octets_not_characters():
    line = "SUMMARY:" + "ä" * 60
    folded = fold(line)
    physical = folded.encode("utf-8").split(b"\r\n")[:-1]
    assert [len(p) <= 75 for p in physical] == [True] * len(physical)
    assert "".join(p.decode()[1:] if i else p.decode() for i, p in enumerate(physical)) == line
    assert fold("SHORT:x") == "SHORT:x\r\n"


def test_bad_rule_or_folder_writes_nothing(dates, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError):
        _export(dates, out / "x.ics", "feb30")
    with pytest.raises(CalendarExportError):
        _export(dates, out / "missing" / "x.ics")
    assert list(out.iterdir()) == []


@pytest.fixture(scope="module")
def caldav_server(tmp_path_factory):
    """Radicale on a free local port, without authentication; stopped after the module."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("radicale")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "",
         f"--storage-filesystem-folder={folder / 'collections'}", "--auth-type=none",
         f"--server-hosts=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"Radicale did not start: {server.stderr.read().decode()}")
            time.sleep(0.1)  # waiting for the server to listen, not timing anything
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def _request(url, method, body=None, **headers):
    login = base64.b64encode(b"kanta:kanta").decode()
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Authorization": f"Basic {login}", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _one_event_calendars(raw: bytes) -> list[bytes]:
    """A CalDAV resource holds one event: wrap each exported VEVENT in the file's header."""
    header, _, rest = raw.partition(b"BEGIN:VEVENT\r\n")
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", b"BEGIN:VEVENT\r\n" + rest, re.S)
    return [header + block + b"END:VCALENDAR\r\n" for block in blocks]


def _query(start: str, end: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        "<D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\">"
        f'<C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/>'
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    ).encode()


@pytest.mark.parametrize(("rule", "day"), [("feb28", "20270228"), ("mar1", "20270301")])
def test_a_caldav_server_accepts_every_event(dates, tmp_path, caldav_server, rule, day):
    raw = _export(dates, tmp_path / "dates.ics", rule).path.read_bytes()
    collection = f"{caldav_server}/kanta/{uuid.uuid4().hex}/"  # one server for every case
    assert _request(collection, "MKCALENDAR")[0] == 201
    calendars = _one_event_calendars(raw)
    assert len(calendars) == 5
    for index, body in enumerate(calendars):
        status, reply = _request(f"{collection}{index}.ics", "PUT", body,
                                 **{"Content-Type": "text/calendar; charset=utf-8"})
        assert status == 201, reply
    status, stored = _request(f"{collection}2.ics", "GET")
    assert status == 200 and b"UID:" in stored
    next_day = (datetime.strptime(day, "%Y%m%d") + timedelta(days=1)).strftime("%Y%m%d")
    status, found = _request(collection, "REPORT", _query(f"{day}T000000Z", f"{next_day}T000000Z"),
                             **{"Content-Type": "application/xml", "Depth": "1"})
    assert status == 207
    assert found.count(b"<href>") == 1  # the server itself expands the leap-day rule
    assert "Leo Lind" in found.decode()
