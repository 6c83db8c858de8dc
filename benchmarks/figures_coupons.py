"""Coupon figure: 1,000 A4 pages of coupons, four to a page, each with a QR code and Code128.

The service path (``coupon_prints`` reading 4,000 coupons with their customers and products,
wording each in the customer's language, then ``render_coupons``) must stay within 1.3× a
raw ReportLab script that reads the same rows with sqlite3, formats the same texts by hand
and draws the same layout straight on a canvas, measured in the same run. Both encode every
QR code with ReportLab's encoder, which is most of the time on either side.

Run alone with ``python -m benchmarks --only coupon``.
"""

from __future__ import annotations

import io
import itertools
import random
import sqlite3
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from benchmarks.framework import Bench, Figure, Target
from crm_desktop.models import Customer, Product
from crm_desktop.reports.coupon_pdf import render_coupons
from crm_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from crm_desktop.services.coupon_printing import coupon_prints
from crm_desktop.services.coupons import issue_coupon
from crm_desktop.services.database import Database, open_database
from crm_desktop.services.settings import BusinessSettings, save_settings

PAGES = 1_000
PER_PAGE = 4
RATIO = 1.3
REPEATS = 3  # a run is ~20 s a side; three pairs in turn give a steady median
TODAY = date(2026, 11, 22)
EXPIRES = date(2027, 1, 31)
BUSINESS = BusinessSettings(name="Kahvila Korvapuusti Oy", street="Kauppakatu 12",
                            postal_code="40100", city="Jyväskylä", website="korvapuusti.fi")
FIRST = ("Aino", "Eino", "Helmi", "Łukasz", "Sofia", "Дмитрий", "Ella", "Väinö", "Emma", "Leo")
LAST = ("Mäkinen", "Virtanen", "Żółć", "Laine", "Niemi", "Smith", "Koskinen", "Heikkilä")
PRODUCTS = ("Korvapuusti", "Cappuccino", "Karjalanpiirakka")


