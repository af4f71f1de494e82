"""Folding: accents, letters without a decomposition, apostrophes, punctuation and spaces."""

from __future__ import annotations

import pytest

from hub.identity.normalisers.folding import fold_letters, fold_text, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Amélie", "amelie"),
        ("HÉLÈNE", "helene"),
        ("Bœuf", "boeuf"),
        ("Weiß", "weiss"),
        ("STRASSE", "strasse"),
        ("Ærø", "aero"),
        ("Søren", "soren"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Đorđević", "dordevic"),
        ("Þórunn", "thorunn"),
        ("Ñúñez", "nunez"),
        ("Çağla", "cagla"),
        ("Mühlenstraße", "muhlenstrasse"),
        ("O'Brien", "obrien"),
        ("D\u2019Amico", "damico"),  # a typographic apostrophe
        ("Jean-Pierre", "jean pierre"),
        ("  MARIE   claire ", "marie claire"),
        ("ﬁne", "fine"),  # a ligature, decomposed by NFKD
    ],
)
def test_fold_text(raw: str, folded: str) -> None:
    assert fold_text(raw) == folded


def test_fold_letters_keeps_punctuation_and_words_split_on_it() -> None:
    assert fold_letters("Sig.ra Dell'Acqua-Rossi") == "sig.ra dellacqua-rossi"
    assert words("Sig.ra Dell'Acqua-Rossi") == ["sig", "ra", "dellacqua", "rossi"]


def test_text_without_letters_or_digits_folds_to_nothing() -> None:
    assert fold_text(" .-_/ ") == ""
    assert fold_text("\x00\x07\ud800") == ""  # control characters and a lone surrogate
