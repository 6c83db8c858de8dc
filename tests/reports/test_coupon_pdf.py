"""Coupons as PDF: the text survives, fonts are embedded, four to a page, codes scan."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from crm_desktop.reports import Cancelled, ReportError
from crm_desktop.reports.coupon_pdf import CouponPrint, render_coupon, render_coupons
from crm_desktop.services.coupon_codes import group_code, new_code

NAME = "Łukasz <Żółć> & Дмитрий"


def make_coupon(**changes: object) -> CouponPrint:
    code = str(changes.pop("code", None) or new_code())
    coupon = CouponPrint(
        business_name="Kahvila Korvapuusti Oy", code=code, code_text=group_code(code),
        kind="percent", value_text="20 %", language="fi", customer_name=NAME,
        expires_text="31.12.2026", terms="Ei voi yhdistää muihin etuihin.",
        business_line="Kauppakatu 12, 40100 Jyväskylä · www.korvapuusti.fi",
    )
    return replace(coupon, **changes)  # type: ignore[arg-type]


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_coupon_carries_name_value_expiry_terms_and_code():
    coupon = make_coupon()
    (text,) = pages(render_coupon(coupon))
    for expected in (NAME, "20 %", "31.12.2026", "Kahvila Korvapuusti Oy",
                     "Ei voi yhdistää muihin etuihin.", coupon.code_text, "Kauppakatu 12"):
        assert expected in text, expected


def test_labels_follow_the_coupon_language_not_the_interface(monkeypatch):
    seen: list[str] = []

    class Catalog:
        def __init__(self, language: str) -> None:
            self.language = language

        def gettext(self, message: str) -> str:
            return f"[{self.language}] {message}"

    def fake_translations(language: str) -> Catalog:
        seen.append(language)
        return Catalog(language)

    monkeypatch.setattr("crm_desktop.reports.coupon_pdf.translations_for", fake_translations)
    (text,) = pages(render_coupon(make_coupon(language="fi")))
    assert "[fi] Valid until 31.12.2026" in text
    assert seen == ["fi"]


def test_eight_coupons_four_up_make_two_pages_and_five_make_two_too():
    eight = [make_coupon(customer_name=f"Asiakas {n}") for n in range(8)]
    texts = pages(render_coupons(eight, per_page=4))
    assert len(texts) == 2
    assert [sum(f"Asiakas {n}" in text for n in range(8)) for text in texts] == [4, 4]
    assert len(pages(render_coupons(eight[:5], per_page=4))) == 2
    assert len(pages(render_coupons(eight[:3], per_page=1))) == 3


def test_fonts_are_embedded_dejavu():
    reader = PdfReader(io.BytesIO(render_coupons([make_coupon(), make_coupon(kind="amount")])))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in font["/FontDescriptor"]
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts)


def test_no_coupons_or_an_odd_layout_is_a_report_error():
    with pytest.raises(ReportError):
        render_coupons([])
    with pytest.raises(ReportError, match="one or four"):
        render_coupons([make_coupon()], per_page=3)


def test_progress_counts_each_coupon_and_can_cancel():
    seen: list[int] = []
    batch = [make_coupon() for _ in range(5)]
    render_coupons(batch, progress=lambda done: seen.append(done) or True)
    assert seen == [0, 1, 2, 3, 4, 5]
    with pytest.raises(Cancelled):
        render_coupons(batch, progress=lambda done: done < 2)


def test_long_texts_stay_out_of_the_stub():
    coupon = make_coupon(value_text="Ilmainen korvapuusti ja iso kaurajuomalatte " * 3,
                         customer_name="Maria-Magdalena " * 6, terms="Pieni präntti. " * 20)
    (text,) = pages(render_coupon(coupon))
    assert "…" in text
    assert coupon.code_text in text


def render_page(pdf: bytes, tmp_path: Path, dpi: int) -> Path:
    source = tmp_path / "coupons.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True, timeout=120)
    return next(tmp_path.glob("page*.png"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_the_page_renders_with_four_coupons_in_ink(tmp_path):
    image = Image.open(render_page(render_coupons([make_coupon() for _ in range(4)]), tmp_path,
                                   60)).convert("L")
    width, height = image.size
    for quarter in range(4):
        band = image.crop((0, quarter * height // 4, width, (quarter + 1) * height // 4))
        dark = sum(band.histogram()[:128])
        assert dark > 0.03 * band.width * band.height  # QR, barcode and big value have ink


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="needs zbarimg (zbar-tools) and pdftoppm")
def test_qr_and_code128_scan_as_the_plain_code(tmp_path):
    batch = [make_coupon() for _ in range(4)]
    png = render_page(render_coupons(batch), tmp_path, 300)
    result = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True,
                            timeout=120)
    found = set(result.stdout.split())
    codes = {coupon.code for coupon in batch}
    assert {f"QR-Code:{code}" for code in codes} <= found
    assert {f"CODE-128:{code}" for code in codes} <= found


def test_letter_spaced_labels_do_not_spread_the_text_after_them():
    # PDF keeps character spacing (Tc) across text objects: the spaced "COUPON" label must
    # not leak into the code, the name or the expiry drawn after it.
    from pypdf.generic import ContentStream

    coupon = make_coupon()
    reader = PdfReader(io.BytesIO(render_coupon(coupon)))
    page = reader.pages[0]
    content = ContentStream(page.get_contents(), reader)
    spacing, spaced_runs, plain_runs = 0.0, 0, 0
    for operands, operator in content.operations:
        if operator == b"Tc":
            spacing = float(operands[0])
        elif operator == b"Tj":
            spaced_runs += spacing != 0
            plain_runs += spacing == 0
    assert spaced_runs >= 1  # the label itself is spaced...
    assert plain_runs > spaced_runs  # ...and everything else is not
