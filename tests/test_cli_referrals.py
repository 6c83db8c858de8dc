"""``crm-desktop referrals tree|top`` as a user runs them: a real subprocess."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crm_desktop.cli import build_parser
from crm_desktop.services.customer_data import CustomerInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.database import open_database
from crm_desktop.services.referrals import reward_referral, set_referral
from tests.test_cli import run_cli


@pytest.fixture
def referral_db(tmp_path) -> tuple[str, dict[str, int]]:
    """Anna brought Bert and Cecilia; Bert brought Daniel, who brought Eero."""
    url = f"sqlite:///{tmp_path / 'referrals.sqlite3'}"
    database = open_database(url, backup_before_migration=False)
    ids: dict[str, int] = {}
    with database.session() as s:
        for name in ("Anna", "Bert", "Cecilia", "Daniel", "Eero"):
            data = CustomerInput(first_name=name, last_name="Ärrä")
            ids[name] = create_customer(s, data, "FI").customer.id
        for customer, referrer in (("Bert", "Anna"), ("Cecilia", "Anna"),
                                   ("Daniel", "Bert"), ("Eero", "Daniel")):
            saved = set_referral(s, ids[customer], ids[referrer], None, date(2026, 1, 10))
        reward_referral(s, saved.referral.id)  # Daniel has been thanked for Eero
    database.dispose()
    return url, ids


def test_tree_as_json(tmp_path, referral_db):
    url, ids = referral_db
    result = run_cli("--db", url, "referrals", "tree", str(ids["Bert"]), "--json",
                     data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert [c["name"] for c in answer["chain"]] == ["Anna Ärrä", "Bert Ärrä"]
    assert (answer["root_id"], answer["size"], answer["depth"]) == (ids["Bert"], 3, 2)
    people = {p["name"]: p for p in answer["people"]}
    assert [p["name"] for p in answer["people"]] == ["Bert Ärrä", "Daniel Ärrä", "Eero Ärrä"]
    assert (people["Bert Ärrä"]["direct"], people["Bert Ärrä"]["total"]) == (1, 2)
    assert people["Bert Ärrä"]["parent_id"] is None
    assert people["Eero Ärrä"]["parent_id"] == ids["Daniel"]
    assert people["Eero Ärrä"]["reward_status"] == "rewarded"
    assert people["Daniel Ärrä"]["referred_on"] == "2026-01-10"


def test_tree_as_text_and_the_whole_family(tmp_path, referral_db):
    url, ids = referral_db
    result = run_cli("--db", url, "referrals", "tree", str(ids["Daniel"]), "--family",
                     data_dir=tmp_path, PYTHONIOENCODING="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Anna Ärrä [{ids['Anna']}]  (2 direct, 4 in all)",
        f"├─ Bert Ärrä [{ids['Bert']}]  (1 direct, 2 in all)",
        f"│  └─ Daniel Ärrä [{ids['Daniel']}]  (1 direct, 1 in all)",
        f"│     └─ Eero Ärrä [{ids['Eero']}] ✓",
        f"└─ Cecilia Ärrä [{ids['Cecilia']}]",
    ]


def test_top_as_json_and_as_a_table(tmp_path, referral_db):
    url, ids = referral_db
    result = run_cli("--db", url, "referrals", "top", "--limit", "2", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"rank": 1, "customer_id": ids["Anna"], "name": "Anna Ärrä", "direct": 2, "total": 4},
        {"rank": 2, "customer_id": ids["Bert"], "name": "Bert Ärrä", "direct": 1, "total": 2},
    ]
    table = run_cli("--db", url, "referrals", "top", "--by", "direct", "--until", "2025-12-31",
                    data_dir=tmp_path, PYTHONIOENCODING="utf-8")
    assert table.returncode == 0, table.stderr
    assert table.stdout.strip() == "Nobody has referred anyone yet."


def test_mistakes_are_one_sentence(tmp_path, referral_db):
    url, _ids = referral_db
    missing = run_cli("--db", url, "referrals", "tree", "999", data_dir=tmp_path)
    assert (missing.returncode, missing.stderr) == (1, "Error: Customer 999 does not exist.\n")
    zero = run_cli("--db", url, "referrals", "top", "--limit", "0", data_dir=tmp_path)
    assert (zero.returncode, zero.stderr) == (2, "Error: --limit must be at least 1.\n")
    no_action = run_cli("--db", url, "referrals", data_dir=tmp_path)
    assert no_action.returncode == 2
    assert no_action.stderr.count("\n") == 1


def test_top_table_lines_up(capsys, tmp_path, referral_db, monkeypatch):
    from crm_desktop.cli import main

    url, ids = referral_db
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path))
    assert main(["--db", url, "referrals", "top"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["#", "Customer", "Name", "Direct", "Total"]
    assert lines[1].split() == ["1", str(ids["Anna"]), "Anna", "Ärrä", "2", "4"]
    assert len({len(line) for line in lines[:2]}) == 1  # the columns line up


@pytest.mark.parametrize("action", ["tree", "top"])
def test_help(action, capsys):
    with pytest.raises(SystemExit) as leaving:
        build_parser().parse_args(["referrals", action, "--help"])
    assert leaving.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: crm-desktop referrals {action}")
