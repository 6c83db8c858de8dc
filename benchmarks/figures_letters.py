"""Letter figures: 1,000 personalised birthday letters in one PDF.

The service path (``batch_candidates`` reading the customers, filling the template in each
customer's language, then ``render_batch`` through the letter engine) must stay within 1.5×
a raw ReportLab script that reads the same rows with sqlite3, fills the same texts with
``str.replace`` and draws the same layout straight on a canvas, measured in the same run.
A second figure times the drawing alone, from the same prepared letters. The raw script is
the one a careful hand would write: letterhead and footer drawn once as a form (per label
language) and shown on every page, as the engine does; its pages render pixel for pixel
like the engine's.

Times are CPU seconds of this process (the work is single-threaded and CPU-bound), so other
jobs on a shared machine skew neither side. The letters' own small database is built in the
benchmark folder on first use. Run alone with ``python -m benchmarks --only letters``.
"""

from __future__ import annotations

import io
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from benchmarks.framework import Bench, Figure, Target
from crm_desktop.i18n import format_date
from crm_desktop.models import Favourite, Product
from crm_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from crm_desktop.reports.letter import render_letters
from crm_desktop.reports.letter_data import LetterData
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.database import Database, open_database
from crm_desktop.services.letter_batch import ByIds, batch_candidates, render_batch
from crm_desktop.services.letter_placeholders import split_paragraphs
from crm_desktop.services.letter_templates import default_template
from crm_desktop.services.settings import BusinessSettings, save_settings

LETTERS = 1_000
RATIO = 1.5
REPEATS = 5
TODAY = date(2026, 11, 22)
BUSINESS = BusinessSettings(
    name="Kahvila Korvapuusti Oy", street="Kauppakatu 12", postal_code="40100",
    city="Jyväskylä", business_id="1234567-1", phone="+358401234567",
    email="info@korvapuusti.fi", website="www.korvapuusti.fi",
)
FIRST = ("Aino", "Eino", "Helmi", "Łukasz", "Sofia", "Дмитрий", "Ella", "Väinö", "Emma", "Leo")
LAST = ("Mäkinen", "Virtanen", "Żółć", "Laine", "Niemi", "Smith", "Koskinen", "Heikkilä")
PRODUCTS = ("Korvapuusti", "Cappuccino", "Karjalanpiirakka", "Caffè latte", "Päivän keitto")


def build(database: Database, count: int = LETTERS, seed: int = 11) -> list[int]:
    """Customers with addresses in both languages, most with a favourite product."""
    rng = random.Random(seed)
    ids: list[int] = []
    with database.session() as session:
        save_settings(session, BUSINESS)
        products = [Product(name=name) for name in PRODUCTS]
        session.add_all(products)
        session.flush()
        for index in range(count):
            data = CustomerInput(
                first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
                street=f"Rantatie {index % 90 + 1} B {index % 30 + 1}",
                postal_code=f"{40100 + index % 50:05d}", city="Jyväskylä",
                language="fi" if index % 3 else "en",
            )
            customer_id = create_customer(session, data, "FI", today=TODAY).customer.id
            if rng.random() < 0.7:
                session.add(Favourite(customer_id=customer_id,
                                      product_id=rng.choice(products).id))
            ids.append(customer_id)
    return ids


def service_letters(database: Database, ids: list[int]) -> bytes:
    with database.session() as session:
        plan = batch_candidates(session, "birthday", ByIds(tuple(ids)), TODAY)
    assert len(plan.included) == len(ids), plan.skipped[:3]
    return render_batch(plan)


# --- the raw script: what one would write by hand for this one job -------------------------

# address lines, date, subject, body paragraphs, closing, language
RawLetter = tuple[tuple[str, ...], str, str, list[str], str, str]

RAW_CUSTOMERS = """
SELECT customer.id, first_name, last_name, street, postal_code, city, language,
       (SELECT product.name FROM favourite JOIN product ON product.id = favourite.product_id
        WHERE favourite.customer_id = customer.id ORDER BY favourite.id LIMIT 1)
FROM customer ORDER BY customer.id
"""
BUSINESS_ID_LABELS = {"fi": "Y-tunnus", "en": "Business ID"}
GREY = Color(0.35, 0.35, 0.35)


