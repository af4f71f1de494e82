"""E-mail keys: email-validator's rules, case, Gmail dots and +tags folded, placeholders found;
the regular-expression fast path gives email-validator's answers."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.identity.model import FindingKind
from hub.identity.normalisers.emails import _plain_parts, email_key
from hub.identity.normalisers.unusable import Unusable


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (" Amelie.Durand@Example.FR ", "amelie.durand@example.fr"),
        ("JP.Martin@example.fr", "jp.martin@example.fr"),
        ("jean.dupont+boutique@orange.fr", "jean.dupont@orange.fr"),
        ("hans.mueller+news+2024@gmx.de", "hans.mueller@gmx.de"),
        ("J.P.Martin@gmail.com", "jpmartin@gmail.com"),
        ("jp.martin+shop@googlemail.com", "jpmartin@gmail.com"),
        ("maria.garcia@example.es", "maria.garcia@example.es"),
        ("emily.clarke@example.co.uk", "emily.clarke@example.co.uk"),
        ("amelie@new.example", "amelie@new.example"),  # example domains are real keys here
        ("giulia.rossi@libero.it", "giulia.rossi@libero.it"),
        ("jean@exämple.fr", "jean@xn--exmple-cua.fr"),  # one key for both spellings
        ("jean@xn--exmple-cua.fr", "jean@xn--exmple-cua.fr"),
        ("Élodie@orange.fr", "élodie@orange.fr"),
        ("+shop@orange.fr", "+shop@orange.fr"),  # nothing but a tag: kept whole
    ],
)
def test_keys(raw: str, key: str) -> None:
    assert email_key(raw) == key


@pytest.mark.parametrize(
    "raw",
    [
        "not-an-email",
        "@example.fr",
        "amelie@",
        "amelie@localhost",
        "amelie@example",
        "amelie..durand@example.fr",
        "amelie durand@example.fr",
        "amelie@example.invalid",
        "amelie@exa_mple.fr",
        "Amélie <amelie@example.fr>",
        "amelie@example.fr; jean@example.fr",
        "ab" * 5_000 + "@example.fr",
    ],
)
def test_invalid_addresses(raw: str) -> None:
    answer = email_key(raw)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.INVALID
    assert answer.message.startswith("not an e-mail address: ")


@pytest.mark.parametrize(
    "raw",
    [
        "test@test.com",
        "noemail@orange.fr",
        "no-email@example.fr",
        "no.email@gmail.com",
        "none@free.fr",
        "nomail@gmx.de",
        "aucun@wanadoo.fr",
        "pas@orange.fr",
        "pasdemail@sfr.fr",
        "a@a.com",
        "xxx@xxx",
        "xxx@xxx.com",
        "123@free.fr",
        "0000@laposte.net",
        "test+1@gmail.com",
        "jean@test.fr",
        "jean@noemail.com",
        "n/a",
        "none",
        "-",
    ],
)
def test_placeholders(raw: str) -> None:
    answer = email_key(raw)
    assert isinstance(answer, Unusable)
    assert answer.kind is FindingKind.PLACEHOLDER


@pytest.mark.parametrize(
    "raw",
    [
        "renee.robin915@gmx.de",  # the sandbox population's addresses
        "claude.hubert86@gmail.com",
        "nobody@example.org",
        "a@b.fr",
        "ann@example.com",
        "marie.testard@orange.fr",  # Testard is a surname
        "test.user@bank.fr",  # a word beside "test" is a real mailbox
    ],
)
def test_ordinary_addresses_are_no_placeholders(raw: str) -> None:
    assert isinstance(email_key(raw), str)


def test_blank_is_no_value() -> None:
    assert email_key("") is None
    assert email_key("   ") is None


def _validator_parts(address: str) -> tuple[str, str] | None:
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.local_part.lower(), checked.ascii_domain.lower()


_ADDRESS_CHARACTERS = st.sampled_from("abcXYZ019.-_+@'!#é ")


@settings(deadline=None)
@given(
    st.one_of(
        st.text(_ADDRESS_CHARACTERS, max_size=30),
        st.from_regex(r"[a-zA-Z0-9_.+-]{1,70}@[a-zA-Z0-9.-]{1,70}\.[a-z]{1,5}", fullmatch=True),
        st.from_regex(r"[a-z]{1,8}@[a-z-]{1,8}\.(test|local|invalid|onion|fr)", fullmatch=True),
        st.from_regex(
            r"[a-zA-Z0-9]{1,9}(\.[a-z0-9_+-]{1,9}){0,2}@[a-z0-9]{1,9}(\.[a-z0-9-]{1,9}){0,2}"
            r"\.[a-zA-Z]{2,6}",
            fullmatch=True,
        ),
    )
)
def test_the_fast_path_takes_only_what_email_validator_accepts_and_agrees(address: str) -> None:
    plain = _plain_parts(address)
    if plain is not None:
        assert _validator_parts(address) == plain


def test_the_fast_path_takes_ordinary_addresses() -> None:
    assert _plain_parts("Jean.Dupont+shop@Orange.fr") == ("jean.dupont+shop", "orange.fr")
    assert _plain_parts("jean@ab--cd.fr") is None  # left to email-validator
    assert _plain_parts("jean@example.test") is None
