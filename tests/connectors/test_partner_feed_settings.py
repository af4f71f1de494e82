"""Settings of the partner feed: one mode per instance, errors naming the keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.partner_feed.connector import PartnerFeedConnector
from connectors.partner_feed.sandbox import PartnerFeedSandbox
from hub.errors import ConfigError
from hub.plugins import build_plugin_manager, connector_types
from hub.runtime import Hub
from tests.conftest import WriteConfig

PLUGINS = '[plugins]\nload = ["connectors.partner_feed"]\n'
HEAD = PLUGINS + '[connectors.partners]\ntype = "partner_feed"\n'
HTTP = 'base_url = "https://feeds.partner.example"\napi_key = "${PARTNER_KEY}"\n'


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNER_KEY", "k-123")


async def config_error(write_config: WriteConfig, body: str) -> str:
    with pytest.raises(ConfigError) as raised:
        await Hub.open(write_config(HEAD + body))
    assert "k-123" not in str(raised.value)
    return str(raised.value)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "[connectors.partners] keys 'base_url' and 'path': set exactly one of them"),
        (HTTP + 'path = "drop"\n', "keys 'base_url' and 'path': set exactly one of them"),
        ('base_url = "https://p.example"\n', "key 'api_key': missing"),
        ('base_url = "ftp://p.example"\napi_key = "${PARTNER_KEY}"\n', "key 'base_url':"),
        ('path = "drop"\napi_key = "${PARTNER_KEY}"\n', "key 'api_key': only used with base_url"),
        (HTTP + 'auth = "basic"\n', "key 'auth': 'basic' is not one of 'api_key', 'bearer'"),
        (HTTP + "page_size = 501\n", "key 'page_size': 501 is not between 1 and 500"),
        ('path = "drop"\npartner_id = "acme_assur"\n', "key 'partner_id': 'acme_assur' must"),
        ('path = "drop"\nholdings_feed = ""\n', "key 'holdings_feed': '' must be non-empty"),
        ('path = "drop"\nrequire_done_marker = "yes"\n', "expected true or false"),
    ],
)
async def test_settings_errors_name_the_instance_and_key(
    write_config: WriteConfig, body: str, expected: str
) -> None:
    message = await config_error(write_config, body)
    assert "[connectors.partners]" in message
    assert expected in message


async def test_a_literal_key_in_the_file_is_refused(write_config: WriteConfig) -> None:
    body = 'base_url = "https://p.example"\napi_key = "k-123"\n'
    with pytest.raises(ConfigError, match=r"key 'api_key': a secret must be written as a \$\{"):
        await Hub.open(write_config(HEAD + body))


async def test_both_modes_build_and_a_relative_path_is_resolved(
    write_config: WriteConfig, tmp_path: Path
) -> None:
    body = (
        PLUGINS + "[connectors.acme]\n"
        'type = "partner_feed"\npath = "drop/acme"\npartner_id = "acme-assur"\n'
        "[connectors.shared]\n"
        'type = "partner_feed"\n' + HTTP + 'auth = "bearer"\nbrand = "lumiere"\n'
    )
    config = write_config(body)
    hub = await Hub.open(config)
    try:
        acme, shared = hub.connectors["acme"], hub.connectors["shared"]
        assert isinstance(acme, PartnerFeedConnector) and isinstance(shared, PartnerFeedConnector)
        assert acme.settings.path == tmp_path / "drop" / "acme"
        assert not acme.http_mode and shared.http_mode
        assert shared.headers()["Authorization"] == "Bearer k-123"
        assert "k-123" not in repr(shared.settings)
    finally:
        await hub.close()


def test_the_plugin_registers_the_connector_type_and_its_sandbox() -> None:
    manager = build_plugin_manager(load=["connectors.partner_feed"])
    assert connector_types(manager)["partner_feed"].cls is PartnerFeedConnector
    sandboxes = [s for group in manager.hook.hub_sandboxes() for s in group]
    assert [s for s in sandboxes if s.connector_type == "partner_feed"] == [PartnerFeedSandbox]
