"""Role x brand scope x field: no personal value and no other brand's data ever leaks.

The personal values are those of the test's sources; the check searches the whole response
for them, so a field added to the schema later is covered without changing this test. The
field names come from the list the schema masks with (schema.access.PERSONAL_FIELDS).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from graphql import (
    GraphQLAbstractType,
    GraphQLObjectType,
    get_named_type,
    is_abstract_type,
    is_non_null_type,
)
from sqlalchemy.engine import URL
from strawberry.utils.str_converters import to_camel_case

from hub.access import Permission, Role
from hub.access.viewer import ROLE_PERMISSIONS
from schema import schema
from schema.access import PERSONAL_FIELDS
from tests.access.conftest import TwoBrands, open_two_brands
from tests.conftest import WriteConfig, new_key
from tests.schema.seeding import customer_record, order, store

PERSONAL_VALUES = (
    "amelie.durand@example.fr", "helene.boeuf@example.fr", "paul.leroy@example.fr",
    "06 12 34 56 78", "+33612345678", "07 11 22 33 44", "+33711223344",
    "06 99 88 77 66", "+33699887766",
)  # fmt: skip
"""Every e-mail and phone of the test's sources, as sent and as normalised."""
ATELIER_ONLY = ("Leroy", "paul.leroy", "B2")
CONNECTOR_BRAND = {"crm": "maison", "atelier": "atelier"}
SCOPES: tuple[list[str] | None, ...] = (None, ["maison"], ["atelier"])


def selection(type_name: str, seen: frozenset[str] = frozenset()) -> str:
    """Every field of ``type_name``, nested types included (each type once on a path; an
    interface or union as each of its types): the whole profile as the schema exposes it."""
    definition = schema._schema.get_type(type_name)
    assert isinstance(definition, GraphQLObjectType)
    parts = []
    for name, field in definition.fields.items():
        if field.args and any(is_non_null_type(arg.type) for arg in field.args.values()):
            continue  # needs arguments this test cannot invent
        inner = get_named_type(field.type)
        if is_abstract_type(inner):
            kinds = schema._schema.get_possible_types(cast(GraphQLAbstractType, inner))
            fragments = [
                f"... on {kind.name} {{ {selection(kind.name, seen | {type_name})} }}"
                for kind in kinds
                if kind.name not in seen
            ]
            parts.append(f"{name} {{ __typename {' '.join(fragments)} }}")
        elif isinstance(inner, GraphQLObjectType):
            if inner.name not in seen:
                parts.append(f"{name} {{ {selection(inner.name, seen | {type_name})} }}")
        else:
            parts.append(name)
    return " ".join(parts)


WHOLE_PROFILE_LIMITS = "[api]\nmax_depth = 40\nmax_tokens = 1000000\nmax_cost = 100000000\n"
"""The whole profile is a far larger query than any client should send: the limits are not
what this test is about."""
WHEN = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
AMELIE = {"first_name": "Amélie", "last_name": "Durand"}


@pytest.fixture
async def whole_profiles(
    db_url: URL, write_config: WriteConfig, customers_csv: Path, atelier_csv: Path
) -> AsyncIterator[TwoBrands]:
    """The two brands, each with an order of Amélie (known to both) whose details hold
    personal values the schema must never show, and one of Paul (atelier only)."""
    async for served in open_two_brands(db_url, write_config, WHOLE_PROFILE_LIMITS):
        shipping = {"street": "3 rue des Lilas", "email": "amelie.durand@example.fr"}
        await store(
            served.hub,
            "crm",
            [customer_record("web-A1", "amelie.durand@example.fr", "maison",
                             [order("M-1", WHEN, 4990, shipping_address=shipping)], **AMELIE)],
        )  # fmt: skip
        await store(
            served.hub,
            "atelier",
            [
                customer_record("web-B1", "amelie.durand@example.fr", "atelier",
                                [order("A-1", WHEN, 1200, phone="06 12 34 56 78")], **AMELIE),
                customer_record("web-B2", "paul.leroy@example.fr", "atelier",
                                [order("B2-1", WHEN, 800)], first_name="Paul", last_name="Leroy"),
            ],
        )  # fmt: skip
        yield served


PROFILE = f"query ($id: ID!) {{ customer(id: $id) {{ {selection('Customer')} }} }}"


