"""A French till back office: daily receipt exports, written to a folder or downloaded over HTTP.

``write_exports(folder)`` writes the files as the back office drops them on a share (what the
connector reads); the application serves the same bytes as a download::

    GET /exports          {"exports": [{"name", "store", "date", "size", "encoding"}, ...]}
    GET /exports/{name}   the file, text/csv in the store's encoding; 404 for an unknown name

with faults on demand (429 with ``Retry-After``, 5xx, slow or truncated downloads).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from aiohttp import web

from connectors.pos_receipts.sandbox_data import GUEST_CARD, STORES, ReceiptBook
from hub.sandbox import Faults, Population, Sandbox, SandboxConfig, faults_middleware
from hub.sandbox.faults import install_faults

_ENCODING_NAMES = {"cp1252": "windows-1252", "utf-8-sig": "utf-8"}


def _error_body(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


class PosReceiptsSandbox(Sandbox):
    connector_type: ClassVar[str] = "pos_receipts"

    def __init__(
        self,
        population: Population,
        *,
        faults: Faults | None = None,
        start: date = date(2026, 11, 23),
        days: int = 3,
        rows_per_file: int = 2000,
    ) -> None:
        super().__init__(population, faults=faults)
        self.book = ReceiptBook(population, start=start, days=days, rows_per_file=rows_per_file)
        self.folder: Path | None = None
        self._files: dict[str, bytes] | None = None

    @property
    def files(self) -> dict[str, bytes]:
        """The export files as the back office has them now (name → bytes)."""
        if self._files is None:
            self._files = self.book.exports()
        return self._files

    def add_day(self, share: float = 0.05) -> date:
        """Trade one more day (new export files); rewrites the folder if one was written."""
        day = self.book.add_day(share)
        self._files = None
        if self.folder is not None:
            self.write_exports(self.folder)
        return day

    def write_exports(self, folder: Path) -> list[Path]:
        """Write every export file into ``folder`` (created if needed); return their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        written = []
        for name, data in self.files.items():
            path = folder / name
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            written.append(path)
        return written

    def create_app(self) -> web.Application:
        app = web.Application(middlewares=[faults_middleware(_error_body, sends_retry_after=True)])
        install_faults(app, self.faults)
        app.router.add_get("/exports", self._list)
        app.router.add_get("/exports/{name}", self._download)
        return app

    def config(self, base_url: str, instance: str) -> SandboxConfig:
        """The folder the files were written to (a temporary one if none was yet)."""
        if self.folder is None:
            self.write_exports(Path(tempfile.mkdtemp(prefix=f"{instance}-exports-")))
        assert self.folder is not None
        return SandboxConfig(
            table={
                "type": self.connector_type,
                "path": str(self.folder),
                "pattern": "*.csv",
                "timezone": "Europe/Paris",
                "guest_cards": [GUEST_CARD],
                "brand": "lumiere",
                "country": "FR",
            }
        )

    async def _list(self, request: web.Request) -> web.Response:
        encodings = {store.code: store.encoding for store in STORES}
        exports = []
        for name, data in self.files.items():
            store, day, _ = name.split("_")  # PAR01_20261123_01.csv
            exports.append(
                {
                    "name": name,
                    "store": store,
                    "date": f"{day[:4]}-{day[4:6]}-{day[6:]}",
                    "size": len(data),
                    "encoding": _ENCODING_NAMES[encodings[store]],
                }
            )
        return web.json_response({"exports": exports})

    async def _download(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        data = self.files.get(name)
        if data is None:
            return web.json_response(_error_body(404, f"no export named {name!r}"), status=404)
        store = next(s for s in STORES if s.code == name.split("_")[0])
        return web.Response(
            body=data,
            content_type="text/csv",
            charset=_ENCODING_NAMES[store.encoding],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
