"""``crm-desktop coupon …`` as a user runs it: exit codes, one-line answers, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from crm_desktop import cli_coupons
from crm_desktop.cli import build_parser
from crm_desktop.models import COUPON_KINDS, Customer, Product
from crm_desktop.models.recovery import COUPON_REASONS
from crm_desktop.services.database import open_database

EXPIRES = (date.today() + timedelta(days=30)).isoformat()


@pytest.fixture
def database(tmp_path):
    """An SQLite file with one customer (id 1) and a product; returns its URL."""
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    db = open_database(url, backup_before_migration=False)
    with db.session() as session:
        session.add(Customer(uid=str(uuid.uuid4()), first_name="Aino", last_name="Mäki"))
        session.add(Product(name="Coffee", price_cents=300))
    db.dispose()
    return url


def crm(database, *args, data_dir):
    environment = {**os.environ, "CRM_DATA_DIR": str(data_dir), "CRM_DESK": "Till 7"}
    return subprocess.run(
        [sys.executable, "-m", "crm_desktop", "--db", database, "coupon", *args],
        capture_output=True, text=True, env=environment, timeout=300,
    )


def issue(database, tmp_path, *extra):
    result = crm(database, "issue", "--customer", "1", "--kind", "free_item", "--product",
                 "coffee", "--expires", EXPIRES, "--reason", "complaint", "--json", *extra,
                 data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_choices_match_the_models():
    assert cli_coupons.KINDS == COUPON_KINDS
    assert cli_coupons.REASONS == COUPON_REASONS


def test_issue_json(database, tmp_path):
    issued = issue(database, tmp_path)
    assert issued["status"] == "issued"
    assert issued["code"].count("-") == 3 and issued["scan_code"] == issued["code"].replace("-", "")
    assert (issued["kind"], issued["value"], issued["product"]) == ("free_item", 300, "Coffee")
    assert (issued["customer_id"], issued["expires_on"]) == (1, EXPIRES)


def test_issue_amount_in_euros_and_plain_output(database, tmp_path):
    result = crm(database, "issue", "--kind", "amount", "--value", "4,50", "--expires", EXPIRES,
                 data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Issued coupon ") and result.stdout.count("\n") == 1
    as_json = crm(database, "issue", "--kind", "amount", "--value", "4.5", "--expires", EXPIRES,
                  "--json", data_dir=tmp_path)
    assert json.loads(as_json.stdout)["value"] == 450


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--kind", "percent", "--value", "150"], 1, "between 1 and 100"),
        (["--kind", "amount", "--value", "lots"], 2, "not a number"),
        (["--kind", "amount", "--value", "5", "--customer", "99"], 1, "Customer 99"),
        (["--kind", "free_item", "--product", "tea"], 1, "no product called “tea”"),
    ],
)
def test_issue_refuses_bad_input_in_one_sentence(database, tmp_path, args, code, message):
    result = crm(database, "issue", "--expires", EXPIRES, *args, data_dir=tmp_path)
    assert result.returncode == code
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_issue_refuses_a_past_expiry(database, tmp_path):
    result = crm(database, "issue", "--kind", "percent", "--value", "10", "--expires",
                 "2020-01-01", data_dir=tmp_path)
    assert result.returncode == 1 and "already passed" in result.stderr


def test_redeem_json_then_already_redeemed(database, tmp_path):
    code = issue(database, tmp_path)["code"]
    first = crm(database, "redeem", code.lower(), "--json", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    answer = json.loads(first.stdout)
    assert answer["status"] == "redeemed" and answer["code"] == code
    assert answer["desk"] == "Till 7" and answer["redeemed_on"] == date.today().isoformat()
    assert answer["expires_on"] == EXPIRES
    second = crm(database, "redeem", *code.split("-"), "--desk", "Till 2", data_dir=tmp_path)
    assert second.returncode == 1
    assert second.stdout.startswith("Already redeemed on ") and "at Till 7." in second.stdout
    assert second.stdout.count("\n") == 1


def test_redeem_typo_and_unknown_exit_1(database, tmp_path):
    code = issue(database, tmp_path)["code"]
    typo = crm(database, "redeem", code[:-1] + ("A" if code[-1] != "A" else "B"), "--json",
               data_dir=tmp_path)
    assert typo.returncode == 1 and json.loads(typo.stdout)["status"] == "typo"
    unknown = crm(database, "redeem", "0000-0000-0000-0", "--json", data_dir=tmp_path)
    assert unknown.returncode == 1 and json.loads(unknown.stdout)["status"] == "unknown"


def test_print_writes_one_pdf(database, tmp_path):
    codes = [issue(database, tmp_path)["code"] for _ in range(5)]
    out = tmp_path / "coupons.pdf"
    result = crm(database, "print", *codes, "--out", str(out), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote 5 coupons to {out}."
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert codes[0] in reader.pages[0].extract_text()


def test_print_refuses_a_redeemed_coupon_and_writes_nothing(database, tmp_path):
    code = issue(database, tmp_path)["code"]
    crm(database, "redeem", code, data_dir=tmp_path)
    out = tmp_path / "coupons.pdf"
    result = crm(database, "print", code, "--out", str(out), data_dir=tmp_path)
    assert result.returncode == 1 and "Already redeemed" in result.stderr
    assert not out.exists()


def test_coupon_without_an_action_is_a_usage_error(database, tmp_path):
    result = crm(database, data_dir=tmp_path)
    assert result.returncode == 2 and "issue, redeem or print" in result.stderr


@pytest.mark.parametrize("action", ["issue", "redeem", "print"])
def test_every_coupon_action_has_help(action, capsys):
    with pytest.raises(SystemExit) as leaving:
        build_parser().parse_args(["coupon", action, "--help"])
    assert leaving.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: crm-desktop coupon {action}") and "--db" in out
