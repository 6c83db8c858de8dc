"""What a printed coupon is made of: plain, ready-to-print text; no database objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CouponPrint:
    """One coupon, already in the customer's language.

    ``code`` is what the QR code and the barcode hold (the normalised code, no dashes);
    ``code_text`` is the same code grouped for reading. ``language`` picks the printed
    labels ("Valid until"); ``kind`` (free_item, percent, amount) picks the line under the
    value. Dates arrive formatted by the caller.
    """

    business_name: str
    code: str
    code_text: str
    kind: str
    value_text: str  # "Free coffee", "20 %", "5,00 €"
    language: str
    customer_name: str = ""  # empty for a coupon to anyone
    expires_text: str = ""  # the last valid day, formatted; empty when it never expires
    terms: str = ""
    business_line: str = ""  # address, phone, web site: one short line
