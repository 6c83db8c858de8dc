"""Kanta's speed figures, each beside a raw baseline measured in the same run.

Run them with ``make bench`` (``python -m benchmarks``). They live outside ``tests/`` so the
test run never collects them: timings belong here, not in pass/fail tests.
"""