def raw_letters(path: Path) -> bytes:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(RAW_CUSTOMERS).fetchall()
    finally:
        connection.close()
    texts = {language: default_template("birthday", language) for language in ("fi", "en")}
    dates = {language: format_date(TODAY, language, style="long") for language in texts}
    letters: list[RawLetter] = []
    for _id, first, last, street, postal_code, city, language, favourite in rows:
        template = texts[language]
        values = {"{first_name}": first, "{favourite}": favourite or ""}
        paragraphs = [_fill(p, values) for p in split_paragraphs(template.body)
                      if "{coupon_" not in p and (favourite or "{favourite}" not in p)]
        address = (f"{first} {last}", street, f"{postal_code} {city.upper()}")
        letters.append((address, dates[language], _fill(template.subject, values), paragraphs,
                        template.closing, language))
    return raw_drawing(letters)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def raw_drawing(letters: list[RawLetter]) -> bytes:
    """Every letter fits on one page, so the page number is simply "1 (1)"."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(210 * mm, 297 * mm), initialFontName=REGULAR)
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
    subject = ParagraphStyle("subject", fontName=BOLD, fontSize=11, leading=15)
    escape = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
    # Letterhead and footer are the same on every page: one form per label language.
    for language, label in BUSINESS_ID_LABELS.items():
        canvas.beginForm(f"fixed_{language}")
        _raw_fixed_parts(canvas, label)
        canvas.endForm()
    for address, date_text, subject_text, paragraphs, closing, language in letters:
        canvas.doForm(f"fixed_{language}")
        _raw_letter_head(canvas, address, date_text)
        y = 297 * mm - 98 * mm
        y = _raw_paragraph(canvas, subject_text.translate(escape), subject, 20 * mm, y,
                           170 * mm) - 5 * mm
        for text in [*paragraphs, closing]:
            y = _raw_paragraph(canvas, text.translate(escape), body, 66 * mm, y, 124 * mm) - 10
        canvas.setFont(REGULAR, 10)
        canvas.drawString(66 * mm, y - 15 * mm - 2, BUSINESS.name)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _raw_fixed_parts(canvas: Canvas, business_id_label: str) -> None:
    top = 297 * mm - 16 * mm
    canvas.setFont(BOLD, 13)
    canvas.drawString(20 * mm, top, BUSINESS.name)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(20 * mm, top - 18.25, BUSINESS.street)
    canvas.drawString(20 * mm, top - 29.25, f"{BUSINESS.postal_code} {BUSINESS.city}")
    canvas.setStrokeColor(GREY)
    canvas.setFillColor(GREY)
    canvas.setLineWidth(0.4)
    canvas.line(20 * mm, 22 * mm, 190 * mm, 22 * mm)
    canvas.setFont(REGULAR, 7.5)
    second = 17.5 * mm - 7.5 * 1.25
    canvas.drawString(20 * mm, 17.5 * mm, BUSINESS.name)
    canvas.drawString(20 * mm, second, f"{business_id_label} {BUSINESS.business_id}")
    canvas.drawString(66 * mm, 17.5 * mm, "040 1234567")
    canvas.drawString(66 * mm, second, BUSINESS.email)
    canvas.drawString(124 * mm, 17.5 * mm, BUSINESS.website)


def _raw_letter_head(canvas: Canvas, address: tuple[str, ...], date_text: str) -> None:
    top = 297 * mm
    canvas.setFont(REGULAR, 10)
    canvas.drawString(124 * mm, top - 16 * mm, date_text)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(180 * mm, top - 16 * mm, "1 (1)")
    canvas.setFont(REGULAR, 10)
    for number, line in enumerate(address):
        for part in simpleSplit(line, REGULAR, 10, 85 * mm):
            canvas.drawString(20 * mm, top - 50 * mm - 10 - number * 13, part)


def _raw_paragraph(canvas: Canvas, markup: str, style: ParagraphStyle, x: float, y: float,
                   width: float) -> float:
    paragraph = Paragraph(markup, style)
    _w, height = paragraph.wrapOn(canvas, width, y)
    paragraph.drawOn(canvas, x, y - height)
    return float(y - height)


# --- measuring ------------------------------------------------------------------------------

class LetterBench:
    """The letters' database and prepared inputs, made once per benchmark run on first use."""

    def __init__(self, bench: Bench, count: int = LETTERS) -> None:
        self.bench, self.count = bench, count
        self._database: Database | None = None
        self.ids: list[int] = []
        self.letters: tuple[LetterData, ...] = ()
        self.raw_inputs: list[RawLetter] = []

    def database(self) -> Database:
        if self._database is None:
            path = self.bench.workdir / "letters.sqlite3"
            self._database = open_database(f"sqlite:///{path}", backup_before_migration=False)
            self.ids = build(self._database, self.count)
            with self._database.session() as session:
                plan = batch_candidates(session, "birthday", ByIds(tuple(self.ids)), TODAY)
            self.letters = plan.letters
            self.raw_inputs = [
                (letter.recipient_lines, letter.date_text, letter.subject,
                 list(letter.body_paragraphs), letter.closing, letter.language)
                for letter in self.letters
            ]
        return self._database

    def prepared(self) -> tuple[tuple[LetterData, ...], list[RawLetter]]:
        """The same filled-in letters for both sides, so only the drawing differs."""
        self.database()
        return self.letters, self.raw_inputs

    @property
    def path(self) -> Path:
        path = self.database().path
        assert path is not None
        return path

    def check(self, _bench: Bench) -> None:
        """Both sides print the same letters: same pages, every line of the raw page in ours."""
        service, raw = service_letters(self.database(), self.ids), raw_letters(self.path)
        ours, theirs = PdfReader(io.BytesIO(service)), PdfReader(io.BytesIO(raw))
        if not len(ours.pages) == len(theirs.pages) == self.count:
            raise AssertionError(f"letters: {len(ours.pages)} pages vs {len(theirs.pages)}")
        for index in (0, 1, self.count - 1):
            mine = ours.pages[index].extract_text()
            for line in theirs.pages[index].extract_text().splitlines():
                if line.strip() not in mine:
                    raise AssertionError(f"letter {index}: raw line {line!r} missing")


def cpu_seconds(run: Callable[[], object]) -> float:
    began = time.process_time()
    run()
    return time.process_time() - began


def figures(bench: Bench) -> list[Figure]:
    letters = LetterBench(bench)
    target = Target(ratio=RATIO)
    return [
        Figure(
            f"{LETTERS:,} personalised letters, database to PDF (CPU)",
            measure_kanta=lambda _b: cpu_seconds(
                lambda: service_letters(letters.database(), letters.ids)),
            measure_baseline=lambda _b: cpu_seconds(lambda: raw_letters(letters.path)),
            target=target, repeats=REPEATS, check=letters.check,
        ),
        Figure(
            f"{LETTERS:,} prepared letters, drawing only (CPU)",
            measure_kanta=lambda _b: cpu_seconds(lambda: render_letters(letters.prepared()[0])),
            measure_baseline=lambda _b: cpu_seconds(lambda: raw_drawing(letters.prepared()[1])),
            target=target, repeats=REPEATS,
        ),
    ]

