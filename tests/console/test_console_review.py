"""The review queue and split with undo over plain HTTP: each answer changes the profiles as it
says, and a decision without the CSRF token, the right or a reason changes nothing."""

from __future__ import annotations

import html
import re

import aiohttp
import pytest

from hub.access import Role
from hub.console import review
from hub.store.models import ReviewItemRow
from tests.conftest import new_key
from tests.console.conftest import ConsoleSite
from tests.console.history import AMELIE_RECORDS
from tests.console.test_console_http import browser_like, csrf_of, sign_in

ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
DECISION_LINE = re.compile(r'<li class="entry entry-decision".*?</li>', re.DOTALL)
ATELIER_MOVE = re.compile(r'name="(move:\d+)"[^<]*>\s*<label[^>]*><span class="badge">atelier<')
"""The split form's checkbox of Amélie's atelier customer record."""
ITEM_LINK = re.compile(r'href="/console/review/(\d+)"')
PAIRS = {
    "Claire Petit": ("claire.petit@example.fr", "c.petit@example.org"),
    "Marc Lefèvre": ("marc.lefevre@example.fr", "mlefevre@example.org"),
    "Sophie Bernard": ("sophie.bernard@example.fr", "sbernard@example.org"),
}
"""The grey-zone pairs of the review site: each person's e-mail in each brand's export."""


async def agent(http: aiohttp.ClientSession, site: ConsoleSite, name: str = "support-desk") -> None:
    """Sign ``http`` in with a new agent key named ``name`` (names are unique)."""
    key = await new_key(site.hub, Role.AGENT, name=name)
    await sign_in(http, site, key)


async def item_of(http: aiohttp.ClientSession, site: ConsoleSite, person: str) -> str:
    """The id of the queued pair about ``person``, as the queue page links it."""
    async with http.get(f"{site.console}/review") as page:
        assert page.status == 200
        text = await page.text()
    for row in ROW.findall(text):
        if person in row:
            found = ITEM_LINK.search(row)
            assert found, row
            return found.group(1)
    raise AssertionError(f"{person} is not in the queue")


async def status_of(site: ConsoleSite, item: str) -> str:
    async with site.hub.sessions() as session:
        row = await session.get(ReviewItemRow, int(item))
    assert row is not None
    return row.status


async def one_profile(site: ConsoleSite, person: str) -> bool:
    """Whether both of ``person``'s records are in one profile now."""
    first, second = PAIRS[person]
    return await site.profile_id(first) == await site.profile_id(second)


async def decide(
    http: aiohttp.ClientSession, site: ConsoleSite, item: str, decision: str, reason: str
) -> aiohttp.ClientResponse:
    token = await csrf_of(http, f"{site.console}/review/{item}")
    return await http.post(
        f"{site.console}/review/{item}",
        data={"csrf": token, "decision": decision, "reason": reason},
        allow_redirects=False,
    )


async def test_the_queue_lists_the_grey_zone_pairs_with_a_page_each(
    review_site: ConsoleSite,
) -> None:
    async with browser_like() as http:
        await agent(http, review_site)
        async with http.get(f"{review_site.console}/review") as page:
            text = await page.text()
        assert 'href="/console/review"' in text  # the header's Review link
        rows = [row for row in ROW.findall(text) if ITEM_LINK.search(row)]
        assert len(rows) == len(PAIRS)
        item = await item_of(http, review_site, "Claire Petit")
        async with http.get(f"{review_site.console}/review/{item}") as page:
            text = await page.text()
        # Both sides, field by field, and the evidence with each field's level and weight.
        assert text.count("Claire") >= 2 and "Rennes" in text
        assert "c.petit@example.org" in text and "claire.petit@example.fr" in text
        evidence = text[text.index('id="evidence-title"') :]
        assert re.search(r'data-field="email">.*?different.*?-1\.\d\d', evidence, re.DOTALL)
        assert "Total score" in evidence
        for button in ("Merge", "Keep apart", "Never merge"):
            assert f">{button}</button>" in text


async def test_the_queue_pages_through_its_items(
    review_site: ConsoleSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review, "QUEUE_PAGE_SIZE", 2)
    seen: list[str] = []
    pages = 0
    async with browser_like() as http:
        await agent(http, review_site)
        url = f"{review_site.console}/review"
        while url:
            async with http.get(url) as page:
                text = await page.text()
            pages += 1
            seen += ITEM_LINK.findall(text)
            # The pager's link, not the language switch's (which keeps ``after`` too).
            more = re.search(r'href="([^"]+)" rel="next"', text)
            url = f"{review_site.url}{html.unescape(more.group(1))}" if more else ""
    assert pages == 2
    assert len(seen) == len(PAIRS) == len(set(seen))


