"""The large answer of the Redeem dialog: colour, a symbol and words, so none is needed alone.

White text on a deep green, red or amber reads at a glance across a counter, and has enough
contrast (over 6:1) on a light or dark desktop alike. The symbol and the words repeat what
the colour says, for anyone who cannot tell the colours apart; the banner's accessible name
is the answer itself, so a screen reader reads it out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from crm_desktop.i18n import N_, _
from crm_desktop.ui.form_widgets import error_colour

SUCCESS, FAILED, NOTICE = "success", "failed", "notice"
_BACKGROUNDS = {SUCCESS: "#1b5e20", FAILED: "#b71c1c", NOTICE: "#7a4a00"}
_SYMBOLS = {SUCCESS: "✔", FAILED: "✖", NOTICE: "?"}
_SYMBOL_NAMES = {SUCCESS: N_("Redeemed"), FAILED: N_("Refused"), NOTICE: N_("Check the code")}
_HINT_COLOURS_LIGHT = {SUCCESS: "#1b5e20", NOTICE: ""}
_HINT_COLOURS_DARK = {SUCCESS: "#81c784", NOTICE: ""}


def hint_palette(base: QPalette, state: str) -> QPalette:
    """The small check line under the code field: green when right, red when wrong."""
    palette = QPalette(base)
    dark = base.color(QPalette.ColorRole.Window).lightness() < 128
    if state == FAILED:
        colour = error_colour(base)
    else:
        name = (_HINT_COLOURS_DARK if dark else _HINT_COLOURS_LIGHT).get(state, "")
        colour = QColor(name) if name else base.color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    return palette


class ResultBanner(QFrame):
    """Shows the last answer until the next one; ``state`` and ``message`` are for tests too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redeemResult")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.state = ""
        self.symbol = QLabel()
        self.symbol.setObjectName("redeemSymbol")
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("redeemMessage")
        self.details = QLabel()
        self.details.setObjectName("redeemDetails")
        for label in (self.text, self.details):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._scale(self.symbol, 3.0, bold=True)
        self._scale(self.text, 1.7, bold=True)
        self._scale(self.details, 1.1, bold=False)
        self.symbol.setMinimumWidth(self.symbol.fontMetrics().horizontalAdvance("✔") * 2)
        words = QVBoxLayout()
        words.addStretch(1)
        words.addWidget(self.text)
        words.addWidget(self.details)
        words.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(16)
        layout.addWidget(self.symbol)
        layout.addLayout(words, 1)
        self.setMinimumHeight(self.text.fontMetrics().height() * 2 + 80)
        self.show_waiting(_("No code checked yet."))

    @staticmethod
    def _scale(label: QLabel, factor: float, bold: bool) -> None:
        font = QFont(label.font())
        font.setPointSizeF(max(font.pointSizeF(), 9) * factor)
        font.setBold(bold)
        label.setFont(font)

    @property
    def message(self) -> str:
        return self.text.text()

    def show_waiting(self, message: str) -> None:
        """A neutral state in the window's own colours: nothing decided yet."""
        self.state = ""
        parent = self.parentWidget()
        self.setPalette(parent.palette() if parent is not None else QPalette())
        self._set_texts("", message, "")

    def show_answer(self, state: str, message: str, details: str) -> None:
        self.state = state
        palette = QPalette(self.palette())
        background, text = QColor(_BACKGROUNDS[state]), QColor("#ffffff")
        palette.setColor(QPalette.ColorRole.Window, background)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        palette.setColor(QPalette.ColorRole.Text, text)
        self.setPalette(palette)
        self._set_texts(_SYMBOLS[state], message, details)

    def _set_texts(self, symbol: str, message: str, details: str) -> None:
        self.symbol.setText(symbol)
        self.symbol.setVisible(bool(symbol))
        self.text.setText(message)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.setAccessibleName(message)
        self.text.setAccessibleName(message)
        self.symbol.setAccessibleName(_(_SYMBOL_NAMES[self.state]) if self.state else "")
