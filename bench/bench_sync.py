"""Sync throughput: the hub's file import against a floor measured in the same run.

The floor parses the same CSV with the csv module and writes each row with its JSON payload and
SHA-256 into SQLite with one executemany: the least any import must do. The hub also detects the
format, maps columns, extracts identifiers, upserts by source id and saves a cursor per page.

    .venv/bin/python bench/bench_sync.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from connectors.file_import.connector import FileImportConnector, FileImportSettings
from hub.connector import ConnectorRuntime
from hub.store import migrate
from hub.store.database import create_engine, database_url, session_factory
from hub.sync.engine import sync_connector

FIRST = ["Amélie", "Jean", "Sophie", "Lucas", "Chloé", "Hans", "María", "Emily", "Giulia", "Nora"]
LAST = ["Durand", "Martin", "Lefèvre", "Bernard", "Petit", "Müller", "García", "Clarke", "Rossi"]
CITIES = ["Lyon", "Paris", "Nice", "Bordeaux", "Berlin", "Madrid", "London", "Roma", "Lille"]


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "first", "last", "email", "phone", "city"])
        for number in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            writer.writerow([
                f"C{number}", first, last, f"{first}.{last}{number}@example.org".lower(),
                f"06 {rng.randrange(10**8):08d}", rng.choice(CITIES),
            ])  # fmt: skip


def floor(path: Path, database: Path) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute("create table record (id text primary key, payload text, hash text)")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        rows = []
        for row in reader:
            payload = json.dumps(row, sort_keys=True, ensure_ascii=False)
            rows.append((row["id"], payload, hashlib.sha256(payload.encode()).hexdigest()))
    connection.executemany("insert into record values (?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return time.perf_counter() - started


async def hub_import(path: Path, database: Path) -> tuple[float, int]:
    engine = create_engine(database_url({"HUB_DATABASE_URL": f"sqlite:///{database}"}))
    await migrate.upgrade(engine)
    settings = FileImportSettings(
        path=path,
        id_column="id",
        columns={"first_name": "first", "last_name": "last", "email": "email",
                 "phone": "phone", "city": "city"},
    )  # fmt: skip
    connector = FileImportConnector("bench", settings)
    started = time.perf_counter()
    async with ConnectorRuntime.open() as runtime:
        result = await sync_connector(connector, session_factory(engine), runtime)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return elapsed, result.counts.inserted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "customers.csv"
        write_csv(source, args.rows)
        floor_seconds = floor(source, folder / "floor.db")
        hub_seconds, inserted = asyncio.run(hub_import(source, folder / "hub.db"))
    assert inserted == args.rows, f"hub stored {inserted} of {args.rows} rows"
    print(f"rows: {args.rows}")
    print(f"{'':24}{'seconds':>10}{'rows/s':>12}")
    print(f"{'floor (csv + sqlite3)':24}{floor_seconds:>10.2f}{args.rows / floor_seconds:>12,.0f}")
    print(f"{'hub file import':24}{hub_seconds:>10.2f}{args.rows / hub_seconds:>12,.0f}")
    print(f"hub / floor throughput: {floor_seconds / hub_seconds:.2f}x")


if __name__ == "__main__":
    main()
