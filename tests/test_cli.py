"""The command line as a user runs it: a real subprocess, exit codes, one-sentence errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crm_desktop import __version__
from crm_desktop.cli import build_parser

COMMANDS = ["gui", "demo", "backup", "restore", "export", "import", "self-test"]


def run_cli(*args: str, data_dir, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CRM_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "crm_desktop", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def test_version(tmp_path):
    result = run_cli("--version", data_dir=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"Kanta {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as leaving:
        build_parser().parse_args([command, "--help"])
    assert leaving.value.code == 0
    out = capsys.readouterr().out
    assert "--db" in out
    assert out.startswith("usage: crm-desktop " + command)


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)


@pytest.mark.parametrize(
    ("db", "expected"),
    [("nosuch://x", "Unsupported database"), ("postgresql://h:port/db", "not a database address")],
)
def test_a_bad_db_url_is_one_sentence_and_exit_1(tmp_path, db, expected):
    result = run_cli("--db", db, "export", "json", str(tmp_path / "out.json"), data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_db_from_environment_variable(tmp_path):
    path = tmp_path / "from-env.sqlite3"
    result = run_cli(
        "export", "json", str(tmp_path / "o.json"), data_dir=tmp_path,
        CRM_DATABASE_URL=f"sqlite:///{path}",
    )
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_default_database_lives_in_the_data_folder(tmp_path):
    result = run_cli("export", "json", str(tmp_path / "o.json"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kanta.sqlite3").exists()


def test_interface_language_from_the_command_line(tmp_path):
    result = run_cli("--lang", "fi", "--db", "nosuch://x", "export", "json", "x", data_dir=tmp_path)
    assert result.stderr.startswith("Virhe:")
