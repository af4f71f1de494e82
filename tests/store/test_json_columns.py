"""JSON columns: ordinary values through json.dumps, text already serialised kept as it is."""

from __future__ import annotations

import json

from hub.store.json_columns import SerialisedJson, serialise_json


def test_ordinary_values_are_serialised_as_sqlalchemy_would() -> None:
    value = {"name": "Chloé", "tags": ["a", 1, None]}
    assert serialise_json(value) == json.dumps(value)


def test_serialised_text_is_stored_as_it_is_and_as_a_plain_string() -> None:
    text = serialise_json(SerialisedJson('{"city":"Orléans"}'))
    assert text == '{"city":"Orléans"}'
    assert type(text) is str


def test_a_plain_string_is_still_a_json_string() -> None:
    assert serialise_json('{"a":1}') == json.dumps('{"a":1}')
