"""The Yousign sandbox speaks the API as documented: auth, errors, filters, cursors, quotas,
seeded data that looks like a real account, lifecycle moves and signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import URL

from connectors.yousign.connector import YousignConnector
from connectors.yousign.sandbox import YousignSandbox, decode_cursor, encode_cursor
from connectors.yousign.sandbox_data import PRODUCTS
from hub.runtime import Hub
from hub.sandbox import serve
from tests.conftest import WriteConfig
from tests.connectors.yousign_support import population

AUTH = {"Authorization": f"Bearer {YousignSandbox.api_key}"}


@pytest.fixture
def sandbox() -> YousignSandbox:
    return YousignSandbox(population())


@pytest.fixture
async def client(sandbox: YousignSandbox) -> AsyncIterator[Any]:
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:

        async def get(path: str, headers: dict[str, str] | None = None, **params: str) -> Any:
            async with session.get(
                f"{url}/v3{path}", params=params, headers=AUTH if headers is None else headers
            ) as response:
                return response.status, response.headers, await response.json()

        yield get


async def test_requests_without_the_bearer_key_get_a_401_in_yousign_shape(client: Any) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "ys_sandbox"}):
        status, response_headers, body = await client("/signature_requests", headers)
        assert status == 401
        assert set(body) == {"type", "detail"}
        assert "x-ratelimit-remaining-minute" in response_headers


@pytest.mark.parametrize("limit", ["0", "101", "many"])
async def test_a_limit_outside_1_to_100_is_a_400(client: Any, limit: str) -> None:
    status, _, body = await client("/signature_requests", limit=limit)
    assert status == 400
    assert body["type"] == "invalid_request_error"
    assert body["detail"].startswith("limit: ")


async def test_following_next_cursor_lists_each_matching_request_once_in_order(
    sandbox: YousignSandbox, client: Any
) -> None:
    seen: list[str] = []
    params = {"status[in]": "ongoing,declined", "limit": "7"}
    pages = 0
    while True:
        status, _, body = await client("/signature_requests", **params)
        assert status == 200
        pages += 1
        seen += [item["id"] for item in body["data"]]
        assert all(item["status"] in ("ongoing", "declined") for item in body["data"])
        if body["meta"]["next_cursor"] is None:
            break
        params["after"] = body["meta"]["next_cursor"]
    wanted = [
        rid
        for rid in sandbox.requests.ids()
        if sandbox.requests.by_id[rid]["status"] in ("ongoing", "declined")
    ]
    assert seen == wanted
    assert pages == -(-len(wanted) // 7)


async def test_status_filters_take_the_eq_in_and_plain_forms(client: Any) -> None:
    _, _, eq = await client("/signature_requests", **{"status[eq]": "done"})
    _, _, plain = await client("/signature_requests", status="done")
    _, _, within = await client("/signature_requests", **{"status[in]": "done"})
    assert eq == plain == within
    assert {item["status"] for item in eq["data"]} == {"done"}
    status, _, body = await client("/signature_requests", status="signed")
    assert (status, body["type"]) == (400, "invalid_request_error")


async def test_an_unreadable_cursor_is_a_400(client: Any) -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    for cursor in ("not-a-cursor", "c3I6eA", "%%%"):
        status, _, body = await client("/signature_requests", after=cursor)
        assert status == 400
        assert body["detail"] == "after: This cursor is not valid."


async def test_one_request_and_its_signers_are_served_by_id(
    sandbox: YousignSandbox, client: Any
) -> None:
    request_id = sandbox.requests.ids("done")[0]
    status, _, request = await client(f"/signature_requests/{request_id}")
    assert status == 200 and request == sandbox.requests.by_id[request_id]
    status, _, signers = await client(f"/signature_requests/{request_id}/signers")
    assert status == 200 and isinstance(signers, list)
    assert [s["id"] for s in signers] == [s["id"] for s in request["signers"]]
    assert set(signers[0]["info"]) == {"first_name", "last_name", "email", "phone_number", "locale"}
    status, _, body = await client("/signature_requests/nope/signers")
    assert status == 404 and set(body) == {"type", "detail"}


async def test_over_the_minute_quota_yousign_answers_429_without_retry_after() -> None:
    sandbox = YousignSandbox(population(), per_minute=3)
    async with serve(sandbox.create_app()) as url, aiohttp.ClientSession() as session:
        remaining = []
        for _ in range(4):
            async with session.get(f"{url}/v3/signature_requests", headers=AUTH) as response:
                remaining.append(response.headers["x-ratelimit-remaining-minute"])
                assert response.headers["x-ratelimit-limit-minute"] == "3"
                last = response
                body = await response.json()
        assert remaining == ["2", "1", "0", "0"]
        assert last.status == 429
        assert "Retry-After" not in last.headers
        assert body == {"type": "too_many_requests", "detail": "Too many requests"}


async def test_a_repeat_token_fault_hands_back_the_cursor_just_used(
    sandbox: YousignSandbox, client: Any
) -> None:
    sandbox.faults.update({"repeat_token": 1})
    _, _, first = await client("/signature_requests", limit="5")
    cursor = first["meta"]["next_cursor"]
    _, _, second = await client("/signature_requests", limit="5", after=cursor)
    assert second["meta"]["next_cursor"] == cursor
    _, _, third = await client("/signature_requests", limit="5", after=cursor)
    assert third["meta"]["next_cursor"] not in (None, cursor)


def test_seeded_data_looks_like_an_insurer_s_yousign_account(sandbox: YousignSandbox) -> None:
    requests = sandbox.requests
    statuses = Counter(r["status"] for r in requests.by_id.values())
    assert {"ongoing", "done", "declined", "expired", "draft"} <= set(statuses)
    assert len(requests) == len(requests.ids())
    languages = {
        country for country, names in PRODUCTS.items()
        for r in requests.by_id.values() if r["name"] in names
    }  # fmt: skip
    assert len(languages) >= 4
    signer_counts = Counter(len(s) for s in requests.signers.values())
    assert set(signer_counts) == {1, 2} and signer_counts[2] >= 3  # couples co-sign
    references = [r["external_id"] for r in requests.by_id.values()]
    assert all(ref is None or re.fullmatch(r"QUOTE-\d{4}-\d{4}", ref) for ref in references)
    assert any(ref is None for ref in references)
    for request_id in requests.ids("declined"):
        decline = requests.by_id[request_id]["decline_information"]
        signer_ids = [s["id"] for s in requests.signers[request_id]]
        assert decline["signer_id"] in signer_ids and decline["reason"]
        assert decline["declined_at"] > requests.by_id[request_id]["created_at"]
    infos = [s["info"] for signers in requests.signers.values() for s in signers]
    phones = [i["phone_number"] for i in infos if i["phone_number"]]
    assert phones and all(re.fullmatch(r"\+\d{8,15}", p) for p in phones)
    assert any(i["phone_number"] is None for i in infos)
    emails = Counter(i["email"].lower() for i in infos)
    assert any(count > 1 for count in emails.values())  # someone signed twice
    assert all(
        summary == [{"id": s["id"], "status": s["status"]} for s in requests.signers[rid]]
        for rid, summary in ((rid, r["signers"]) for rid, r in requests.by_id.items())
    )


def test_lifecycle_moves_return_events_with_snapshots_and_rising_times(
    sandbox: YousignSandbox,
) -> None:
    requests = sandbox.requests
    request_id = requests.create(population().people[3], co_signer=population().people[4])
    assert requests.by_id[request_id]["status"] == "draft"
    activated = requests.activate(request_id)
    first_done = requests.sign(request_id)
    assert [e.event_name for e in first_done] == ["signer.done"]
    assert requests.by_id[request_id]["status"] == "ongoing"
    signer_done, request_done = requests.sign(request_id)
    assert requests.by_id[request_id]["status"] == "done"
    times = [e.event_time for e in (activated, *first_done, signer_done, request_done)]
    assert times == sorted(set(times))
    assert activated.data["signature_request"]["status"] == "ongoing"  # as it was then
    assert request_done.data["signature_request"]["status"] == "done"
    assert "signer" in signer_done.data and "signer" not in request_done.data
    with pytest.raises(ValueError, match="is done, not ongoing"):
        requests.cancel(request_id)

    other = requests.ids("ongoing")[0]
    signer_declined, declined = requests.decline(other, reason="Trop cher")
    decline = requests.by_id[other]["decline_information"]
    assert decline["reason"] == "Trop cher"
    assert decline["signer_id"] == signer_declined.data["signer"]["id"]
    assert requests.by_id[other]["status"] == "declined"
    assert other in requests.ids("declined") and other not in requests.ids("ongoing")
    assert declined.event_name == "signature_request.declined"


def test_webhooks_are_signed_as_yousign_signs_them(sandbox: YousignSandbox) -> None:
    request_id = sandbox.requests.ids("ongoing")[0]
    expired = sandbox.requests.expire(request_id)
    delivery = sandbox.webhook(
        "signature_request.expired", expired, target_url="https://hub.example/webhooks/y", retry=1
    )
    digest = hmac.new(YousignSandbox.webhook_secret.encode(), delivery.body, hashlib.sha256)
    assert delivery.headers["X-Yousign-Signature-256"] == "sha256=" + digest.hexdigest()
    assert delivery.headers["X-Yousign-Retry"] == "1"
    assert delivery.headers["User-Agent"] == "Yousign Webhook Bot"
    assert delivery.headers["X-Yousign-Issued-At"].isdigit()
    body = json.loads(delivery.body)
    assert body["event_id"] == expired.event_id
    assert body["event_time"] == str(expired.event_time)
    assert body["data"]["signature_request"]["status"] == "expired"
    with pytest.raises(ValueError, match=r"not signature_request\.done"):
        sandbox.webhook("signature_request.done", expired, target_url="https://x")
    now = sandbox.webhook("signer.notified", request_id, target_url="https://x")
    assert (
        json.loads(now.body)["data"]["signer"]["id"]
        == sandbox.requests.signers[request_id][0]["id"]
    )


def test_config_points_an_instance_at_the_sandbox_with_secrets_in_the_environment(
    sandbox: YousignSandbox,
) -> None:
    config = sandbox.config("http://127.0.0.1:8123/", "e-sign")
    assert config.table == {
        "type": "yousign",
        "base_url": "http://127.0.0.1:8123/v3",
        "api_key": "${YOUSIGN_E_SIGN_API_KEY}",
        "webhook_secret": "${YOUSIGN_E_SIGN_WEBHOOK_SECRET}",
    }
    assert config.env == {
        "YOUSIGN_E_SIGN_API_KEY": YousignSandbox.api_key,
        "YOUSIGN_E_SIGN_WEBHOOK_SECRET": YousignSandbox.webhook_secret,
    }


async def test_the_plugin_provides_the_connector_type_and_its_sandbox(
    write_config: WriteConfig, db_url: URL
) -> None:
    config = write_config('[plugins]\nload = ["connectors.yousign"]\n')
    hub = await Hub.open(config, url=db_url)
    try:
        assert hub.connector_types["yousign"].cls is YousignConnector
        sandboxes = [cls for found in hub.plugins.hook.hub_sandboxes() for cls in found]
        assert YousignSandbox in sandboxes
        assert YousignSandbox.connector_type == YousignConnector.type_name
    finally:
        await hub.close()
