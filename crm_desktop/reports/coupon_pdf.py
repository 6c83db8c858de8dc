"""Coupons as PDF: one on a page, or four to an A4 sheet with crop marks for cutting.

A coupon is a 190 × 64 mm ticket: the business, the value in big type, who it is for, the
last valid day and the terms on the left; behind a dashed tear line, a stub with a QR code,
a Code128 barcode (both hold the code without dashes, as scanners type it) and the code in
text. Four of them stack on A4 with crop marks in the margins and the gaps.

Encoding a QR code is the slow part (several milliseconds each), so long runs report
progress per coupon and can be cancelled, as letters can.
"""

from __future__ import annotations

import gettext
import io
import itertools
from collections.abc import Callable, Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from crm_desktop import APP_NAME
from crm_desktop.i18n import N_, _, translations_for
from crm_desktop.reports import Cancelled, ReportError
from crm_desktop.reports.coupon_data import CouponPrint
from crm_desktop.reports.fonts import BOLD, REGULAR, register_fonts

__all__ = [
    "Cancelled",
    "CouponPrint",
    "ReportError",
    "draw_coupon",
    "render_coupon",
    "render_coupons",
]

Progress = Callable[[int], bool]

PAGE_WIDTH, PAGE_HEIGHT = float(A4[0]), float(A4[1])
COUPON_WIDTH: float = 190 * mm
COUPON_HEIGHT: float = 64 * mm
PER_PAGE_CHOICES = (1, 4)
SLOT_HEIGHT = PAGE_HEIGHT / 4
COUPON_LEFT = (PAGE_WIDTH - COUPON_WIDTH) / 2

INSET = 3 * mm  # the printed frame sits inside the cut line, so a crooked cut keeps it
TEXT_LEFT = 9 * mm
STUB_LEFT = 130 * mm  # the dashed tear line
TEXT_WIDTH = STUB_LEFT - TEXT_LEFT - 5 * mm
STUB_CENTRE = (STUB_LEFT + COUPON_WIDTH - INSET) / 2
QR_SIZE = 29 * mm
QR_BORDER_MODULES = 2  # the white stub around it completes the quiet zone
BAR_WIDTH = 0.26 * mm  # thin bars still read reliably from office laser printers
BAR_HEIGHT = 10 * mm
VALUE_SIZE = 30
VALUE_MIN_SIZE = 20
VALUE_WRAPPED_SIZE = 17
MARK_GAP = 1.5 * mm
MARK_LENGTH = 3 * mm

ACCENT = Color(0.11, 0.36, 0.35)
MUTED = Color(0.33, 0.33, 0.33)
RULE = Color(0.55, 0.55, 0.55)

HEADING = N_("Coupon")
FOR_NAME = N_("For {name}")
VALID_UNTIL = N_("Valid until {date}")
CAPTION_DISCOUNT = N_("off your purchase")
CAPTION_FREE = N_("with our compliments")
DEFAULT_TERMS = N_("Valid once. Show this coupon when you pay.")


def render_coupon(coupon: CouponPrint) -> bytes:
    """One coupon on an A4 page, at the top, with crop marks."""
    return render_coupons((coupon,), per_page=1)


