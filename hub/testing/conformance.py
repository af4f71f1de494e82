"""Standard checks every connector passes against its own sandbox.

Subclass :class:`ConnectorConformance` in a test file and set ``plugin`` to the plugin module
(the one implementing ``hub_connector_types`` and ``hub_sandboxes``). Each check runs for every
sandbox the plugin provides, over real HTTP, through the real sync engine and store.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import aiohttp
import pytest
from sqlalchemy import func, select

from hub.app import create_app
from hub.connector import WebhookRejected, WebhookRequest
from hub.connector.base import WEBHOOK_STREAM_PREFIX
from hub.sandbox import Faults, Population, Sandbox
from hub.sandbox.server import deliver
from hub.store.models import IdentifierRow, SourceRecordRow
from hub.sync.engine import RunCounts
from hub.testing.sandboxed import INSTANCE, SandboxedHub, open_sandboxed_hub
from hub.testing.server import serve_asgi


class Interrupted(Exception):
    """Raised from a progress callback to stop a sync after its first committed page."""


def _stop_after_first_page(where: str, counts: RunCounts) -> None:
    raise Interrupted(where)


def _forged(headers: dict[str, str]) -> dict[str, str]:
    """The delivery's headers without its signature."""
    return {
        k: v
        for k, v in headers.items()
        if not any(word in k.lower() for word in ("signature", "hmac"))
    }


