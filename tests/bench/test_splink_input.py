"""The columns the Splink peer compares, cleaned the way a Splink user would clean them."""

from __future__ import annotations

import pytest

from bench.identity.splink_input import COLUMNS, fold, iso_date, phone_key, splink_columns
from hub.identity.model import PersonRecord


def test_names_are_folded_to_lower_case_letters() -> None:
    assert fold("  José-María  O'NEILL ") == "jose maria o neill"
    assert fold("Weiß") == "weiss"
    assert fold("") is None and fold(None) is None and fold("--") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("19560409", "1956-04-09"),
        ("1956-04-09", "1956-04-09"),
        ("09/04/1956", "1956-04-09"),
        ("09.04.1956", "1956-04-09"),
        ("19561309", None),  # month 13: a corrupted date is missing, not a guess
        ("soon", None),
        (None, None),
    ],
)
def test_birth_dates_are_read_from_national_spellings(text: str | None, iso: str | None) -> None:
    assert iso_date(text) == iso


def test_phones_agree_on_their_national_number_whatever_the_spelling() -> None:
    spellings = ["+33 6 12 34 56 78", "06.12.34.56.78", "0033612345678", "0612345678"]
    assert {phone_key(s) for s in spellings} == {"612345678"}
    assert phone_key("12 34") is None


def test_one_row_per_record_with_the_first_email_phone_and_card() -> None:
    records = [
        PersonRecord(
            record_id=7, source="shop", first_name="Amélie", last_name="DURAND",
            birth_date="15/03/1984", emails=(" Amelie.D@Mail.FR ", "other@mail.fr"),
            phones=("12", "06 12 34 56 78"), street="12, Rue Victor-Hugo", postcode="69 001",
            city="Lyon", loyalty_cards=("LUM1", "LUM2"), national_id="2 84 03 69",
        ),
        PersonRecord(record_id=8),
    ]  # fmt: skip
    columns = splink_columns(records)
    assert list(columns) == list(COLUMNS)
    first = {name: values[0] for name, values in columns.items()}
    assert first == {
        "unique_id": 7, "source_dataset": "shop", "first_name": "amelie", "last_name": "durand",
        "birth_date": "1984-03-15", "street": "12 rue victor hugo", "postcode": "69001",
        "city": "lyon", "email": "amelie.d@mail.fr", "phone": "612345678",
        "national_id": "2840369", "loyalty_card": "LUM1",
    }  # fmt: skip
    assert [values[1] for name, values in columns.items() if name != "unique_id"] == [
        "",
        *[None] * (len(COLUMNS) - 2),
    ]
