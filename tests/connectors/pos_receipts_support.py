"""Shared pieces of the POS receipts tests: export rows as French tills write them, a hub with
one instance reading them, and what the store holds afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.pos_receipts
from hub.config import render_instance
from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.store.models import ActivityRow, IdentifierRow, QuarantineRow, SourceRecordRow
from hub.sync.engine import SyncResult, sync_connector
from tests.conftest import WriteConfig

HEADER = (
    "Code magasin;Caisse;Caissier;N° ticket;N° ligne;Date;Heure;N° carte fidélité;Prénom;Nom;"
    "E-mail;Téléphone;Code article;Libellé;Qté;PU TTC;Montant TTC;Total ticket;Mode de paiement"
)
GUEST = "0000000000000"


def row(ticket: str, line: int | str = 1, **cells: str) -> str:
    """One line item of the default export layout; keyword arguments replace cells."""
    values = {
        "store": "PAR01",
        "register": "C1",
        "cashier": "Nadia",
        "date": "23/11/2026",
        "time": "14:05",
        "card": "",
        "first": "",
        "last": "",
        "email": "",
        "phone": "",
        "sku": "3612345000017",
        "title": "T-shirt coton bio",
        "qty": "1",
        "unit": "19,90",
        "total": "19,90",
        "receipt_total": "",
        "payment": "CB",
    }
    unknown = set(cells) - set(values)
    assert not unknown, f"unknown cells {unknown}"
    values.update(cells)
    ordered = [values["store"], values["register"], values["cashier"], ticket, str(line)]
    ordered += [values[k] for k in ("date", "time", "card", "first", "last", "email", "phone")]
    ordered += [values[k] for k in ("sku", "title", "qty", "unit", "total", "receipt_total")]
    return ";".join([*ordered, values["payment"]])


def write_export(
    folder: Path,
    name: str,
    rows: Iterable[str],
    *,
    header: str = HEADER,
    encoding: str = "utf-8-sig",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes("\r\n".join([header, *rows, ""]).encode(encoding))
    return path


def tills_table(name: str, settings: Mapping[str, Any]) -> str:
    """A ``[connectors.<name>]`` table of type ``pos_receipts``."""
    return render_instance(name, {"type": "pos_receipts", **settings})


@asynccontextmanager
async def tills_hub(
    db_url: URL | None, write_config: WriteConfig, **settings: Any
) -> AsyncIterator[Hub]:
    """A hub with one instance ``tills`` reading the folder ``exports`` (or ``path``)."""
    settings.setdefault("path", "exports")
    settings.setdefault("guest_cards", [GUEST])
    settings.setdefault("brand", "lumiere")
    hub = await Hub.open(
        write_config(tills_table("tills", settings)),
        url=db_url,
        extra_plugins=(connectors.pos_receipts,),
    )
    try:
        yield hub
    finally:
        await hub.close()


async def sync(hub: Hub, instance: str = "tills", **options: Any) -> SyncResult:
    async with ConnectorRuntime.open() as runtime:
        return await sync_connector(hub.connectors[instance], hub.sessions, runtime, **options)


async def records(hub: Hub, instance: str = "tills") -> dict[str, SourceRecordRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(SourceRecordRow).where(SourceRecordRow.connector == instance)
        )
        return {row.source_id: row for row in rows}


async def activities(hub: Hub) -> dict[str, ActivityRow]:
    async with hub.sessions() as session:
        return {row.source_id: row for row in await session.scalars(select(ActivityRow))}


async def identifiers(hub: Hub) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    async with hub.sessions() as session:
        query = select(SourceRecordRow.source_id, IdentifierRow.kind, IdentifierRow.raw_value).join(
            IdentifierRow, IdentifierRow.record_id == SourceRecordRow.id
        )
        for source_id, kind, value in await session.execute(query):
            found.setdefault(source_id, set()).add((kind, value))
    return found


async def quarantined(hub: Hub) -> list[QuarantineRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id)))


def database_file_exists() -> bool:
    return Path("hub.db").exists()


def lines_of(activity: ActivityRow) -> list[tuple[Any, ...]]:
    return [
        (line["sku"], line["quantity"], line["unit_price_minor"], line["total_minor"])
        for line in activity.details["lines"]
    ]
