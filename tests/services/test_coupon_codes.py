"""Coupon codes: format, randomness, normalisation, and typos caught by the check symbol."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_desktop.services import coupon_codes
from crm_desktop.services.coupon_codes import (
    ALPHABET,
    CODE_LENGTH,
    RANDOM_BITS,
    check_code,
    check_symbol,
    group_code,
    new_code,
    normalise_code,
)

GROUPED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-"
                     r"[0-9A-HJKMNP-TV-Z]$")
bodies = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH - 1, max_size=CODE_LENGTH - 1)


def with_check(body: str) -> str:
    return body + check_symbol(body)


def test_alphabet_is_crockford_base32_without_i_l_o_u():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_a_new_code_is_thirteen_symbols_and_prints_in_groups_of_four():
    code = new_code()
    assert len(code) == CODE_LENGTH == 13
    assert GROUPED.match(group_code(code))
    assert check_code(code) == code


def test_codes_carry_at_least_60_random_bits():
    assert RANDOM_BITS >= 60
    assert (CODE_LENGTH - 1) * 5 == RANDOM_BITS  # every symbol but the check is random


def test_codes_come_from_secrets(monkeypatch):
    monkeypatch.setattr(coupon_codes.secrets, "choice", lambda alphabet: alphabet[7])
    assert new_code()[:-1] == "7" * 12


def test_every_position_uses_the_whole_alphabet():
    codes = [new_code() for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    for position in range(CODE_LENGTH - 1):
        counts = Counter(code[position] for code in codes)
        # 3000 draws of 32 symbols: each appears ~94 times; a missing one means no randomness.
        assert set(counts) == set(ALPHABET)
        assert max(counts.values()) < 180


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7kq4-xm2b-9r0d-f", "7KQ4XM2B9R0DF"),
        ("  7KQ4 XM2B 9R0D F ", "7KQ4XM2B9R0DF"),
        ("7kq4–xm2b—9r0d‑f", "7KQ4XM2B9R0DF"),  # dashes a word processor or phone puts in
        ("iIlL oO", "111100"),
    ],
)
def test_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


def test_typed_lookalikes_and_case_still_find_the_code():
    code = with_check("1100ABCDEFGH")
    typed = "il" + "oO" + "-abcd efgh-" + code[-1].lower()
    assert check_code(typed) == code


@pytest.mark.parametrize(
    "typed",
    ["", "ABC", "7KQ4-XM2B-9R0D", "7KQ4-XM2B-9R0D-FF", "7KQ4-XM2B-9R0U-F", "7KQ4-XM2B-9R0D-*"],
)
def test_wrong_length_or_symbols_is_no_code(typed):
    assert check_code(typed) is None


def test_every_single_substitution_is_caught_exhaustively():
    code = new_code()
    for position in range(CODE_LENGTH):
        for symbol in ALPHABET:
            if symbol != code[position]:
                typo = code[:position] + symbol + code[position + 1 :]
                assert check_code(typo) is None, (code, typo)


def swap(code: str, position: int) -> str:
    return code[:position] + code[position + 1] + code[position] + code[position + 2 :]


def test_every_adjacent_swap_of_every_pair_of_symbols_is_caught():
    # Plain Luhn mod 32 misses swapping 0 and Z; this tries every pair at every position.
    for first, second in itertools.permutations(ALPHABET, 2):
        for position in range(CODE_LENGTH - 2):
            body = ["K"] * (CODE_LENGTH - 1)
            body[position], body[position + 1] = first, second
            code = with_check("".join(body))
            assert check_code(swap(code, position)) is None, code
    for symbol in ALPHABET:  # the last random symbol swapped with the check symbol
        code = with_check("K" * (CODE_LENGTH - 2) + symbol)
        if code[-1] != code[-2]:
            assert check_code(swap(code, CODE_LENGTH - 2)) is None, code


@given(body=bodies, position=st.integers(0, CODE_LENGTH - 1), symbol=st.sampled_from(ALPHABET))
def test_property_single_substitution_is_caught(body, position, symbol):
    code = with_check(body)
    if code[position] == symbol:
        return
    assert check_code(code[:position] + symbol + code[position + 1 :]) is None


@given(body=bodies, position=st.integers(0, CODE_LENGTH - 2))
def test_property_adjacent_transposition_is_caught(body, position):
    code = with_check(body)
    if code[position] == code[position + 1]:
        return
    assert check_code(swap(code, position)) is None


@given(body=bodies)
def test_property_a_good_code_survives_grouping_and_lower_case(body):
    code = with_check(body)
    assert check_code(group_code(code).lower()) == code
