"""Letters as PDF: text survives, fonts are embedded, pages flow, print runs can be cancelled."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from crm_desktop.reports import Cancelled, ReportError, letter_page
from crm_desktop.reports.letter import render_letter, render_letters
from crm_desktop.reports.letter_data import LetterData, Sender

RECIPIENT = "Łukasz <Żółć> & Дмитрий"
DATE_TEXT = "22. marraskuuta 2026"
PAGE_NUMBER = re.compile(r"(\d+) \(\s*(\d+)\)")


def make_sender(**changes: object) -> Sender:
    sender = Sender(
        name="Kahvila Korvapuusti Oy", street="Kauppakatu 12", postal_code="40100",
        city="Jyväskylä", country="", business_id="1234567-8", phone="+358 40 123 4567",
        email="info@korvapuusti.fi", website="www.korvapuusti.fi", logo_path=None,
    )
    return replace(sender, **changes)  # type: ignore[arg-type]


def make_letter(**changes: object) -> LetterData:
    letter = LetterData(
        sender=make_sender(),
        recipient_lines=(RECIPIENT, "Rantatie 5 B 12", "00100 HELSINKI"),
        date_text=DATE_TEXT,
        subject="Tarjous <vain sinulle> & ystävällesi",
        body_paragraphs=("Hyvä Łukasz,", "kahvi < tee & pulla > keksi."),
        closing="Ystävällisin terveisin",
        signature="Maija Meikäläinen\nyrittäjä",
        language="fi",
        reference="KA-117",
    )
    return replace(letter, **changes)  # type: ignore[arg-type]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def page_numbers(text: str) -> list[tuple[int, int]]:
    return [(int(page), int(total)) for page, total in PAGE_NUMBER.findall(text)]


def long_body(paragraphs: int) -> tuple[str, ...]:
    return tuple(f"Kappale {n}. " + "Tässä kappaleessa on paljon tekstiä. " * 12
                 for n in range(paragraphs))


def test_customer_text_prints_as_written_even_with_markup_characters() -> None:
    pdf = render_letter(make_letter())

    assert pdf.startswith(b"%PDF")
    text = pages_text(pdf)[0]
    assert RECIPIENT in text
    assert DATE_TEXT in text
    assert "Tarjous <vain sinulle> & ystävällesi" in text
    assert "kahvi < tee & pulla > keksi." in text
    assert "Maija Meikäläinen" in text and "yrittäjä" in text
    assert "KA-117" in text


def _font_descriptor(font: DictionaryObject) -> DictionaryObject:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


def test_every_font_on_the_page_is_embedded_dejavu() -> None:
    reader = PdfReader(io.BytesIO(render_letter(make_letter())))

    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) >= 2  # regular and bold
    for font in (reference.get_object() for reference in fonts.values()):
        assert "DejaVuSans" in font["/BaseFont"]
        assert "/FontFile2" in _font_descriptor(font)


def test_a_long_body_flows_to_a_numbered_second_page() -> None:
    letter = make_letter(body_paragraphs=long_body(8))

    texts = pages_text(render_letter(letter))

    assert len(texts) == 2
    assert "Kappale 0." in texts[0]
    assert "Kappale 7." in texts[1] and "Maija Meikäläinen" in texts[1]
    assert page_numbers(texts[0]) == [(1, 2)]
    assert page_numbers(texts[1]) == [(2, 2)]
    assert RECIPIENT not in texts[1]  # the address is for the envelope window only


def test_a_print_run_starts_each_letter_on_a_page_of_its_own() -> None:
    letters = [
        make_letter(subject="Kirje yksi"),
        make_letter(subject="Kirje kaksi", body_paragraphs=long_body(8)),
        make_letter(subject="Kirje kolme", recipient_lines=("Дмитрий Иванов", "Tie 1")),
    ]

    texts = pages_text(render_letters(letters))

    assert len(texts) == 4
    assert ["Kirje yksi" in t for t in texts] == [True, False, False, False]
    assert ["Kirje kaksi" in t for t in texts] == [False, True, False, False]
    assert ["Kirje kolme" in t for t in texts] == [False, False, False, True]
    assert [page_numbers(t) for t in texts] == [[(1, 1)], [(1, 2)], [(2, 2)], [(1, 1)]]
    assert "Дмитрий Иванов" in texts[3]


def test_the_closing_and_the_signature_stay_on_one_page() -> None:
    # Bodies growing a line at a time push the sign-off across the page's bottom edge.
    pages_seen = set()
    for lines in range(12, 24):
        body = tuple(f"Rivi {n}." for n in range(lines))
        texts = pages_text(render_letter(make_letter(body_paragraphs=body)))
        closing = [index for index, text in enumerate(texts) if "Ystävällisin terveisin" in text]
        signer = [index for index, text in enumerate(texts) if "Maija Meikäläinen" in text]
        assert closing == signer and len(closing) == 1, lines
        pages_seen.add(len(texts))
    assert pages_seen == {1, 2}


def test_a_print_run_draws_the_letterhead_once_and_shows_it_on_every_page() -> None:
    letters = [make_letter(subject=f"Kirje {n}") for n in range(3)]

    pages = PdfReader(io.BytesIO(render_letters(letters))).pages

    shown = [set(page["/Resources"]["/XObject"].values()) for page in pages]
    assert len(shown) == 3 and shown[0] == shown[1] == shown[2] and len(shown[0]) == 1


def test_progress_counts_letters_and_false_cancels_the_run() -> None:
    letters = [make_letter(subject=f"Kirje {n}") for n in range(3)]
    seen: list[int] = []

    render_letters(letters, progress=lambda done: seen.append(done) is None)
    assert seen == [0, 1, 2, 3]

    seen.clear()
    with pytest.raises(Cancelled):
        render_letters(letters, progress=lambda done: seen.append(done) or done < 2)
    assert seen == [0, 1, 2]


def test_nothing_to_print_is_refused() -> None:
    with pytest.raises(ReportError, match="no letters"):
        render_letters([])


class _Catalog(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)


def test_printed_labels_follow_the_letters_language_not_the_interface(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    finnish = _Catalog({"Business ID {business_id}": "Y-tunnus {business_id}",
                        "Reference: {reference}": "Viite: {reference}"})
    catalogs = {"fi": finnish, "en": _Catalog({})}
    monkeypatch.setattr(letter_page, "translations_for", catalogs.__getitem__)

    pdf = render_letters([make_letter(language="fi"), make_letter(language="en")])

    finnish_text, english_text = pages_text(pdf)
    assert "Y-tunnus 1234567-8" in finnish_text and "Viite: KA-117" in finnish_text
    assert "Business ID 1234567-8" in english_text and "Reference: KA-117" in english_text


def test_the_logo_is_drawn_when_the_file_exists(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (120, 60, 20)).save(logo)

    present = make_letter(sender=make_sender(logo_path=logo))
    missing = make_letter(sender=make_sender(logo_path=tmp_path / "gone.png"))
    with_logo = PdfReader(io.BytesIO(render_letter(present)))
    without_logo = PdfReader(io.BytesIO(render_letter(missing)))

    assert images_in(with_logo.pages[0]["/Resources"]) == 1
    assert images_in(without_logo.pages[0]["/Resources"]) == 0


def images_in(resources: DictionaryObject) -> int:
    """Images a page or form shows, also those inside the forms it draws."""
    count = 0
    for reference in resources.get("/XObject", {}).values():
        xobject = reference.get_object()
        if xobject["/Subtype"] == "/Image":
            count += 1
        elif "/Resources" in xobject:
            count += images_in(xobject["/Resources"])
    return count


def test_a_logo_that_is_not_an_image_is_named_in_the_error(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_text("not an image")

    with pytest.raises(ReportError, match="logo"):
        render_letter(make_letter(sender=make_sender(logo_path=logo)))


def test_an_address_too_long_for_the_window_is_refused() -> None:
    lines = tuple(f"Rivi {n}" for n in range(12))

    with pytest.raises(ReportError, match="envelope window"):
        render_letter(make_letter(recipient_lines=lines))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_the_address_lands_in_the_envelope_window(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_letter(make_letter()))
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "60", "-f", "1", "-l", "1",
                    str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")

    def inked(left_mm: float, top_mm: float, right_mm: float, bottom_mm: float) -> bool:
        box = tuple(round(v * 60 / 25.4) for v in (left_mm, top_mm, right_mm, bottom_mm))
        darkest, _ = image.crop(box).getextrema()
        return bool(darkest < 128)

    assert inked(20, 45, 110, 90)  # the window of a C5/C65 envelope
    assert not inked(0, 0, 19, 297)  # nothing in the left margin
    assert not inked(20, 90, 110, 95)  # the window's bottom edge stays clear
    assert inked(20, 277, 190, 297)  # footer
