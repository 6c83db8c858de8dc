"""Create a customer, and everything that is theirs, from a record of the Kanta data file.

Some references may point at rows that are not in yet (a referrer further down the file, a
coupon issued to another customer): those wait in ``Links`` and are settled once every
record is in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _
from crm_desktop.models import (
    Complaint,
    Consent,
    Coupon,
    CouponEvent,
    Customer,
    CustomerEmail,
    CustomerPhone,
    Favourite,
    ImportantDate,
    LoyaltyCard,
    LoyaltyProgram,
    Product,
    Redemption,
    Referral,
    RetentionCase,
    RetentionOffer,
    Stamp,
    Subscription,
    Touchpoint,
)
from crm_desktop.services.customer_data import ConsentInput, CustomerInput, EmailInput, PhoneInput
from crm_desktop.services.customers import apply_input
from crm_desktop.services.errors import Conflict, ValidationError
from crm_desktop.services.portable_fields import Reader, column_of, field_error, read_value
from crm_desktop.services.portable_links import (
    Links,
    PendingCoupon,
    PendingReferral,
    coupon_by_code,
    settle,
)
from crm_desktop.services.portable_records import (
    CARD_FIELDS,
    CASE_FIELDS,
    COMPLAINT_FIELDS,
    COUPON_FIELDS,
    CUSTOMER_TIMES,
    DATE_FIELDS,
    EVENT_FIELDS,
    OFFER_FIELDS,
    REDEMPTION_FIELDS,
    REFERRAL_FIELDS,
    STAMP_FIELDS,
    SUBSCRIPTION_FIELDS,
    TOUCHPOINT_FIELDS,
)
from crm_desktop.services.settings import load_settings
from crm_desktop.services.validation import clean_customer
from crm_desktop.services.visit_habits import habit_as_of


def restore_record(
    session: Session,
    record: dict[str, object],
    keep_id: bool = False,
    region: str | None = None,
) -> int:
    """Create the customer in ``record``; returns the new id (the record's own with keep_id).

    References that cannot be resolved (a referrer who is no longer there) are left out.
    """
    links = Links()
    customer_id = restore(session, record, region or load_settings(session).phone_region,
                          links, keep_id=keep_id)
    settle(session, links)
    return customer_id


def restore(
    session: Session,
    record: object,
    region: str,
    links: Links,
    keep_id: bool = False,
    uid_checked: bool = False,
) -> int:
    """Create one record's rows; unresolved references are added to ``links``."""
    reader = Reader(record)
    customer = _new_customer(session, reader, region, keep_id, uid_checked)
    _Restorer(session, reader, customer, links).run()
    return customer.id


def existing_uid(session: Session, uid: str) -> bool:
    return session.scalar(select(func.count()).where(Customer.uid == uid)) != 0


def record_uid(reader: Reader) -> str:
    uid = reader.text(Customer.uid, "uid") if reader.has("uid") else str(uuid.uuid4())
    if not uid.strip():
        raise field_error(reader.key("uid"), _("The uid cannot be empty."))
    return uid


def _new_customer(
    session: Session, reader: Reader, region: str, keep_id: bool, uid_checked: bool
) -> Customer:
    uid = record_uid(reader)
    if not uid_checked and existing_uid(session, uid):
        raise Conflict(_("A customer with the uid {uid} already exists.").format(uid=uid))
    clean = _clean(_customer_input(reader), region)
    customer = Customer(uid=uid, **reader.columns(Customer, CUSTOMER_TIMES))
    if keep_id:
        customer.id = int(str(reader.get(Customer.id, "id")))
        if session.get(Customer, customer.id) is not None:
            raise Conflict(_("Customer {id} already exists.").format(id=customer.id))
    apply_input(customer, clean, region)
    # Before the insert: set afterwards, it would count as an edit and move updated_at.
    customer.usual_visit_days, customer.regular_lapse_on = habit_as_of(
        customer.last_visit_at, _visit_times(reader)
    )
    session.add(customer)
    session.flush()
    return customer


def _visit_times(reader: Reader) -> list[datetime]:
    times = []
    for item in reader.items("touchpoints"):
        when = item.get(Touchpoint.occurred_at)
        if item.get(Touchpoint.kind) == "visit" and isinstance(when, datetime):
            times.append(when)
    return times


def _clean(data: CustomerInput, region: str) -> CustomerInput:
    """Validated like the customer card; list positions in messages count from 1 here too."""
    try:
        return clean_customer(data, region)
    except ValidationError as error:
        renamed: dict[str, str] = {}
        for name, message in error.fields.items():
            kind, _dot, index = name.partition(".")
            if kind in ("email", "phone") and index.isdigit():
                name = f"{kind}s.{int(index) + 1}"
            renamed[name] = message
        raise ValidationError(renamed) from None


def _customer_input(reader: Reader) -> CustomerInput:
    text = reader.text
    return CustomerInput(
        first_name=text(Customer.first_name),
        last_name=text(Customer.last_name),
        salutation=text(Customer.salutation),
        company=text(Customer.company),
        emails=tuple(
            EmailInput(item.text(CustomerEmail.address), item.text(CustomerEmail.label))
            for item in reader.items("emails")
        ),
        phones=tuple(
            PhoneInput(item.text(CustomerPhone.e164, "number"), item.text(CustomerPhone.label))
            for item in reader.items("phones")
        ),
        street=text(Customer.street),
        postal_code=text(Customer.postal_code),
        city=text(Customer.city),
        country=text(Customer.country),
        language=text(Customer.language),
        notes=text(Customer.notes),
        tags=tuple(reader.strings("tags")),
        status=text(Customer.status),
        customer_since=reader.optional_date(Customer.customer_since),
        do_not_market=reader.flag(Customer.do_not_market),
        consents=tuple(
            ConsentInput(
                item.text(Consent.channel),
                item.flag(Consent.granted),
                item.optional_date(Consent.recorded_on),
                item.text(Consent.source),
            )
            for item in reader.items("consents")
        ),
    )


@dataclass
class _Restorer:
    """The rows that hang off one new customer, section by section."""

    session: Session
    reader: Reader
    customer: Customer
    links: Links
    codes: dict[str, int] = field(default_factory=dict)  # this record's coupons

    def run(self) -> None:
        self._dates()
        self._favourites()
        self._coupons()
        complaints = self._complaints()
        self._touchpoints(complaints)
        self._cards()
        self._subscriptions()
        self._referral()
        self._relink_referred()
        self.session.flush()

    def _add(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row

    def _dates(self) -> None:
        for item in self.reader.items("important_dates"):
            values = item.columns(ImportantDate, DATE_FIELDS)
            month, day, year = int(str(values["month"])), int(str(values["day"])), values["year"]
            try:
                date(year if isinstance(year, int) else 2000, month, day)  # 2000 has 29 Feb
            except ValueError:
                message = _("That day does not exist in that month.")
                raise field_error(item.key("day"), message) from None
            self.session.add(ImportantDate(
                customer_id=self.customer.id, month_day=month * 100 + day, **values
            ))

    def _favourites(self) -> None:
        seen: set[int] = set()
        for item in self.reader.items("favourites"):
            product_id = product_for(self.session, item, "product")
            if product_id is None:
                raise field_error(item.key("product"), _("Name the product."))
            if product_id in seen:
                raise field_error(item.key("product"), _("This product is already a favourite."))
            seen.add(product_id)
            self.session.add(Favourite(customer_id=self.customer.id, product_id=product_id,
                                       note=item.text(Favourite.note)))

    def _coupons(self) -> None:
        for item in self.reader.items("coupons"):
            coupon_id = restore_coupon(self.session, item, self.customer.id)
            self.codes[item.text(Coupon.code)] = coupon_id

    def _add_with_coupon(self, row: Any, attribute: str, item: Reader, name: str) -> None:
        """Add ``row`` with ``row.attribute`` pointing at a coupon by code, now or later."""
        code = item.reference(Coupon.code, name)
        coupon_id = None if code is None else self.codes.get(code) or coupon_by_code(
            self.session, code)
        if coupon_id is not None:
            setattr(row, attribute, coupon_id)
        self.session.add(row)
        if code is not None and coupon_id is None:
            self.session.flush()  # the row needs its id to be found again
            self.links.coupons.append(PendingCoupon(type(row), row.id, attribute, code,
                                                    item.key(name)))

    def _complaints(self) -> list[int]:
        complaints: list[Complaint] = []
        for item in self.reader.items("complaints"):
            product_id = product_for(self.session, item, "product")
            complaint = Complaint(customer_id=self.customer.id, product_id=product_id,
                                  **item.columns(Complaint, COMPLAINT_FIELDS))
            self._add_with_coupon(complaint, "coupon_id", item, "coupon")
            complaints.append(complaint)
        self.session.flush()
        return [complaint.id for complaint in complaints]

    def _touchpoints(self, complaints: list[int]) -> None:
        for item in self.reader.items("touchpoints"):
            position = item.optional_position("complaint", len(complaints))
            touchpoint = Touchpoint(
                customer_id=self.customer.id,
                complaint_id=None if position is None else complaints[position - 1],
                **item.columns(Touchpoint, TOUCHPOINT_FIELDS),
            )
            self._add_with_coupon(touchpoint, "coupon_id", item, "coupon")

    def _cards(self) -> None:
        for item in self.reader.items("loyalty_cards"):
            values = item.columns(LoyaltyCard, CARD_FIELDS)
            program_id = self._program(item, values)
            card = LoyaltyCard(customer_id=self.customer.id, program_id=program_id, **values)
            self._add_with_coupon(card, "reward_coupon_id", item, "reward_coupon")
            self.session.flush()
            self._stamps(item, card.id)

    def _program(self, item: Reader, card: dict[str, object]) -> int:
        name = item.text(LoyaltyProgram.name, "program")
        if not name.strip():
            raise field_error(item.key("program"), _("Name the loyalty program."))
        found = self.session.scalar(
            select(LoyaltyProgram.id).where(LoyaltyProgram.name == name).order_by(LoyaltyProgram.id)
        )
        if found is not None:
            return found
        # A program missing from the file is rebuilt from the terms the card kept.
        program = LoyaltyProgram(name=name, stamps_required=card["stamps_required"],
                                 reward=card.get("reward", ""))
        return int(self._add(program).id)

    def _stamps(self, card: Reader, card_id: int) -> None:
        items = card.items("stamps")
        stamps = [Stamp(card_id=card_id, **item.columns(Stamp, STAMP_FIELDS)) for item in items]
        for item, stamp in zip(items, stamps, strict=True):
            if stamp.quantity == 0:
                raise field_error(item.key("quantity"), _("A stamp cannot have quantity 0."))
        self.session.add_all(stamps)
        self.session.flush()
        reversed_ids: set[int] = set()
        for item, stamp in zip(items, stamps, strict=True):
            position = item.optional_position("reverses", len(stamps))
            if position is None:
                continue
            target = stamps[position - 1].id
            if target in reversed_ids or target == stamp.id:
                raise field_error(item.key("reverses"), _("That stamp cannot be reversed here."))
            reversed_ids.add(target)
            stamp.reverses_id = target

    def _subscriptions(self) -> None:
        for item in self.reader.items("subscriptions"):
            values = item.columns(Subscription, SUBSCRIPTION_FIELDS)
            subscription = self._add(Subscription(customer_id=self.customer.id, **values))
            for case_item in item.items("retention_cases"):
                case = self._add(RetentionCase(subscription_id=subscription.id,
                                               **case_item.columns(RetentionCase, CASE_FIELDS)))
                self.session.add_all(
                    RetentionOffer(case_id=case.id, **offer.columns(RetentionOffer, OFFER_FIELDS))
                    for offer in case_item.items("offers")
                )

    def _referral(self) -> None:
        item = self.reader.optional_object("referral")
        if item is None:
            return
        values = item.columns(Referral, REFERRAL_FIELDS)
        referrer = item.reference(Customer.uid, "referrer")
        if referrer is None and values.get("source") is None:
            raise field_error(item.key("source"), _("Give the referring customer or a source."))
        if referrer == self.customer.uid:
            raise field_error(item.key("referrer"), _("A customer cannot refer themselves."))
        self.links.referrals.append(PendingReferral(
            self.customer.id, referrer, item.reference(Coupon.code, "reward_coupon"),
            values, item.path,
        ))

    def _relink_referred(self) -> None:
        """Customers this one referred get the link back if it was cut (undoing a delete)."""
        for uid in self.reader.strings("referred"):
            referral = self.session.scalar(
                select(Referral).join(Customer, Customer.id == Referral.referred_id)
                .where(Customer.uid == uid)
            )
            if referral is not None and referral.referrer_id is None:
                self.links.relinks.append((referral.id, self.customer.id))


def restore_coupon(session: Session, item: Reader, customer_id: int | None) -> int:
    """A coupon with its redemption and events. A coupon already here under the same code
    and issued to nobody (as after deleting its customer) is handed back instead."""
    code = item.text(Coupon.code)
    if not code.strip():
        raise field_error(item.key("code"), _("The coupon code cannot be empty."))
    existing = session.scalars(select(Coupon).where(Coupon.code == code)).one_or_none()
    if existing is not None:
        if existing.customer_id not in (None, customer_id):
            raise field_error(item.key("code"), _("Another customer already has the coupon "
                                                  "{code}.").format(code=code))
        existing.customer_id = customer_id
        return existing.id
    product_id = product_for(session, item, "product")
    coupon = Coupon(customer_id=customer_id, product_id=product_id,
                    **item.columns(Coupon, COUPON_FIELDS))
    session.add(coupon)
    session.flush()
    redemption = item.optional_object("redemption")
    if redemption is not None:
        session.add(Redemption(coupon_id=coupon.id,
                               **redemption.columns(Redemption, REDEMPTION_FIELDS)))
    session.add_all(CouponEvent(coupon_id=coupon.id, **event.columns(CouponEvent, EVENT_FIELDS))
                    for event in item.items("events"))
    return coupon.id


def product_for(session: Session, item: Reader, name: str) -> int | None:
    """The id of the product named in ``item[name]``, created when it is not there yet."""
    product_name = item.reference(Product.name, name)
    if product_name is None:
        return None
    if not product_name.strip():
        raise field_error(item.key(name), _("The product name cannot be empty."))
    found = session.scalar(select(Product.id).where(Product.name == product_name))
    if found is not None:
        return found
    category = read_value(column_of(Product.category), item.data.get("category", ""),
                          item.key("category"))
    product = Product(name=product_name, category=category)
    session.add(product)
    session.flush()
    return product.id