async def test_merge_joins_the_two_profiles_and_goes_to_the_next_item(
    review_site: ConsoleSite,
) -> None:
    async with browser_like() as http:
        await agent(http, review_site)
        item = await item_of(http, review_site, "Claire Petit")
        assert not await one_profile(review_site, "Claire Petit")
        response = await decide(http, review_site, item, "MERGE", "same phone but one digit")
        assert response.status == 303
        target = response.headers["Location"]
        assert re.match(r"/console/review/\d+\?done=merged&profile=", target)
        assert not target.startswith(f"/console/review/{item}?")
        assert await one_profile(review_site, "Claire Petit")
        assert await status_of(review_site, item) == "merged"
        async with http.get(f"{review_site.url}{target}") as page:
            assert "the two profiles are now one" in await page.text()
        # The decision, who made it and its reason are a line of the merged profile's timeline.
        merged = await review_site.profile_id("claire.petit@example.fr")
        async with http.get(f"{review_site.console}/customers/{merged}") as page:
            text = await page.text()
        assert 'id="decisions-title"' not in text  # one place for decisions: the timeline
        (line,) = DECISION_LINE.findall(text)
        assert "key:support-desk" in line and "same phone but one digit" in line


@pytest.mark.parametrize(
    ("person", "decision", "status"),
    [
        ("Marc Lefèvre", "KEEP_APART", "kept_apart"),
        ("Sophie Bernard", "NEVER_MERGE", "never_merge"),
    ],
)
async def test_keep_apart_and_never_merge_leave_both_profiles_and_take_the_pair_out(
    review_site: ConsoleSite, person: str, decision: str, status: str
) -> None:
    async with browser_like() as http:
        await agent(http, review_site)
        item = await item_of(http, review_site, person)
        response = await decide(http, review_site, item, decision, "two customers")
        assert response.status == 303
        assert f"done={status}" in response.headers["Location"]
        assert await status_of(review_site, item) == status
        assert not await one_profile(review_site, person)
        async with http.get(f"{review_site.console}/review") as page:
            assert person not in await page.text()
        async with http.get(f"{review_site.console}/review/{item}") as page:
            text = await page.text()
        assert "Decided by key:support-desk" in text and "two customers" in text
        assert "</button>" not in text.split('id="decide-title"')[1]  # no form once decided


async def test_an_empty_reason_is_an_error_and_decides_nothing(review_site: ConsoleSite) -> None:
    async with browser_like() as http:
        await agent(http, review_site)
        item = await item_of(http, review_site, "Claire Petit")
        response = await decide(http, review_site, item, "MERGE", "   ")
        assert response.status == 400
        assert "Give a reason" in await response.text()
        assert await status_of(review_site, item) == "open"
        assert not await one_profile(review_site, "Claire Petit")


async def test_a_decision_without_the_csrf_token_is_refused(review_site: ConsoleSite) -> None:
    async with browser_like() as http:
        await agent(http, review_site)
        item = await item_of(http, review_site, "Claire Petit")
        async with http.post(
            f"{review_site.console}/review/{item}",
            data={"decision": "MERGE", "reason": "forged"},
            allow_redirects=False,
        ) as response:
            assert response.status == 403
        assert await status_of(review_site, item) == "open"
        assert not await one_profile(review_site, "Claire Petit")


async def test_keys_that_may_not_decide_see_no_queue_and_are_refused(
    review_site: ConsoleSite,
) -> None:
    async with browser_like() as http:
        await agent(http, review_site)
        item = await item_of(http, review_site, "Claire Petit")
    for key in (review_site.analyst_key, review_site.app_key_without_personal_data):
        async with browser_like() as http:
            await sign_in(http, review_site, key)
            async with http.get(f"{review_site.console}/search") as page:
                assert 'href="/console/review"' not in await page.text()  # no header link
            async with http.get(f"{review_site.console}/review/{item}") as page:
                assert page.status == 403
                text = await page.text()
                assert (
                    "may not review identities" in text and "<button" not in text.split("<main")[1]
                )
            # A POST with the session's own token is still refused by the schema.
            response = await decide(http, review_site, item, "MERGE", "I think so")
            assert response.status == 403
            assert "may not decide identities" in await response.text()
        assert await status_of(review_site, item) == "open"


