"""The 360 page over plain HTTP: key figures, consents, the paged timeline and the identity
graph, each checked against the history the test hub was loaded with (tests/console/history.py)."""

from __future__ import annotations

import html
import re
from collections import Counter
from decimal import Decimal

import aiohttp

from hub.access import Role
from tests.conftest import new_key
from tests.console.conftest import ConsoleSite
from tests.console.history import (
    AMELIE,
    PARTNER_PRODUCT,
    RECEIPTS,
    SHOP_CONSENT,
    SHOP_ORDERS,
    SHOP_SUBSCRIPTIONS,
)
from tests.console.test_console_http import browser_like, sign_in

TIMELINE_PAGE = 20
ENTRY = re.compile(r'<li class="entry entry-\w+" data-kind="(\w+)">(.*?)</li>', re.S)
MORE = re.compile(r'<p class="more"><a href="([^"]+)"\s+data-more="([^"]+)"')


def euros(minor: int) -> str:
    return f"€{Decimal(minor).scaleb(-2):,.2f}"


def figure(page: str, name: str) -> int:
    found = re.search(rf'data-figure="{name}"><dt>[^<]*</dt>\s*<dd>(\d+)', page)
    assert found, f"no figure {name}"
    return int(found.group(1))


def spend_rows(page: str) -> dict[str, tuple[int, str]]:
    """brand → (purchases, total as written) of the lifetime spend table."""
    table = page.split('<table class="spend">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<span class="tag">([^<]+)</span>.*?<td class="number">(\d+)</td>'
        r'<td class="number amount">([^<]+)</td>',
        table,
        re.S,
    )
    return {brand: (int(count), total) for brand, count, total in rows}


def entries(page: str) -> list[tuple[str, str]]:
    """(kind, text) of each timeline entry, tags stripped."""
    return [
        (kind, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()))
        for kind, body in ENTRY.findall(page)
    ]


