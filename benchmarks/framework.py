"""The parts every figure shares: what a figure is, its target, the shared database, timing."""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crm_desktop.services.database import Database, open_database

DEMO_SEED = 1


@dataclass(frozen=True)
class Target:
    """Kanta's time must stay under ``seconds`` and within ``ratio`` × the baseline.

    For a figure measured in another unit (Figure.unit, e.g. megabytes of memory) ``seconds``
    is the limit in that unit.
    """

    seconds: float | None = None
    ratio: float | None = None

    def met(self, kanta: float, baseline: float | None) -> bool:
        fast_enough = self.seconds is None or kanta < self.seconds
        close_enough = self.ratio is None or baseline is None or kanta <= self.ratio * baseline
        return fast_enough and close_enough

    def describe(self, unit: str = "s") -> str:
        parts = []
        if self.seconds is not None:
            parts.append(f"< {format_value(self.seconds, unit)}")
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}× raw")
        return ", ".join(parts) or "—"


@dataclass(frozen=True)
class Figure:
    """One measured figure. Each measure function does one run and returns its seconds.

    The runner warms both sides up once (when ``repeats`` > 1), then runs them in turn
    ``repeats`` times, so both share the machine's ups and downs, and reports the medians.
    ``check`` runs first and raises when the two sides do not produce the same result.
    """

    name: str
    measure_kanta: Callable[[Bench], float]
    measure_baseline: Callable[[Bench], float] | None
    target: Target
    repeats: int = 30
    check: Callable[[Bench], None] | None = None
    unit: str = "s"  # what the measure functions return: "s" (seconds) or "MB"


@dataclass(frozen=True)
class Result:
    figure: Figure
    kanta: float
    baseline: float | None

    @property
    def ratio(self) -> float | None:
        return self.kanta / self.baseline if self.baseline else None

    @property
    def ok(self) -> bool:
        return self.figure.target.met(self.kanta, self.baseline)


class Bench:
    """What the figures of one run share: a temporary folder and one demo database in it.

    The database is made on first use by the real command, ``crm-desktop demo``, in a child
    process, so its time is what a user waits for (start-up and migrations included).
    """

    def __init__(self, workdir: Path, customers: int, repeats: int | None = None) -> None:
        self.workdir = workdir
        self.customers = customers
        self.repeats = repeats
        self.path = workdir / "kanta.sqlite3"
        self._database: Database | None = None
        self._demo_seconds = 0.0
        self._raw: sqlite3.Connection | None = None
        self._closers: list[Callable[[], object]] = []

    def database(self) -> Database:
        if self._database is None:
            self._demo_seconds = self._run_demo_command()
            self._database = open_database(f"sqlite:///{self.path}", migrate=False)
        return self._database

    def demo_seconds(self) -> float:
        self.database()
        return self._demo_seconds

    def raw(self) -> sqlite3.Connection:
        """A plain sqlite3 connection to the same file, for the hand-written baselines."""
        self.database()
        if self._raw is None:
            self._raw = sqlite3.connect(self.path)
        return self._raw

    def at_close(self, closer: Callable[[], object]) -> None:
        """Run ``closer`` when the run ends, before the database closes (e.g. a worker thread)."""
        self._closers.append(closer)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        if self._raw is not None:
            self._raw.close()
        if self._database is not None:
            self._database.dispose()

    def _run_demo_command(self) -> float:
        command = [
            sys.executable,
            "-m",
            "crm_desktop",
            "demo",
            "--db",
            str(self.path),
            "--customers",
            str(self.customers),
            "--seed",
            str(DEMO_SEED),
        ]
        environment = {**os.environ, "CRM_DATA_DIR": str(self.workdir / "data")}
        began = time.perf_counter()
        subprocess.run(command, env=environment, check=True, capture_output=True)
        return time.perf_counter() - began


def measure(figure: Figure, bench: Bench) -> Result:
    repeats = bench.repeats if bench.repeats and figure.repeats > 1 else figure.repeats
    if figure.check is not None:
        figure.check(bench)
    sides = [figure.measure_kanta]
    if figure.measure_baseline is not None:
        sides.append(figure.measure_baseline)
    if repeats > 1:
        for side in sides:
            side(bench)  # warm-up: imports, statement caches, the page cache
    times: list[list[float]] = [[] for _ in sides]
    for _ in range(repeats):
        for side, runs in zip(sides, times, strict=True):
            runs.append(side(bench))
    medians = [statistics.median(runs) for runs in times]
    return Result(figure, medians[0], medians[1] if len(medians) > 1 else None)


def timed(run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def format_value(value: float, unit: str) -> str:
    return f"{value:.0f} {unit}" if unit != "s" else format_seconds(value)


def format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.1f} s"
    return f"{seconds * 1000:.1f} ms"
