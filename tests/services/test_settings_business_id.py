from __future__ import annotations

import pytest

from crm_desktop.services.errors import ValidationError
from crm_desktop.services.settings import (
    BusinessSettings,
    load_settings,
    save_settings,
    y_tunnus_check_digit,
)


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("0112038", 9),  # 57 % 11 = 2 -> 11 - 2
        ("0245458", 3),  # 151 % 11 = 8 -> 11 - 8
        ("1234562", 0),  # 143 % 11 = 0 -> 0
        ("1234568", None),  # 155 % 11 = 1 -> no check digit fits
    ],
)
def test_check_digit(digits, check):
    assert y_tunnus_check_digit(digits) == check


@pytest.mark.parametrize("business_id", ["0112038-9", "1234562-0", ""])
def test_valid_business_ids_are_saved(db, business_id):
    with db.session() as s:
        save_settings(s, BusinessSettings(business_id=business_id))
    with db.session() as s:
        assert load_settings(s).business_id == business_id


@pytest.mark.parametrize("business_id", ["0112038-8", "1234568-0", "112038-9", "01120389", "x"])
def test_bad_business_ids_are_refused_and_nothing_is_saved(db, business_id):
    with pytest.raises(ValidationError) as caught, db.session() as s:
        save_settings(s, BusinessSettings(name="Kahvila", business_id=business_id))
    assert set(caught.value.fields) == {"business_id"}
    with db.session() as s:
        assert load_settings(s) == BusinessSettings()


def test_foreign_business_ids_are_not_checked(db):
    with db.session() as s:
        save_settings(s, BusinessSettings(country="SE", business_id="556016-0680"))
    with db.session() as s:
        assert load_settings(s).business_id == "556016-0680"
