"""The customer desk (issue 3): opening the window, its memory, type-ahead in the list.

Opening: Kanta's side is the real program in a child process, ``python -m crm_desktop --db
sqlite:///FILE``, offscreen, with CRM_BENCH_FIRST_PAINT set: it chooses the Customers desk
before the window shows and, once the table has painted rows read from the database, prints
the wall-clock time and its resident memory and quits. The time runs from just before the
parent starts the child and holds the ordinary start of a window whose first desk is the list:
the desk in view loads first, and Today's agenda (for the notice on start) is computed behind
it on the worker. An owner who opens on Today and chooses Customers at once waits for the
agenda's query as well, which runs first there; this figure does not hold that wait.
The baseline is ``benchmarks.bare_window``: PySide6, a QMainWindow and a QTableView over a
minimal lazy model reading the customers in name order with plain sqlite3.

Both children may keep their compiled bytecode (in a folder of the run), as an installed
program has it; this environment otherwise forbids writing it and every start would compile
all of Kanta's modules again. Each side is started once before the timed runs.

Type-ahead: the window in this process (``desk_driver``) with its real database worker.
For "ma" the box first holds "m" and shows its matches; then "a" is typed and the time runs
from the debounce timer firing (its deliberate delay left out) to the table having every new
id and having painted the first screenful of their rows. The baseline is the raw sqlite3 FTS5
query for the same ids in name order plus the first 50 rows of list columns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.figures_search import CASES
from benchmarks.framework import Bench, Figure, Target, timed

if TYPE_CHECKING:
    from benchmarks.desk_driver import Desk

OPEN_TARGET = Target(seconds=1.5, ratio=3.0)
MEMORY_TARGET = Target(seconds=200.0)  # megabytes
TYPING_TARGET = Target(seconds=0.050)
FIRST_ROWS = 50
CHILD_TIMEOUT = 120
BARE_WINDOW = "benchmarks.bare_window"
IDS_SQL = """
SELECT customer.id FROM {table} JOIN customer ON customer.id = {table}.rowid
WHERE {table} MATCH ? ORDER BY customer.sort_name, customer.id
"""
ROWS_SQL = """
SELECT id, first_name, last_name, company, city,
       (SELECT address FROM customer_email WHERE customer_id = customer.id
        ORDER BY position LIMIT 1),
       (SELECT e164 FROM customer_phone WHERE customer_id = customer.id
        ORDER BY position LIMIT 1),
       last_visit_at, customer_since, status
FROM customer WHERE id IN ({marks})
"""


@dataclass(frozen=True)
class Opening:
    seconds: float
    resident_mb: float  # VmRSS when the first rows were painted
    peak_mb: float  # VmHWM at that moment


def figures(_bench: Bench) -> list[Figure]:
    return [
        Figure(
            "desk: start to the window painted with the first customers",
            measure_kanta=lambda bench: open_kanta(bench).seconds,
            measure_baseline=lambda bench: open_bare(bench).seconds,
            target=OPEN_TARGET,
            repeats=11,
        ),
        Figure(
            "desk: resident memory with the customer list open",
            measure_kanta=lambda bench: open_kanta(bench).resident_mb,
            measure_baseline=lambda bench: open_bare(bench).resident_mb,
            target=MEMORY_TARGET,
            repeats=3,
            unit="MB",
        ),
        *(_typing_figure(typed, table, match) for typed, table, match in CASES),
    ]


# -- opening the window in a child process ---------------------------------------------------


def open_kanta(bench: Bench) -> Opening:
    bench.database()  # the demo database exists before the clock starts
    command = [sys.executable, "-m", "crm_desktop", "--db", f"sqlite:///{bench.path}"]
    return _open(bench, command, {"CRM_BENCH_FIRST_PAINT": "1"})


def open_bare(bench: Bench) -> Opening:
    bench.database()
    return _open(bench, [sys.executable, "-m", BARE_WINDOW, str(bench.path)], {})


def _open(bench: Bench, command: list[str], extra: dict[str, str]) -> Opening:
    environment = {**os.environ, **_child_environment(bench.workdir), **extra}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    began = time.time()  # the child reports time.time() too: one clock for both processes
    done = subprocess.run(
        command,
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("first-rows "):
            _, when, resident, peak = line.split()
            return Opening(float(when) - began, int(resident) / 1024, int(peak) / 1024)
    raise RuntimeError(f"{command[2]} showed no rows (exit {done.returncode}): {done.stderr}")


def _child_environment(workdir: Path) -> dict[str, str]:
    return {
        "QT_QPA_PLATFORM": "offscreen",
        "CRM_DATA_DIR": str(workdir / "desk-data"),  # the one-instance lock file goes here
        "XDG_CONFIG_HOME": str(workdir / "desk-config"),  # no remembered window layout
        "PYTHONPYCACHEPREFIX": str(workdir / "bytecode"),
    }


# -- typing in the search box ----------------------------------------------------------------


def desk(bench: Bench) -> Desk:
    from benchmarks.desk_driver import shared_desk  # Qt and the window only when measured

    return shared_desk(bench)


def _typing_figure(typed: str, table: str, match: str) -> Figure:
    ids_sql = IDS_SQL.format(table=table)

    def raw_list(bench: Bench) -> list[int]:
        ids = [row[0] for row in bench.raw().execute(ids_sql, (match,))]
        first = ids[:FIRST_ROWS]
        marks = ", ".join("?" * len(first))
        bench.raw().execute(ROWS_SQL.format(marks=marks), first).fetchall()
        return ids

    def check(bench: Bench) -> None:
        desk(bench).type_and_wait(typed[:-1], typed[-1])
        listed, raw = desk(bench).listed_ids(), raw_list(bench)
        if listed != raw or not raw:
            raise AssertionError(f"typing {typed!r}: the list and the raw query disagree")

    return Figure(
        f'desk: typing "{typed}" (after "{typed[:-1]}"), list updated',
        measure_kanta=lambda bench: desk(bench).type_and_wait(typed[:-1], typed[-1]),
        measure_baseline=lambda bench: timed(lambda: raw_list(bench)),
        target=TYPING_TARGET,
        check=check,
    )
