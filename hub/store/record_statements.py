"""The statements that store a page of source records, one set of them per backend.

Each is written for its driver and handed to it as it is (``exec_driver_sql``): a page is a few
statements whatever its size, with parameters built once as plain tuples, not a compiled
statement that processes every value of every row again in Python. PostgreSQL gets each page as
arrays (``unnest``) in one round trip per table; SQLite, in process, gets ``executemany`` and
multi-row ``VALUES``. Both read and write the same columns with the same meaning, and the
timestamps go through the models' own :class:`~hub.store.models.UtcDateTime`, so a row written
here reads back as one written by the ORM.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

import aiosqlite
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from hub.store.errors import InvalidValue
from hub.store.models import UtcDateTime

Key = tuple[str, str]
"""(entity, source id): a record's key within its connector instance."""
IdentifierValues = tuple[int, str, str, str | None]
"""record id, kind, raw value, normalised value."""
ActivityValues = tuple[int, str, str, datetime | None, int | None, str | None, str]
"""record id, kind, source id, occurred at, amount in minor units, currency, details (JSON)."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StoredVersion:
    record_id: int
    content_hash: str
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class RecordContent:
    """The columns a new or changed version writes; JSON columns as their text."""

    entity: str
    source_id: str
    payload: str
    person: str
    attributes: str
    content_hash: str
    updated_at: datetime | None


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _timestamp_binder(dialect: Dialect) -> Callable[[datetime | None], Any]:
    """The column value of a timestamp, checked as the ORM checks it (aware, in UTC)."""
    process = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)

    def bind(value: datetime | None) -> Any:
        if value is None or process is None:
            return value
        try:
            return process(value)
        except ValueError as exc:
            raise InvalidValue(str(exc)) from None

    return bind


class RecordStatements(ABC):
    """What :func:`hub.store.records.upsert_records` asks of the database, in its transaction."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        dialect = connection.dialect
        self.bind_time = _timestamp_binder(dialect)
        read_time = UtcDateTime().dialect_impl(dialect).result_processor(dialect, None)
        self.read_time: Callable[[Any], datetime | None] = read_time or (lambda value: value)

    async def _rows(self, sql: str, parameters: tuple[Any, ...]) -> Sequence[Any]:
        return (await self.connection.exec_driver_sql(sql, parameters)).all()

    async def _run(self, sql: str, parameters: tuple[Any, ...]) -> None:
        await self.connection.exec_driver_sql(sql, parameters)

    @abstractmethod
    async def lock_stored(self, connector: str, keys: Sequence[Key]) -> dict[Key, StoredVersion]:
        """The stored versions among ``keys``, which no other writer may change until commit:
        the versions read decide what is written."""

    @abstractmethod
    async def insert(
        self, connector: str, contents: Sequence[RecordContent], now: datetime
    ) -> dict[Key, int]:
        """Insert new records (first, last seen and changed ``now``); their ids by key."""

    @abstractmethod
    async def update(self, changed: Sequence[tuple[int, RecordContent]], now: datetime) -> None:
        """Write the new version of each (record id, content); seen and changed ``now``."""

    @abstractmethod
    async def touch(self, record_ids: Sequence[int], now: datetime) -> None:
        """Mark records seen ``now``, their content as it was."""

    @abstractmethod
    async def delete_children(self, record_ids: Sequence[int]) -> None:
        """Delete the identifiers and activities of these records."""

    @abstractmethod
    async def insert_identifiers(self, rows: Sequence[IdentifierValues]) -> None: ...

    @abstractmethod
    async def insert_activities(self, rows: Sequence[ActivityValues]) -> None: ...


_SQLITE_CHUNK = 500
"""Rows (or keys) per SQLite statement: 500 records use 5,500 of its 32,766 variables."""
_RECORD_COLUMNS = (
    "connector, entity, source_id, payload, person, attributes, content_hash, "
    "source_updated_at, first_seen_at, last_seen_at, changed_at"
)


