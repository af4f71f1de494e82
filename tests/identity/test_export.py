"""`hub export` writes every live profile and every link, in JSON Lines or CSV, from the store."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.errors import HubError
from hub.identity.config import ResolutionConfig
from hub.identity.export import export_profiles
from hub.identity.pipeline import resolve
from hub.runtime import Hub
from tests.identity.conftest import links_by_source


async def test_jsonl_export_holds_each_profile_and_link(two_sources: Hub, tmp_path: Path) -> None:
    await resolve(two_sources.sessions, ResolutionConfig())
    counts = await export_profiles(two_sources.sessions, tmp_path / "out", "jsonl")
    profiles = [
        json.loads(line) for line in (tmp_path / "out/profiles.jsonl").read_text().splitlines()
    ]
    links = [json.loads(line) for line in (tmp_path / "out/links.jsonl").read_text().splitlines()]
    stored = await links_by_source(two_sources)
    assert (counts.profiles, counts.links) == (len(profiles), len(links)) == (4, len(stored))
    exported = {f"{row['connector']}:{row['source_id']}": row["profile_id"] for row in links}
    assert exported == {key: link.profile_id for key, link in stored.items()}
    amelie = next(p for p in profiles if p["profile_id"] == exported["crm:A1"])
    assert amelie["records"] == 2
    assert amelie["email"]["source"] in {"crm", "loyalty"}
    assert amelie["email"]["record_id"] in {
        stored["crm:A1"].record_id,
        stored["loyalty:L1"].record_id,
    }


async def test_csv_export_flattens_golden_values(two_sources: Hub, tmp_path: Path) -> None:
    await resolve(two_sources.sessions, ResolutionConfig())
    await export_profiles(two_sources.sessions, tmp_path, "csv")
    with (tmp_path / "profiles.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 4
    lucas = next(r for r in rows if r["first_name"] == "Lucas")
    assert lucas["last_name"] == "Bernard" and lucas["email"] == "" and lucas["records"] == "1"
    with (tmp_path / "links.csv").open(encoding="utf-8", newline="") as stream:
        assert {r["profile_id"] for r in csv.DictReader(stream)} == {r["profile_id"] for r in rows}
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]


async def test_an_unwritable_directory_is_a_clear_error(two_sources: Hub, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(HubError, match=f"cannot write the export to {blocker}"):
        await export_profiles(two_sources.sessions, blocker, "csv")


def test_cli_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'jsonl', 'csv'" in result.output
