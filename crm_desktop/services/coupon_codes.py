"""Coupon codes: random, easy to read aloud, with a check character that catches typos.

A code is 12 random symbols of Crockford's base32 (0-9 and A-Z without I, L, O and U), so
60 bits from ``secrets``, followed by one check symbol, printed in groups: ``7KQ4-XM2B-9R0D-F``.
The stored and scanned form is the same 13 symbols without dashes.

The check symbol makes the weighted sum ``sum(v_i * 2**(n-i))`` zero in the field GF(32)
(the Luhn idea carried over to 32 symbols). In that field every power of 2 is non-zero and
``2**d != 1`` for any distance below 31, so one wrong symbol, two swapped neighbours and
even two swapped symbols further apart always change the sum. Plain Luhn mod 32 would let
a swap of ``0`` and ``Z`` through.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 12
RANDOM_BITS = RANDOM_SYMBOLS * 5
CODE_LENGTH = RANDOM_SYMBOLS + 1
GROUP = 4

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# What people type for the symbols that are left out: they look the same on paper.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_FIELD_POLYNOMIAL = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)


def _times_two(value: int) -> int:
    """Multiply by x in GF(32)."""
    value <<= 1
    if value & 0b100000:
        value ^= _FIELD_POLYNOMIAL
    return value


def _weighted_sum(values: list[int]) -> int:
    total = 0
    for value in values:
        total = _times_two(total) ^ value
    return total


def check_symbol(body: str) -> str:
    """The check symbol for ``body`` (normalised symbols without the check)."""
    total = _weighted_sum([_VALUES[symbol] for symbol in body])
    # Appending c gives 2*total + c, and addition in GF(32) is XOR: c = 2*total zeroes it.
    return ALPHABET[_times_two(total)]


def new_code() -> str:
    """A fresh random code in its normalised form (13 symbols, no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return body + check_symbol(body)


def group_code(code: str) -> str:
    """``7KQ4XM2B9R0DF`` → ``7KQ4-XM2B-9R0D-F`` for printing and reading aloud."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str:
    """What a person typed or a scanner sent, in the stored form.

    Case does not matter, I and L read as 1, O as 0, and spaces and dashes are dropped.
    The result is not checked; see :func:`check_code`.
    """
    kept = "".join(char for char in typed if not char.isspace() and char not in "-‐‑–—")
    return kept.upper().translate(_LOOKALIKES)


def is_well_formed(code: str) -> bool:
    """Right length and only symbols of the alphabet (``code`` already normalised)."""
    return len(code) == CODE_LENGTH and all(symbol in _VALUES for symbol in code)


def check_code(typed: str) -> str | None:
    """The normalised code, or None when it cannot be a code: a typo, caught before lookup."""
    code = normalise_code(typed)
    if not is_well_formed(code):
        return None
    if _weighted_sum([_VALUES[symbol] for symbol in code]) != 0:
        return None
    return code
