"""PDF output (ReportLab) built from plain data only.

Importing this package is cheap: ReportLab is loaded by the modules that draw
(``crm_desktop.reports.letter`` and friends), which callers import on demand.
"""

from __future__ import annotations


class ReportError(Exception):
    """A document cannot be produced; the message is one sentence for the user."""


class Cancelled(Exception):
    """The user stopped a long print run through the progress callback."""
