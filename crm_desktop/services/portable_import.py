"""Import a Kanta data file: every customer record in its own savepoint of one transaction,
so a bad record is reported and skipped while the rest of the file goes in."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Coupon, Customer, LoyaltyProgram, Product
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import ServiceError, Stopped, ValidationError
from crm_desktop.services.portable_fields import Reader, field_error
from crm_desktop.services.portable_links import Links, settle
from crm_desktop.services.portable_records import PRODUCT_FIELDS, PROGRAM_FIELDS
from crm_desktop.services.portable_restore import product_for, record_uid, restore, restore_coupon
from crm_desktop.services.settings import load_settings

FORMAT = "kanta-customers"
VERSION = 1
PROGRESS_EVERY = 100  # records between two progress reports
Progress = Callable[[int, int], bool]  # (records done, records in all) -> go on?


class DataFileError(ServiceError):
    """The file as a whole cannot be imported; nothing was."""


@dataclass(frozen=True)
class ImportProblem:
    index: int  # position in "customers", from 1
    message: str


@dataclass(frozen=True)
class ImportReport:
    imported: int
    problems: tuple[ImportProblem, ...]

    @property
    def changes(self) -> Changes:
        return Changes(kinds=frozenset({"customers"})) if self.imported else Changes()


def import_json(
    session: Session, path: Path, region: str | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import every good record of ``path`` in the caller's transaction, each record in a
    savepoint; uids already in the database are skipped. ``region`` defaults to the settings'.

    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` records; when it returns
    False the import stops with :class:`Stopped` and the caller's transaction, rolled back,
    keeps nothing of the file.
    """
    document = read_document(path)
    customers = document["customers"]
    assert isinstance(customers, list)  # read_document checked it
    if region is None:
        region = load_settings(session).phone_region
    _import_catalogue(session, Reader(document))
    run = _ImportRun(session, region)
    for index, record in enumerate(customers, 1):
        run.add(index, record)
        if progress is not None and _stop_asked(progress, index, len(customers)):
            raise Stopped(_("The import was stopped: nothing was imported."))
    run.settle_links()
    return ImportReport(run.imported, tuple(sorted(run.problems, key=lambda p: p.index)))


def _stop_asked(progress: Progress, done: int, total: int) -> bool:
    """Report every PROGRESS_EVERY records and at the end; True when told to stop."""
    if done % PROGRESS_EVERY and done != total:
        return False
    return not progress(done, total)


def read_document(path: Path) -> dict[str, object]:
    """The parsed file, or DataFileError saying in one sentence why it is not usable."""
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise DataFileError(_("Cannot read {path}: {reason}.").format(
            path=path, reason=error.strerror or error)) from None
    except UnicodeDecodeError:
        raise DataFileError(_("{path} is not a UTF-8 text file.").format(path=path)) from None
    except json.JSONDecodeError as error:
        raise DataFileError(_("{path} is not valid JSON (line {line}, column {column}).").format(
            path=path, line=error.lineno, column=error.colno)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DataFileError(_("{path} is not a Kanta customer file.").format(path=path))
    if document.get("version") != VERSION:
        raise DataFileError(_("{path} has format version {version}; this Kanta reads version "
                              "{supported}.").format(path=path, version=document.get("version"),
                                                     supported=VERSION))
    if not isinstance(document.get("customers"), list):
        raise DataFileError(_("{path} has no list of customers.").format(path=path))
    return document


def _import_catalogue(session: Session, document: Reader) -> None:
    """Products, loyalty programs and unassigned coupons; a bad one stops the whole file."""
    try:
        for item in document.items("products"):
            values = item.columns(Product, PRODUCT_FIELDS)
            if not str(values["name"]).strip():
                raise field_error(item.key("name"), _("The product name cannot be empty."))
            if session.scalar(select(Product.id).where(Product.name == values["name"])) is None:
                session.add(Product(**values))
        for item in document.items("loyalty_programs"):
            name = item.text(LoyaltyProgram.name)
            if session.scalar(select(LoyaltyProgram.id).where(LoyaltyProgram.name == name)) is None:
                session.add(LoyaltyProgram(product_id=product_for(session, item, "product"),
                                           **item.columns(LoyaltyProgram, PROGRAM_FIELDS)))
        for item in document.items("coupons"):
            code = item.text(Coupon.code)
            if session.scalar(select(Coupon.id).where(Coupon.code == code)) is None:
                restore_coupon(session, item, None)
        session.flush()
    except ValidationError as error:
        raise DataFileError(_("The file cannot be imported: {problem}").format(
            problem=error)) from None


class _ImportRun:
    """State of one import: uids already present, counts, problems, links to settle."""

    def __init__(self, session: Session, region: str) -> None:
        self.session = session
        self.region = region
        self.uids = set(session.scalars(select(Customer.uid)))
        self.imported = 0
        self.problems: list[ImportProblem] = []
        self.links: list[tuple[int, Links]] = []

    def add(self, index: int, record: object) -> None:
        links = Links()
        try:
            uid = record_uid(Reader(record))
            if uid in self.uids:
                raise ServiceError(_("A customer with the uid {uid} is already in the database; "
                                     "the record was skipped as a duplicate.").format(uid=uid))
            with self.session.begin_nested():
                with_uid = dict(record, uid=uid) if isinstance(record, dict) else record
                restore(self.session, with_uid, self.region, links, uid_checked=True)
        except ServiceError as error:
            self.problems.append(ImportProblem(index, str(error)))
            return
        except SQLAlchemyError as error:
            self.problems.append(ImportProblem(index, _refused(error)))
            return
        self.uids.add(uid)
        self.imported += 1
        if links:
            self.links.append((index, links))

    def settle_links(self) -> None:
        """Second pass: referrals and coupon links that pointed further down the file."""
        for index, links in self.links:
            try:
                with self.session.begin_nested():
                    messages = settle(self.session, links)
            except SQLAlchemyError as error:
                messages = [_refused(error)]
            self.problems.extend(ImportProblem(index, message) for message in messages)


def _refused(error: SQLAlchemyError) -> str:
    reason = getattr(error, "orig", None) or error
    first_line = str(reason).strip().splitlines()[0] if str(reason).strip() else ""
    return _("The database refused the record: {reason}").format(reason=first_line)
