"""Business letters as PDF: one letter or a whole print run in one document.

The page follows the Finnish SFS 2487 grid on A4: a 20 mm left margin, the body at the
indent 46 mm further in, date and reference in the column at 124 mm, and the recipient's
address where the window of a C5/C65 envelope shows it. Page numbers read "1 (2)".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

from crm_desktop import APP_NAME
from crm_desktop.i18n import _
from crm_desktop.reports import Cancelled, ReportError
from crm_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from crm_desktop.reports.letter_data import LetterData, Sender
from crm_desktop.reports.letter_page import (
    BODY_INDENT,
    FIRST_BODY_TOP,
    FOOTER_TOP,
    LATER_BODY_TOP,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    PrintRun,
    draw_first_page,
    draw_later_page,
    finish_page,
)

__all__ = ["Cancelled", "LetterData", "ReportError", "Sender", "render_letter", "render_letters"]

Progress = Callable[[int], bool]

BODY_SIZE = 10
SIGNATURE_SPACE = 15 * mm  # room for a handwritten signature
FRAME_BOTTOM = FOOTER_TOP + 6 * mm  # the body ends above the footer
LATER_FRAME_HEIGHT = PAGE_HEIGHT - LATER_BODY_TOP - FRAME_BOTTOM  # the most room a page has


def render_letter(letter: LetterData) -> bytes:
    """One letter as PDF bytes."""
    return render_letters((letter,))


def render_letters(letters: Sequence[LetterData], progress: Progress | None = None) -> bytes:
    """Many letters in one PDF, each starting on a new page with its own page numbers.

    ``progress(done)`` is called with 0 before the work starts and after each finished
    letter with how many are done; when it returns False the run stops with Cancelled.
    """
    if not letters:
        raise ReportError(_("There are no letters to print."))
    register_fonts()
    run = PrintRun(letters=tuple(letters), progress=progress)
    run.report(0)
    buffer = io.BytesIO()
    document = _document(buffer, run)
    document.build(_story(run))
    return buffer.getvalue()


def _document(buffer: io.BytesIO, run: PrintRun) -> BaseDocTemplate:
    first = run.letters[0]
    width = PAGE_WIDTH - MARGIN - RIGHT_MARGIN
    first_frame = _frame("first", FIRST_BODY_TOP, width)
    later_frame = _frame("later", LATER_BODY_TOP, width)
    return BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        title=first.subject if len(run.letters) == 1 else "",
        author=first.sender.name,
        creator=APP_NAME,
        # Without this the canvas starts in Helvetica, a font reference that is never embedded.
        initialFontName=REGULAR,
        pageTemplates=[
            PageTemplate("first", [first_frame], onPage=lambda c, _d: draw_first_page(c, run),
                         onPageEnd=lambda c, _d: finish_page(c, run),
                         autoNextPageTemplate="later"),
            PageTemplate("later", [later_frame], onPage=lambda c, _d: draw_later_page(c, run),
                         onPageEnd=lambda c, _d: finish_page(c, run)),
        ],
    )


def _frame(name: str, top_from_page_top: float, width: float) -> Frame:
    height = PAGE_HEIGHT - top_from_page_top - FRAME_BOTTOM
    return Frame(MARGIN, FRAME_BOTTOM, width, height, id=name,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _story(run: PrintRun) -> list[Flowable]:
    styles = _Styles()
    story: list[Flowable] = []
    for index, letter in enumerate(run.letters):
        if index:  # a letter's first page is followed by "later" pages on its own
            story += [NextPageTemplate("first"), PageBreak()]
        story += _letter_flowables(letter, styles)
        story.append(_LetterEnd(run))
    return story


class _Styles:
    """Paragraph styles for letters: DejaVu Sans so every alphabet prints."""

    def __init__(self) -> None:
        self.subject = ParagraphStyle(
            "subject", fontName=BOLD, fontSize=BODY_SIZE + 1, leading=15, spaceAfter=5 * mm
        )
        self.body = ParagraphStyle(
            "body", fontName=REGULAR, fontSize=BODY_SIZE, leading=14,
            leftIndent=BODY_INDENT - MARGIN, spaceAfter=BODY_SIZE,
            allowOrphans=0, allowWidows=0,
        )
        self.closing = ParagraphStyle("closing", parent=self.body, spaceBefore=2, spaceAfter=0)


def _letter_flowables(letter: LetterData, styles: _Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    if letter.subject.strip():
        flowables.append(Paragraph(_markup(letter.subject), styles.subject))
    flowables += [Paragraph(_markup(text), styles.body) for text in letter.body_paragraphs
                  if text.strip()]
    flowables.append(_SignOff(_sign_off(letter, styles)))
    return flowables


def _sign_off(letter: LetterData, styles: _Styles) -> list[Flowable]:
    parts: list[Flowable] = []
    if letter.closing.strip():
        parts.append(Paragraph(_markup(letter.closing), styles.closing))
    parts.append(Spacer(1, SIGNATURE_SPACE))
    if letter.signature.strip():
        parts.append(Paragraph(_markup(letter.signature), styles.closing))
    return parts


def _markup(text: str) -> str:
    """Plain text as Paragraph markup: '<' and '&' escaped, line breaks kept."""
    lines = text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br/>".join(escape(line) for line in lines)


class _LetterEnd(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Zero-size marker after a letter: its last page is this one; reports progress."""

    def __init__(self, run: PrintRun) -> None:
        super().__init__()
        self.run = run

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.run.finish_letter()


class _SignOff(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Closing, room to sign and the signer's name, moved to the next page as one piece.

    Does what KeepTogether does for a sign-off at a fraction of the cost (KeepTogether
    measures its parts twice and copies the frame each time), spacing the parts as a frame
    would: the larger of the space after one part and before the next.
    """

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts
        self._placed: list[tuple[float, float, float]] = []  # each part's width, height, top

    def getSpaceBefore(self) -> float:
        return float(self.parts[0].getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.parts[-1].getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._placed, top, above = [], 0.0, None
        for part in self.parts:
            if above is not None:
                top += max(above.getSpaceAfter(), part.getSpaceBefore())
            width, height = part.wrap(availWidth, availHeight)
            self._placed.append((width, height, top))
            top, above = top + height, part
        self.width, self.height = availWidth, top
        return availWidth, top

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= LATER_FRAME_HEIGHT:
            return []  # a later page has room for all of it
        # Taller than any page: as with KeepTogether, it starts on a fresh page (unless it is
        # at the top of one already) and its parts flow on from there.
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and frame._atTop and frame._height >= LATER_FRAME_HEIGHT
        return [NullActionFlowable() if at_top else FrameBreak, *self.parts]

    def draw(self) -> None:
        for part, (width, height, top) in zip(self.parts, self._placed, strict=True):
            part.drawOn(self.canv, 0, self.height - top - height, _sW=self.width - width)
