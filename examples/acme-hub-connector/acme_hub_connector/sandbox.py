"""A fake of the Acme Loyalty API, seeded from the hub's shared population."""

from __future__ import annotations

import bisect
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from hub.connector import hmac_sha256
from hub.sandbox import (
    Faults,
    Population,
    Sandbox,
    SandboxConfig,
    SourceSpelling,
    WebhookDelivery,
    faults_middleware,
    install_faults,
)

TOKEN = "acme-sandbox-token"
WEBHOOK_SECRET = "acme-sandbox-webhook-secret"
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def _error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


class AcmeLoyaltySandbox(Sandbox):
    connector_type = "acme_loyalty"

    def __init__(self, population: Population, *, faults: Faults | None = None) -> None:
        super().__init__(population, faults=faults)
        spelling = SourceSpelling(national_phone=0.5)
        self.members: dict[str, dict[str, Any]] = {}
        for index, person in enumerate(population.sample(0.5, "acme")):
            spelled = spelling.spell(person, "acme")
            member_id = f"M-{index + 1:05d}"
            self.members[member_id] = {
                "member_id": member_id,
                "card_number": f"ACME{int(person.person_id[1:]):09d}",
                "given_name": spelled.first_name,
                "family_name": spelled.last_name,
                "email": spelled.email or None,
                "mobile": spelled.phone or None,
                "postcode": spelled.postcode,
                "country": spelled.country,
                "tier": ("silver", "gold")[index % 2],
                "updated": (EPOCH + timedelta(minutes=index)).isoformat(),
            }

    def update_member(self, member_id: str, **changes: Any) -> dict[str, Any]:
        """Change a member as the Acme back office would, moving its ``updated`` time on."""
        newest = max(m["updated"] for m in self.members.values())
        updated = datetime.fromisoformat(newest) + timedelta(minutes=1)
        self.members[member_id] = {**self.members[member_id], **changes}
        self.members[member_id]["updated"] = updated.isoformat()
        return self.members[member_id]

    def create_app(self) -> web.Application:
        app = web.Application(middlewares=[faults_middleware(_error, sends_retry_after=True)])
        install_faults(app, self.faults)
        app.router.add_get("/members", self._members)
        return app

    async def _members(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response(_error(401, "invalid token"), status=401)
        try:
            page = int(request.query.get("page", "1"))
            per_page = int(request.query.get("per_page", "50"))
            since = request.query.get("updated_since")
            since_time = datetime.fromisoformat(since) if since else None
        except ValueError as exc:
            return web.json_response(_error(400, str(exc)), status=400)
        if not 1 <= per_page <= 100 or page < 1:
            return web.json_response(_error(400, "per_page is 1..100, page ≥ 1"), status=400)
        ordered = sorted(self.members.values(), key=lambda m: (m["updated"], m["member_id"]))
        times = [datetime.fromisoformat(m["updated"]) for m in ordered]
        start = bisect.bisect_left(times, since_time) if since_time else 0
        matching = ordered[start:]
        pages = max(1, -(-len(matching) // per_page))
        shown = page - 1 if self.faults.take("repeat_token") else page
        chunk = matching[(page - 1) * per_page : page * per_page]
        return web.json_response({"members": chunk, "page": shown, "pages": pages})

    def config(self, base_url: str, instance: str) -> SandboxConfig:
        prefix = f"ACME_{instance.upper().replace('-', '_')}"
        return SandboxConfig(
            table={
                "type": self.connector_type,
                "base_url": base_url,
                "token": f"${{{prefix}_TOKEN}}",
                "webhook_secret": f"${{{prefix}_WEBHOOK_SECRET}}",
                "brand": "lumiere",
            },
            env={f"{prefix}_TOKEN": TOKEN, f"{prefix}_WEBHOOK_SECRET": WEBHOOK_SECRET},
        )

    def webhook(self, topic: str, resource: Any, *, target_url: str) -> WebhookDelivery:
        body = json.dumps({"event": topic, "member": resource}).encode()
        signature = "sha256=" + hmac_sha256(WEBHOOK_SECRET, body).hex()
        event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{topic}:{resource.get('updated')}"))
        headers = {
            "Content-Type": "application/json",
            "X-Acme-Event-Id": event_id,
            "X-Acme-Signature": signature,
        }
        return WebhookDelivery(headers, body)

    def webhook_samples(self) -> list[tuple[str, Any]]:
        first = next(iter(self.members))
        return [("member.updated", self.update_member(first, tier="platinum"))]
