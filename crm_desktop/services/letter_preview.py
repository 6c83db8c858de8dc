"""Letters previewed before they exist: an unsaved template edit, an apology before resolving.

The template editor shows its text filled for a sample customer (every placeholder has a
value, so no paragraph goes missing) or for a real one; the Resolve dialog shows the apology
with the coupon about to be issued. That coupon has no code yet, so the preview prints a
row of X in its place; the real code is filled in once the complaint is resolved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import Product, utcnow
from crm_desktop.services.complaint_data import CouponSpec
from crm_desktop.services.complaints import get_complaint
from crm_desktop.services.coupon_codes import CODE_LENGTH
from crm_desktop.services.coupon_data import CouponInfo
from crm_desktop.services.errors import NotFound
from crm_desktop.services.letter_facts import Anniversary, CustomerFacts, load_facts
from crm_desktop.services.letter_placeholders import COUPON_PLACEHOLDERS, placeholders_in
from crm_desktop.services.letter_templates import TemplateText, default_template
from crm_desktop.services.letters import compose_letter, render_pdf, start_run

APOLOGY = "apology"
SAMPLE_CODE = "X" * CODE_LENGTH  # printed as XXXX-XXXX-XXXX-X
SAMPLE_COUPON_DAYS = 90
SAMPLE_OFFER_DAYS = 60
SAMPLE_ANNIVERSARY_YEARS = 5

# A made-up customer in the letter's own language, like the shipped texts in
# resources/letters: these are letter contents, not interface text.
_SAMPLE_PEOPLE: dict[str, dict[str, str]] = {
    "fi": {
        "first_name": "Maija", "last_name": "Meikäläinen", "salutation": "tohtori",
        "company": "Esimerkki Oy", "favourite": "kaurapuuro", "friend_name": "Liisa",
        "plan": "Kahvikerho", "offer": "kaksi kuukautta puoleen hintaan",
    },
    "en": {
        "first_name": "Alex", "last_name": "Example", "salutation": "Dr",
        "company": "Example Ltd", "favourite": "oat milk latte", "friend_name": "Sam",
        "plan": "Coffee club", "offer": "two months at half price",
    },
}


def sample_facts(language: str, today: date) -> CustomerFacts:
    """A customer with a value for every placeholder, living at a Finnish address."""
    person = _SAMPLE_PEOPLE.get(language, _SAMPLE_PEOPLE["en"])
    return CustomerFacts(
        id=0, first_name=person["first_name"], last_name=person["last_name"],
        salutation=person["salutation"], company=person["company"],
        street="Esimerkkikatu 1 A 2", postal_code="00100", city="Helsinki", country="FI",
        language=language, do_not_market=False, post_consent=True,
        favourite=person["favourite"], friend_name=person["friend_name"],
        anniversary=Anniversary(today.month, today.day, today.year - SAMPLE_ANNIVERSARY_YEARS),
        plan=person["plan"], offer=person["offer"],
        offer_ends=today + timedelta(days=SAMPLE_OFFER_DAYS),
    )


def sample_coupon(
    kind: str = "percent",
    value: int = 10,
    expires_on: date | None = None,
    product_id: int | None = None,
    product_name: str = "",
    customer_id: int | None = None,
) -> CouponInfo:
    """A coupon that is not issued yet: what it gives is real, its code is a placeholder."""
    return CouponInfo(
        id=0, code=SAMPLE_CODE, kind=kind, value=value, product_id=product_id,
        product_name=product_name, reason="complaint", customer_id=customer_id,
        customer_name="", customer_language="", terms="", issued_at=utcnow(),
        expires_on=expires_on, voided_at=None, void_reason="", redeemed_at=None,
        redeemed_desk="",
    )


def template_preview_pdf(
    session: Session,
    kind: str,
    language: str,
    subject: str,
    body: str,
    customer_id: int | None,
    today: date,
    staff: str = "",
) -> bytes:
    """An edited template filled for a sample customer (``customer_id`` None) or a real one.

    The letter is written in the edited language whatever the customer's own, and a template
    that mentions a coupon gets a sample one. LetterProblem names the first mistake.
    """
    shipped = default_template(kind, language)
    template = TemplateText(kind, shipped.language, subject.strip(), body.strip(),
                            shipped.closing, edited=True)
    run = start_run(session, kind, today, staff, template)
    if customer_id is None:
        facts = sample_facts(template.language, today)
    else:
        facts = replace(_facts(session, customer_id), language=template.language)
    coupon = None
    if set(placeholders_in(subject + "\n" + body)) & COUPON_PLACEHOLDERS:
        coupon = sample_coupon(expires_on=today + timedelta(days=SAMPLE_COUPON_DAYS))
    return render_pdf(compose_letter(run, facts, coupon))


def apology_preview_pdf(
    session: Session,
    complaint_id: int,
    coupon: CouponSpec | None,
    today: date,
    staff: str = "",
) -> bytes:
    """The apology for a complaint as it will read once resolved with ``coupon`` (or none)."""
    complaint = get_complaint(session, complaint_id)
    run = start_run(session, APOLOGY, today, staff)
    facts = _facts(session, complaint.customer_id)
    planned = None
    if coupon is not None:
        product = session.get(Product, coupon.product_id) if coupon.product_id else None
        value = coupon.value
        if coupon.kind == "free_item" and value == 0 and product is not None:
            value = product.price_cents or 0
        planned = sample_coupon(coupon.kind, value, coupon.expires_on, coupon.product_id,
                                product.name if product is not None else "",
                                complaint.customer_id)
    return render_pdf(compose_letter(run, facts, planned))


def _facts(session: Session, customer_id: int) -> CustomerFacts:
    facts = load_facts(session, [customer_id]).get(customer_id)
    if facts is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))
    return facts


