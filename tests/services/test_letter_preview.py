"""Previews of letters not made yet: an unsaved template edit, an apology before resolving."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_desktop.services.complaint_data import ComplaintInput, CouponSpec
from crm_desktop.services.complaints import get_complaint, register_complaint
from crm_desktop.services.letter_preview import apology_preview_pdf, template_preview_pdf
from crm_desktop.services.letter_templates import default_template
from crm_desktop.services.letters import LetterProblem
from tests.services.letter_helpers import (
    TODAY,
    add_customer,
    add_product,
    page_count,
    pdf_text,
    setup_business,
)


def test_an_unsaved_edit_is_previewed_for_a_sample_customer_with_a_sample_coupon(db) -> None:
    with db.session() as s:
        setup_business(s)
        shipped = default_template("birthday", "en")
        pdf = template_preview_pdf(s, "birthday", "en", "Cheers, {first_name}!",
                                   shipped.body, None, TODAY)
    text = pdf_text(pdf)
    assert page_count(pdf) == 1
    assert "Cheers, Alex!" in text
    assert "XXXX-XXXX-XXXX-X" in text  # the coupon paragraph stays in the preview
    assert "oat milk latte" in text


def test_a_real_customer_is_previewed_in_the_edited_language(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, "Łukasz", "Żółć", language="fi")
        pdf = template_preview_pdf(s, "win_back", "en", "Hello {first_name} {last_name}",
                                   "We miss you.", customer, TODAY)
    text = pdf_text(pdf)
    assert "Hello Łukasz Żółć" in text
    assert "November 22, 2026" in text or "22 November 2026" in text


def test_a_misspelt_placeholder_stops_the_preview(db) -> None:
    with db.session() as s, pytest.raises(LetterProblem, match="first_name"):
        setup_business(s)
        template_preview_pdf(s, "apology", "fi", "Anteeksi", "Hei {frist_name}", None, TODAY)


def test_the_apology_preview_shows_the_coupon_to_be_issued(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, language="en")
        product = add_product(s, "Cappuccino", 450)
        complaint = register_complaint(s, ComplaintInput(
            customer, TODAY, "in_person", "Cold coffee"), today=TODAY).complaint.id
        spec = CouponSpec("free_item", 0, TODAY + timedelta(days=30), product)
        pdf = apology_preview_pdf(s, complaint, spec, TODAY, "Maija")
        assert get_complaint(s, complaint).status == "open"  # a preview changes nothing
    text = " ".join(pdf_text(pdf).split())
    assert "Free Cappuccino" in text
    assert "XXXX-XXXX-XXXX-X" in text
    assert "Maija" in text


def test_an_apology_without_a_coupon_leaves_the_coupon_paragraph_out(db) -> None:
    with db.session() as s:
        setup_business(s)
        customer = add_customer(s, language="en")
        complaint = register_complaint(s, ComplaintInput(
            customer, TODAY, "phone", "Late delivery"), today=TODAY).complaint.id
        text = pdf_text(apology_preview_pdf(s, complaint, None, TODAY))
    assert "Our apologies" in text
    assert "coupon" not in text.lower()