class SqliteRecordStatements(RecordStatements):
    """Statements handed to aiosqlite itself: one trip to its thread each, where SQLAlchemy's
    cursor takes three or four (open, execute, fetch, close) for the same statement, and a
    trip costs more than most of these statements. Errors are SQLAlchemy's, as from any
    statement, so :func:`hub.store.errors.translate_errors` reads them the same way."""

    _driver: aiosqlite.Connection | None = None

    async def _driver_connection(self) -> aiosqlite.Connection:
        if self._driver is None:
            raw = await self.connection.get_raw_connection()
            self._driver = cast("aiosqlite.Connection", raw.driver_connection)
        return self._driver

    async def _rows(self, sql: str, parameters: tuple[Any, ...]) -> Sequence[Any]:
        driver = await self._driver_connection()
        with _sqlalchemy_errors(sql):
            return list(await driver.execute_fetchall(sql, parameters))

    async def _run(self, sql: str, parameters: tuple[Any, ...]) -> None:
        driver = await self._driver_connection()
        with _sqlalchemy_errors(sql):
            await driver.execute(sql, parameters)

    async def _run_many(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        driver = await self._driver_connection()
        with _sqlalchemy_errors(sql):
            await driver.executemany(sql, rows)

    async def lock_stored(self, connector: str, keys: Sequence[Key]) -> dict[Key, StoredVersion]:
        # SQLite has one writer: taking it before reading keeps the versions read current. A
        # write that changes nothing takes it for the transaction.
        await self._run("UPDATE source_record SET connector = '' WHERE 0", ())
        by_entity: dict[str, list[str]] = {}
        for entity, source_id in keys:
            by_entity.setdefault(entity, []).append(source_id)
        stored: dict[Key, StoredVersion] = {}
        for entity, source_ids in by_entity.items():
            # One IN list per entity: SQLite searches it in the unique index, one probe a key.
            for chunk in _chunks(source_ids, _SQLITE_CHUNK):
                rows = await self._rows(
                    "SELECT id, source_id, content_hash, source_updated_at FROM source_record "
                    f"WHERE connector = ? AND entity = ? AND source_id IN ({_marks(len(chunk))})",
                    (connector, entity, *chunk),
                )
                for record_id, source_id, content_hash, updated_at in rows:
                    version = StoredVersion(record_id, content_hash, self.read_time(updated_at))
                    stored[(entity, source_id)] = version
        return stored

    async def insert(
        self, connector: str, contents: Sequence[RecordContent], now: datetime
    ) -> dict[Key, int]:
        at = self.bind_time(now)
        ids: dict[Key, int] = {}
        for chunk in _chunks(contents, _SQLITE_CHUNK):
            values: list[Any] = []
            for c in chunk:
                updated_at = self.bind_time(c.updated_at)
                values += (connector, c.entity, c.source_id, c.payload, c.person, c.attributes)
                values += (c.content_hash, updated_at, at, at, at)
            rows = await self._rows(
                f"INSERT INTO source_record ({_RECORD_COLUMNS}) VALUES {_row_marks(11, len(chunk))}"
                " RETURNING id, entity, source_id",
                tuple(values),
            )
            ids.update({(entity, source_id): record_id for record_id, entity, source_id in rows})
        return ids

    async def update(self, changed: Sequence[tuple[int, RecordContent]], now: datetime) -> None:
        if not changed:
            return
        at = self.bind_time(now)
        await self._run_many(
            "UPDATE source_record SET payload = ?, person = ?, attributes = ?, content_hash = ?, "
            "source_updated_at = ?, last_seen_at = ?, changed_at = ? WHERE id = ?",
            [
                (
                    *(c.payload, c.person, c.attributes, c.content_hash),
                    *(self.bind_time(c.updated_at), at, at, record_id),
                )
                for record_id, c in changed
            ],
        )

    async def touch(self, record_ids: Sequence[int], now: datetime) -> None:
        at = self.bind_time(now)
        for chunk in _chunks(record_ids, _SQLITE_CHUNK):
            await self._run(
                f"UPDATE source_record SET last_seen_at = ? WHERE id IN ({_marks(len(chunk))})",
                (at, *chunk),
            )

    async def delete_children(self, record_ids: Sequence[int]) -> None:
        for chunk in _chunks(record_ids, _SQLITE_CHUNK):
            marks = _marks(len(chunk))
            await self._run(f"DELETE FROM identifier WHERE record_id IN ({marks})", tuple(chunk))
            await self._run(f"DELETE FROM activity WHERE record_id IN ({marks})", tuple(chunk))

    async def _insert_rows(self, into: str, width: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """``rows`` (``width`` values each) inserted with multi-row ``VALUES``, not
        ``executemany``: sqlite3 gives up the interpreter lock around each step of a statement
        and must take it back before the next, and ``executemany`` steps once a row. While the
        main thread prepares the next page it keeps the lock for up to the switch interval
        (5 ms) at a time, so a thread that asks for it back once a row barely moves; once a
        statement, and its B-tree work runs beside the main thread's."""
        for chunk in _chunks(rows, _SQLITE_CHUNK):
            values = [value for row in chunk for value in row]
            await self._run(f"{into} VALUES {_row_marks(width, len(chunk))}", tuple(values))

    async def insert_identifiers(self, rows: Sequence[IdentifierValues]) -> None:
        await self._insert_rows(
            "INSERT INTO identifier (record_id, kind, raw_value, normalized_value)", 4, rows
        )

    async def insert_activities(self, rows: Sequence[ActivityValues]) -> None:
        bind_time = self.bind_time
        await self._insert_rows(
            "INSERT INTO activity (record_id, kind, source_id, occurred_at, amount_minor, "
            "currency, details)",
            7,
            [(r[0], r[1], r[2], bind_time(r[3]), r[4], r[5], r[6]) for r in rows],
        )


def _marks(count: int) -> str:
    return ", ".join(["?"] * count)


def _row_marks(width: int, count: int) -> str:
    """``count`` rows of ``width`` parameters, as a multi-row ``VALUES`` list."""
    return ", ".join([f"({_marks(width)})"] * count)


@contextmanager
def _sqlalchemy_errors(sql: str) -> Iterator[None]:
    """sqlite3's exceptions as the SQLAlchemy ones its dialect raises (IntegrityError …)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise sa_exc.DBAPIError.instance(
            sql, None, exc, sqlite3.Error, hide_parameters=True
        ) from exc


class PostgresqlRecordStatements(RecordStatements):
    async def lock_stored(self, connector: str, keys: Sequence[Key]) -> dict[Key, StoredVersion]:
        # One unique-index probe per key whatever the planner's statistics say (they go stale
        # while a first sync fills fresh tables, and a join or IN list is then planned as a
        # scan of the connector's records): a LATERAL subquery with LIMIT 1 cannot be
        # flattened into such a join. FOR UPDATE locks the rows read until commit.
        rows = await self._rows(
            "SELECT s.id, s.entity, s.source_id, s.content_hash, s.source_updated_at "
            "FROM unnest($2::text[], $3::text[]) AS wanted(entity, source_id) "
            "CROSS JOIN LATERAL (SELECT id, entity, source_id, content_hash, source_updated_at "
            "FROM source_record WHERE connector = $1 AND entity = wanted.entity "
            "AND source_id = wanted.source_id LIMIT 1 FOR UPDATE) AS s",
            (connector, [entity for entity, _ in keys], [source_id for _, source_id in keys]),
        )
        return {
            (entity, source_id): StoredVersion(record_id, content_hash, self.read_time(updated))
            for record_id, entity, source_id, content_hash, updated in rows
        }

    async def insert(
        self, connector: str, contents: Sequence[RecordContent], now: datetime
    ) -> dict[Key, int]:
        if not contents:
            return {}
        rows = await self._rows(
            f"INSERT INTO source_record ({_RECORD_COLUMNS}) "
            "SELECT $1, n.entity, n.source_id, n.payload::jsonb, n.person::jsonb, "
            "n.attributes::jsonb, n.content_hash, n.updated_at, $9, $9, $9 "
            "FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
            "$7::text[], $8::timestamptz[]) "
            "AS n(entity, source_id, payload, person, attributes, content_hash, updated_at) "
            "RETURNING id, entity, source_id",
            (connector, *self._content_arrays(contents), self.bind_time(now)),
        )
        return {(entity, source_id): record_id for record_id, entity, source_id in rows}

    def _content_arrays(self, contents: Sequence[RecordContent]) -> tuple[list[Any], ...]:
        return (
            [c.entity for c in contents],
            [c.source_id for c in contents],
            [c.payload for c in contents],
            [c.person for c in contents],
            [c.attributes for c in contents],
            [c.content_hash for c in contents],
            [self.bind_time(c.updated_at) for c in contents],
        )

    async def update(self, changed: Sequence[tuple[int, RecordContent]], now: datetime) -> None:
        if not changed:
            return
        _, _, *columns = self._content_arrays([content for _, content in changed])
        await self._run(
            "UPDATE source_record AS r SET payload = c.payload::jsonb, "
            "person = c.person::jsonb, attributes = c.attributes::jsonb, "
            "content_hash = c.content_hash, source_updated_at = c.updated_at, "
            "last_seen_at = $7, changed_at = $7 "
            "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], "
            "$6::timestamptz[]) AS c(id, payload, person, attributes, content_hash, updated_at) "
            "WHERE r.id = c.id",
            ([record_id for record_id, _ in changed], *columns, self.bind_time(now)),
        )

    async def touch(self, record_ids: Sequence[int], now: datetime) -> None:
        if record_ids:
            await self._run(
                "UPDATE source_record SET last_seen_at = $1 WHERE id = ANY($2::bigint[])",
                (self.bind_time(now), list(record_ids)),
            )

    async def delete_children(self, record_ids: Sequence[int]) -> None:
        if record_ids:
            ids = (list(record_ids),)
            await self._run("DELETE FROM identifier WHERE record_id = ANY($1::bigint[])", ids)
            await self._run("DELETE FROM activity WHERE record_id = ANY($1::bigint[])", ids)

    async def insert_identifiers(self, rows: Sequence[IdentifierValues]) -> None:
        if rows:
            await self._run(
                "INSERT INTO identifier (record_id, kind, raw_value, normalized_value) "
                "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])",
                tuple(list(column) for column in zip(*rows, strict=True)),
            )

    async def insert_activities(self, rows: Sequence[ActivityValues]) -> None:
        if not rows:
            return
        record_ids, kinds, source_ids, occurred, amounts, currencies, details = (
            list(column) for column in zip(*rows, strict=True)
        )
        await self._run(
            "INSERT INTO activity (record_id, kind, source_id, occurred_at, amount_minor, "
            "currency, details) SELECT a.record_id, a.kind, a.source_id, a.occurred_at, "
            "a.amount_minor, a.currency, a.details::jsonb "
            "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], "
            "$5::bigint[], $6::text[], $7::text[]) "
            "AS a(record_id, kind, source_id, occurred_at, amount_minor, currency, details)",
            (
                record_ids,
                kinds,
                source_ids,
                [self.bind_time(value) for value in occurred],
                amounts,
                currencies,
                details,
            ),
        )


def record_statements(connection: AsyncConnection) -> RecordStatements:
    """The statements for ``connection``'s backend."""
    if connection.dialect.name == "postgresql":
        return PostgresqlRecordStatements(connection)
    return SqliteRecordStatements(connection)
