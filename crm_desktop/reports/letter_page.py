"""What is drawn at fixed places on a letter's pages: letterhead, date, window address, footer.

Distances are from the page's top edge, as on a ruler laid on the paper; ``_y`` turns them
into ReportLab's bottom-up coordinates.

The letterhead and footer are the same on every page a sender sends in one language, so each
is drawn once per document as a form and only referred to on the pages: a run of a thousand
letters then costs one letterhead, not a thousand.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from crm_desktop.i18n import N_, _, translations_for
from crm_desktop.reports import Cancelled, ReportError
from crm_desktop.reports.fonts import BOLD, REGULAR
from crm_desktop.reports.letter_data import LetterData, Sender

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm  # SFS 2487 left margin; also the left edge of the envelope window
RIGHT_MARGIN = 20 * mm
BODY_INDENT = 66 * mm  # SFS 2487 indent: body text starts 46 mm from the margin
DATE_COLUMN = 124 * mm  # SFS 2487 tab for date and reference
PAGE_NUMBER_X = 180 * mm
LOGO_TOP, LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT = 10 * mm, 60 * mm, 12 * mm
HEADER_BASELINE = 16 * mm
# C5/C65 window envelope: window 20 mm from the left, about 45-90 mm from the top.
WINDOW_TOP, WINDOW_WIDTH, WINDOW_HEIGHT = 50 * mm, 85 * mm, 40 * mm
FIRST_BODY_TOP = 98 * mm
LATER_BODY_TOP = 30 * mm
FOOTER_TOP = 22 * mm  # from the bottom edge: the rule above the footer
ADDRESS_SIZE, ADDRESS_LEADING = 10, 13
SMALL_SIZE = 9
FOOTER_SIZE = 7.5
GREY = Color(0.35, 0.35, 0.35)

# Translators: the sender's business ID in a letter's footer (Finnish: "Y-tunnus {business_id}").
BUSINESS_ID_LABEL = N_("Business ID {business_id}")
# Translators: the sender's reference under the date of a letter (Finnish: "Viite: {reference}").
REFERENCE_LABEL = N_("Reference: {reference}")


# What a page's fixed parts are drawn from: "first" or "later" page, sender, label language.
FormKey = tuple[str, Sender, str]


@dataclass
class PrintRun:
    """State shared by the page callbacks while one PDF is built."""

    letters: tuple[LetterData, ...]
    progress: Callable[[int], bool] | None = None
    index: int = 0  # the letter being laid out
    start_page: int = 1  # its first page in the document
    page_letter: int = 0  # the letter the current page belongs to
    _logos: dict[Path, ImageReader | None] = field(default_factory=dict)
    _translations: dict[str, gettext.NullTranslations] = field(default_factory=dict)
    fixed_parts: dict[FormKey, str] = field(default_factory=dict)  # key -> form name

    @property
    def letter(self) -> LetterData:
        return self.letters[self.index]

    def report(self, done: int) -> None:
        if self.progress is not None and not self.progress(done):
            raise Cancelled()

    def finish_letter(self) -> None:
        self.index += 1
        self.report(self.index)

    def count_form_name(self) -> str:
        """The form holding "2)" of "1 (2)" for the letter on the current page."""
        return f"letterPageCount{self.page_letter}"

    def label(self, message: str) -> str:
        """A printed label in the letter's language, whatever the interface speaks."""
        language = self.letter.language
        if language not in self._translations:
            self._translations[language] = translations_for(language)
        return self._translations[language].gettext(message)

    def logo(self, path: Path | None) -> ImageReader | None:
        if path is None or not path.is_file():
            return None
        if path not in self._logos:
            self._logos[path] = _read_image(path)
        return self._logos[path]


def _read_image(path: Path) -> ImageReader:
    try:
        image = ImageReader(str(path))
        image.getSize()
    except Exception:  # ReportLab and Pillow raise many kinds for a bad file
        raise ReportError(
            _("The logo {path} cannot be read as an image.").format(path=path)
        ) from None
    return image


def _y(distance_from_top: float) -> float:
    return float(PAGE_HEIGHT - distance_from_top)