async def profile_ids(served: TwoBrands) -> dict[str, str]:
    admin = await new_key(served.hub, Role.ADMIN)
    ids = {}
    for source_id in ("crm:A1", "atelier:B2"):
        _, body = await served.query(
            admin,
            "query ($v: String!) { customerByIdentifier(kind: SOURCE_CUSTOMER_ID, value: $v) "
            "{ id brand sourceRecords { connector } } }",
            v=source_id,
        )
        ids[source_id] = body["data"]["customerByIdentifier"]["id"]
    return ids


async def test_no_personal_field_and_no_other_brand_leaks(whole_profiles: TwoBrands) -> None:
    two_brands = whole_profiles
    ids = await profile_ids(two_brands)
    assert ids["crm:A1"] != ids["atelier:B2"]
    for role, personal, scope in itertools.product(Role, (True, False), SCOPES):
        where = f"role={role.value} personal_data={personal} brands={scope}"
        key = await new_key(two_brands.hub, role, brands=scope, personal_data=personal)
        reads_personal = personal and Permission.READ_PERSONAL_DATA in ROLE_PERMISSIONS[role]
        for source_id, profile_id in ids.items():
            status, body = await two_brands.query(key, PROFILE, id=profile_id)
            assert status == 200 and "errors" not in body, (where, body)
            customer: dict[str, Any] | None = body["data"]["customer"]
            text = json.dumps(body, ensure_ascii=False)
            in_scope = scope is None or "atelier" in scope or source_id == "crm:A1"
            if not in_scope:
                assert customer is None, where
                assert not any(value in text for value in ATELIER_ONLY), where
                continue
            assert customer is not None, where
            leaked = [value for value in PERSONAL_VALUES if value in text]
            if reads_personal:
                assert leaked, f"{where}: personal values should be visible"
            else:
                assert leaked == [], f"{where}: leaked {leaked}"
                check_masked_fields(customer, where)
            brands_seen = {CONNECTOR_BRAND[name] for name in values_of(customer, "connector")}
            assert scope is None or brands_seen <= set(scope), where
            assert customer["orders"], f"{where}: the orders in scope should show"
            payloads = [r["payload"] for r in customer["sourceRecords"]]
            admin_payloads = role is Role.ADMIN and personal
            assert all((p is not None) is admin_payloads for p in payloads), where


def values_of(document: Any, key: str) -> list[Any]:
    """Every value of ``key`` anywhere in ``document`` (records, activities' sources…)."""
    if isinstance(document, dict):
        found = [document[key]] if key in document else []
        return found + [v for value in document.values() for v in values_of(value, key)]
    if isinstance(document, list):
        return [v for value in document for v in values_of(value, key)]
    return []


def check_masked_fields(customer: dict[str, Any], where: str) -> None:
    """Each personal field the schema has is null; golden entries of them keep no value."""
    for name in PERSONAL_FIELDS:
        if to_camel_case(name) in customer:
            assert customer[to_camel_case(name)] is None, f"{where}: {name}"
    for golden in customer["goldenFields"]:
        if golden["name"] in PERSONAL_FIELDS:
            assert golden["value"] is None and golden["alternatives"] == [], where
    identifiers = customer["identifiers"] + [
        identifier for record in customer["sourceRecords"] for identifier in record["identifiers"]
    ]
    for identifier in identifiers:
        if identifier["kind"] in ("EMAIL", "PHONE"):
            assert identifier["value"] is None and identifier["normalizedValue"] is None, where


@pytest.mark.parametrize("kind", ["EMAIL", "PHONE"])
async def test_lookup_by_personal_identifier_needs_personal_data(
    two_brands: TwoBrands, kind: str
) -> None:
    value = "amelie.durand@example.fr" if kind == "EMAIL" else "+33612345678"
    query = (
        "query ($k: IdentifierKind!, $v: String!) "
        "{ customerByIdentifier(kind: $k, value: $v) { id } }"
    )
    analyst = await new_key(two_brands.hub, Role.ANALYST)
    status, body = await two_brands.query(analyst, query, k=kind, v=value)
    assert status == 200
    assert body["data"] == {"customerByIdentifier": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    masked_app = await new_key(two_brands.hub, Role.APP, personal_data=False)
    _, body = await two_brands.query(masked_app, query, k=kind, v=value)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    app = await new_key(two_brands.hub, Role.APP)
    _, body = await two_brands.query(app, query, k=kind, v=value)
    assert "errors" not in body  # allowed (the sources' phones have no country: not found)
    if kind == "EMAIL":
        assert body["data"]["customerByIdentifier"]["id"]
