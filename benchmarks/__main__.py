"""``python -m benchmarks``: build a demo database, measure every figure, print a table.

Options: ``--customers N`` (default 100,000), ``--only NAME`` (figures whose name contains
NAME), ``--repeats N`` (runs per figure instead of each figure's own count). The exit status
is 1 when a figure misses its target.

A new figure goes in a ``figures_*.py`` module with a ``figures(bench)`` function returning
Figure entries, listed in FIGURE_MODULES below.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import (
    figures_agenda,
    figures_coupons,
    figures_demo,
    figures_desk,
    figures_letters,
    figures_referrals,
    figures_search,
)
from benchmarks.framework import Bench, Figure, Result, format_value, measure

FIGURE_MODULES: Sequence[Callable[[Bench], list[Figure]]] = (
    figures_demo.figures,
    figures_search.figures,
    figures_desk.figures,
    figures_agenda.figures,
    figures_letters.figures,
    figures_coupons.figures,
    figures_referrals.figures,
)
COLUMNS = ("figure", "Kanta", "raw baseline", "ratio", "target", "ok?")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kanta-bench-") as folder:
        bench = Bench(Path(folder), args.customers, args.repeats)
        try:
            chosen = _chosen(bench, args.only)
            if not chosen:
                print(f"No figure matches {args.only!r}.", file=sys.stderr)
                return 2
            print(_header(args.customers), flush=True)
            results = [_measure_and_show(figure, bench) for figure in chosen]
        finally:
            bench.close()
    print(_table(results))
    return 0 if all(result.ok for result in results) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000, metavar="N")
    parser.add_argument("--only", metavar="NAME", help="figures whose name contains NAME")
    parser.add_argument("--repeats", type=int, metavar="N", help="runs per figure")
    return parser


def _chosen(bench: Bench, only: str | None) -> list[Figure]:
    every = [figure for figures in FIGURE_MODULES for figure in figures(bench)]
    if not only:
        return every
    return [figure for figure in every if only.casefold() in figure.name.casefold()]


def _header(customers: int) -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"Kanta benchmarks: {customers:,} customers; Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load {load}"
    )


def _measure_and_show(figure: Figure, bench: Bench) -> Result:
    print(f"  measuring {figure.name} …", file=sys.stderr, flush=True)
    return measure(figure, bench)


def _table(results: list[Result]) -> str:
    rows = [COLUMNS, *(_cells(result) for result in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def _cells(result: Result) -> tuple[str, ...]:
    unit = result.figure.unit
    baseline = "—" if result.baseline is None else format_value(result.baseline, unit)
    ratio = "—" if result.ratio is None else f"{result.ratio:.2f}×"
    return (
        result.figure.name,
        format_value(result.kanta, unit),
        baseline,
        ratio,
        result.figure.target.describe(unit),
        "ok" if result.ok else "MISSED",
    )


if __name__ == "__main__":
    sys.exit(main())