def render_coupons(
    coupons: Sequence[CouponPrint], per_page: int = 4, progress: Progress | None = None
) -> bytes:
    """Coupons in one PDF, ``per_page`` (1 or 4) to an A4 sheet.

    ``progress(done)`` is called with 0 before the work starts and after each finished
    coupon with how many are done; when it returns False the run stops with Cancelled.
    """
    if not coupons:
        raise ReportError(_("There are no coupons to print."))
    if per_page not in PER_PAGE_CHOICES:
        raise ReportError(_("Coupons print one or four to a page, not {count}.").format(
            count=per_page
        ))
    register_fonts()
    _report(progress, 0)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, coupons[0])
    labels = Labels()
    for index, coupon in enumerate(coupons):
        slot = index % per_page
        if slot == 0:
            if index:
                canvas.showPage()
            _draw_crop_marks(canvas, min(per_page, len(coupons) - index))
        draw_coupon(canvas, coupon, COUPON_LEFT, _slot_bottom(slot), labels)
        _report(progress, index + 1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _canvas(buffer: io.BytesIO, first: CouponPrint) -> Canvas:
    # initialFontName: otherwise the page starts in Helvetica, a font that is never embedded.
    canvas = Canvas(buffer, pagesize=A4, initialFontName=REGULAR, pageCompression=1)
    canvas.setTitle(_("Coupons"))
    canvas.setAuthor(first.business_name)
    canvas.setCreator(APP_NAME)
    return canvas


def _report(progress: Progress | None, done: int) -> None:
    if progress is not None and not progress(done):
        raise Cancelled()


def _slot_bottom(slot: int) -> float:
    """The bottom edge of the coupon in the slot'th quarter of the page, from the top."""
    return PAGE_HEIGHT - (slot + 1) * SLOT_HEIGHT + (SLOT_HEIGHT - COUPON_HEIGHT) / 2


class Labels:
    """The printed labels in each coupon's language, whatever the interface speaks."""

    def __init__(self) -> None:
        self._catalogs: dict[str, gettext.NullTranslations] = {}

    def text(self, language: str, message: str) -> str:
        if language not in self._catalogs:
            self._catalogs[language] = translations_for(language)
        return self._catalogs[language].gettext(message)


def draw_coupon(
    canvas: Canvas, coupon: CouponPrint, x: float, y: float, labels: Labels | None = None
) -> None:
    """Draw one coupon with its lower left corner at (x, y); the cut line is its edge."""
    labels = labels or Labels()
    canvas.saveState()
    canvas.translate(x, y)
    _draw_frame(canvas)
    _draw_text_side(canvas, coupon, labels)
    _draw_stub(canvas, coupon)
    canvas.restoreState()


def _draw_frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.roundRect(INSET, INSET, COUPON_WIDTH - 2 * INSET, COUPON_HEIGHT - 2 * INSET,
                     3 * mm, stroke=1, fill=0)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.setDash(2, 2)
    canvas.line(STUB_LEFT, INSET + 4 * mm, STUB_LEFT, COUPON_HEIGHT - INSET - 4 * mm)
    canvas.setDash()


def _draw_text_side(canvas: Canvas, coupon: CouponPrint, labels: Labels) -> None:
    def label(message: str) -> str:
        return labels.text(coupon.language, message)

    y = COUPON_HEIGHT - INSET - 7.5 * mm
    heading = label(HEADING).upper()
    _draw_line(canvas, heading, BOLD, 8, MUTED, y, align_right=True, spacing=1.5)
    heading_room = stringWidth(heading, BOLD, 8) + len(heading) * 1.5 + 4 * mm
    _draw_line(canvas, coupon.business_name, BOLD, 12, ACCENT, y, width=TEXT_WIDTH - heading_room)
    y = _draw_value(canvas, coupon.value_text, y - 13.5 * mm)
    caption = CAPTION_FREE if coupon.kind == "free_item" else CAPTION_DISCOUNT
    y -= 5 * mm
    _draw_line(canvas, label(caption), REGULAR, 9, MUTED, y)
    y -= 1 * mm
    if coupon.customer_name:
        y -= 5 * mm
        _draw_line(canvas, label(FOR_NAME).format(name=coupon.customer_name), REGULAR, 10.5,
                   None, y)
    if coupon.expires_text:
        y -= 5 * mm
        _draw_line(canvas, label(VALID_UNTIL).format(date=coupon.expires_text), BOLD, 10.5,
                   None, y)
    footer = INSET + 3 * mm
    terms_bottom = footer + 4.5 * mm if coupon.business_line else footer
    _draw_terms(canvas, coupon.terms.strip() or label(DEFAULT_TERMS), y - 5.5 * mm, terms_bottom)
    if coupon.business_line:
        _draw_line(canvas, coupon.business_line, REGULAR, 7, MUTED, footer)


def _draw_value(canvas: Canvas, text: str, baseline: float) -> float:
    """The value in big type; a long one ("Free cinnamon bun and coffee") takes two lines.

    Returns the baseline of its last line.
    """
    text = " ".join(text.split())
    size = VALUE_SIZE
    while size > VALUE_MIN_SIZE and stringWidth(text, BOLD, size) > TEXT_WIDTH:
        size -= 1
    if stringWidth(text, BOLD, size) <= TEXT_WIDTH:
        _draw_line(canvas, text, BOLD, size, ACCENT, baseline)
        return baseline
    lines = simpleSplit(text, BOLD, VALUE_WRAPPED_SIZE, TEXT_WIDTH)
    first, rest = lines[0], " ".join(lines[1:])
    line_gap = VALUE_WRAPPED_SIZE * 1.1
    _draw_line(canvas, first, BOLD, VALUE_WRAPPED_SIZE, ACCENT, baseline + line_gap / 2)
    _draw_line(canvas, rest, BOLD, VALUE_WRAPPED_SIZE, ACCENT, baseline - line_gap / 2)
    return baseline - line_gap / 2


def _draw_terms(canvas: Canvas, terms: str, first_baseline: float, lowest: float) -> None:
    size, leading = 7.5, 9
    room = max(1, min(3, int((first_baseline - lowest) // leading) + 1))
    lines = simpleSplit(" ".join(terms.split()), REGULAR, size, TEXT_WIDTH)
    if len(lines) > room:
        rest = " ".join(lines[room - 1 :])
        lines = [*lines[: room - 1], _ellipsised(rest, REGULAR, size, TEXT_WIDTH)]
    for number, line in enumerate(lines):
        _draw_line(canvas, line, REGULAR, size, MUTED, first_baseline - number * leading)


def _draw_line(
    canvas: Canvas, text: str, font: str, size: float, colour: Color | None, baseline: float,
    *, width: float = TEXT_WIDTH, min_size: float | None = None, align_right: bool = False,
    spacing: float = 0,
) -> None:
    """One line of text that never runs into the stub: shrunk to ``min_size``, then cut."""
    text = " ".join(text.split())
    if min_size is not None:
        while size > min_size and stringWidth(text, font, size) > width:
            size -= 1
    text = _ellipsised(text, font, size, width)
    canvas.setFillColor(colour or Color(0, 0, 0))
    written = canvas.beginText()
    written.setFont(font, size)
    if spacing:
        written.setCharSpace(spacing)
    left = TEXT_LEFT
    if align_right:
        left = TEXT_LEFT + TEXT_WIDTH - stringWidth(text, font, size) - spacing * len(text)
    written.setTextOrigin(left, baseline)
    written.textOut(text)
    if spacing:
        written.setCharSpace(0)  # PDF keeps the spacing for later text on the page otherwise
    canvas.drawText(written)


def _ellipsised(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip(" .,;:") + "…"


def _draw_stub(canvas: Canvas, coupon: CouponPrint) -> None:
    qr_bottom = COUPON_HEIGHT - INSET - 4 * mm - QR_SIZE
    _draw_qr(canvas, coupon.code, STUB_CENTRE - QR_SIZE / 2, qr_bottom, QR_SIZE)
    barcode = Code128(coupon.code, barWidth=BAR_WIDTH, barHeight=BAR_HEIGHT, quiet=0,
                      humanReadable=0)
    bar_bottom = qr_bottom - 2 * mm - BAR_HEIGHT
    barcode.drawOn(canvas, STUB_CENTRE - barcode.width / 2, bar_bottom)
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(STUB_CENTRE, bar_bottom - 5 * mm, coupon.code_text)


def _draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path of dark runs, straight from the encoder's matrix.

    ReportLab's QrCodeWidget builds a shape object per run, which costs as much again as
    encoding; the symbol drawn here is the same.
    """
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    module = size / (qr.getModuleCount() + 2 * QR_BORDER_MODULES)
    path = canvas.beginPath()
    for row_number, row in enumerate(qr.modules):
        bottom = y + size - (row_number + QR_BORDER_MODULES + 1) * module
        column = QR_BORDER_MODULES
        for dark, cells in itertools.groupby(row, key=bool):
            length = sum(1 for _cell in cells)
            if dark:
                path.rect(x + column * module, bottom, length * module, module)
            column += length
    canvas.setFillColor(Color(0, 0, 0))
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_crop_marks(canvas: Canvas, coupons_on_page: int) -> None:
    """Short lines outside each coupon's corners, where the cuts go."""
    canvas.saveState()
    canvas.setStrokeColor(Color(0, 0, 0))
    canvas.setLineWidth(0.3)
    left, right = COUPON_LEFT, COUPON_LEFT + COUPON_WIDTH
    for slot in range(coupons_on_page):
        bottom = _slot_bottom(slot)
        for y in (bottom, bottom + COUPON_HEIGHT):
            canvas.line(left - MARK_GAP - MARK_LENGTH, y, left - MARK_GAP, y)
            canvas.line(right + MARK_GAP, y, right + MARK_GAP + MARK_LENGTH, y)
        for x in (left, right):
            top = bottom + COUPON_HEIGHT
            canvas.line(x, top + MARK_GAP, x, top + MARK_GAP + MARK_LENGTH)
            canvas.line(x, bottom - MARK_GAP, x, bottom - MARK_GAP - MARK_LENGTH)
    canvas.restoreState()
