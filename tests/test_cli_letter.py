"""``crm-desktop letter``: a real subprocess writes the PDF, or says in one sentence why not."""

from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.cli import build_parser
from crm_desktop.models import LetterTemplate, Touchpoint
from crm_desktop.services.coupons import issue_coupon
from tests.services.letter_helpers import add_customer, pdf_text, setup_business
from tests.test_cli import run_cli


def _prepare(database) -> tuple[int, str]:
    with database.session() as s:
        setup_business(s)
        customer = add_customer(s, "Łukasz", "<Żółć> & Дмитрий", "fi")
        coupon = issue_coupon(s, "amount", 500, date(2099, 12, 31), "complaint", customer, None)
    return customer, coupon.coupon.grouped_code


def test_letter_with_a_coupon_is_written_and_logged(sqlite_db, tmp_path) -> None:
    customer, code = _prepare(sqlite_db)
    out = tmp_path / "kirje.pdf"

    result = run_cli("--db", sqlite_db.url, "letter", "apology", "--customer", str(customer),
                     "--coupon", code.lower(), "--date", "2026-11-22", "--staff", "Maija",
                     "--out", str(out), data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = pdf_text(out.read_bytes())
    assert "22. marraskuuta 2026" in text
    assert "Łukasz <Żółć> & Дмитрий" in text
    assert code in text and "5,00" in text
    with sqlite_db.session() as s:
        assert s.query(Touchpoint).filter_by(customer_id=customer, kind="letter").count() == 1


def test_an_unknown_template_is_one_sentence_and_no_file(sqlite_db, tmp_path) -> None:
    customer, _code = _prepare(sqlite_db)
    out = tmp_path / "kirje.pdf"

    result = run_cli("--db", sqlite_db.url, "letter", "thank_you", "--customer", str(customer),
                     "--out", str(out), data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "no letter template “thank_you”" in result.stderr
    assert not out.exists()


def test_a_template_with_a_bad_placeholder_is_one_sentence_and_no_file(sqlite_db, tmp_path):
    customer, _code = _prepare(sqlite_db)
    with sqlite_db.session() as s:
        s.add(LetterTemplate(kind="birthday", language="fi", subject="Onnea!",
                             body="Hei {frist_name},\n\nonnea!"))
    out = tmp_path / "kirje.pdf"

    result = run_cli("--db", sqlite_db.url, "letter", "birthday", "--customer", str(customer),
                     "--out", str(out), data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "{frist_name}" in result.stderr and "{first_name}" in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.pdf")) == []
    with sqlite_db.session() as s:
        assert s.query(Touchpoint).filter_by(kind="letter").count() == 0


def test_a_mistyped_coupon_code_is_one_sentence_without_field_names(sqlite_db, tmp_path):
    customer, code = _prepare(sqlite_db)
    out = tmp_path / "kirje.pdf"
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")

    result = run_cli("--db", sqlite_db.url, "letter", "apology", "--customer", str(customer),
                     "--coupon", typo, "--out", str(out), data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stderr.startswith("Error: “") and "typo" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_letter_has_help(capsys):
    with pytest.raises(SystemExit) as leaving:
        build_parser().parse_args(["letter", "--help"])
    assert leaving.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: crm-desktop letter")
    assert "--coupon" in out and "--out" in out
