"""Sync health, the quarantine with replay, and the audit log over plain HTTP: what an admin
sees and does, what other roles are refused, and forms without their CSRF token."""

from __future__ import annotations

import re

import aiohttp
from sqlalchemy import func, select

from hub.access import Role
from hub.audit import record_audit
from hub.store.models import AuditEventRow, QuarantineRow, SyncRunRow
from tests.conftest import new_key, until
from tests.console.conftest import LONG_NOTE, ConsoleSite
from tests.console.test_console_http import browser_like, csrf_of, sign_in

RUN_ROW = re.compile(r'<tr data-run="(\d+)"')
QUARANTINE_ROW = re.compile(r'<tr data-item="(\d+)"')
AUDIT_ROW = re.compile(r'<tr data-entry="(\d+)"')
FORMS = (
    ("/sync/run", {"connector": "crm", "mode": "full"}),
    ("/sync/quarantine/replay", {"connector": "shop"}),
)
"""The admin forms, each with the fields it needs but its CSRF token."""


def section(page: str, connector: str) -> str:
    """The part of the sync page about one connector instance."""
    start = page.index(f'id="connector-{connector}"')
    end = page.find('id="connector-', start + 1)
    return page[start : end if end != -1 else len(page)]


def count(html: str, name: str) -> int:
    """The first run's count ``name`` in ``html`` (a connector's section)."""
    found = re.search(rf'data-count="{name}">(\d+)<', html)
    assert found, f"no {name} count"
    return int(found.group(1))


async def text_of(http: aiohttp.ClientSession, url: str, status: int = 200) -> str:
    async with http.get(url, allow_redirects=False) as response:
        text = await response.text()
        assert response.status == status, (response.status, text[:500])
        return text


async def runs_in_store(site: ConsoleSite) -> int:
    async with site.hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(SyncRunRow)) or 0)


async def open_in_quarantine(site: ConsoleSite) -> int:
    async with site.hub.sessions() as session:
        query = select(func.count()).where(QuarantineRow.status == "open")
        return int(await session.scalar(query) or 0)


async def test_the_sync_page_shows_each_instance_its_cursors_and_last_runs(
    quarantined_site: ConsoleSite,
) -> None:
    site = quarantined_site
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await text_of(http, f"{site.console}/sync")
    assert 'href="/console/sync"' in page and 'href="/console/audit"' in page  # header links
    for name in ("atelier", "crm", "shop"):
        assert f'id="connector-{name}"' in page
    shop = section(page, "shop")
    assert ">customers</td>" in shop  # the stream, with the cursor it resumes at
    assert "Resumes at" in shop
    assert len(RUN_ROW.findall(shop)) == 1
    assert (count(shop, "fetched"), count(shop, "inserted"), count(shop, "quarantined")) == (
        3,
        1,
        2,
    )
    assert 'href="/console/sync/quarantine?connector=shop"' in shop
    assert 'name="mode"' in shop and "Sync now" in shop
    crm = section(page, "crm")
    assert (count(crm, "inserted"), count(crm, "quarantined"), count(crm, "errors")) == (3, 0, 0)


async def test_other_roles_are_refused_every_admin_page_and_see_no_link(
    quarantined_site: ConsoleSite,
) -> None:
    site = quarantined_site
    agent = await new_key(site.hub, Role.AGENT, name="support-desk")
    runs_before = await runs_in_store(site)
    for key in (agent, site.analyst_key):
        async with browser_like() as http:
            await sign_in(http, site, key)
            search = await text_of(http, f"{site.console}/search")
            assert "/console/sync" not in search and "/console/audit" not in search
            for path in ("/sync", "/sync/quarantine?connector=shop", "/audit"):
                refused = await text_of(http, f"{site.console}{path}", status=403)
                assert "Your key&#39;s role does not allow this page" in refused
                assert "lucie" not in refused.lower()  # nothing of the page leaks
            token = await csrf_of(http, f"{site.console}/search")
            for path, fields in FORMS:
                async with http.post(
                    f"{site.console}{path}", data={"csrf": token, **fields}
                ) as answer:
                    assert answer.status == 403  # the schema refused the role
    assert await runs_in_store(site) == runs_before
    assert await open_in_quarantine(site) == 2


async def test_sync_now_starts_a_run_whose_result_shows_on_reload(
    quarantined_site: ConsoleSite,
) -> None:
    site = quarantined_site
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        before = RUN_ROW.findall(section(await text_of(http, f"{site.console}/sync"), "crm"))
        token = await csrf_of(http, f"{site.console}/sync")
        async with http.post(
            f"{site.console}/sync/run",
            data={"csrf": token, "connector": "crm", "mode": "full"},
            allow_redirects=False,
        ) as started:
            assert started.status == 303
            followed = started.headers["Location"]
        assert followed.startswith("/console/sync?job=")
        page = ""

        async def finished() -> bool:
            nonlocal page
            page = await text_of(http, f"{site.url}{followed}")
            return "The sync of crm succeeded" in page

        await until(finished, "the requested sync to finish")
    run_id = re.search(r"The sync of crm succeeded \(run (\d+)\)", page)
    assert run_id, page
    crm = section(page, "crm")
    runs = RUN_ROW.findall(crm)
    assert runs[0] == run_id.group(1) and runs[0] not in before  # newest first, and new
    assert f'<tr data-run="{runs[0]}" class="current">' in crm
    # A full read of an unchanged export: every row read again, nothing written.
    assert (count(crm, "fetched"), count(crm, "unchanged"), count(crm, "inserted")) == (3, 3, 0)


