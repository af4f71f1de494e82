"""searchCustomers finds customers from what an agent types, through the real store and index."""

from __future__ import annotations

from typing import Any

from hub.access import Role, Viewer
from hub.runtime import Hub
from tests.schema.conftest import ADMIN, AGENT, ANALYST, error_codes, execute
from tests.schema.seeding import customer_record, store
from tests.schema.test_identity_mutations import merge
from tests.schema.test_lookup_every_kind import stored  # noqa: F401  (Jean and Lucie, resolved)

SEARCH = """
query ($query: String!, $brand: String) {
  searchCustomers(query: $query, brand: $brand) { score matched customer { id } }
}
"""


async def search(hub: Hub, query: str, **variables: Any) -> list[dict[str, Any]]:
    data = await execute(hub, SEARCH, {"query": query, **variables}, AGENT)
    return list(data["searchCustomers"])


def ids(hits: list[dict[str, Any]]) -> list[str]:
    return [hit["customer"]["id"] for hit in hits]


async def test_typo_and_partial_names_find_the_customer(hub: Hub, stored: dict[str, str]) -> None:  # noqa: F811
    assert ids(await search(hub, "Jaen Dupnot"))[:1] == [stored["C1"]]
    assert ids(await search(hub, "luc mar"))[:1] == [stored["C2"]]
    assert stored["C2"] not in ids(await search(hub, "Jaen Dupnot"))


async def test_phone_email_and_card_typed_any_way(hub: Hub, stored: dict[str, str]) -> None:  # noqa: F811
    for typed in ("06 12 34 56 78", "+33612345678", "JDUPONT@GMAIL.COM", "FID 000 123"):
        hits = await search(hub, typed)
        assert ids(hits)[:1] == [stored["C1"]], typed
        assert hits[0]["score"] == 100.0


async def test_exact_ranks_above_fuzzy(hub: Hub) -> None:
    await store(hub, "shop", [
        customer_record("S1", "a@example.fr", "Alpha", first_name="Marie", last_name="Dupont"),
        customer_record("S2", "b@example.fr", "Beta", first_name="Mary", last_name="Dupond"),
    ])  # fmt: skip
    hits = await search(hub, "marie dupont")
    assert len(hits) == 2 and hits[0]["score"] > hits[1]["score"]
    assert "name" in hits[0]["matched"]
    brand_hits = await search(hub, "marie dupont", brand="Beta")
    assert len(brand_hits) == 1 and brand_hits[0]["customer"]["id"] == hits[1]["customer"]["id"]


async def test_masking_and_empty_query(hub: Hub, stored: dict[str, str]) -> None:  # noqa: F811
    variables = {"query": "06 12 34 56 78"}
    assert await error_codes(hub, SEARCH, variables, ANALYST) == ["FORBIDDEN"]
    assert await error_codes(hub, SEARCH, {"query": "   "}, AGENT) == ["BAD_USER_INPUT"]


async def test_a_card_number_with_digits_is_no_phone(hub: Hub, stored: dict[str, str]) -> None:  # noqa: F811
    # Six digits and letters: a card, which a key without personal-data access may search by.
    data = await execute(hub, SEARCH, {"query": "FID 000 123"}, ANALYST)
    assert ids(data["searchCustomers"])[:1] == [stored["C1"]]


async def test_index_follows_a_new_record(hub: Hub, stored: dict[str, str]) -> None:  # noqa: F811
    assert await search(hub, "Zoé Quentel") == []
    await store(hub, "shop", [
        customer_record("S9", "zoe@example.fr", "Alpha", first_name="Zoé", last_name="Quentel"),
    ])  # fmt: skip
    assert len(await search(hub, "zoe quentel")) == 1


async def test_merged_away_profiles_drop_out(hub: Hub, stored: dict[str, str]) -> None:  # noqa: F811
    await merge(hub, stored["C1"], stored["C2"], viewer=ADMIN)
    # The survivor is found by its golden fields; the merged-away profile by nothing.
    for typed in ("lucie martin", "jean dupont", "+33698765432"):
        assert stored["C2"] not in ids(await search(hub, typed)), typed
    assert ids(await search(hub, "+33698765432")) == [stored["C1"]]


async def test_without_personal_data_postcodes_find_nobody(hub: Hub) -> None:
    await store(hub, "shop", [
        customer_record("S1", "a@example.fr", "Alpha", first_name="Marie", postcode="75011"),
    ])  # fmt: skip
    assert len(await search(hub, "75011")) == 1
    data = await execute(hub, SEARCH, {"query": "75011"}, ANALYST)
    assert data["searchCustomers"] == []


async def test_a_brand_scoped_key_finds_only_its_brands(hub: Hub) -> None:
    await store(hub, "shop", [
        customer_record("S1", "a@example.fr", "Alpha", first_name="Marie", last_name="Dupont"),
        customer_record("S2", "b@example.fr", "Beta", first_name="Marie", last_name="Dupont"),
    ])  # fmt: skip
    assert len(await search(hub, "marie dupont")) == 2
    beta = Viewer(name="key:beta-desk", role=Role.AGENT, brands=frozenset({"Beta"}))
    data = await execute(hub, SEARCH, {"query": "marie dupont"}, beta)
    assert len(data["searchCustomers"]) == 1
