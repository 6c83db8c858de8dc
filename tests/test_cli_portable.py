"""``crm-desktop export json`` and ``crm-desktop import`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm_desktop.services.customer_data import CustomerInput, EmailInput
from crm_desktop.services.customers import create_customer
from crm_desktop.services.database import open_database


def _run(tmp_path: Path, database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRM_DATA_DIR": str(tmp_path / "data"), "CRM_LANGUAGE": "en"}
    env.pop("CRM_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "crm_desktop", "--db", f"sqlite:///{database}", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    database = open_database(f"sqlite:///{path}", backup_before_migration=False)
    with database.session() as s:
        for first, last in (("Maija", "Mäkinen"), ("Olli", "Virta")):
            data = CustomerInput(first_name=first, last_name=last,
                                 emails=(EmailInput(f"{first.lower()}@example.fi"),))
            create_customer(s, data, "FI")
    database.dispose()
    return path


def test_export_then_import_into_a_new_database(tmp_path, source):
    out = tmp_path / "customers.json"
    exported = _run(tmp_path, source, "export", "json", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "Exported 2 customers" in exported.stdout
    names = [c["last_name"] for c in json.loads(out.read_text(encoding="utf-8"))["customers"]]
    assert names == ["Mäkinen", "Virta"]

    imported = _run(tmp_path, tmp_path / "target.sqlite3", "import", str(out))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 customers" in imported.stdout
    again = _run(tmp_path, tmp_path / "target.sqlite3", "export", "json", str(tmp_path / "b.json"))
    assert "Exported 2 customers" in again.stdout


def test_bad_record_is_named_on_stderr(tmp_path):
    records = [
        {"uid": "a", "first_name": "Ann"},
        {"uid": "b", "first_name": "Bea", "emails": [{"address": "no-at-sign"}]},
        {"uid": "c", "first_name": "Cid"},
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "kanta-customers", "version": 1, "customers": records}))
    result = _run(tmp_path, tmp_path / "target.sqlite3", "import", str(path))
    assert result.returncode == 1
    assert "Record 2: emails.1:" in result.stderr
    assert "Imported 2 customers" in result.stdout


def test_file_that_is_not_json_fails_with_one_line(tmp_path):
    path = tmp_path / "in.json"
    path.write_text("name;email\nAnn;ann@example.com\n")
    result = _run(tmp_path, tmp_path / "target.sqlite3", "import", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "is not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
