"""A served hub for the console's tests, loaded through the real sync and resolution: two
brands' CRM exports in which one person is known to both (with a city that differs), and that
person's history (tests/console/history.py): till receipts, a partner holding, web-shop orders
and subscriptions, consents."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy.engine import URL

from hub.access import Role
from hub.app import create_app
from hub.commands import run_resolve, run_sync
from hub.identity.normalise import normalise_identifier
from hub.records import IdentifierKind
from hub.runtime import Hub
from hub.store.database import database_url
from hub.store.profiles import find_profile_by_identifier
from hub.testing import serve_asgi
from tests.conftest import WriteConfig, new_key
from tests.console.history import (
    AMELIE,
    TILLS_CONFIG,
    record_consent,
    store_shop_history,
    write_history_files,
)

CONFIG = (
    """
[connectors.crm]
type = "file_import"
path = "crm.csv"
id_column = "Code"
brand = "maison"

[connectors.crm.columns]
first_name = "Prénom"
last_name = "Nom"
email = "E-mail"
phone = "Téléphone"
city = "Ville"
country = "Pays"
loyalty_card = "Carte"

[connectors.atelier]
type = "file_import"
path = "atelier.csv"
id_column = "Code"
brand = "atelier"

[connectors.atelier.columns]
first_name = "Prénom"
last_name = "Nom"
email = "E-mail"
phone = "Téléphone"
city = "Ville"
country = "Pays"
"""
    + TILLS_CONFIG
)

CRM_ROWS = [
    "Code;Prénom;Nom;E-mail;Téléphone;Ville;Pays;Carte",
    "A1;Amélie;Durand;amelie.durand@example.fr;06 12 34 56 78;Lyon;FR;MX-4471-2290",
    "A2;Hélène;Bœuf;helene.boeuf@example.fr;;Paris;FR;",
    "A3;Jean;Martin;;07 81 22 33 44;Nantes;FR;MX-9001-0007",
]
ATELIER_ROWS = [
    "Code;Prénom;Nom;E-mail;Téléphone;Ville;Pays",
    "B1;Amélie;Durand;Amelie.Durand@example.fr;;Villeurbanne;FR",
    "B2;Paul;Leroy;paul.leroy@example.fr;06 99 88 77 66;Lille;FR",
]


SHOP_CONFIG = """
[connectors.shop]
type = "file_import"
path = "shop.csv"
id_column = "{id_column}"
brand = "maison"

[connectors.shop.columns]
first_name = "Prénom"
last_name = "Nom"
email = "E-mail"
"""
"""A shop export whose id column was first mapped wrong ("Code", empty on two rows), then
fixed ("Ref"): the quarantine an operator replays after fixing plugins.toml."""
LONG_NOTE = "<b>VIP</b> & " + "très fidèle, " * 30
SHOP_ROWS = [
    "Code;Ref;Prénom;Nom;E-mail;Note",
    "S1;R1;Lucie;Bernard;lucie.bernard@example.fr;",
    f";R2;Marc;Petit;marc.petit@example.fr;{LONG_NOTE}",  # no Code: quarantined, then fixed
    ";;Inès;Roux;ines.roux@example.fr;",  # neither: still failing after the fix
]


@dataclass
class ConsoleSite:
    hub: Hub
    url: str
    admin_key: str
    analyst_key: str
    """An analyst key: profiles without personal data."""
    app_key_without_personal_data: str

    @property
    def console(self) -> str:
        return f"{self.url}/console"

    async def profile_id(self, email: str) -> str:
        """The id of the profile an e-mail identifies, as the schema finds it."""
        return await self.profile_id_of(IdentifierKind.EMAIL, email)

    async def profile_id_of_card(self, card: str) -> str:
        return await self.profile_id_of(IdentifierKind.LOYALTY_CARD, card)

    async def profile_id_of(self, kind: IdentifierKind, value: str) -> str:
        key = normalise_identifier(kind, value)
        assert key is not None
        async with self.hub.sessions() as session:
            profile = await find_profile_by_identifier(session, kind.value, key)
        assert profile is not None, value
        return profile.id


def write_exports(folder: Path) -> None:
    (folder / "crm.csv").write_bytes("\r\n".join(CRM_ROWS).encode("cp1252"))
    (folder / "atelier.csv").write_bytes("\r\n".join(ATELIER_ROWS).encode("cp1252"))
    write_history_files(folder)


async def load(hub: Hub) -> None:
    """Sync every instance and resolve, as ``hub sync`` does."""
    quiet = Console(quiet=True)
    await run_sync(hub, (), full=False, console=quiet)
    await run_resolve(hub, console=quiet)


@asynccontextmanager
async def served(hub: Hub) -> AsyncIterator[ConsoleSite]:
    """``hub`` served on a free port with the console, and a key of each kind the tests use."""
    keys = (
        await new_key(hub, Role.ADMIN, name="console-admin"),
        await new_key(hub, Role.ANALYST, name="console-analyst"),
        await new_key(hub, Role.APP, name="console-app", personal_data=False),
    )
    async with serve_asgi(create_app(hub)) as url:
        yield ConsoleSite(hub, url, *keys)


@pytest.fixture
async def site(tmp_path: Path, write_config: WriteConfig) -> AsyncIterator[ConsoleSite]:
    """The hub loaded from both exports (SQLite), served on a free port with the console."""
    write_exports(tmp_path)
    url = database_url({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}"})
    hub = await Hub.open(write_config(CONFIG), url=url)
    try:
        await load(hub)
        await store_shop_history(hub)
        async with served(hub) as ready:
            await record_consent(ready.url, ready.admin_key, await ready.profile_id(AMELIE))
            yield ready
    finally:
        await hub.close()


@pytest.fixture
async def quarantined_site(
    tmp_path: Path, write_config: WriteConfig, db_url: URL
) -> AsyncIterator[ConsoleSite]:
    """Both exports and the shop's, synced with the shop's id column mapped wrong (two rows
    quarantined), then served with the mapping fixed: what is left is to replay."""
    write_exports(tmp_path)
    (tmp_path / "shop.csv").write_text("\n".join(SHOP_ROWS), encoding="utf-8")
    first = await Hub.open(write_config(CONFIG + SHOP_CONFIG.format(id_column="Code")), url=db_url)
    try:
        await load(first)
    finally:
        await first.close()
    hub = await Hub.open(write_config(CONFIG + SHOP_CONFIG.format(id_column="Ref")), url=db_url)
    try:
        async with served(hub) as ready:
            yield ready
    finally:
        await hub.close()
