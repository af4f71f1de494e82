"""The partner's product catalog: names and categories that a holding only refers to by id.

A holding says ``"product_id": "HOME-BASIC"``; the catalog (``GET /v1/products``, or a
``{partner}_products_{stamp}.csv`` drop file) says it is "Assurance Habitation Essentielle", a
home insurance. The catalog is small and changes rarely, so it is kept whole in the
``products`` stream cursor together with the HTTP validators it came with (``ETag``,
``Last-Modified``): the next sync asks ``If-None-Match`` / ``If-Modified-Since`` and a
``304 Not Modified`` reuses the saved catalog without downloading it again. Cursor::

    {"etag": "\\"c0ffee\\"", "last_modified": "Mon, 15 Jan 2024 08:00:00 GMT",
     "products": {"acme-assur:HOME-BASIC": {"name": "…", "category": "…"}, …}}

Products are keyed ``partner_id:product_id`` when the partner is known (product ids of
different partners sharing a feed may collide), else by ``product_id`` alone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hub.connector.http_stream import READ_ERRORS
from hub.connector.mapping import RecordError, optional_text, require_id
from hub.records import Rejected

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Product:
    name: str | None
    category: str | None


@dataclass(frozen=True)
class Catalog:
    products: Mapping[str, Product] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None

    def lookup(self, partner: str | None, product_id: str | None) -> Product | None:
        if product_id is None:
            return None
        found = self.products.get(f"{partner}:{product_id}") if partner else None
        return found or self.products.get(product_id)

    def conditional_headers(self) -> dict[str, str]:
        """Validators for a conditional GET; none when there is no catalog to fall back on."""
        if not self.products:
            return {}
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def with_items(
        self, items: Iterable[Any], where: str, partner: str | None = None
    ) -> tuple[Catalog, list[Rejected]]:
        """This catalog with ``items`` added over it; unreadable items come back rejected.

        ``partner`` is the partner of every item that does not name its own (a drop file's).
        """
        products = dict(self.products)
        rejected: list[Rejected] = []
        for item in items:
            try:
                key, product = _read_product(item, partner)
            except READ_ERRORS as exc:
                source_id = item.get("product_id") if isinstance(item, Mapping) else None
                payload = item if isinstance(item, Mapping) else json.dumps(item, default=str)
                reason = f"{where}: {type(exc).__name__}: {exc}"
                rejected.append(
                    Rejected(None if source_id is None else str(source_id), payload, reason)
                )
                continue
            products[key] = product
        return replace(self, products=products), rejected

    def dump(self) -> str:
        products = {key: [p.name, p.category] for key, p in sorted(self.products.items())}
        state = {"etag": self.etag, "last_modified": self.last_modified, "products": products}
        return json.dumps(state, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, text: str | None, where: str) -> Catalog:
        if not text:
            return cls()
        try:
            state = json.loads(text)
            products = {
                str(key): Product(*(None if v is None else str(v) for v in value))
                for key, value in state["products"].items()
            }
            etag, modified = state.get("etag"), state.get("last_modified")
            return cls(products, etag and str(etag), modified and str(modified))
        except (ValueError, TypeError, KeyError, AttributeError):
            # Downloading the catalog again is cheap; a cursor that never loads is not.
            log.warning("%s: unreadable saved catalog, downloading it again", where)
            return cls()


def _read_product(item: Any, partner: str | None) -> tuple[str, Product]:
    if not isinstance(item, Mapping):
        raise RecordError(f"expected an object, got {type(item).__name__}")
    product_id = require_id(item, "product_id")
    owner = optional_text(item, "partner_id") or partner
    product = Product(optional_text(item, "name"), optional_text(item, "category"))
    return (f"{owner}:{product_id}" if owner else product_id), product
