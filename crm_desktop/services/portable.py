"""Portable customer data: the Kanta JSON file (docs/data-format.md), export and import.

The export streams: customers are read a few hundred at a time as plain rows and written
as they come, so a hundred thousand customers never sit in memory together. The file is
written next to its destination and moved into place only when complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Customer, utcnow
from crm_desktop.services.errors import ServiceError, Stopped
from crm_desktop.services.portable_import import (
    FORMAT,
    VERSION,
    DataFileError,
    ImportProblem,
    ImportReport,
    Progress,
    import_json,
)
from crm_desktop.services.portable_records import (
    BATCH_SIZE,
    Names,
    customer_record,
    customer_records,
    product_entries,
    program_entries,
    unassigned_coupon_entries,
)
from crm_desktop.services.portable_restore import restore_record

__all__ = [
    "FORMAT",
    "VERSION",
    "DataFileError",
    "ExportError",
    "ExportResult",
    "ImportProblem",
    "ImportReport",
    "Progress",
    "ServiceError",
    "Stopped",
    "customer_record",
    "export_json",
    "import_json",
    "restore_record",
]

_INDENT = "  "


class ExportError(ServiceError):
    """The file could not be written; nothing was left behind."""


@dataclass(frozen=True)
class ExportResult:
    customers: int


def export_json(session: Session, path: Path, progress: Progress | None = None) -> ExportResult:
    """Write every customer, in id order, with the products, programs and campaign coupons.

    ``progress(done, total)`` is called after each batch of customers; when it returns False
    the export stops with :class:`Stopped` and no file is left behind.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as out:
            count = _write_document(session, out, progress)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(_("Cannot write {path}: {reason}.").format(
            path=path, reason=error.strerror or error)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return ExportResult(count)


def _write_document(session: Session, out: TextIO, progress: Progress | None) -> int:
    names = Names.load(session)
    out.write("{\n")
    header = {"format": FORMAT, "version": VERSION,
              "exported_at": utcnow().isoformat(timespec="seconds")}
    for key, value in header.items():
        out.write(f"{_INDENT}{json.dumps(key)}: {json.dumps(value)},\n")
    _write_list(out, "products", product_entries(names))
    _write_list(out, "loyalty_programs", program_entries(session, names))
    _write_list(out, "coupons", unassigned_coupon_entries(session, names))
    count = _write_list(out, "customers", _all_records(session, names, progress), last=True)
    out.write("}\n")
    return count


def _all_records(
    session: Session, names: Names, progress: Progress | None
) -> Iterator[dict[str, object]]:
    ids = session.scalars(select(Customer.id).order_by(Customer.id)).all()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        yield from customer_records(session, batch, names)
        if progress is not None and not progress(start + len(batch), len(ids)):
            raise Stopped(_("The export was stopped: no file was written."))


def _write_list(
    out: TextIO, key: str, items: Iterable[dict[str, object]], last: bool = False
) -> int:
    """``"key": [...]`` one item at a time, laid out as ``json.dump(indent=2)`` would."""
    inner = _INDENT * 2
    out.write(f"{_INDENT}{json.dumps(key)}: [")
    count = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n" + inner)
        out.write(("," if count else "") + "\n" + inner + text)
        count += 1
    out.write(f"\n{_INDENT}]" if count else "]")
    out.write("\n" if last else ",\n")
    return count