@pytest.mark.asyncio
class ConnectorConformance:
    plugin: ClassVar[ModuleType]
    population_size: ClassVar[int] = 60
    seed: ClassVar[int] = 7

    def sandboxes(self) -> list[type[Sandbox]]:
        found = list(self.plugin.hub_sandboxes())
        assert found, f"{self.plugin.__name__} implements hub_sandboxes but returns none"
        return found

    def open(self, sandbox: type[Sandbox], directory: Path, **options: Any) -> Any:
        population = Population(self.population_size, self.seed)
        return open_sandboxed_hub(self.plugin, sandbox, directory, population=population, **options)

    async def test_types_are_provided_through_the_hooks(self) -> None:
        types = {cls.type_name: cls for cls in self.plugin.hub_connector_types()}
        for sandbox in self.sandboxes():
            assert sandbox.connector_type in types, f"no connector type {sandbox.connector_type}"
            cls = types[sandbox.connector_type]
            assert dataclasses.is_dataclass(cls.settings_class)
            assert cls.description, f"{cls.__name__}.description is empty (`hub connectors`)"

    async def test_a_sync_stores_records_and_identifiers(self, tmp_path: Path) -> None:
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__) as sandboxed:
                result = await sandboxed.sync()
                assert result.status == "succeeded", result.error
                assert result.counts.inserted > 0
                assert result.counts.quarantined == 0, "the sandbox's clean data was refused"
                async with sandboxed.hub.sessions() as session:
                    identifiers = await session.scalar(select(func.count(IdentifierRow.id)))
                assert identifiers, "no record carried an identifier"

    async def test_syncing_again_changes_nothing(self, tmp_path: Path) -> None:
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__) as sandboxed:
                first = await sandboxed.sync()
                assert first.status == "succeeded", first.error
                for full in (False, True):
                    again = await sandboxed.sync(full=full)
                    assert again.status == "succeeded", again.error
                    assert (again.counts.inserted, again.counts.updated) == (0, 0), (
                        f"{'full ' if full else ''}re-sync changed stored records: the mapping "
                        "must be deterministic and the cursor must not lose its place"
                    )

    async def test_an_interrupted_sync_resumes_to_the_same_rows(self, tmp_path: Path) -> None:
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__, label="whole") as whole:
                assert (await whole.sync()).status == "succeeded"
                expected = await whole.stored()
            async with self.open(sandbox, tmp_path / sandbox.__name__, label="cut") as cut:
                stopped = await cut.sync(progress=_stop_after_first_page)
                assert stopped.status == "failed"
                resumed = await cut.sync()
                assert resumed.status == "succeeded", resumed.error
                assert await cut.stored() == expected

    async def test_rate_limits_and_server_errors_end_in_a_complete_sync(
        self, tmp_path: Path
    ) -> None:
        storm = Faults(rate_limit_ratio=0.25, server_error_ratio=0.15, seed=3, retry_after=0.01)
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__, label="calm") as calm:
                await calm.sync()
                expected = await calm.stored()
            async with self.open(
                sandbox, tmp_path / sandbox.__name__, label="storm", faults=storm
            ) as stormy:
                result = await stormy.sync()
                assert result.status == "succeeded", result.error
                assert await stormy.stored() == expected

    async def test_truncated_and_malformed_bodies_are_retried(self, tmp_path: Path) -> None:
        for sandbox in self.sandboxes():
            faults = Faults(truncate=2, malformed=1)
            async with self.open(sandbox, tmp_path / sandbox.__name__, faults=faults) as sandboxed:
                result = await sandboxed.sync()
                assert result.status == "succeeded", result.error

    async def test_wrong_credentials_fail_clearly_without_the_secret(self, tmp_path: Path) -> None:
        for sandbox in self.sandboxes():
            probe = sandbox(Population(1, self.seed)).config("http://127.0.0.1:9", INSTANCE)
            if not probe.env:
                continue  # a source without credentials
            wrong = {key: f"wrong-{key.lower()}-value" for key in probe.env}
            async with self.open(
                sandbox, tmp_path / sandbox.__name__, env_override=wrong
            ) as sandboxed:
                result = await sandboxed.sync()
                assert result.status == "failed"
                assert result.error and sandboxed.instance in result.error
                for value in (*wrong.values(), *probe.env.values()):
                    assert value not in result.error, "a credential leaked into the error"

    async def test_webhooks_are_verified_and_forgeries_refused(self, tmp_path: Path) -> None:
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__) as sandboxed:
                samples = sandboxed.sandbox.webhook_samples()
                if not samples:
                    continue
                connector = sandboxed.connector
                assert connector.accepts_webhooks, "the sandbox config sets no webhook secret"
                url = f"http://127.0.0.1/webhooks/{sandboxed.instance}"
                for topic, resource in samples:
                    delivery = sandboxed.sandbox.webhook(topic, resource, target_url=url)
                    headers = dict(delivery.headers)
                    event = connector.verify_webhook(WebhookRequest(url, headers, delivery.body))
                    assert event.event_id
                    page = await connector.webhook_page(event, sandboxed.runtime)
                    assert all(r.updated_at is not None for r in page.records), (
                        "webhook records need updated_at, or a late delivery rolls data back"
                    )
                    tampered = delivery.body.replace(b"}", b" }", 1)
                    for forged_headers, body in (
                        (headers, tampered),
                        (_forged(headers), delivery.body),
                    ):
                        with pytest.raises(WebhookRejected):
                            connector.verify_webhook(WebhookRequest(url, forged_headers, body))

    async def test_webhook_events_replay_as_received(self, tmp_path: Path) -> None:
        """``hub sync --replay`` hands a quarantined event back as ``webhook:<topic>`` with its
        parsed body: a readable one must read the same way again."""
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__) as sandboxed:
                url = f"http://127.0.0.1/webhooks/{sandboxed.instance}"
                for topic, resource in sandboxed.sandbox.webhook_samples():
                    delivery = sandboxed.sandbox.webhook(topic, resource, target_url=url)
                    body = json.dumps(json.loads(delivery.body))
                    page = await sandboxed.connector.replay(
                        f"{WEBHOOK_STREAM_PREFIX}{topic}", body, sandboxed.runtime
                    )
                    assert page.rejected == (), [r.reason for r in page.rejected]
                    assert page.records, f"replaying a {topic} event read no record"

    async def test_webhook_deliveries_are_queued_deduplicated_and_stored(
        self, tmp_path: Path
    ) -> None:
        for sandbox in self.sandboxes():
            async with self.open(sandbox, tmp_path / sandbox.__name__) as sandboxed:
                samples = sandboxed.sandbox.webhook_samples()
                if not samples:
                    continue
                await _deliver_samples(sandboxed, samples)


async def _deliver_samples(sandboxed: SandboxedHub, samples: Any) -> None:
    app = create_app(sandboxed.hub, webhook_poll_seconds=0.05)
    async with serve_asgi(app) as base, aiohttp.ClientSession() as http:
        url = f"{base}/webhooks/{sandboxed.instance}"
        for topic, resource in samples:
            delivery = sandboxed.sandbox.webhook(topic, resource, target_url=url)
            first, again = [await deliver(http, url, delivery) for _ in range(2)]
            assert first[0] == 200 and json.loads(first[1])["status"] == "queued", first
            assert again[0] == 200 and json.loads(again[1])["status"] == "duplicate", again
            forged = dataclasses.replace(delivery, headers=_forged(dict(delivery.headers)))
            assert (await deliver(http, url, forged))[0] == 401
        worker = app.state.webhook_worker
        while (await worker.process_due()).events:
            pass
    async with sandboxed.hub.sessions() as session:
        stored = await session.scalar(
            select(func.count(SourceRecordRow.id)).where(
                SourceRecordRow.connector == sandboxed.instance
            )
        )
    assert stored, "no record was stored from the webhook deliveries"
