"""JSON columns: ordinary values through json.dumps, text already serialised kept as it is, and
the compact text the bulk statements write."""

from __future__ import annotations

import json

import pytest

from hub.store.errors import InvalidValue
from hub.store.json_columns import SerialisedJson, json_text, serialise_json


def test_ordinary_values_are_serialised_as_sqlalchemy_would() -> None:
    value = {"name": "Chloé", "tags": ["a", 1, None]}
    assert serialise_json(value) == json.dumps(value)


def test_serialised_text_is_stored_as_it_is_and_as_a_plain_string() -> None:
    text = serialise_json(SerialisedJson('{"city":"Orléans"}'))
    assert text == '{"city":"Orléans"}'
    assert type(text) is str


def test_a_plain_string_is_still_a_json_string() -> None:
    assert serialise_json('{"a":1}') == json.dumps('{"a":1}')


def test_json_text_is_compact_json_that_reads_back_the_same() -> None:
    value = {"name": "Chloé", "lines": [{"qty": 2, "price": 12.5}], "note": None}
    text = json_text(value)
    assert text == '{"name":"Chloé","lines":[{"qty":2,"price":12.5}],"note":null}'
    assert json.loads(text) == value


def test_json_text_writes_what_only_the_standard_library_can() -> None:
    value = {"id": 2**80, "by_year": {2024: 3}}
    assert json.loads(json_text(value)) == {"id": 2**80, "by_year": {"2024": 3}}


def test_a_value_json_cannot_hold_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue, match="a value JSON cannot hold"):
        json_text({"tags": {"a", "b"}})
