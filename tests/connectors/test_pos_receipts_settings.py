"""POS receipts: settings errors name the instance and the key before the database is touched,
and a missing folder fails the run."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import URL

from hub.errors import ConfigError
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import database_file_exists, sync, tills_hub


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"columns": {"shoe_size": "Pointure"}}, "key 'columns': unknown field 'shoe_size'"),
        ({"columns": {"receipt": ""}}, "key 'columns': field 'receipt' cannot be switched off"),
        ({"timezone": "Europe/Pariss"}, "key 'timezone': unknown time zone 'Europe/Pariss'"),
        ({"timezone": "../etc"}, "key 'timezone': unknown time zone '../etc'"),
        ({"currency": "EURO"}, "key 'currency': 'EURO' is not an ISO 4217 currency"),
        ({"encoding": "latin-9000"}, "key 'encoding': unknown encoding 'latin-9000'"),
        ({"delimiter": ";;"}, "key 'delimiter': ';;' is not one character"),
        ({"page_size": 0}, "key 'page_size': 0 is not a positive number"),
        ({"guest_cards": "0000"}, "key 'guest_cards': expected an array of strings"),
    ],
)
async def test_settings_errors_name_the_instance_and_the_key(
    write_config: WriteConfig, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        async with tills_hub(None, write_config, **settings):
            pass  # pragma: no cover - the hub must not open
    assert "[connectors.tills]" in str(raised.value)
    assert message in str(raised.value)
    assert not database_file_exists()  # checked before the database is touched


async def test_a_missing_folder_fails_the_run_naming_the_instance(
    db_url: URL, write_config: WriteConfig
) -> None:
    async with tills_hub(db_url, write_config, path="nowhere") as hub:
        result = await sync(hub)
    assert result.status == "failed"
    assert result.error is not None and result.error.startswith("tills: ")
    assert "nowhere does not exist" in result.error
