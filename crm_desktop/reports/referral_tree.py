"""The referral tree as a drawn diagram on A4 pages (PDF).

Left to right: each person is a box, one row each, indented one step per generation, joined to
the person who brought them by an elbow line. A family of a thousand fills about 25 pages and
stays readable: lines that continue onto the next page run to the page edge and pick up at the
top of the next, whose header names the people the first row hangs from. Very deep chains
narrow the indent step; beyond what fits, boxes stay in the last column with their level shown.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from crm_desktop import APP_NAME
from crm_desktop.i18n import _, ngettext
from crm_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from crm_desktop.reports.referral_tree_data import TreePictureNode

__all__ = ["TreePictureNode", "render_referral_tree"]

MM: float = mm
PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN = 15 * MM
ROW = 6.6 * MM
BOX_HEIGHT = 5.0 * MM
BOX_WIDTH = 68 * MM
MARK_WIDTH = 4.2 * MM  # room for the reward mark at the left of a box
MIN_STEP, MAX_STEP = 2.4 * MM, 7 * MM
FIRST_TOP = PAGE_HEIGHT - MARGIN - 24 * MM  # below the title and the legend
LATER_TOP = PAGE_HEIGHT - MARGIN - 11 * MM  # below the running header
BOTTOM = MARGIN + 7 * MM  # above the page number
NAME_SIZE, SMALL_SIZE = 8, 7
LEVEL_WIDTH = 14 * MM  # room for "level 1234" beside boxes in the last column

_LINE = HexColor("#7a8591")
_BOX = HexColor("#f3f5f7")
_ROOT_BOX = HexColor("#dbe7f3")
_REWARDED = HexColor("#2e7d32")
_DUE = HexColor("#c25e00")
_GREY = HexColor("#5f6368")


@dataclass
class _Row:
    node: TreePictureNode
    depth: int
    parent: int | None  # row index of the person who brought this one
    last_child: int | None = None  # row index of this person's last child


def render_referral_tree(
    root: TreePictureNode, title: str | None = None, subtitle: str = ""
) -> bytes:
    """The tree below ``root`` as PDF bytes; ``title`` defaults to "Referral tree: NAME"."""
    register_fonts()
    rows = _flatten(root)
    layout = _Layout.for_rows(rows)
    title = title or _("Referral tree: {name}").format(name=root.name)
    buffer = io.BytesIO()
    # The initial font too: otherwise every page names an unembedded Helvetica.
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(title)
    canvas.setCreator(APP_NAME)
    segments = _segments(rows, layout)
    for page in range(layout.pages):
        _draw_header(canvas, page, layout, rows, title, subtitle)
        _draw_lines(canvas, segments.get(page, []))
        for index in layout.rows_on(page):
            _draw_box(canvas, rows[index], layout, index)
        _draw_page_number(canvas, page, layout.pages)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _flatten(root: TreePictureNode) -> list[_Row]:
    """Depth-first rows, parents above their children, without recursion (trees can be deep)."""
    rows: list[_Row] = []
    pending: list[tuple[TreePictureNode, int, int | None]] = [(root, 0, None)]
    while pending:
        node, depth, parent = pending.pop()
        if parent is not None:
            rows[parent].last_child = len(rows)  # children come in order: the last one wins
        rows.append(_Row(node, depth, parent))
        index = len(rows) - 1
        pending.extend((child, depth + 1, index) for child in reversed(node.children))
    return rows


@dataclass(frozen=True)
class _Layout:
    rows: int
    first_rows: int  # rows on the first page (it also carries the title)
    later_rows: int
    step: float  # indent per generation
    columns: int  # generations that fit; deeper ones share the last column

    @staticmethod
    def for_rows(rows: list[_Row]) -> _Layout:
        room = PAGE_WIDTH - 2 * MARGIN - BOX_WIDTH
        deepest = max(row.depth for row in rows)
        if deepest * MIN_STEP > room:
            room -= LEVEL_WIDTH  # some boxes will carry a "level N" label on their right
        step = min(MAX_STEP, max(MIN_STEP, room / max(deepest, 1)))
        return _Layout(
            rows=len(rows),
            first_rows=int((FIRST_TOP - BOTTOM) // ROW),
            later_rows=int((LATER_TOP - BOTTOM) // ROW),
            step=step,
            columns=int(room // step),
        )

    @property
    def pages(self) -> int:
        beyond = max(0, self.rows - self.first_rows)
        return 1 + -(-beyond // self.later_rows)

    def page_of(self, index: int) -> int:
        if index < self.first_rows:
            return 0
        return 1 + (index - self.first_rows) // self.later_rows

    def rows_on(self, page: int) -> range:
        start = 0 if page == 0 else self.first_rows + (page - 1) * self.later_rows
        end = self.first_rows if page == 0 else start + self.later_rows
        return range(start, min(end, self.rows))

    def area_top(self, page: int) -> float:
        return FIRST_TOP if page == 0 else LATER_TOP

    def area_bottom(self, page: int) -> float:
        count = self.first_rows if page == 0 else self.later_rows
        return self.area_top(page) - count * ROW

    def middle(self, index: int) -> float:
        page = self.page_of(index)
        slot = index - self.rows_on(page).start
        return self.area_top(page) - slot * ROW - ROW / 2

    def x(self, depth: int) -> float:
        return MARGIN + min(depth, self.columns) * self.step

    def trunk_x(self, depth: int) -> float:
        return self.x(depth) + self.step / 2


Segment = tuple[float, float, float, float]


def _segments(rows: list[_Row], layout: _Layout) -> dict[int, list[Segment]]:
    """Connector lines grouped by page: a trunk below each parent, an elbow to each child."""
    pages: dict[int, list[Segment]] = {}
    for index, row in enumerate(rows):
        if row.parent is not None:
            parent = rows[row.parent]
            y = layout.middle(index)
            pages.setdefault(layout.page_of(index), []).append(
                (layout.trunk_x(parent.depth), y, layout.x(row.depth), y)
            )
        if row.last_child is not None:
            for page, segment in _trunk(layout, index, row.depth, row.last_child):
                pages.setdefault(page, []).append(segment)
    return pages


def _trunk(
    layout: _Layout, parent: int, depth: int, last_child: int
) -> Iterator[tuple[int, Segment]]:
    x = layout.trunk_x(depth)
    first, last = layout.page_of(parent), layout.page_of(last_child)
    for page in range(first, last + 1):
        top = layout.middle(parent) - BOX_HEIGHT / 2 if page == first else layout.area_top(page)
        bottom = layout.middle(last_child) if page == last else layout.area_bottom(page)
        yield page, (x, top, x, bottom)


def _draw_lines(canvas: Canvas, segments: list[Segment]) -> None:
    canvas.setStrokeColor(_LINE)
    canvas.setLineWidth(0.6)
    for x1, y1, x2, y2 in segments:
        canvas.line(x1, y1, x2, y2)


def _draw_box(canvas: Canvas, row: _Row, layout: _Layout, index: int) -> None:
    node, x, middle = row.node, layout.x(row.depth), layout.middle(index)
    bottom = middle - BOX_HEIGHT / 2
    canvas.setStrokeColor(_LINE)
    canvas.setFillColor(_ROOT_BOX if row.parent is None else _BOX)
    canvas.roundRect(x, bottom, BOX_WIDTH, BOX_HEIGHT, 1.2 * MM, stroke=1, fill=1)
    baseline = middle - NAME_SIZE * 0.35
    counts = f"{node.direct} / {node.total}" if node.direct else ""
    counts_width = stringWidth(counts, BOLD, NAME_SIZE) if counts else 0.0
    if counts:
        canvas.setFillColor(black)
        canvas.setFont(BOLD, NAME_SIZE)
        canvas.drawRightString(x + BOX_WIDTH - 1.5 * MM, baseline, counts)
    _draw_mark(canvas, node, x, baseline)
    room = BOX_WIDTH - MARK_WIDTH - counts_width - 3 * MM
    font = BOLD if row.parent is None else REGULAR
    canvas.setFillColor(black)
    canvas.setFont(font, NAME_SIZE)
    canvas.drawString(x + MARK_WIDTH, baseline, _fit(node.name, font, NAME_SIZE, room))
    if row.depth > layout.columns:  # the indent ran out: say which generation this is
        canvas.setFillColor(_GREY)
        canvas.setFont(REGULAR, SMALL_SIZE)
        level = _("level {depth}").format(depth=row.depth)
        canvas.drawString(x + BOX_WIDTH + 1.5 * MM, baseline, level)


def _draw_mark(canvas: Canvas, node: TreePictureNode, x: float, baseline: float) -> None:
    mark, colour = _mark(node)
    if mark:
        canvas.setFillColor(colour)
        canvas.setFont(BOLD, NAME_SIZE)
        canvas.drawCentredString(x + MARK_WIDTH / 2, baseline, mark)


def _mark(node: TreePictureNode) -> tuple[str, Color]:
    if node.rewarded:
        return "✓", _REWARDED
    if node.thanks_due:
        return "!", _DUE
    return "", white


def _draw_header(
    canvas: Canvas, page: int, layout: _Layout, rows: list[_Row], title: str, subtitle: str
) -> None:
    top = PAGE_HEIGHT - MARGIN
    width = PAGE_WIDTH - 2 * MARGIN
    canvas.setFillColor(black)
    if page == 0:
        canvas.setFont(BOLD, 13)
        canvas.drawString(MARGIN, top - 5 * MM, _fit(title, BOLD, 13, width))
        canvas.setFont(REGULAR, NAME_SIZE)
        people = rows[0].node.total + 1
        line = subtitle or ngettext(
            "{count} person in this tree", "{count} people in this tree", people
        ).format(count=people)
        canvas.drawString(MARGIN, top - 11 * MM, _fit(line, REGULAR, NAME_SIZE, width))
        _draw_legend(canvas, top - 17 * MM)
        return
    canvas.setFont(REGULAR, SMALL_SIZE)
    canvas.setFillColor(_GREY)
    canvas.drawString(MARGIN, top - 3 * MM, _fit(title, REGULAR, SMALL_SIZE, width))
    first = layout.rows_on(page).start
    if rows[first].parent is not None:
        lead = _("continued under {path}").format(path="")
        room = width - stringWidth(lead, REGULAR, SMALL_SIZE)
        path = _breadcrumb(rows, first, room)
        text = _("continued under {path}").format(path=path)
        canvas.drawString(MARGIN, top - 7.5 * MM, text)


def _draw_legend(canvas: Canvas, y: float) -> None:
    x = MARGIN
    for mark, colour, text in (
        ("✓", _REWARDED, _("referrer thanked")),
        ("!", _DUE, _("thank-you due")),
        ("3 / 12", black, _("brought 3 directly, 12 in all")),
    ):
        canvas.setFillColor(colour)
        canvas.setFont(BOLD, SMALL_SIZE)
        canvas.drawString(x, y, mark)
        x += stringWidth(mark, BOLD, SMALL_SIZE) + 1.5 * MM
        canvas.setFillColor(_GREY)
        canvas.setFont(REGULAR, SMALL_SIZE)
        canvas.drawString(x, y, text)
        x += stringWidth(text, REGULAR, SMALL_SIZE) + 6 * MM


def _breadcrumb(rows: list[_Row], index: int, width: float) -> str:
    """The people above the page's first row, "… › grandparent › parent", nearest kept."""
    separator = " › "
    path = ""
    parent = rows[index].parent
    while parent is not None:
        name = rows[parent].node.name
        longer = name + separator + path if path else name
        if stringWidth("…" + separator + longer, REGULAR, SMALL_SIZE) > width:
            return "…" + separator + path if path else _fit(name, REGULAR, SMALL_SIZE, width)
        path, parent = longer, rows[parent].parent
    return path


def _draw_page_number(canvas: Canvas, page: int, pages: int) -> None:
    canvas.setFillColor(_GREY)
    canvas.setFont(REGULAR, SMALL_SIZE)
    text = _("{page} ({pages})").format(page=page + 1, pages=pages)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, text)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with "…" so that it fits the width."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
