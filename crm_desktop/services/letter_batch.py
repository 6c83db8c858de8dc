"""Batch letters: one template for many customers in one PDF, with who was left out and why.

Everyone needs a postal address. Marketing letters (birthday, win-back, anniversary) also
leave out customers who refused post or asked not to be marketed to; an apology or a
confirmation still goes to them, because it answers something they started.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Customer, CustomerTag, ImportantDate, Touchpoint
from crm_desktop.reports import ReportError
from crm_desktop.reports.letter_data import LetterData
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import PrintProblem, ValidationError
from crm_desktop.services.letter_facts import CustomerFacts, load_facts
from crm_desktop.services.letter_templates import MARKETING_KINDS, kind_label, letter_language
from crm_desktop.services.letters import (
    LetterProblem,
    LetterRun,
    compose_letter,
    start_run,
)
from crm_desktop.services.occurrences import occurrence
from crm_desktop.services.validation import clean_staff

SKIP_NOT_FOUND = "not_found"
SKIP_NO_ADDRESS = "no_address"
SKIP_DO_NOT_MARKET = "do_not_market"
SKIP_REFUSED_POST = "refused_post"
SKIP_CANNOT_FILL = "cannot_fill"


@dataclass(frozen=True)
class ByIds:
    customer_ids: tuple[int, ...]


@dataclass(frozen=True)
class ByTag:
    tag: str


@dataclass(frozen=True)
class BirthdaysInMonth:
    month: int  # 1-12, in the year of the run's date


Selection = ByIds | ByTag | BirthdaysInMonth


@dataclass(frozen=True)
class PlannedLetter:
    customer_id: int
    name: str
    letter: LetterData


@dataclass(frozen=True)
class SkippedCustomer:
    customer_id: int
    name: str
    reason: str  # one of the SKIP_ codes
    message: str  # the reason as a sentence in the interface language


@dataclass(frozen=True)
class BatchPlan:
    kind: str
    included: tuple[PlannedLetter, ...]
    skipped: tuple[SkippedCustomer, ...]

    @property
    def letters(self) -> tuple[LetterData, ...]:
        return tuple(planned.letter for planned in self.included)


def batch_candidates(
    session: Session, kind: str, selection: Selection, today: date, staff: str = ""
) -> BatchPlan:
    """The letters to print for a selection, and everyone left out with the reason.

    A mistake in the template itself stops the whole run (LetterProblem) instead of
    skipping every customer.
    """
    run = start_run(session, kind, today, staff)
    ids = selected_ids(session, selection, today, run.settings.leap_day_rule)
    facts = load_facts(session, ids)
    included: list[PlannedLetter] = []
    skipped: list[SkippedCustomer] = []
    for customer_id in ids:
        outcome = _plan_one(run, customer_id, facts.get(customer_id))
        if isinstance(outcome, PlannedLetter):
            included.append(outcome)
        else:
            skipped.append(outcome)
    return BatchPlan(kind, tuple(included), tuple(skipped))


def render_batch(
    letters: BatchPlan | Sequence[LetterData], progress: Callable[[int], bool] | None = None
) -> bytes:
    """One PDF; ``progress(done)`` returning False cancels with reports.Cancelled."""
    from crm_desktop.reports.letter import render_letters  # ReportLab loads on demand

    if isinstance(letters, BatchPlan):
        letters = letters.letters
    try:
        return render_letters(letters, progress)
    except ReportError as error:
        raise PrintProblem(str(error)) from None


def log_batch_sent(session: Session, plan: BatchPlan, staff: str = "") -> Changes:
    """Every printed letter of the run goes on its customer's timeline."""
    summary = _("Letter sent: {title}").format(title=kind_label(plan.kind))
    session.add_all(
        Touchpoint(customer_id=planned.customer_id, kind="letter", staff=clean_staff(staff),
                   summary=summary)
        for planned in plan.included
    )
    session.flush()
    ids = [planned.customer_id for planned in plan.included]
    return Changes.of_customers(*ids, kinds=("customers", "touchpoints"))


def selected_ids(
    session: Session, selection: Selection, today: date, leap_rule: str = "feb28"
) -> list[int]:
    """The customers of a selection, in the order their letters are printed."""
    if isinstance(selection, ByIds):
        return list(dict.fromkeys(selection.customer_ids))
    if isinstance(selection, ByTag):
        return list(session.scalars(
            select(Customer.id).join(CustomerTag, CustomerTag.customer_id == Customer.id)
            .where(CustomerTag.name == selection.tag.strip())
            .order_by(Customer.sort_name, Customer.id)
        ))
    return _birthdays_in(session, selection.month, today.year, leap_rule)


def _birthdays_in(session: Session, month: int, year: int, leap_rule: str) -> list[int]:
    """Birthdays falling in the month this year: 29 February may move to 28 Feb or 1 March."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Choose a month from 1 to 12.")})
    months = [month, 2] if month == 3 else [month]  # 29 Feb may fall on 1 March
    rows = session.execute(
        select(ImportantDate.customer_id, ImportantDate.month, ImportantDate.day,
               Customer.sort_name)
        .join(Customer, Customer.id == ImportantDate.customer_id)
        .where(ImportantDate.kind == "birthday", ImportantDate.month.in_(months))
    ).all()
    falling = [
        (occurrence(row.month, row.day, year, leap_rule), row.sort_name, row.customer_id)
        for row in rows
    ]
    ordered = sorted(item for item in falling if item[0].month == month)
    return list(dict.fromkeys(customer_id for _day, _name, customer_id in ordered))


def _plan_one(
    run: LetterRun, customer_id: int, facts: CustomerFacts | None
) -> PlannedLetter | SkippedCustomer:
    if facts is None:
        return SkippedCustomer(customer_id, "", SKIP_NOT_FOUND,
                               _("Customer {id} no longer exists.").format(id=customer_id))
    name = facts.name or _("Customer {id}").format(id=customer_id)
    reason = _skip_reason(run.kind, facts)
    if reason is not None:
        return SkippedCustomer(customer_id, name, *reason)
    run.template(letter_language(facts.language))  # a template mistake stops the run
    try:
        letter = compose_letter(run, facts, None)
    except LetterProblem as problem:
        return SkippedCustomer(customer_id, name, SKIP_CANNOT_FILL, str(problem))
    return PlannedLetter(customer_id, name, letter)


def _skip_reason(kind: str, facts: CustomerFacts) -> tuple[str, str] | None:
    if not facts.has_postal_address:
        return SKIP_NO_ADDRESS, _("No postal address.")
    if kind in MARKETING_KINDS and facts.do_not_market:
        return SKIP_DO_NOT_MARKET, _("Does not want marketing.")
    if kind in MARKETING_KINDS and facts.post_consent is False:
        return SKIP_REFUSED_POST, _("Has refused marketing by post.")
    return None
