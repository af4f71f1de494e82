"""Yousign webhooks: signature checks over the raw body, events turned into signer records, and
late or out-of-order deliveries that never roll a stored record back."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import web
from multidict import CIMultiDict
from sqlalchemy.engine import URL

from connectors.yousign.connector import YousignConnector, YousignSettings
from connectors.yousign.sandbox import YousignSandbox
from connectors.yousign.sandbox_data import YousignEvent
from hub.connector import ConnectorRuntime, WebhookEvent, WebhookRejected, WebhookRequest
from hub.records import IdentifierKind
from hub.runtime import Hub
from hub.sandbox import WebhookDelivery, deliver, serve
from hub.settings import Secret
from hub.store.records import upsert_records
from tests.conftest import WriteConfig
from tests.connectors.yousign_support import (
    connector_of,
    fast_runtime,
    open_hub,
    population,
    record_row,
    single_signer_request,
    subscription_of,
    sync,
)

HOOK_URL = "https://hub.example/webhooks/esign"


@pytest.fixture
def sandbox() -> YousignSandbox:
    return YousignSandbox(population())


@pytest.fixture
async def hub(
    sandbox: YousignSandbox,
    base_url: str,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Hub]:
    """A hub on the test database whose ``esign`` instance reads the served sandbox."""
    async with open_hub(sandbox, base_url, db_url, write_config, monkeypatch) as opened:
        yield opened


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with fast_runtime() as opened:
        yield opened


def connector(
    base_url: str = "http://127.0.0.1:9/v3", secret: str | None = None
) -> YousignConnector:
    settings = YousignSettings(
        api_key=Secret(YousignSandbox.api_key, "${KEY}"),
        base_url=base_url,
        webhook_secret=Secret(secret or YousignSandbox.webhook_secret, "${SECRET}"),
        brand="vela",
    )
    return YousignConnector("esign", settings)


def as_request(delivery: WebhookDelivery) -> WebhookRequest:
    return WebhookRequest(HOOK_URL, CIMultiDict(delivery.headers), delivery.body)


def new_request(sandbox: YousignSandbox, *, couple: bool = False) -> str:
    person, partner = population().people[0], population().people[1]
    return sandbox.requests.create(
        person,
        product="Assurance habitation",
        external_id="QUOTE-2024-0042",
        co_signer=partner if couple else None,
    )


def test_a_delivery_signed_as_yousign_signs_verifies(sandbox: YousignSandbox) -> None:
    request_id = new_request(sandbox)
    activated = sandbox.requests.activate(request_id)
    delivery = sandbox.webhook(
        "signature_request.activated", activated, target_url=HOOK_URL, retry=2
    )
    event = connector().verify_webhook(as_request(delivery))
    assert event.event_id == activated.event_id
    assert event.topic == "signature_request.activated"
    assert event.payload["data"]["signature_request"]["id"] == request_id
    assert event.payload["event_time"] == str(activated.event_time)
    assert event.headers["X-Yousign-Retry"] == "2"
    assert "X-Yousign-Signature-256" not in event.headers


@pytest.mark.parametrize("tamper", ["forged", "missing", "reserialised", "other_secret"])
def test_a_delivery_not_signed_over_these_very_bytes_is_rejected(
    sandbox: YousignSandbox, tamper: str
) -> None:
    request_id = new_request(sandbox)
    delivery = sandbox.webhook(
        "signature_request.activated", sandbox.requests.activate(request_id), target_url=HOOK_URL
    )
    headers = dict(delivery.headers)
    body = delivery.body
    if tamper == "forged":
        headers["X-Yousign-Signature-256"] = "sha256=" + "0" * 64
    elif tamper == "missing":
        del headers["X-Yousign-Signature-256"]
    elif tamper == "reserialised":  # same JSON, other bytes: what a framework's parsed body gives
        body = json.dumps(json.loads(body), indent=2).encode()
    with pytest.raises(WebhookRejected) as raised:
        secret = "another_secret" if tamper == "other_secret" else None
        connector(secret=secret).verify_webhook(WebhookRequest(HOOK_URL, headers, body))
    assert YousignSandbox.webhook_secret not in str(raised.value)
    assert str(raised.value).startswith("esign: ")


def test_an_instance_without_a_webhook_secret_takes_no_webhooks(sandbox: YousignSandbox) -> None:
    settings = YousignSettings(api_key=Secret("k", "${KEY}"))
    plain = YousignConnector("esign", settings)
    assert not plain.accepts_webhooks
    assert connector().accepts_webhooks
    delivery = sandbox.webhook(
        "signature_request.activated",
        sandbox.requests.activate(new_request(sandbox)),
        target_url=HOOK_URL,
    )
    with pytest.raises(WebhookRejected, match="has no webhook_secret"):
        plain.verify_webhook(as_request(delivery))


async def test_a_delivery_verifies_from_the_raw_bytes_received_over_http(
    sandbox: YousignSandbox,
) -> None:
    received: list[WebhookEvent] = []
    hook = connector()

    async def receive(request: web.Request) -> web.Response:
        raw = await request.read()  # the bytes as sent, before any JSON parsing
        try:
            received.append(
                hook.verify_webhook(WebhookRequest(str(request.url), request.headers, raw))
            )
        except WebhookRejected:
            return web.Response(status=401)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/webhooks/esign", receive)
    request_id = new_request(sandbox)
    delivery = sandbox.webhook(
        "signature_request.activated", sandbox.requests.activate(request_id), target_url=HOOK_URL
    )
    async with serve(app) as url, aiohttp.ClientSession() as session:
        assert await deliver(session, f"{url}/webhooks/esign", delivery) == (204, "")
        forged = WebhookDelivery(dict(delivery.headers), delivery.body.replace(b"QUOTE", b"QU0TE"))
        assert (await deliver(session, f"{url}/webhooks/esign", forged))[0] == 401
    [event] = received
    assert event.payload["data"]["signature_request"]["external_id"] == "QUOTE-2024-0042"


async def test_a_signature_request_event_becomes_records_of_all_its_signers(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    request_id = new_request(sandbox, couple=True)
    sandbox.requests.activate(request_id)
    first, second = sandbox.requests.signers[request_id]
    sandbox.requests.sign(request_id, first["id"])
    *_, done = sandbox.requests.sign(request_id, second["id"])
    hook = connector(f"{base_url}/v3")
    event = hook.verify_webhook(
        as_request(sandbox.webhook("signature_request.done", done, target_url=HOOK_URL))
    )
    page = await hook.webhook_page(event, runtime)
    assert page.rejected == () and page.cursor is None
    assert [r.source_id for r in page.records] == [first["id"], second["id"]]
    when = datetime.fromtimestamp(done.event_time, UTC)
    record = page.records[0]
    assert record.updated_at == when
    assert record.payload["signer"] == first  # fetched: the event lists signers as {id, status}
    assert record.person["first_name"] == first["info"]["first_name"]
    assert record.person["brand"] == "vela"
    assert {i.kind for i in record.identifiers} <= {IdentifierKind.EMAIL, IdentifierKind.PHONE}
    [subscription] = record.activities
    assert subscription.details["status"] == "done"
    assert subscription.details["external_id"] == "QUOTE-2024-0042"
    assert "signed_at" not in subscription.details  # two signers: whose time would it be?
    assert sandbox.faults.stats[200] == 1  # one signers fetch for the whole request


async def test_a_signer_event_updates_that_signer_with_its_signing_time(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    request_id = new_request(sandbox, couple=True)
    sandbox.requests.activate(request_id)
    [signed] = sandbox.requests.sign(request_id)
    hook = connector(f"{base_url}/v3")
    event = hook.verify_webhook(
        as_request(sandbox.webhook("signer.done", signed, target_url=HOOK_URL))
    )
    page = await hook.webhook_page(event, runtime)
    [record] = page.records
    assert record.source_id == signed.data["signer"]["id"]
    details = record.activities[0].details
    assert details["status"] == "ongoing"  # the other one has not signed yet
    assert details["signed_at"] == datetime.fromtimestamp(signed.event_time, UTC).isoformat()
    assert sum(sandbox.faults.stats.values()) == 0  # the signer came with its info: no fetch


async def test_an_unreadable_event_is_rejected_with_a_reason(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    hook = connector(f"{base_url}/v3")
    payload = {"event_id": "e1", "event_name": "signature_request.done", "event_time": "1717236000"}
    page = await hook.webhook_page(WebhookEvent("e1", "signature_request.done", payload), runtime)
    assert page.records == ()
    [rejected] = page.rejected
    assert rejected.reason == "esign/webhook signature_request.done: data: expected an object"
    assert rejected.payload == payload


async def test_an_event_about_a_request_deleted_since_stores_nothing(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    request_id = new_request(sandbox)
    activated = sandbox.requests.activate(request_id)
    sandbox.requests.cancel(request_id)
    sandbox.requests.delete(request_id, permanent=True)
    hook = connector(f"{base_url}/v3")
    delivery = sandbox.webhook("signature_request.activated", activated, target_url=HOOK_URL)
    page = await hook.webhook_page(hook.verify_webhook(as_request(delivery)), runtime)
    assert page.records == () and page.rejected == ()
    assert sandbox.faults.stats[404] == 1


async def upsert(
    hub: Hub,
    event: YousignEvent,
    sandbox: YousignSandbox,
    runtime: ConnectorRuntime,
    retry: int = 0,
) -> tuple[int, int, int, int]:
    """Verify, read and store one delivery as the hub would; return the upsert counts."""
    hook = connector_of(hub)
    delivery = sandbox.webhook(event.event_name, event, target_url=HOOK_URL, retry=retry)
    page = await hook.webhook_page(hook.verify_webhook(as_request(delivery)), runtime)
    async with hub.sessions.begin() as session:
        counts = await upsert_records(session, hook.instance, page.records)
    return counts.inserted, counts.updated, counts.unchanged, counts.stale


async def test_late_and_repeated_deliveries_never_roll_a_record_back(
    sandbox: YousignSandbox, hub: Hub, runtime: ConnectorRuntime
) -> None:
    request_id = new_request(sandbox)
    activated = sandbox.requests.activate(request_id)
    signer_done, request_done = sandbox.requests.sign(request_id)
    [signer] = sandbox.requests.signers[request_id]
    # Delivered out of order: done first, then the signer's event, then "activated".
    assert await upsert(hub, request_done, sandbox, runtime) == (1, 0, 0, 0)
    assert await upsert(hub, signer_done, sandbox, runtime) == (0, 0, 0, 1)
    assert await upsert(hub, activated, sandbox, runtime) == (0, 0, 0, 1)
    assert await upsert(hub, request_done, sandbox, runtime, retry=1) == (0, 0, 1, 0)
    row = await record_row(hub, signer["id"])
    assert row.source_updated_at == datetime.fromtimestamp(request_done.event_time, UTC)
    activity = await subscription_of(hub, signer["id"])
    assert activity.details["status"] == "done"
    assert activity.details["signed_at"] is not None

    # A sync afterwards reads the same state later: it may rewrite the record, never
    # back to "ongoing".
    result = await sync(hub, runtime)
    assert result.status == "succeeded"
    assert (await subscription_of(hub, signer["id"])).details["status"] == "done"
    assert await upsert(hub, activated, sandbox, runtime) == (0, 0, 0, 1)
    assert (await subscription_of(hub, signer["id"])).details["status"] == "done"


async def test_an_event_newer_than_the_last_sync_moves_the_record_forward(
    sandbox: YousignSandbox, hub: Hub, runtime: ConnectorRuntime
) -> None:
    request_id = single_signer_request(sandbox, "ongoing")
    [signer] = sandbox.requests.signers[request_id]
    await sync(hub, runtime)
    [declined_signer, declined] = sandbox.requests.decline(request_id, reason="Trop cher")
    assert await upsert(hub, declined, sandbox, runtime) == (0, 1, 0, 0)
    details = (await subscription_of(hub, signer["id"])).details
    assert details["status"] == "declined"
    assert details["declined_at"] == datetime.fromtimestamp(declined.event_time, UTC).isoformat()
    assert await upsert(hub, declined_signer, sandbox, runtime) in ((0, 0, 1, 0), (0, 1, 0, 0))


async def test_a_signer_event_without_the_signer_s_info_fetches_it(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    request_id = new_request(sandbox, couple=True)
    sandbox.requests.activate(request_id)
    [signed] = sandbox.requests.sign(request_id)
    signer = signed.data["signer"]
    payload = {
        "event_id": signed.event_id,
        "event_name": "signer.done",
        "event_time": str(signed.event_time),
        "data": {
            "signature_request": signed.data["signature_request"],
            "signer": {"id": signer["id"], "status": "signed"},
        },
    }
    hook = connector(f"{base_url}/v3")
    page = await hook.webhook_page(WebhookEvent(signed.event_id, "signer.done", payload), runtime)
    [record] = page.records
    assert record.source_id == signer["id"]
    assert record.payload["signer"] == sandbox.requests.signers[request_id][0]
    assert record.person["last_name"] == signer["info"]["last_name"]
    assert sandbox.faults.stats[200] == 1


async def test_events_about_other_things_store_nothing(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    request_id = sandbox.requests.ids("ongoing")[0]
    event = sandbox.requests.event_now("approver.notified", request_id)
    hook = connector(f"{base_url}/v3")
    delivery = sandbox.webhook("approver.notified", event, target_url=HOOK_URL)
    page = await hook.webhook_page(hook.verify_webhook(as_request(delivery)), runtime)
    assert page.records == () and page.rejected == ()
    assert sum(sandbox.faults.stats.values()) == 0


async def test_a_rejected_event_is_kept_whole_so_that_a_replay_reads_it_again(
    sandbox: YousignSandbox, base_url: str, runtime: ConnectorRuntime
) -> None:
    request_id = new_request(sandbox, couple=True)
    sandbox.requests.activate(request_id)
    sandbox.requests.signers[request_id][1]["info"]["email"] = ["not", "an", "e-mail"]
    *_, done = sandbox.requests.sign(request_id) + sandbox.requests.sign(request_id)
    hook = connector(f"{base_url}/v3")
    delivery = sandbox.webhook("signature_request.done", done, target_url=HOOK_URL)
    event = hook.verify_webhook(as_request(delivery))
    page = await hook.webhook_page(event, runtime)
    [rejected] = page.rejected
    assert len(page.records) == 1
    assert rejected.payload == json.loads(delivery.body)  # the event, not the signer
    # What `hub sync --replay` does with the row quarantined under webhook:<topic>.
    again = await hook.replay(
        "webhook:signature_request.done", json.dumps(rejected.payload), runtime
    )
    [replayed] = again.rejected
    assert "signer.info.email: expected text, got list" in replayed.reason
    assert replayed.reason == rejected.reason and replayed.payload == rejected.payload
    assert [r.source_id for r in again.records] == [r.source_id for r in page.records]