async def test_split_then_undo_restores_the_profile(site: ConsoleSite) -> None:
    amelie = await site.profile_id("amelie.durand@example.fr")  # crm:A1, atelier:B1 and more
    whole = sum(AMELIE_RECORDS.values())
    async with browser_like() as http:
        await agent(http, site)
        async with http.get(f"{site.console}/customers/{amelie}") as page:
            text = await page.text()
        assert len(re.findall(r'name="move:\d+"', text)) == whole
        atelier = ATELIER_MOVE.search(text)
        assert atelier is not None
        token = await csrf_of(http, f"{site.console}/customers/{amelie}")
        response = await http.post(
            f"{site.console}/customers/{amelie}/split",
            data={"csrf": token, atelier.group(1): "on", "reason": "two Amélies"},
            allow_redirects=False,
        )
        assert response.status == 303
        notice_url = response.headers["Location"]
        async with http.get(f"{site.url}{notice_url}") as page:
            text = await page.text()
        split_off = re.search(r"split_off=([\w-]+)", notice_url)
        assert split_off is not None
        assert f'href="/console/customers/{split_off.group(1)}"' in text  # link to both
        assert len(re.findall(r'name="move:\d+"', text)) == whole - 1
        assert ATELIER_MOVE.search(text) is None
        undo = re.search(r'action="(/console/customers/[^"]+/undo)"', text)
        assert undo is not None
        # Undo asks for a reason too.
        refused = await http.post(
            f"{site.url}{undo.group(1)}", data={"csrf": token, "reason": ""}, allow_redirects=False
        )
        assert refused.status == 400 and "Give a reason" in await refused.text()
        done = await http.post(
            f"{site.url}{undo.group(1)}",
            data={"csrf": token, "reason": "same person after all"},
            allow_redirects=False,
        )
        assert done.status == 303
        async with http.get(f"{site.url}{done.headers['Location']}") as page:
            text = await page.text()
        assert "the profile has its records back" in text
        assert len(re.findall(r'name="move:\d+"', text)) == whole
        lines = DECISION_LINE.findall(text)
        assert any("Decision undone" in line and "same person after all" in line for line in lines)
        assert any("two Amélies" in line for line in lines)


async def test_a_split_without_records_or_reason_changes_nothing(site: ConsoleSite) -> None:
    amelie = await site.profile_id("amelie.durand@example.fr")
    async with browser_like() as http:
        await agent(http, site)
        token = await csrf_of(http, f"{site.console}/customers/{amelie}")
        for data, said in (
            ({"reason": "nothing ticked"}, "a split moves some of the profile"),
            ({"reason": ""}, "Give a reason"),
        ):
            async with http.post(
                f"{site.console}/customers/{amelie}/split", data={"csrf": token, **data}
            ) as response:
                assert response.status == 400
                assert said in await response.text()
        async with http.post(
            f"{site.console}/customers/{amelie}/split", data={"reason": "no token"}
        ) as response:
            assert response.status == 403
    assert await site.profile_id("amelie.durand@example.fr") == amelie
    async with browser_like() as http:
        await agent(http, site, name="second-look")
        async with http.get(f"{site.console}/customers/{amelie}") as page:
            moves = re.findall(r'name="move:\d+"', await page.text())
            assert len(moves) == sum(AMELIE_RECORDS.values())


async def test_a_key_that_may_not_decide_sees_no_split_form_and_is_refused(
    site: ConsoleSite,
) -> None:
    amelie = await site.profile_id("amelie.durand@example.fr")
    url = f"{site.console}/customers/{amelie}"
    async with browser_like() as http:
        await agent(http, site)
        async with http.get(url) as page:
            moves = re.findall(r'name="(move:\d+)"', await page.text())
    async with browser_like() as http:
        await sign_in(http, site, site.analyst_key)
        async with http.get(url) as page:
            text = await page.text()
        assert 'name="move:' not in text and "/split" not in text
        token = await csrf_of(http, url)
        async with http.post(
            f"{url}/split", data={"csrf": token, moves[1]: "on", "reason": "two people"}
        ) as response:
            assert response.status == 403
            assert "may not decide identities" in await response.text()
    assert await site.profile_id("amelie.durand@example.fr") == amelie
