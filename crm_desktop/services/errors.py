"""Typed errors raised by services; the UI shows them next to a field or in one dialog."""

from __future__ import annotations

from collections.abc import Mapping


class ServiceError(Exception):
    """Base class: ``str(error)`` is one sentence for the user."""


class ValidationError(ServiceError):
    """Bad input: ``fields`` maps a field name (``email.0``, ``birthday``) to its message."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.fields.items()))


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class Stopped(ServiceError):
    """The owner stopped a long run (an import, an export) through its progress callback;
    nothing of it was kept."""


class PrintProblem(ServiceError):
    """A document could not be produced (a missing font, an unreadable logo, an address too
    long for the envelope window); the message is the printing engine's one sentence."""