async def test_a_mode_or_instance_the_hub_does_not_know_is_said_so(
    quarantined_site: ConsoleSite,
) -> None:
    site = quarantined_site
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        token = await csrf_of(http, f"{site.console}/sync")
        for fields, said in (
            ({"connector": "crm", "mode": "sideways"}, "Unknown sync mode “sideways”"),
            ({"connector": "nowhere", "mode": "full"}, "no connector instance &#39;nowhere&#39;"),
        ):
            async with http.post(
                f"{site.console}/sync/run", data={"csrf": token, **fields}
            ) as answer:
                assert answer.status == 200
                text = await answer.text()
            assert said in text and 'role="alert"' in text
        again = await text_of(http, f"{site.console}/sync")
        assert "Unknown sync mode" not in again  # shown once, not on every later visit


async def test_replay_takes_the_fixed_record_out_of_quarantine(
    quarantined_site: ConsoleSite,
) -> None:
    site = quarantined_site
    quarantine = f"{site.console}/sync/quarantine?connector=shop"
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await text_of(http, quarantine)
        assert len(QUARANTINE_ROW.findall(page)) == 2
        assert "no value in the id column &#39;Code&#39;" in page
        # The raw payload is escaped, cut short, and whole behind the disclosure.
        assert "<b>VIP</b>" not in page and "&lt;b&gt;VIP&lt;/b&gt;" in page
        assert "Show all (" in page and "<details" in page
        assert page.count("très fidèle") > LONG_NOTE.count("très fidèle")  # short + whole
        token = await csrf_of(http, quarantine)
        async with http.post(
            f"{site.console}/sync/quarantine/replay",
            data={"csrf": token, "connector": "shop"},
            allow_redirects=False,
        ) as replayed:
            assert replayed.status == 303
            assert replayed.headers["Location"] == "/console/sync/quarantine?connector=shop"
        after = await text_of(http, quarantine)
        assert "Replay of shop: 1 read and stored, 1 still failing" in after
        assert len(QUARANTINE_ROW.findall(after)) == 1  # only the row without any id is open
        assert "Inès" in after and "Marc" not in after
        done = await text_of(http, f"{quarantine}&status=replayed")
        assert "Marc" in done and "Inès" not in done
        found = await text_of(http, f"{site.console}/search?q=marc.petit@example.fr")
        assert "Marc Petit" in found  # stored and resolved into a customer
        audit = await text_of(http, f"{site.console}/audit?subject=connector:shop")
        assert "sync.replay_quarantine" in audit and "key:console-admin" in audit


async def test_posts_without_the_csrf_token_are_refused_and_change_nothing(
    quarantined_site: ConsoleSite,
) -> None:
    site = quarantined_site
    runs_before = await runs_in_store(site)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        for path, fields in FORMS:
            for token in ({}, {"csrf": "guessed"}):
                async with http.post(f"{site.console}{path}", data={**fields, **token}) as answer:
                    assert answer.status == 403
                    assert "The form had expired" in await answer.text()
    assert await runs_in_store(site) == runs_before
    assert await open_in_quarantine(site) == 2


async def test_the_audit_log_is_paged_newest_first_and_filtered_by_subject(
    site: ConsoleSite,
) -> None:
    async with site.hub.sessions.begin() as session:
        earlier = int(await session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)
        for number in range(30):
            subject = "connector:crm" if number % 3 else "connector:atelier"
            await record_audit(session, "key:ops", "sync.trigger", subject, {"n": number}, "")
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        first = await text_of(http, f"{site.console}/audit")
        first_ids = [int(i) for i in AUDIT_ROW.findall(first)]
        assert len(first_ids) == 25 and first_ids == sorted(first_ids, reverse=True)
        assert "&#34;n&#34;: 29" in first or '"n": 29' in first.replace("&#34;", '"')
        next_link = re.search(r'<a href="([^"]+)" rel="next">', first)
        assert next_link, "no next page"
        second = await text_of(http, site.url + next_link.group(1).replace("&amp;", "&"))
        second_ids = [int(i) for i in AUDIT_ROW.findall(second)]
        assert len(second_ids) == 5 + earlier and max(second_ids) < min(first_ids)
        assert 'rel="next"' not in second and "First page" in second
        atelier = await text_of(http, f"{site.console}/audit?subject=connector:atelier")
        assert len(AUDIT_ROW.findall(atelier)) == 10
        assert "connector:crm</code>" not in atelier
        bad = await text_of(http, f"{site.console}/audit?subject=crm", status=400)
        assert "A subject reads kind:id" in bad and 'aria-invalid="true"' in bad
