"""`hub demo`: sandboxes started, every source synced, the combined config written safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.demo_sources import DEMO_CONFIG, sandbox_types
from hub.sandbox import Population

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's plugins.toml and demo files, with installed plugins on."""
    shutil.copy(REPO / "plugins.toml", tmp_path / "plugins.toml")
    shutil.copytree(REPO / "demo", tmp_path / "demo")
    monkeypatch.delenv("HUB_NO_ENTRY_POINTS")
    return tmp_path / "plugins.toml"


def test_demo_syncs_every_sandbox_and_the_demo_files(demo_project: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--config", str(demo_project)])
    assert result.exit_code == 0, result.output
    sandboxes = sandbox_types(demo_project)
    assert sandboxes, "no plugin provides a sandbox"
    written = (demo_project.parent / DEMO_CONFIG).read_text(encoding="utf-8")
    for sandbox in sandboxes:
        instance = f"{sandbox.connector_type}_demo"
        assert f"Sandbox:  {instance} at http://127.0.0.1:" in result.output
        assert f"ok {instance}:" in result.output
        for secret in sandbox(Population(1)).config("http://x", instance).env.values():
            assert secret not in written, "the demo config must refer to secrets, not hold them"
    assert "ok legacy_crm:" in result.output
    assert "customer profiles" in result.output
    assert "-H 'Authorization: Bearer hub_" in result.output  # the demo's admin key, once
    assert "/console" in result.output  # where agents sign in with that key
    assert Path("demo.db").exists()
