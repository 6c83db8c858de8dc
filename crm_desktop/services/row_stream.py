"""Reading many plain rows without letting them pile up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.orm import Session

BATCH = 100  # rows; small enough that the garbage collector seldom runs inside a batch


def stream_rows(session: Session, query: Executable) -> Iterator[Any]:
    """The rows of ``query`` through Core, which skips the ORM's per-row work.

    Fetched a batch at a time and handed on one by one: each row is gone before the next
    batch, so tens of thousands of them never pile up for the garbage collector to walk
    through. Untyped on purpose: each caller knows the columns it selected.
    """
    # An option of this statement only: set on the connection, it would stay there.
    result = session.connection().execute(query, execution_options={"yield_per": BATCH})
    for batch in result.partitions():  # a list at a time: cheaper than a row at a time
        yield from batch
