"""The DejaVu fonts ship with Kanta and register once, however often they are asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.fonts import tt2ps
from reportlab.pdfbase import pdfmetrics

from crm_desktop.reports import ReportError, fonts


def test_registering_twice_is_harmless_and_gives_the_whole_family() -> None:
    assert fonts.register_fonts() == fonts.register_fonts() == fonts.FAMILY

    for name in (fonts.REGULAR, fonts.BOLD, fonts.OBLIQUE, fonts.BOLD_OBLIQUE):
        assert pdfmetrics.getFont(name).face.name  # a TrueType face, not a fallback
    # <b> and <i> markup in a Paragraph find their faces through the family mapping.
    assert tt2ps(fonts.FAMILY, 1, 0) == fonts.BOLD
    assert tt2ps(fonts.FAMILY, 0, 1) == fonts.OBLIQUE
    assert tt2ps(fonts.FAMILY, 1, 1) == fonts.BOLD_OBLIQUE


def test_the_fonts_cover_polish_and_cyrillic() -> None:
    fonts.register_fonts()
    face = pdfmetrics.getFont(fonts.REGULAR).face

    for character in "ŁŻółćДмитрий€":
        assert ord(character) in face.charToGlyph, character


def test_the_licence_ships_next_to_the_fonts() -> None:
    licence = Path(fonts.resource_path("fonts", "LICENSE-DejaVu.txt")).read_text("utf-8")

    assert "Bitstream" in licence and "Permission is hereby granted" in licence


def test_a_missing_font_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "_registered", False)
    monkeypatch.setattr(fonts, "resource_path", lambda *parts: tmp_path.joinpath(*parts))

    with pytest.raises(ReportError, match=r"DejaVuSans\.ttf"):
        fonts.register_fonts()