def draw_first_page(canvas: Canvas, run: PrintRun) -> None:
    run.start_page = canvas.getPageNumber()
    run.page_letter = run.index
    letter = run.letter
    canvas.saveState()
    canvas.doForm(_fixed_parts_form(canvas, run, "first", _draw_first_fixed_parts))
    _draw_date_block(canvas, run, letter)
    _draw_recipient(canvas, letter.recipient_lines)
    canvas.restoreState()


def draw_later_page(canvas: Canvas, run: PrintRun) -> None:
    run.page_letter = run.index
    canvas.saveState()
    canvas.doForm(_fixed_parts_form(canvas, run, "later", _draw_later_fixed_parts))
    _draw_line(canvas, run.letter.date_text, DATE_COLUMN, _y(HEADER_BASELINE), REGULAR,
               SMALL_SIZE, PAGE_NUMBER_X - DATE_COLUMN - 3 * mm)
    canvas.restoreState()


def finish_page(canvas: Canvas, run: PrintRun) -> None:
    """Number the page as it ends: by then it is known whether its letter goes on."""
    number = canvas.getPageNumber() - run.start_page + 1
    baseline = _y(HEADER_BASELINE)
    canvas.saveState()
    canvas.setFont(REGULAR, SMALL_SIZE)
    canvas.setFillColor(black)
    if run.index > run.page_letter:  # the letter ended here, so this page is its last
        canvas.drawString(PAGE_NUMBER_X, baseline, f"{number} ({number})")
        if number > 1:
            _define_page_count(canvas, run, number)
    else:
        # The total is not known until the letter is laid out; a form filled in on its last
        # page supplies it, so the document is still built in one pass.
        text = f"{number} ("
        canvas.drawString(PAGE_NUMBER_X, baseline, text)
        canvas.translate(PAGE_NUMBER_X + stringWidth(text, REGULAR, SMALL_SIZE), baseline)
        canvas.doForm(run.count_form_name())
    canvas.restoreState()


def _define_page_count(canvas: Canvas, run: PrintRun, count: int) -> None:
    """The form that completes "1 (" on the earlier pages of the letter just finished."""
    # The box reaches below the baseline so descenders are not clipped.
    canvas.beginForm(run.count_form_name(), lowerx=0, lowery=-10, upperx=100, uppery=30)
    canvas.setFont(REGULAR, SMALL_SIZE)
    canvas.setFillColor(black)
    canvas.drawString(0, 0, f"{count})")
    canvas.endForm()


def _fixed_parts_form(
    canvas: Canvas, run: PrintRun, page: str, draw: Callable[[Canvas, PrintRun], None]
) -> str:
    """The name of the form with this page's letterhead and footer, drawn on first use."""
    key = (page, run.letter.sender, run.letter.language)
    name = run.fixed_parts.get(key)
    if name is None:
        name = f"letterFixedParts{len(run.fixed_parts)}"
        canvas.beginForm(name)
        draw(canvas, run)
        canvas.endForm()
        run.fixed_parts[key] = name
    return name


def _draw_first_fixed_parts(canvas: Canvas, run: PrintRun) -> None:
    _draw_letterhead(canvas, run, run.letter.sender)
    _draw_footer(canvas, run, run.letter.sender)


def _draw_later_fixed_parts(canvas: Canvas, run: PrintRun) -> None:
    sender = run.letter.sender
    _draw_line(canvas, sender.name, MARGIN, _y(HEADER_BASELINE), BOLD, SMALL_SIZE,
               DATE_COLUMN - MARGIN - 5 * mm)
    _draw_footer(canvas, run, sender)


def _draw_letterhead(canvas: Canvas, run: PrintRun, sender: Sender) -> None:
    width = DATE_COLUMN - MARGIN - 5 * mm
    logo_bottom = _draw_logo(canvas, run.logo(sender.logo_path))
    baseline = _y(logo_bottom + 4 * mm if logo_bottom else HEADER_BASELINE)
    size = _name_size(sender.name, 11 if logo_bottom else 13, width)
    baseline = _draw_wrapped(canvas, sender.name, MARGIN, baseline, BOLD, size, width) - 2
    for line in sender.address_lines():
        _draw_line(canvas, line, MARGIN, baseline, REGULAR, SMALL_SIZE, width)
        baseline -= SMALL_SIZE + 2


def _name_size(name: str, largest: float, width: float) -> float:
    """The largest size, down to 9 pt, at which the name fits on two lines."""
    # Two lines and three address lines under the logo still end above the envelope window.
    size = largest
    while size > 9 and len(simpleSplit(name, BOLD, size, width)) > 2:
        size -= 1
    return size


