"""A partner that follows the hub's feed contract, as a local aiohttp server or as drop files.

HTTP (see :mod:`connectors.partner_feed.connector` for the contract):

- ``GET /v1/holdings?updated_since=&cursor=&limit=`` — keyset pagination over holdings sorted
  by ``(updated_at, partner:holding)``; ``limit`` 1..500 (default 100); a bad ``limit``,
  ``updated_since`` (RFC 3339 with an offset) or ``cursor`` is a 400 problem.
- ``GET /v1/products`` — the catalogs of every partner, with ``ETag`` and ``Last-Modified``;
  ``If-None-Match`` (or, without it, ``If-Modified-Since``) answers ``304`` with no body.
- ``X-API-Key: <key>`` or ``Authorization: Bearer <key>``; otherwise ``401``.
- Errors are ``application/problem+json``; ``429`` carries ``Retry-After``.

Files: :meth:`PartnerFeedSandbox.write_drop_files` writes the same holdings as
``{partner}_holdings_{stamp}[_{seq}].csv`` (and ``{partner}_products_{stamp}.csv``), through a
``.part`` name and a rename, optionally with ``.done`` markers.

Counters (:attr:`PartnerFeedSandbox.served`) let a test check what was downloaded.
"""

from __future__ import annotations

import binascii
import copy
import hashlib
import hmac
import json
import os
import time
import uuid
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from aiohttp import web

from connectors.partner_feed.sandbox_data import (
    CATALOG_PUBLISHED,
    CSV_HOLDING_COLUMNS,
    CSV_PRODUCT_COLUMNS,
    PARTNERS,
    HoldingFactory,
    csv_text,
    drop_file_name,
    product_payload,
    timestamp_text,
)
from connectors.partner_feed.sandbox_http import (
    Handler,
    IndexEntry,
    http_date,
    not_modified,
    page_token,
    parse_rfc3339,
    problem,
    problem_content_type,
    problem_response,
    read_page_token,
)
from hub.sandbox import Faults, Person, Population, Sandbox, SandboxConfig, WebhookDelivery
from hub.sandbox.faults import ADMIN_PREFIX, faults_middleware, install_faults

API_KEY = "sandbox-partner-key"
WEBHOOK_SECRET = "sandbox-partner-webhook-secret"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def _env_name(instance: str, what: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in instance.upper()) + f"_{what}"


