"""The `hub` command line, through click's CliRunner.

The async commands call asyncio.run themselves, so these tests are plain functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hub.cli import main
from hub.store import migrate
from tests.conftest import CSV_CONNECTOR, WriteConfig


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result: Result) -> str:
    """Exit status 1, a single "error:" line on stderr, no traceback; return that line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    return lines[0]


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("HUB_DATABASE_URL", url)
    return url


@pytest.fixture
def csv_config(write_config: WriteConfig, customers_csv: Path) -> Path:
    return write_config(CSV_CONNECTOR)


def test_main_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    commands = ("demo", "serve", "sync", "resolve", "connectors", "db", "schema", "keys", "users")
    for command in commands:
        assert command in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["demo"],
        ["serve"],
        ["sync"],
        ["resolve"],
        ["connectors"],
        ["db"],
        ["db", "upgrade"],
        ["schema"],
        ["schema", "export"],
        ["keys"],
        ["keys", "create"],
        ["keys", "list"],
        ["keys", "revoke"],
        ["users"],
        ["users", "add"],
    ],
    ids=" ".join,
)
def test_subcommand_help(command: Sequence[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage:")
    assert " ".join(command) in result.output.splitlines()[0]


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert "hub" in result.output


def test_connectors_lists_file_import(csv_config: Path, tmp_path: Path) -> None:
    result = run("connectors", "--config", str(csv_config))
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "file_import" in line)
    assert "customer360-hub" in row
    assert "crm" in result.stdout
    assert not (tmp_path / "hub.db").exists()  # listing does not create a database


def test_connectors_reads_hub_config(
    csv_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setenv("HUB_CONFIG", str(csv_config))
    result = run("connectors")
    assert result.exit_code == 0, result.output
    assert "crm" in result.stdout


def test_sync_bad_config_is_one_line_error(write_config: WriteConfig, sqlite_url: str) -> None:
    path = write_config('[connectors.crm]\ntype = "file_import"\npath = 3\nid_column = "Code"\n')
    line = assert_one_line_error(run("sync", "--config", str(path)))
    assert "plugins.toml" in line
    assert "[connectors.crm]" in line
    assert "'path'" in line


def test_sync_invalid_toml_is_one_line_error(write_config: WriteConfig) -> None:
    path = write_config("[connectors.crm\n")
    line = assert_one_line_error(run("sync", "--config", str(path)))
    assert "plugins.toml" in line
    assert "TOML" in line


def test_sync_missing_config_file(tmp_path: Path) -> None:
    line = assert_one_line_error(run("sync", "--config", str(tmp_path / "absent.toml")))
    assert "absent.toml" in line


def test_sync_unknown_connector_names_instances(csv_config: Path, sqlite_url: str) -> None:
    line = assert_one_line_error(run("sync", "--config", str(csv_config), "--connector", "nosuch"))
    assert "nosuch" in line
    assert "crm" in line.split("nosuch", 1)[1]


def test_sync_prints_counts_and_is_idempotent(csv_config: Path, sqlite_url: str) -> None:
    first = run("sync", "--config", str(csv_config))
    assert first.exit_code == 0, first.output
    assert "crm: 3 fetched, 3 new" in first.stdout
    assert "3 records resolved" in first.stdout
    second = run("sync", "--config", str(csv_config), "--connector", "crm")
    assert second.exit_code == 0, second.output
    assert "crm: 0 fetched, 0 new" in second.stdout
    assert "0 records resolved" in second.stdout


def test_sync_full_rereads_without_new_records(csv_config: Path, sqlite_url: str) -> None:
    assert run("sync", "--config", str(csv_config)).exit_code == 0
    full = run("sync", "--config", str(csv_config), "--full")
    assert full.exit_code == 0, full.output
    assert "3 fetched, 0 new" in full.stdout
    assert "3 unchanged" in full.stdout


def test_sync_failing_connector_exits_1(write_config: WriteConfig, sqlite_url: str) -> None:
    """The connector's error is shown as written, brackets included (not read as markup)."""
    path = write_config(CSV_CONNECTOR.replace('"crm.csv"', '"[data]/crm.csv"'))
    result = run("sync", "--config", str(path))
    assert result.exit_code == 1
    assert "failed crm" in result.stdout
    assert "[data]/crm.csv" in result.stdout
    assert "some connectors failed" in result.stderr
    assert "Traceback" not in result.output


def test_resolve_on_empty_database(sqlite_url: str) -> None:
    result = run("resolve")
    assert result.exit_code == 0, result.output
    assert "0 records resolved" in result.stdout


def test_db_upgrade_reports_revision(tmp_path: Path, sqlite_url: str) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "revision" in result.stdout
    assert migrate.head_revision() in result.stdout
    assert (tmp_path / "cli.db").exists()
    again = run("db", "upgrade")
    assert again.exit_code == 0
    assert migrate.head_revision() in again.stdout


def test_unsupported_database_url_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", "mysql://x/y")
    line = assert_one_line_error(run("db", "upgrade"))
    assert "HUB_DATABASE_URL" in line
    assert "mysql" in line


def test_garbage_database_url_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", "not a url")
    line = assert_one_line_error(run("db", "upgrade"))
    assert "HUB_DATABASE_URL" in line


def test_resolve_full_reestimates_and_resolves_every_record(
    csv_config: Path, sqlite_url: str
) -> None:
    assert run("sync", "--config", str(csv_config)).exit_code == 0
    again = run("resolve", "--config", str(csv_config))
    assert again.exit_code == 0, again.output
    assert "0 records resolved" in again.stdout
    assert "(full run)" not in again.stdout
    full = run("resolve", "--full", "--config", str(csv_config))
    assert full.exit_code == 0, full.output
    assert "identities (full run): 3 records resolved" in full.stdout
    assert "0 new profiles" in full.stdout  # the same people keep their profiles


def test_keys_create_prints_the_key_once_list_never_shows_it_revoke(
    sqlite_url: str, csv_config: Path
) -> None:
    config = ("--config", str(csv_config))
    created = run("keys", "create", *config, "--name", "shop", "--role", "app",
                  "--brand", "maison", "--no-personal-data")  # fmt: skip
    assert created.exit_code == 0, created.output
    [key] = [line for line in created.output.splitlines() if line.startswith("hub_")]
    listed = run("keys", "list", *config)
    assert listed.exit_code == 0, listed.output
    assert "shop" in listed.output and "maison" in listed.output and "masked" in listed.output
    assert key.split("_", 2)[2] not in listed.output
    assert "already exists" in assert_one_line_error(
        run("keys", "create", *config, "--name", "shop", "--role", "app")
    )
    revoked = run("keys", "revoke", *config, "shop")
    assert revoked.exit_code == 0 and "Revoked key 'shop'" in revoked.output
    assert "no key named" in assert_one_line_error(run("keys", "revoke", *config, "nobody"))


def test_users_add_asks_the_password_twice_and_never_prints_a_key(
    sqlite_url: str, csv_config: Path
) -> None:
    config = ("--config", str(csv_config))
    added = CliRunner().invoke(
        main,
        ["users", "add", *config, "alice", "--role", "agent", "--brand", "maison"],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert added.exit_code == 0, added.output
    assert "Added user 'alice' (agent, maison); key user:alice." in added.output
    assert "hub_" not in added.output and "correct horse" not in added.output
    again = run("users", "add", *config, "alice", "--role", "agent", "--password", "x" * 12)
    assert "a user named 'alice' already exists" in assert_one_line_error(again)
    short = run("users", "add", *config, "bob", "--role", "agent", "--password", "short")
    assert "at least 12 characters" in assert_one_line_error(short)
    closed = run("keys", "revoke", *config, "user:alice")  # how an account is closed
    assert closed.exit_code == 0 and "Revoked key 'user:alice'" in closed.output
