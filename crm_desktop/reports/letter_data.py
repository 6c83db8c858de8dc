"""What a letter is made of: plain, ready-to-print text; no database objects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sender:
    """The business sending the letter: letterhead and footer."""

    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    business_id: str = ""  # Finnish "Y-tunnus", e.g. 1234567-8
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: Path | None = None  # drawn only if the file exists

    def address_lines(self) -> tuple[str, ...]:
        """Street, "postal code city" and country, leaving out what is empty."""
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return tuple(line for line in (self.street, town, self.country) if line)


@dataclass(frozen=True)
class LetterData:
    """One letter, already in the recipient's language.

    ``date_text`` is formatted by the caller (``22. marraskuuta 2026``); ``language`` picks
    the printed labels (``Y-tunnus``). Body paragraphs may hold single line breaks.
    """

    sender: Sender
    recipient_lines: tuple[str, ...]
    date_text: str
    subject: str
    body_paragraphs: tuple[str, ...]
    closing: str
    signature: str  # may hold line breaks: name, then title
    language: str
    reference: str = ""