def _draw_logo(canvas: Canvas, logo: ImageReader | None) -> float:
    """Draw the logo at the top left; returns its bottom edge from the page top (0: none)."""
    if logo is None:
        return 0.0
    image_width, image_height = logo.getSize()
    scale = min(LOGO_MAX_WIDTH / image_width, LOGO_MAX_HEIGHT / image_height)
    width, height = image_width * scale, image_height * scale
    canvas.drawImage(logo, MARGIN, _y(LOGO_TOP + height), width, height, mask="auto")
    return float(LOGO_TOP + height)


def _draw_wrapped(
    canvas: Canvas,
    text: str,
    x: float,
    baseline: float,
    font: str,
    size: float,
    width: float,
    color: Color = black,
    max_lines: int = 2,
) -> float:
    """Draw text in at most ``max_lines`` lines (the last set smaller if it must); returns
    the next free baseline."""
    lines = simpleSplit(text, font, size, width)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    for line in lines:
        _draw_line(canvas, line, x, baseline, font, size, width, color)
        baseline -= size * 1.25
    return baseline


def _draw_date_block(canvas: Canvas, run: PrintRun, letter: LetterData) -> None:
    width = PAGE_NUMBER_X - DATE_COLUMN - 3 * mm
    baseline = _y(HEADER_BASELINE)
    _draw_line(canvas, letter.date_text, DATE_COLUMN, baseline, REGULAR, ADDRESS_SIZE, width)
    if letter.reference.strip():
        text = run.label(REFERENCE_LABEL).format(reference=letter.reference.strip())
        _draw_line(canvas, text, DATE_COLUMN, baseline - 14, REGULAR, SMALL_SIZE,
                   PAGE_WIDTH - RIGHT_MARGIN - DATE_COLUMN)


def _draw_recipient(canvas: Canvas, recipient_lines: tuple[str, ...]) -> None:
    lines = [
        wrapped
        for line in recipient_lines
        if line.strip()
        for wrapped in simpleSplit(line.strip(), REGULAR, ADDRESS_SIZE, WINDOW_WIDTH)
    ]
    if len(lines) * ADDRESS_LEADING > WINDOW_HEIGHT:
        raise ReportError(_("The recipient's address is too long for the envelope window."))
    canvas.setFont(REGULAR, ADDRESS_SIZE)
    canvas.setFillColor(black)
    baseline = _y(WINDOW_TOP) - ADDRESS_SIZE
    for line in lines:
        canvas.drawString(MARGIN, baseline, line)
        baseline -= ADDRESS_LEADING


def _draw_footer(canvas: Canvas, run: PrintRun, sender: Sender) -> None:
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, FOOTER_TOP, PAGE_WIDTH - RIGHT_MARGIN, FOOTER_TOP)
    business_id = ""
    if sender.business_id.strip():
        business_id = run.label(BUSINESS_ID_LABEL).format(business_id=sender.business_id.strip())
    columns = (
        (MARGIN, (sender.name, business_id)),
        (BODY_INDENT, (sender.phone, sender.email)),
        (DATE_COLUMN, (sender.website,)),
    )
    edges = (BODY_INDENT, DATE_COLUMN, PAGE_WIDTH - RIGHT_MARGIN)
    for (x, texts), right in zip(columns, edges, strict=True):
        _draw_footer_column(canvas, x, right - x - 3 * mm, texts)


def _draw_footer_column(canvas: Canvas, x: float, width: float, texts: tuple[str, ...]) -> None:
    baseline = FOOTER_TOP - 4.5 * mm
    for text in texts:
        if text.strip():
            baseline = _draw_wrapped(
                canvas, text.strip(), x, baseline, REGULAR, FOOTER_SIZE, width, GREY, max_lines=3
            )


def _draw_line(
    canvas: Canvas,
    text: str,
    x: float,
    baseline: float,
    font: str,
    size: float,
    width: float,
    color: Color = black,
) -> None:
    """One line of text, set smaller when it would run past ``width``."""
    natural = stringWidth(text, font, size)
    if natural > width > 0:
        # Tiny type is still legible under a loupe; text running into its neighbour is not.
        size = size * width / natural
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    canvas.drawString(x, baseline, text)
