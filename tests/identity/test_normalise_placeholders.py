"""Placeholders: words that mean "none" in the hub's languages, repeated and consecutive digits."""

from __future__ import annotations

import pytest

from hub.identity.normalisers.placeholders import is_filler, is_placeholder


@pytest.mark.parametrize(
    "text",
    ["xxx", "aaaa", "00", "0000000000", "123", "123456", "0123456789", "1234567890", "987654"],
)
def test_fillers(text: str) -> None:
    assert is_filler(text)


@pytest.mark.parametrize("text", ["a", "1", "12", "0612345678", "bob", "anna", "1357", "2468"])
def test_not_fillers(text: str) -> None:
    assert not is_filler(text)


@pytest.mark.parametrize(
    "folded", ["n a", "na", "none", "inconnu", "unbekannt", "desconocido", "client", "test", "x"]
)
def test_placeholder_words(folded: str) -> None:
    assert is_placeholder(folded)


@pytest.mark.parametrize("folded", ["martin", "sans", "nada", "le goff", "li", "anna"])
def test_real_names_are_no_placeholders(folded: str) -> None:
    """Sans (a Catalan surname) and Nada (a first name) are people, not placeholders."""
    assert not is_placeholder(folded)
