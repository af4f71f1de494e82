"""The Yousign connector syncing from its sandbox over real HTTP: mapping, re-syncs, resumes,
faults, quarantine, credentials, rate-limit pacing and settings."""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.yousign as yousign_plugin
from connectors.yousign.sandbox import YousignSandbox
from hub.config import render_instance
from hub.connector import StreamCursor
from hub.errors import ConfigError
from hub.runtime import Hub
from hub.sandbox import serve
from hub.store import sync_state
from hub.store.models import SourceRecordRow
from hub.sync.engine import RunCounts
from hub.sync.replay import replay_quarantine
from tests.conftest import WriteConfig
from tests.connectors.yousign_support import (
    DEFAULT_STATUSES,
    INSTANCE,
    connector_of,
    expected_signers,
    fast_runtime,
    identifiers_of,
    open_hub,
    population,
    quarantined,
    record_row,
    single_signer_request,
    stored,
    subscription_of,
    sync,
)


@pytest.fixture
def sandbox() -> YousignSandbox:
    return YousignSandbox(population())


OpenEsign = Callable[..., AbstractAsyncContextManager[Hub]]


@pytest.fixture
def open_esign(
    sandbox: YousignSandbox,
    base_url: str,
    db_url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> OpenEsign:
    """Opens a hub whose Yousign instances read the served ``sandbox``; keywords are settings
    (and ``instances``), as :func:`open_hub` takes them."""
    return functools.partial(open_hub, sandbox, base_url, db_url, write_config, monkeypatch)


class Stop(Exception):
    """Raised from the progress callback: the process dies right after a committed page."""


def stop_after(pages: int) -> Any:
    seen = {"pages": 0}

    def progress(where: str, counts: RunCounts) -> None:
        seen["pages"] += 1
        if seen["pages"] == pages:
            raise Stop(f"killed after page {pages} of {where}")

    return progress


async def test_a_full_sync_maps_every_signer_of_the_statuses_read(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    settings = {"page_size": 20, "brand": "lumiere", "country": "FR"}
    async with (
        open_esign(**settings) as hub,
        fast_runtime() as runtime,
    ):
        result = await sync(hub, runtime)
        assert result.status == "succeeded", result.error
        expected = expected_signers(sandbox, DEFAULT_STATUSES)
        rows = await stored(hub)
        assert {sid: rid for sid, (_, rid) in rows.items()} == expected
        drafts = expected_signers(sandbox, {"draft"})
        assert drafts and not set(drafts) & set(rows)  # drafts are never read
        read = {rid for rid in expected.values()}
        pages = math.ceil(len(read) / 20)
        # One list call a page and one signers call a request: nothing fetched twice.
        assert sum(sandbox.faults.stats.values()) == pages + len(read)
        assert result.counts.inserted == len(expected)

        declined = sandbox.requests.ids("declined")[0]
        request = sandbox.requests.by_id[declined]
        signer = sandbox.requests.signers[declined][0]
        record = await record_row(hub, signer["id"])
        info = signer["info"]
        assert record.entity == "signer"
        assert record.payload == {"signature_request": request, "signer": signer}
        assert record.person == {
            "first_name": info["first_name"],
            "last_name": info["last_name"],
            "email": info["email"],
            **({"phone": info["phone_number"]} if info["phone_number"] else {}),
            "brand": "lumiere",
            "country": "FR",
        }
        identifiers = await identifiers_of(hub, signer["id"])
        assert ("email", info["email"]) in identifiers
        assert ("phone", info["phone_number"]) in identifiers or not info["phone_number"]
        assert {kind for kind, _ in identifiers} <= {"email", "phone"}  # external_id is no key
        activity = await subscription_of(hub, signer["id"])
        assert activity.kind == "subscription"
        assert activity.source_id == declined
        assert activity.occurred_at == datetime.fromisoformat(request["created_at"])
        assert activity.amount_minor is None
        decline = request["decline_information"]
        assert activity.details == {
            "product": request["name"],
            "status": "declined",
            "signature_request_id": declined,
            "external_id": request["external_id"],
            "declined_at": datetime.fromisoformat(decline["declined_at"]).isoformat(),
            "expires_at": datetime.fromisoformat(request["expiration_date"]).isoformat(),
            "provider": "yousign",
        }


async def test_a_couple_co_signing_gives_two_records_of_one_subscription(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    couple = next(
        rid for rid in sandbox.requests.ids("done") if len(sandbox.requests.signers[rid]) == 2
    )
    async with (
        open_esign() as hub,
        fast_runtime() as runtime,
    ):
        await sync(hub, runtime)
        first, second = (s["id"] for s in sandbox.requests.signers[couple])
        one, other = await subscription_of(hub, first), await subscription_of(hub, second)
        assert one.source_id == other.source_id == couple
        assert (await record_row(hub, first)).person != (await record_row(hub, second)).person


async def test_an_unchanged_resync_stores_nothing_and_a_lifecycle_change_updates_one_record(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    async with (
        open_esign(page_size=25) as hub,
        fast_runtime() as runtime,
    ):
        first = await sync(hub, runtime)
        total = first.counts.inserted
        again = await sync(hub, runtime)
        assert (again.counts.inserted, again.counts.updated, again.counts.stale) == (0, 0, 0)
        assert again.counts.unchanged == total

        signing = single_signer_request(sandbox, "ongoing")
        [signer] = sandbox.requests.signers[signing]
        before = await record_row(hub, signer["id"])
        sandbox.requests.sign(signing)
        changed = await sync(hub, runtime)
        assert changed.status == "succeeded"
        assert (changed.counts.inserted, changed.counts.updated) == (0, 1)
        assert changed.counts.unchanged == total - 1
        after = await record_row(hub, signer["id"])
        assert after.source_updated_at is not None and before.source_updated_at is not None
        assert after.source_updated_at >= before.source_updated_at
        assert (await subscription_of(hub, signer["id"])).details["status"] == "done"


@pytest.mark.parametrize("seed", [3, 11])
async def test_a_sync_killed_at_a_random_page_resumes_to_the_rows_of_an_uninterrupted_run(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
    seed: int,
) -> None:
    instances = (INSTANCE, "esign_b")
    async with (
        open_esign(instances=instances, page_size=10) as hub,
        fast_runtime() as runtime,
    ):
        whole = await sync(hub, runtime)
        pages = math.ceil(len(set(expected_signers(sandbox, DEFAULT_STATUSES).values())) / 10)
        kill_at = random.Random(seed).randrange(1, pages)
        killed = await sync(hub, runtime, "esign_b", progress=stop_after(kill_at))
        assert killed.status == "failed"
        assert "killed after page" in (killed.error or "")
        resumed = await sync(hub, runtime, "esign_b")
        assert resumed.status == "succeeded"
        assert killed.counts.inserted + resumed.counts.inserted == whole.counts.inserted
        assert resumed.counts.unchanged == 0  # resumed after the committed pages, not before
        assert await stored(hub, "esign_b") == await stored(hub, INSTANCE)


async def test_a_429_storm_and_5xx_bursts_still_end_in_a_complete_sync(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    sandbox.faults.update(
        {"rate_limit_ratio": 0.3, "server_error_ratio": 0.3, "retry_after": 5.0, "seed": 5}
    )
    async with (
        open_esign(page_size=30) as hub,
        fast_runtime(attempts=15) as runtime,
    ):
        result = await sync(hub, runtime)
        assert result.status == "succeeded", result.error
        stats = sandbox.faults.stats
        assert stats[429] > 5 and stats[500] + stats[502] + stats[503] > 5
        assert set(await stored(hub)) == set(expected_signers(sandbox, DEFAULT_STATUSES))
        # Yousign sends no Retry-After: had the client waited the 5 s the faults hold, it
        # would have taken minutes; full-jitter backoff of at most 0.05 s did it.
        assert runtime.http.retries == stats[429] + stats[500] + stats[502] + stats[503]


async def test_truncated_and_malformed_bodies_are_retried(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    sandbox.faults.update({"truncate": 3, "malformed": 3})
    async with (
        open_esign() as hub,
        fast_runtime() as runtime,
    ):
        result = await sync(hub, runtime)
        assert result.status == "succeeded", result.error
        assert runtime.http.retries == 6
        assert set(await stored(hub)) == set(expected_signers(sandbox, DEFAULT_STATUSES))


async def test_a_repeated_page_token_fails_the_run_clearly_without_looping(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    sandbox.faults.update({"repeat_token": 1})
    async with (
        open_esign(page_size=10) as hub,
        fast_runtime() as runtime,
    ):
        result = await sync(hub, runtime)
        assert result.status == "failed"
        assert result.error is not None
        assert result.error.startswith(f"{INSTANCE}/signers: the source sent the page token")
        assert "twice" in result.error
        # Two list pages and the signers of both (the page with the repeat is kept): no loop.
        assert sum(sandbox.faults.stats.values()) == 2 + 20
        assert len(set(r for _, r in (await stored(hub)).values())) == 20


async def test_bad_items_go_to_quarantine_while_good_ones_are_stored(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    done = sandbox.requests.ids("done")
    no_id, absurd, mistyped, bad_signer = done[:4]
    requests = sandbox.requests.by_id
    del requests[no_id]["id"]
    requests[absurd]["created_at"] = "1066-10-14T09:00:00+00:00"
    requests[mistyped]["name"] = {"fr": "Assurance habitation"}
    broken = sandbox.requests.signers[bad_signer][0]
    broken["info"]["email"] = ["not", "an", "e-mail"]
    async with (
        open_esign(page_size=50) as hub,
        fast_runtime() as runtime,
    ):
        result = await sync(hub, runtime)
        assert result.status == "succeeded"
        assert result.counts.quarantined == 4
        reasons = {row.source_id: row.reason for row in await quarantined(hub)}
        assert reasons[None] == f"{INSTANCE}/signers: RecordError: id: missing or not an id (None)"
        assert "created_at: '1066-10-14T09:00:00+00:00' is outside 1900 to 2100" in reasons[absurd]
        assert "name: expected text, got dict" in reasons[mistyped]
        assert "signer.info.email: expected text, got list" in reasons[broken["id"]]
        bad = {no_id, absurd, mistyped}
        good = {
            sid: rid
            for sid, rid in expected_signers(sandbox, DEFAULT_STATUSES).items()
            if rid not in bad and sid != broken["id"]
        }
        assert {sid: rid for sid, (_, rid) in (await stored(hub)).items()} == good


async def test_a_replay_reads_quarantined_requests_again_into_signer_records(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    mistyped, bad_signer = sandbox.requests.ids("done")[:2]
    request = sandbox.requests.by_id[mistyped]
    request["name"] = {"fr": "Assurance habitation"}
    broken = sandbox.requests.signers[bad_signer][0]
    broken["info"]["email"] = ["not", "an", "e-mail"]
    async with (
        open_esign(page_size=50) as hub,
        fast_runtime() as runtime,
    ):
        assert (await sync(hub, runtime)).counts.quarantined == 2
        esign = connector_of(hub)
        counts = await replay_quarantine(esign, hub.sessions, runtime)
        assert (counts.replayed, counts.still_failing) == (0, 2)  # Yousign still says the same
        request["name"] = "Assurance habitation"
        broken["info"]["email"] = "fixed@example.fr"
        counts = await replay_quarantine(esign, hub.sessions, runtime)
        assert (counts.replayed, counts.still_failing) == (2, 0)
        async with hub.sessions() as session:
            entities = set(await session.scalars(select(SourceRecordRow.entity).distinct()))
        assert entities == {"signer"}  # never the list item itself
        expected = expected_signers(sandbox, DEFAULT_STATUSES)
        assert {sid: rid for sid, (_, rid) in (await stored(hub)).items()} == expected
        assert (await record_row(hub, broken["id"])).person["email"] == "fixed@example.fr"
        signer_id = sandbox.requests.signers[mistyped][0]["id"]
        details = (await subscription_of(hub, signer_id)).details
        assert details["product"] == "Assurance habitation"
        assert "signed_at" not in details  # a read does not know it: left out, not None


async def test_a_refused_key_fails_the_run_naming_the_instance_without_the_secret(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    async with open_esign() as hub:
        sandbox.api_key = "ys_rotated_key"  # the instance still holds the old one
        async with fast_runtime() as runtime:
            result = await sync(hub, runtime)
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith(f"{INSTANCE}/signers: the source refused the credentials")
    assert "HTTP 401" in result.error and "invalid or missing API key" in result.error
    assert YousignSandbox.api_key not in result.error
    assert sum(sandbox.faults.stats.values()) == 1  # not retried


async def test_a_refused_saved_page_cursor_restarts_from_the_first_page(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    async with (
        open_esign(page_size=20) as hub,
        fast_runtime() as runtime,
    ):
        async with hub.sessions.begin() as session:
            expired = StreamCursor(next="ZXhwaXJlZC1jdXJzb3I").dump()
            await sync_state.save_cursor(session, INSTANCE, "signers", expired)
        result = await sync(hub, runtime)
        assert result.status == "succeeded", result.error
        assert sandbox.faults.stats[400] == 1
        assert set(await stored(hub)) == set(expected_signers(sandbox, DEFAULT_STATUSES))


async def test_the_minute_quota_is_waited_out_instead_of_drawing_429s(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A quota of 8 requests per 0.1 s "minute": the connector pauses max_delay (0.15 s)
    # whenever Yousign says none is left, so it never meets a 429.
    sandbox = YousignSandbox(population(), share=0.04, per_minute=8, per_hour=10_000, minute=0.1)
    async with (
        serve(sandbox.create_app()) as url,
        open_hub(sandbox, url, db_url, write_config, monkeypatch) as hub,
        fast_runtime(max_delay=0.15) as runtime,
    ):
        result = await sync(hub, runtime)
        assert result.status == "succeeded", result.error
        answered = sum(sandbox.faults.stats.values())
        assert answered > 2 * 8  # the quota ran out more than twice
        assert sandbox.faults.stats[429] == 0
        assert set(await stored(hub)) == set(expected_signers(sandbox, DEFAULT_STATUSES))


async def test_only_the_statuses_chosen_are_read(
    sandbox: YousignSandbox,
    open_esign: OpenEsign,
) -> None:
    async with (
        open_esign(statuses=["done", "declined"]) as hub,
        fast_runtime() as runtime,
    ):
        await sync(hub, runtime)
        assert set(await stored(hub)) == set(expected_signers(sandbox, {"done", "declined"}))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("page_size = 101\n", "key 'page_size': Yousign serves 1 to 100 items a page, got 101"),
        ("page_size = 0\n", "key 'page_size': Yousign serves 1 to 100 items a page, got 0"),
        ('statuses = ["done", "draft"]\n', "key 'statuses': drafts are never read"),
        ('statuses = ["signed"]\n', "key 'statuses': unknown status 'signed'; known: approval"),
        ("statuses = []\n", "key 'statuses': name at least one status to read"),
        ('base_url = "api.yousign.app/v3"\n', "key 'base_url': expected an http(s) URL"),
        ('page_size = "50"\n', "key 'page_size': expected an integer, got string"),
    ],
)
async def test_settings_errors_name_the_instance_and_the_key(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch, extra: str, message: str
) -> None:
    monkeypatch.setenv("YOUSIGN_KEY", "k")
    config = write_config(
        render_instance(INSTANCE, {"type": "yousign", "api_key": "${YOUSIGN_KEY}"}) + extra
    )
    with pytest.raises(ConfigError) as raised:
        await Hub.open(config, extra_plugins=(yousign_plugin,))
    assert f"[connectors.{INSTANCE}]" in str(raised.value)
    assert message in str(raised.value)


async def test_a_literal_api_key_is_refused(write_config: WriteConfig) -> None:
    config = write_config(render_instance(INSTANCE, {"type": "yousign", "api_key": "ys_live_123"}))
    with pytest.raises(ConfigError) as raised:
        await Hub.open(config, extra_plugins=(yousign_plugin,))
    assert "key 'api_key': a secret must be written as a ${ENV_VAR} reference" in str(raised.value)
    assert "ys_live_123" not in str(raised.value)
