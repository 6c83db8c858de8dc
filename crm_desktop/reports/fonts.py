"""The fonts every printed document uses: DejaVu Sans, shipped in ``resources/fonts/``.

The 14 standard PDF fonts cover Latin-1 only, so "Łukasz", "Żółć" or Cyrillic would print as
boxes. TrueType fonts registered here are always embedded (as subsets) in the PDF.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from crm_desktop.i18n import _
from crm_desktop.paths import resource_path
from crm_desktop.reports import ReportError

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"

# Font name -> file under resources/fonts/.
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    OBLIQUE: "DejaVuSans-Oblique.ttf",
    BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the DejaVu Sans family once per process; returns the family name.

    Safe to call from any thread and as often as wanted: ReportLab's font registry is global.
    """
    global _registered
    with _lock:
        if not _registered:
            for name, filename in _FILES.items():
                pdfmetrics.registerFont(_load(name, filename))
            # Paragraph markup (<b>, <i>) finds the bold and oblique faces through the family.
            pdfmetrics.registerFontFamily(
                FAMILY, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE
            )
            _registered = True
    return FAMILY


def _load(name: str, filename: str) -> TTFont:
    path = resource_path("fonts", filename)
    if not path.is_file():
        raise ReportError(_("The font file {path} is missing; reinstall Kanta.").format(path=path))
    try:
        return TTFont(name, str(path))
    except (TTFError, OSError):
        raise ReportError(
            _("The font file {path} is damaged; reinstall Kanta.").format(path=path)
        ) from None
