"""Name keys: folded, titles removed, particles joined in last names; placeholders and digits."""

from __future__ import annotations

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.names import first_name_key, last_name_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Jean-Pierre", "jean pierre"),
        ("JEAN PIERRE", "jean pierre"),
        ("Amélie", "amelie"),
        ("Mme Amélie", "amelie"),
        ("M. Jean", "jean"),
        ("Mlle Chloé", "chloe"),
        ("Mr John", "john"),
        ("Dr. Hans", "hans"),
        ("Herr Jürgen", "jurgen"),
        ("Frau Käthe", "kathe"),
        ("Sr. José", "jose"),
        ("Sra. María José", "maria jose"),
        ("Doña Inés", "ines"),
        ("Sig.ra Giulia", "giulia"),
        ("Sig. Giuseppe", "giuseppe"),
        ("Don", "don"),  # a title alone that is also a name
        ("J.-P.", "j p"),
        ("Zoë", "zoe"),
        ("Bjørn", "bjorn"),
        ("Ægir", "aegir"),
    ],
)
def test_first_names(raw: str, key: str) -> None:
    assert first_name_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Durand", "durand"),
        ("DURAND", "durand"),
        ("de la Fontaine", "delafontaine"),
        ("Delafontaine", "delafontaine"),
        ("De La Fontaine", "delafontaine"),
        ("van der Berg", "vanderberg"),
        ("Van Der Berg", "vanderberg"),
        ("Vanderberg", "vanderberg"),
        ("von Weizsäcker", "vonweizsacker"),
        ("D'Amico", "damico"),
        ("D Amico", "damico"),
        ("O'Brien", "obrien"),
        ("Mc Donald", "mcdonald"),
        ("Le Goff", "legoff"),
        ("Da Silva", "dasilva"),
        ("dos Santos", "dossantos"),
        ("Della Valle", "dellavalle"),
        ("García López", "garcia lopez"),
        ("García-López", "garcia lopez"),
        ("García de la Cruz", "garcia delacruz"),
        ("Müller", "muller"),
        ("Weiß", "weiss"),
        ("Bœuf", "boeuf"),
        ("Le", "le"),  # a particle alone stays a word
        ("Mme Durand", "durand"),
    ],
)
def test_last_names(raw: str, key: str) -> None:
    assert last_name_key(raw) == key


@pytest.mark.parametrize(
    "raw",
    ["test", "TEST", "xxx", "XX", "Inconnu", "unknown", "Client", "n/a", "N.A.", ".", "-", "?"],
)
def test_placeholders(raw: str) -> None:
    for key in (first_name_key, last_name_key):
        answer = key(raw)
        assert isinstance(answer, Unusable)
        assert answer.kind is FindingKind.PLACEHOLDER


def test_a_title_alone_is_a_placeholder() -> None:
    assert first_name_key("Mme") == Unusable(FindingKind.PLACEHOLDER, "only a title, no name")


@pytest.mark.parametrize(
    ("raw", "message"), [("12345", "a name made of digits"), ("Jean2", "digits in a name")]
)
def test_digits_are_suspicious(raw: str, message: str) -> None:
    assert last_name_key(raw) == Unusable(FindingKind.SUSPICIOUS, message)


def test_overlong_names_are_invalid() -> None:
    answer = first_name_key("Marie" * 2000)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.INVALID


def test_blank_is_no_value() -> None:
    assert first_name_key("  ") is None
    assert last_name_key("") is None
