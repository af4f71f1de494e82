"""The console's search over plain HTTP: ranked through searchCustomers, exact identifiers first,
each result with its brand, city and the time of its newest activity."""

from __future__ import annotations

import html
import re

from tests.console.conftest import ConsoleSite
from tests.console.history import AMELIE, CARD
from tests.console.test_console_http import browser_like, sign_in
from tests.console.test_customer_360_http import page_of

RESULT = re.compile(
    r'<tr>\s*<td><a href="/console/customers/([\w-]+)">([^<]+)</a>(.*?)</td>\s*'
    r"<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>",
    re.S,
)
NEWEST_ENTRY = re.compile(r'<li class="entry[^"]*"[^>]*>\s*<span class="when"><time>([^<]+)<')


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


async def results(site: ConsoleSite, key: str, query: str) -> list[dict[str, str]]:
    async with browser_like() as http:
        await sign_in(http, site, key)
        async with http.get(f"{site.console}/search/results", params={"q": query}) as page:
            body = await page.text()
    return [
        {"id": found[0], "name": found[1], "matched": text(found[2]), "brand": text(found[3]),
         "city": text(found[4]), "last_activity": text(found[5]), "page": body}
        for found in RESULT.findall(body)
    ] or [{"page": body}]  # fmt: skip


async def test_a_misspelt_name_finds_the_customer_first(site: ConsoleSite) -> None:
    hits = await results(site, site.admin_key, "Amelei Durnad")
    assert hits[0]["id"] == await site.profile_id(AMELIE)
    assert hits[0]["matched"] == "matched on name"


async def test_an_exact_identifier_ranks_first(site: ConsoleSite) -> None:
    paul = await site.profile_id("paul.leroy@example.fr")
    hits = await results(site, site.admin_key, "06 99 88 77 66")
    assert [hit["id"] for hit in hits][:1] == [paul]
    assert hits[0]["matched"] == "matched on phone"
    jean = await site.profile_id_of_card("MX-9001-0007")
    hits = await results(site, site.admin_key, "crm:A3")  # a source's own id
    assert hits[0]["id"] == jean and hits[0]["matched"] == "matched on id in a source"


async def test_a_key_without_personal_data_searches_by_card_not_by_email(
    site: ConsoleSite,
) -> None:
    hits = await results(site, site.analyst_key, CARD)
    assert hits[0]["id"] == await site.profile_id(AMELIE)
    refused = await results(site, site.analyst_key, AMELIE)
    assert "may not search by e-mail or phone" in refused[0]["page"]


async def test_results_show_brand_city_and_the_newest_activity(site: ConsoleSite) -> None:
    amelie = await site.profile_id(AMELIE)
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        profile = await page_of(http, f"{site.console}/customers/{amelie}")
    newest = NEWEST_ENTRY.search(profile)
    assert newest, "the 360 page shows no dated timeline entry"
    (hit,) = [hit for hit in await results(site, site.admin_key, AMELIE) if hit["id"] == amelie]
    assert hit["last_activity"] == newest.group(1)  # the timeline's newest entry
    assert hit["brand"] and hit["city"] in ("Lyon", "Villeurbanne")
    (jean,) = await results(site, site.admin_key, "Jean Martin")
    assert jean["last_activity"] == "none yet"  # a CRM record alone: no activity
    assert (jean["brand"], jean["city"]) == ("maison", "Nantes")