def build(database: Database, coupons: int, seed: int = 7) -> list[str]:
    """Customers in both languages and one coupon of each kind in turn; returns the codes."""
    rng = random.Random(seed)
    with database.session() as session:
        save_settings(session, BUSINESS)
        products = [Product(name=name) for name in PRODUCTS]
        customers = [Customer(uid=str(uuid.uuid4()), first_name=rng.choice(FIRST),
                              last_name=rng.choice(LAST), language="fi" if n % 3 else "en")
                     for n in range(coupons // 2)]
        session.add_all([*products, *customers])
        session.flush()
        codes = []
        for index in range(coupons):
            kind, value, product = (("free_item", 0, rng.choice(products).id),
                                    ("percent", 20, None), ("amount", 500, None))[index % 3]
            issued = issue_coupon(session, kind, value, EXPIRES, "campaign",
                                  customers[index % len(customers)].id, product,
                                  terms="Ei voi yhdistää muihin etuihin.", today=TODAY)
            codes.append(issued.coupon.code)
    return codes


def service_pdf(database: Database, codes: list[str]) -> bytes:
    with database.session() as session:
        prints = coupon_prints(session, codes)
    return render_coupons(prints, per_page=PER_PAGE)


# --- the raw script: what one would write by hand for this one job -------------------------

RAW_COUPONS = """
SELECT coupon.code, coupon.kind, coupon.value, coupon.expires_on, coupon.terms,
       customer.first_name, customer.last_name, customer.language, product.name
FROM coupon LEFT JOIN customer ON customer.id = coupon.customer_id
            LEFT JOIN product ON product.id = coupon.product_id
ORDER BY coupon.id LIMIT ?
"""
LABELS = {
    "fi": ("KUPONKI", "Ilmainen {item}", "ostoksesta", "veloituksetta", "Asiakkaalle {name}",
           "Voimassa {date} asti"),
    "en": ("COUPON", "Free {item}", "off your purchase", "with our compliments", "For {name}",
           "Valid until {date}"),
}


def raw_pdf(path: Path, limit: int = -1) -> bytes:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(RAW_COUPONS, (limit,)).fetchall()
    finally:
        connection.close()
    coupons = []
    for code, kind, value, expires, terms, first, last, language, product in rows:
        heading, free, off, compliments, for_name, valid = LABELS[language]
        day = date.fromisoformat(expires)
        if kind == "percent":
            value_text = f"{value}\xa0%" if language == "fi" else f"{value}%"
        elif kind == "amount":
            euros = f"{value // 100},{value % 100:02d}\xa0€"
            value_text = euros if language == "fi" else f"€{value // 100}.{value % 100:02d}"
        else:
            value_text = free.format(item=product)
        dated = f"{day.day}.{day.month}.{day.year}" if language == "fi" else f"{day:%d/%m/%Y}"
        coupons.append((code, heading, value_text, off if kind != "free_item" else compliments,
                        for_name.format(name=f"{first} {last}"), valid.format(date=dated), terms))
    return raw_drawing(coupons)


def raw_drawing(coupons: list[tuple[str, ...]]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(210 * mm, 297 * mm), initialFontName=REGULAR)
    accent, muted = Color(0.11, 0.36, 0.35), Color(0.33, 0.33, 0.33)
    line = f"{BUSINESS.street}, {BUSINESS.postal_code} {BUSINESS.city} · {BUSINESS.website}"
    for index, coupon in enumerate(coupons):
        slot = index % PER_PAGE
        if index and not slot:
            canvas.showPage()
        y = 297 * mm - (slot + 1) * 297 * mm / 4 + (297 * mm / 4 - 64 * mm) / 2
        _raw_coupon(canvas, coupon, 10 * mm, y, accent, muted, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _raw_coupon(canvas: Canvas, coupon: tuple[str, ...], x: float, y: float, accent: Color,
                muted: Color, business_line: str) -> None:
    code, heading, value_text, caption, for_name, valid, terms = coupon
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(1.2)
    canvas.roundRect(x + 3 * mm, y + 3 * mm, 184 * mm, 58 * mm, 3 * mm)
    canvas.setDash(2, 2)
    canvas.line(x + 130 * mm, y + 7 * mm, x + 130 * mm, y + 57 * mm)
    canvas.setDash()
    for dx, dy, font, size, colour, text in (
        (9, 53.5, BOLD, 12, accent, BUSINESS.name), (9, 40, BOLD, 30, accent, value_text),
        (9, 35, REGULAR, 9, muted, caption), (9, 29, REGULAR, 10.5, None, for_name),
        (9, 24, BOLD, 10.5, None, valid), (9, 18.5, REGULAR, 7.5, muted, terms),
        (9, 6, REGULAR, 7, muted, business_line), (103, 53.5, BOLD, 8, muted, heading),
    ):
        canvas.setFillColor(colour or Color(0, 0, 0))
        canvas.setFont(font, size)
        canvas.drawString(x + dx * mm, y + dy * mm, text)
    _raw_qr(canvas, code, x + 144.5 * mm, y + 28 * mm, 29 * mm)
    barcode = Code128(code, barWidth=0.26 * mm, barHeight=10 * mm, quiet=0, humanReadable=0)
    barcode.drawOn(canvas, x + 158.5 * mm - barcode.width / 2, y + 16 * mm)
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(x + 158.5 * mm, y + 11 * mm,
                             "-".join(code[n : n + 4] for n in range(0, 13, 4)))
    canvas.setLineWidth(0.3)
    for edge_y in (y, y + 64 * mm):
        canvas.line(x - 4.5 * mm, edge_y, x - 1.5 * mm, edge_y)
        canvas.line(x + 191.5 * mm, edge_y, x + 194.5 * mm, edge_y)
    for edge_x in (x, x + 190 * mm):
        canvas.line(edge_x, y + 65.5 * mm, edge_x, y + 68.5 * mm)
        canvas.line(edge_x, y - 1.5 * mm, edge_x, y - 4.5 * mm)


def _raw_qr(canvas: Canvas, code: str, x: float, y: float, size: float) -> None:
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(code)
    qr.make()
    module = size / (qr.getModuleCount() + 4)
    path = canvas.beginPath()
    for row_number, row in enumerate(qr.modules):
        column = 2
        for dark, cells in itertools.groupby(row, key=bool):
            length = len(list(cells))
            if dark:
                path.rect(x + column * module, y + size - (row_number + 3) * module,
                          length * module, module)
            column += length
    canvas.setFillColor(Color(0, 0, 0))
    canvas.drawPath(path, stroke=0, fill=1)


# --- measuring ------------------------------------------------------------------------------

class CouponBench:
    """The coupons' own database, made once per benchmark run on first use."""

    def __init__(self, bench: Bench, pages: int = PAGES) -> None:
        self.bench, self.pages = bench, pages
        self._database: Database | None = None
        self.codes: list[str] = []

    def database(self) -> Database:
        if self._database is None:
            path = self.bench.workdir / "coupons.sqlite3"
            self._database = open_database(f"sqlite:///{path}", backup_before_migration=False)
            self.codes = build(self._database, self.pages * PER_PAGE)
        return self._database

    @property
    def path(self) -> Path:
        path = self.database().path
        assert path is not None
        return path

    def check(self, _bench: Bench) -> None:
        """Both sides print the same coupons: same pages, the same codes on first and last."""
        database = self.database()
        sample = self.codes[: PER_PAGE * 3]
        ours = PdfReader(io.BytesIO(service_pdf(database, sample)))
        theirs = PdfReader(io.BytesIO(raw_pdf(self.path, limit=len(sample))))
        if not len(ours.pages) == len(theirs.pages) == 3:
            raise AssertionError(f"coupons: {len(ours.pages)} pages vs {len(theirs.pages)}")
        for index in range(3):
            mine, other = ours.pages[index].extract_text(), theirs.pages[index].extract_text()
            for code in sample[index * PER_PAGE : (index + 1) * PER_PAGE]:
                grouped = "-".join(code[n : n + 4] for n in range(0, 13, 4))
                if grouped not in mine or grouped not in other:
                    raise AssertionError(f"coupon page {index}: {grouped} missing")


def cpu_seconds(run: Callable[[], object]) -> float:
    # CPU time, not wall time: the machine is shared, and both sides are pure computation.
    began = time.process_time()
    run()
    return time.process_time() - began


def figures(bench: Bench) -> list[Figure]:
    coupons = CouponBench(bench)
    return [
        Figure(
            f"{PAGES:,} coupon pages ({PER_PAGE} per page, QR + Code128), database to PDF (CPU)",
            measure_kanta=lambda _b: cpu_seconds(
                lambda: service_pdf(coupons.database(), coupons.codes)),
            measure_baseline=lambda _b: cpu_seconds(lambda: raw_pdf(coupons.path)),
            target=Target(ratio=RATIO), repeats=REPEATS, check=coupons.check,
        ),
    ]