async def page_of(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(url) as response:
        assert response.status == 200, await response.text()
        return await response.text()


async def test_key_figures_add_up_the_history(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await page_of(http, f"{site.console}/customers/{amelie}")
    signed = [s for s in SHOP_SUBSCRIPTIONS if s.details["status"] == "done"]
    assert figure(page, "orders") == len(SHOP_ORDERS)
    assert figure(page, "receipts") == len(RECEIPTS)
    assert figure(page, "active_subscriptions") == len(signed) < len(SHOP_SUBSCRIPTIONS)
    assert figure(page, "partner_products") == 1
    # The tills are the maison brand's, the web shop atelier's: one line each, in euros.
    assert spend_rows(page) == {
        "maison": (len(RECEIPTS), euros(sum(r.total_minor for r in RECEIPTS))),
        "atelier": (len(SHOP_ORDERS), euros(sum(amount for _, _, amount in SHOP_ORDERS))),
    }


async def test_money_is_written_in_the_page_language(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    total = sum(r.total_minor for r in RECEIPTS)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await page_of(http, f"{site.console}/customers/{amelie}?lang=fr")
    french = f"{Decimal(total).scaleb(-2):.2f}".replace(".", ",") + "\xa0€"
    assert spend_rows(page)["maison"] == (len(RECEIPTS), french)
    assert "Chiffres clés" in page


async def test_a_brand_scoped_key_sees_its_brand_figures_only(site: ConsoleSite) -> None:
    maison = await new_key(site.hub, Role.AGENT, name="maison-desk", brands=["maison"])
    amelie = await site.profile_id(AMELIE)
    async with browser_like() as http:
        await sign_in(http, site, maison)
        page = await page_of(http, f"{site.console}/customers/{amelie}")
    assert figure(page, "orders") == 0  # the web shop is atelier's
    assert figure(page, "receipts") == len(RECEIPTS)
    assert set(spend_rows(page)) == {"maison"}
    assert not any(kind == "order" for kind, _ in entries(page))


async def test_consents_show_the_newest_word_per_channel(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await page_of(http, f"{site.console}/customers/{amelie}")
    table = page.split('<table class="consents">', 1)[1].split("</table>", 1)[0]
    states = dict(
        re.findall(r'<tr data-channel="(\w+)">.*?<span class="state state-(\w+)">', table, re.S)
    )
    assert states == {
        "all": "granted",  # the partner's contract: consent_marketing yes
        "email": "denied",  # what the agent recorded over /graphql
        SHOP_CONSENT.details["channel"]: SHOP_CONSENT.details["state"],
    }


async def test_the_timeline_pages_through_everything_once(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    # Every activity of the history, and the consent the agent recorded.
    expected = Counter({"order": len(SHOP_ORDERS), "receipt": len(RECEIPTS), "partner_product": 1})
    expected["subscription"] = len(SHOP_SUBSCRIPTIONS)
    expected["consent"] = 3  # the shop's, the partner's and the agent's
    assert expected.total() > TIMELINE_PAGE, "the history must need a second page"
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        first = await page_of(http, f"{site.console}/customers/{amelie}")
        more = MORE.search(first)
        assert more, "no 'show more' link on a timeline longer than a page"
        whole_page, fragment = (html.unescape(url) for url in more.groups())
        second = await page_of(http, f"{site.url}{whole_page}")
        rows = await page_of(http, f"{site.url}{fragment}")
    assert len(entries(first)) == TIMELINE_PAGE
    assert MORE.search(second) is None  # the last page
    assert entries(rows) == entries(second)  # the script's rows are the page's
    assert "<html" not in rows
    seen = entries(first) + entries(second)
    assert Counter(kind for kind, _ in seen) == expected
    assert PARTNER_PRODUCT in " ".join(text for _, text in seen)


async def test_a_bad_timeline_cursor_is_a_clear_error(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        async with http.get(f"{site.console}/customers/{amelie}?after=bm9wZQ") as response:
            assert response.status == 400
            assert "INVALID_CURSOR" in await response.text()


MERGE = """
mutation ($survivor: ID!, $other: ID!) {
  mergeProfiles(survivor: $survivor, other: $other, reason: "Same person, new e-mail") {
    __typename
  }
}
"""


async def test_an_agents_merge_shows_in_the_timeline(site: ConsoleSite) -> None:
    jean = await site.profile_id_of_card("MX-9001-0007")
    helene = await site.profile_id("helene.boeuf@example.fr")
    body = {"query": MERGE, "variables": {"survivor": jean, "other": helene}}
    async with (
        aiohttp.ClientSession() as api,
        api.post(
            f"{site.url}/graphql",
            json=body,
            headers={"Authorization": f"Bearer {site.admin_key}"},
        ) as response,
    ):
        assert (await response.json())["data"]["mergeProfiles"]["__typename"] == "MergeSuccess"
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await page_of(http, f"{site.console}/customers/{jean}")
    kind, text = entries(page)[0]  # the newest
    assert kind == "decision"
    assert f"Merged with profile {helene[:8]}" in text
    assert "by key:console-admin" in text and "Same person, new e-mail" in text


async def test_the_identity_graph_draws_each_record_and_match(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        page = await page_of(http, f"{site.console}/customers/{amelie}")
    records = re.findall(r'<span class="badge">(\w+)</span> <span class="muted">', page)
    svg = page.split('<svg class="identity-graph"', 1)[1].split("</svg>", 1)[0]
    nodes = re.findall(r'<g class="node" tabindex="0" data-record="(\d+)"', svg)
    edges = re.findall(
        r'<g class="edge" tabindex="0" data-record="(\d+)" data-matched="(\d+)"', svg
    )
    assert len(nodes) == len(records)  # every source record the page lists is a node
    assert edges and all(a in nodes and b in nodes for a, b in edges)
    # Resolution attached every record but the first (and the hub's own consent record,
    # carried along, not matched) through one pair each.
    assert len(edges) == len(nodes) - 2
    titles = re.findall(r'<g class="edge".*?<title>(.*?)</title>', svg, re.S)
    assert all("Rule:" in title and "Score:" in title for title in titles)
    assert any("E-mail: same" in html.unescape(title) for title in titles)