class PartnerFeedSandbox(Sandbox):
    connector_type: ClassVar[str] = "partner_feed"

    def __init__(
        self,
        population: Population,
        *,
        faults: Faults | None = None,
        api_key: str = API_KEY,
        webhook_secret: str = WEBHOOK_SECRET,
    ) -> None:
        super().__init__(population, faults=faults)
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.served: Counter[str] = Counter()
        """Answers given, by ``"<path> <status>"`` (``"/v1/products 304"``)."""
        self._factory = HoldingFactory(population.seed)
        self._holdings: dict[str, dict[str, Any]] = {}
        self._index: list[IndexEntry] = []
        for updated_at, holding in self._factory.for_population(population):
            key = f"{holding['partner_id']}:{holding['holding_id']}"
            self._holdings[key] = holding
            self._index.append((updated_at, key))
        self._index.sort()
        self._updated = {key: moment for moment, key in self._index}
        self._products = [product_payload(p, item) for p in PARTNERS for item in p.products]
        self._catalog_modified = CATALOG_PUBLISHED
        self._etag = self._catalog_etag()

    # -- data a test can read and change ------------------------------------------------------

    def __len__(self) -> int:
        return len(self._holdings)

    def holding_keys(self) -> list[str]:
        """Holding keys ``"<partner_id>:<holding_id>"``, oldest change first."""
        return [key for _, key in self._index]

    def holding(self, key: str) -> dict[str, Any]:
        return copy.deepcopy(self._holdings[key])

    def change_holding(self, key: str, **changes: Any) -> dict[str, Any]:
        """Change fields (``customer={...}`` merges into the customer); bumps ``updated_at``."""
        holding = self._holdings[key]
        customer = changes.pop("customer", None)
        holding.update(changes)
        if customer:
            holding["customer"] = {**holding.get("customer", {}), **customer}
        self._place(key, self._next_time())
        return self.holding(key)

    def add_holding(
        self, partner_id: str, product_id: str, person: Person | None = None
    ) -> dict[str, Any]:
        """A new holding (for ``person``, by default the population's first), changed now."""
        partner = next(p for p in PARTNERS if p.partner_id == partner_id)
        product = next(p for p in partner.products if p.product_id == product_id)
        _, holding = self._factory.holding(person or self.population.people[0], partner, product)
        key = f"{partner_id}:{holding['holding_id']}"
        self._holdings[key] = holding
        self._place(key, self._next_time())
        return self.holding(key)

    def put_raw(self, key: str, item: dict[str, Any], updated_at: datetime | None = None) -> None:
        """Serve ``item`` exactly as given (a malformed one, say), placed at ``updated_at``."""
        self._holdings[key] = copy.deepcopy(item)
        self._place(key, updated_at or self._next_time(), stamp=False)

    def rename_product(self, partner_id: str, product_id: str, name: str) -> None:
        """Change a catalog entry: a new ETag and Last-Modified."""
        for product in self._products:
            if (product["partner_id"], product["product_id"]) == (partner_id, product_id):
                product["name"] = name
        self._catalog_modified = datetime.now(UTC).replace(microsecond=0)
        self._etag = self._catalog_etag()

    def _next_time(self) -> datetime:
        now = datetime.now(UTC)
        newest = self._index[-1][0] if self._index else now
        return max(now, newest + timedelta(milliseconds=1))

    def _place(self, key: str, moment: datetime, *, stamp: bool = True) -> None:
        old = self._updated.get(key)
        if old is not None:
            del self._index[bisect_left(self._index, (old, key))]
        insort(self._index, (moment, key))
        self._updated[key] = moment
        if stamp:
            self._holdings[key]["updated_at"] = timestamp_text(moment)

    def _catalog_etag(self) -> str:
        canonical = json.dumps(self._products, sort_keys=True).encode()
        return '"' + hashlib.sha256(canonical).hexdigest()[:20] + '"'

    # -- HTTP ---------------------------------------------------------------------------------

    def create_app(self) -> web.Application:
        app = web.Application(
            middlewares=[
                problem_content_type,
                self._count,
                faults_middleware(problem, sends_retry_after=True),
                self._authenticate,
            ]
        )
        install_faults(app, self.faults)
        app.router.add_get("/v1/holdings", self._list_holdings)
        app.router.add_get("/v1/products", self._list_products)
        return app

    @web.middleware
    async def _count(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if not request.path.startswith(ADMIN_PREFIX):
            self.served[f"{request.path} {response.status}"] += 1
        return response

    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(ADMIN_PREFIX):
            return await handler(request)
        given = request.headers.get("X-API-Key")
        bearer = request.headers.get("Authorization", "")
        if bearer.startswith("Bearer "):
            given = bearer[len("Bearer ") :]
        if given is None or not hmac.compare_digest(given.encode(), self.api_key.encode()):
            response = problem_response(request, 401, "Missing or invalid API key or token.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="partner-feed"'
            return response
        return await handler(request)

    async def _list_holdings(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", DEFAULT_LIMIT))
            if not 1 <= limit <= MAX_LIMIT:
                raise ValueError
        except ValueError:
            return self._answer(
                request, 400, detail=f"limit must be an integer from 1 to {MAX_LIMIT}."
            )
        start = 0
        if "updated_since" in query:
            since = parse_rfc3339(query["updated_since"])
            if since is None:
                detail = "updated_since must be an RFC 3339 date-time with an offset."
                return self._answer(request, 400, detail=detail)
            start = bisect_left(self._index, (since, ""))
        token = query.get("cursor")
        if token:
            try:
                start = max(start, bisect_right(self._index, read_page_token(token)))
            except (ValueError, UnicodeDecodeError, binascii.Error):
                return self._answer(request, 400, detail="cursor is not one this API issued.")
        page = self._index[start : start + limit]
        next_cursor = page_token(page[-1]) if start + limit < len(self._index) else None
        if token and next_cursor and self.faults.take("repeat_token"):
            next_cursor = token  # a buggy partner handing out the same page again
        data = [self._holdings[key] for _, key in page]
        return self._answer(request, 200, {"data": data, "next_cursor": next_cursor})

    async def _list_products(self, request: web.Request) -> web.Response:
        validators = {
            "ETag": self._etag,
            "Last-Modified": http_date(self._catalog_modified),
            "Cache-Control": "no-cache",
        }
        if not_modified(request.headers, self._etag, self._catalog_modified):
            return web.Response(status=304, headers=validators)
        body = {"data": self._products, "next_cursor": None}
        return self._answer(request, 200, body, headers=validators)

    def _answer(
        self,
        request: web.Request,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        detail: str = "",
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        if status >= 400:
            return problem_response(request, status, detail)
        return web.json_response(body, status=status, headers=headers)

    def config(self, base_url: str, instance: str) -> SandboxConfig:
        key_var, secret_var = _env_name(instance, "API_KEY"), _env_name(instance, "WEBHOOK_SECRET")
        return SandboxConfig(
            table={
                "type": self.connector_type,
                "base_url": base_url,
                "api_key": f"${{{key_var}}}",
                "webhook_secret": f"${{{secret_var}}}",
            },
            env={key_var: self.api_key, secret_var: self.webhook_secret},
        )

    # -- files --------------------------------------------------------------------------------

    def file_config(self, folder: Path, instance: str) -> SandboxConfig:
        """How an instance reads the drop files :meth:`write_drop_files` wrote in ``folder``."""
        secret_var = _env_name(instance, "WEBHOOK_SECRET")
        return SandboxConfig(
            table={
                "type": self.connector_type,
                "path": str(folder),
                "webhook_secret": f"${{{secret_var}}}",
            },
            env={secret_var: self.webhook_secret},
        )

    def write_drop_files(
        self,
        folder: Path,
        *,
        stamp: datetime | None = None,
        since: datetime | None = None,
        rows_per_file: int | None = None,
        products: bool = True,
        done_markers: bool = False,
    ) -> list[Path]:
        """Write each partner's holdings (changed at or after ``since``) as drop files.

        Returns the paths written, products files first. ``rows_per_file`` splits a partner's
        holdings into sequence-numbered files (``_1``, ``_2``…).
        """
        folder.mkdir(parents=True, exist_ok=True)
        stamp = stamp or datetime.now(UTC)
        start = bisect_left(self._index, (since, "")) if since else 0
        written: list[Path] = []
        for partner in PARTNERS:
            pid = partner.partner_id
            if products:
                entries = [p for p in self._products if p["partner_id"] == pid]
                name = drop_file_name(pid, "products", stamp)
                written.append(
                    _drop(folder / name, csv_text(CSV_PRODUCT_COLUMNS, entries), done_markers)
                )
        for partner in PARTNERS:
            pid = partner.partner_id
            rows = [
                self._holdings[key]
                for _, key in self._index[start:]
                if self._holdings[key].get("partner_id") == pid
            ]
            if not rows:
                continue
            size = rows_per_file or len(rows)
            chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
            for seq, chunk in enumerate(chunks, start=1):
                name = drop_file_name(pid, "holdings", stamp, seq if len(chunks) > 1 else None)
                text = csv_text(CSV_HOLDING_COLUMNS, chunk)
                written.append(_drop(folder / name, text, done_markers))
        return written

    # -- webhooks -----------------------------------------------------------------------------

    def webhook(
        self,
        topic: str,
        resource: Any,
        *,
        target_url: str,
        timestamp: int | None = None,
        event_id: str | None = None,
    ) -> WebhookDelivery:
        """``resource`` (a holding) as the partner pushes it: signed over timestamp and body."""
        body = json.dumps(
            {"event_id": event_id or f"evt_{uuid.uuid4().hex}", "type": topic, "data": resource},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        signed_at = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(
            self.webhook_secret.encode(), signed_at.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-Partner-Timestamp": signed_at,
            "X-Partner-Signature": digest,
        }
        return WebhookDelivery(headers, body)

    def webhook_samples(self) -> list[tuple[str, Any]]:
        """A holding the partner just suspended, as it pushes it."""
        key = self.holding_keys()[0]
        return [("holding.updated", self.change_holding(key, status="suspended"))]


def _drop(path: Path, text: str, done_marker: bool) -> Path:
    """Write as a careful partner does: under a temporary name, then rename."""
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8", newline="")
    os.replace(partial, path)
    if done_marker:
        path.with_name(path.name + ".done").touch()
    return path
