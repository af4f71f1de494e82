"""When a contradicting birth date is a mistake of one record, and when it is another person.

A birth date no typo explains means two people (a parent and a child), unless identity
evidence stronger than a household agrees: the same national id with a name, or a national id
a typo away with both names.
"""

from __future__ import annotations

from hub.identity.engine import resolve_batch
from hub.identity.engine.match_model import configured_model
from hub.identity.model import NormalisedPerson
from tests.identity.engine.people import home, person

TOWN = "west lakes shore"


def clusters(people: list[NormalisedPerson]) -> list[tuple[int, ...]]:
    return resolve_batch(people, model=configured_model()).resolution.clusters


def test_a_national_id_one_digit_off_with_both_names_forgives_a_birth_date_after_a_move() -> None:
    # One person: the contract mistyped the birth date, and she has moved since.
    people = [
        person(1, "ottilie", "wendland", "1971-04-23", national_id="5181241", city="kassel"),
        person(2, "ottilie", "wendland", "1917-12-11", national_id="5181141", city="bremen"),
    ]
    assert clusters(people) == [(1, 2)]


def test_a_birth_date_is_not_forgiven_by_national_ids_far_apart() -> None:
    people = [
        person(1, "ottilie", "wendland", "1971-04-23", national_id="5181241", city="kassel"),
        person(2, "ottilie", "wendland", "1917-12-11", national_id="2980023", city="bremen"),
    ]
    assert clusters(people) == [(1,), (2,)]


def test_parent_and_child_of_one_name_with_their_own_national_ids_stay_apart() -> None:
    family = [
        home(1, "jean", "dupont", "1958-06-01", national_id="158067511234512"),
        home(2, "jean", "dupont", "1988-06-01", national_id="188067511298767"),
    ]
    assert clusters(family) == [(1,), (2,)]


def test_names_typed_in_each_others_field_still_agree_with_the_national_id() -> None:
    # "webb sma": the surname typed as the first name, the first name mistyped as the surname.
    # The same national id with a name agreeing, even in the other field, is one person.
    people = [
        person(1, "sam", "webb", "1936-12-15", national_id="4408444", postcode="2570", city=TOWN),
        person(2, "webb", "sma", "1988-06-11", national_id="4408444", postcode="2570", city=TOWN),
    ]
    assert clusters(people) == [(1, 2)]


def test_crossed_names_without_the_national_id_are_two_people() -> None:
    people = [
        person(1, "sam", "webb", "1936-12-15", national_id="4408444", postcode="2570", city=TOWN),
        person(2, "webb", "sma", "1988-06-11", national_id="9932107", postcode="2570", city=TOWN),
    ]
    assert clusters(people) == [(1,), (2,)]
