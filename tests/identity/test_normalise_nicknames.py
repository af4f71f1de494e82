"""The nickname table: diminutives of five languages map to one root; the table is consistent."""

from __future__ import annotations

import itertools

import pytest

from hub.identity.normalisers.folding import fold_text
from hub.identity.normalisers.nicknames import NICKNAMES, ROOTS, first_name_root


@pytest.mark.parametrize(
    ("name", "root"),
    [
        ("bob", "robert"),
        ("rob", "robert"),
        ("robbie", "robert"),
        ("cathy", "catherine"),
        ("kathy", "catherine"),
        ("cath", "catherine"),
        ("jp", "jean pierre"),
        ("bill", "william"),
        ("will", "william"),
        ("billy", "william"),
        ("liz", "elizabeth"),
        ("beth", "elizabeth"),
        ("lizzie", "elizabeth"),
        ("pepe", "jose"),
        ("paco", "francisco"),
        ("nacho", "ignacio"),
        ("lola", "dolores"),
        ("beppe", "giuseppe"),
        ("sepp", "josef"),
        ("maggie", "margaret"),
        ("kathi", "katharina"),
        ("max", "maximilian"),
        ("jose mari", "jose maria"),
    ],
)
def test_roots(name: str, root: str) -> None:
    assert first_name_root(name) == root


def test_a_diminutive_meets_each_spelling_of_its_name() -> None:
    """The sandbox population's nicknames: Alex is Alexander and Alexandre, Chris Christophe."""
    assert {first_name_root(n) for n in ("alex", "alexander", "alexandre", "alessandro")} == {
        "alexander"
    }
    assert first_name_root("chris") == first_name_root("christophe")
    assert first_name_root("nico") == first_name_root("nicolas")


def test_names_not_in_the_table_are_their_own_root() -> None:
    assert first_name_root("amelie") == "amelie"
    assert first_name_root("robert") == "robert"
    assert first_name_root("alexandra") == "alexandra"  # not Alexander: another person


def test_the_table_covers_five_languages_with_folded_unique_entries() -> None:
    variants = [variant for forms in ROOTS.values() for variant in forms]
    assert len(variants) >= 150
    assert len(variants) == len(set(variants)) == len(NICKNAMES)  # a variant has one root
    for name in itertools.chain(variants, ROOTS):
        assert fold_text(name) == name
    assert not set(NICKNAMES) & set(ROOTS)  # no chains: a root is never a variant
