"""A tiny people API for the HttpStream tests, and the connector that reads it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from aiohttp import web

from hub.connector import (
    ConnectorRuntime,
    CursorPaginator,
    HttpConnector,
    HttpStream,
    Paginator,
)
from hub.connector.mapping import parse_timestamp, require_id
from hub.records import SourceRecord
from hub.sandbox import faults_middleware, install_faults

TOKEN = "test-token"


def day(n: int, minute: int = 0) -> datetime:
    return datetime(2024, 5, n, 10, minute, tzinfo=UTC)


def person(n: int, updated: datetime | None = None) -> dict[str, Any]:
    when = updated or day(n)
    return {"id": n, "name": f"Person {n}", "updated_at": when.isoformat().replace("+00:00", "Z")}


def vendor_error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message}}


class PeopleApi:
    """``GET /v1/people?limit=&updated_since=&after=``: oldest change first, an opaque cursor in
    ``meta.next_cursor``. The cursor is an offset into the filtered list, so a page request that
    lost its filter would land on the wrong people."""

    def __init__(self, people: Sequence[Any]) -> None:
        self.people = list(people)
        self.queries: list[dict[str, str]] = []
        self.expired_tokens: set[str] = set()
        self.app = web.Application(
            middlewares=[faults_middleware(vendor_error, sends_retry_after=True)]
        )
        self.faults = install_faults(self.app)
        self.app.router.add_get("/v1/people", self.list_people)

    def matching(self, since: str | None) -> list[Any]:
        if since is None:
            return self.people
        start = datetime.fromisoformat(since)
        return [
            item
            for item in self.people
            if not isinstance(item, dict)
            or "updated_at" not in item
            or _lenient_time(item["updated_at"]) >= start
        ]

    async def list_people(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.queries.append(query)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response(vendor_error(401, "invalid token"), status=401)
        if query.get("after") in self.expired_tokens:  # refused once, as an expired token is
            self.expired_tokens.discard(query["after"])
            return web.json_response(vendor_error(400, "cursor expired"), status=400)
        people = self.matching(query.get("updated_since"))
        offset = int(query["after"].removeprefix("off-")) if "after" in query else 0
        end = offset + int(query.get("limit", "100"))
        token = f"off-{end}" if end < len(people) else None
        if "after" in query and self.faults.take("repeat_token"):
            token = query["after"]
        return web.json_response({"data": people[offset:end], "meta": {"next_cursor": token}})


def _lenient_time(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class PeopleSettings:
    base_url: str
    token: str = TOKEN


class PeopleConnector(HttpConnector[PeopleSettings]):
    type_name = "people_api"
    settings_class = PeopleSettings

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.token}"}

    def streams(self, runtime: ConnectorRuntime) -> Sequence[PeopleStream]:
        return [PeopleStream(self, runtime)]


class PeopleStream(HttpStream):
    name = "people"
    path = "/v1/people"
    items_path = "data"
    paginator: ClassVar[Paginator] = CursorPaginator("meta.next_cursor", query_param="after")
    page_size = 2

    def params(self, since: datetime | None) -> dict[str, str]:
        limit = {"limit": str(self.page_size)}
        return {**limit, "updated_since": since.isoformat()} if since else limit

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return SourceRecord(
            "customer",
            require_id(item),
            item,
            updated_at=parse_timestamp(item["updated_at"]),
            person={"last_name": item["name"]},
        )
