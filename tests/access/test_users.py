"""Console user accounts: the password kept only as a salted scrypt hash, the key behind each
account, and what is refused when an account is made."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.access import Role
from hub.access.keys import revoke_key
from hub.access.users import (
    UserError,
    account_viewer,
    create_user,
    hash_password,
    password_matches,
    verify_password,
)
from hub.runtime import Hub
from hub.store.models import ApiKeyRow, ConsoleUserRow

PASSWORD = "correct horse battery"


def test_a_password_is_kept_salted_and_checked_against_its_hash() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second  # a salt of its own: equal passwords do not look equal
    assert PASSWORD not in first and first.startswith("scrypt$16384$8$1$")
    assert password_matches(PASSWORD, first) and password_matches(PASSWORD, second)
    assert not password_matches(PASSWORD + " ", first)
    assert not password_matches(PASSWORD, "sha256$" + first[7:])  # not a hash of ours
    assert not password_matches(PASSWORD, "")


async def test_an_account_signs_in_as_its_own_key_until_the_key_is_revoked(hub: Hub) -> None:
    async with hub.sessions() as session:
        user = await create_user(
            session, name="alice", password=PASSWORD, role=Role.AGENT, brands=["maison"]
        )
        key = await session.get(ApiKeyRow, user.key_id)
        assert key is not None and key.name == "user:alice" and key.brands == ["maison"]
        assert (await verify_password(session, "alice", PASSWORD)) is not None
        for name, password in (("alice", "wrong password!"), ("bob", PASSWORD)):
            assert await verify_password(session, name, password) is None
        viewer = await account_viewer(session, "alice", user.key_id)
        assert viewer is not None
        assert (viewer.name, viewer.role, viewer.brands) == (
            "user:alice",
            Role.AGENT,
            frozenset({"maison"}),
        )
        assert await account_viewer(session, "alice", "another-key") is None
        await revoke_key(session, "user:alice")
        assert await account_viewer(session, "alice", user.key_id) is None


@pytest.mark.parametrize(
    ("name", "password", "said"),
    [
        ("alice", "short", "at least 12 characters"),
        ("Alice Smith", PASSWORD, "lower-case letters"),
        ("", PASSWORD, "lower-case letters"),
        ("taken", PASSWORD, "already exists"),
    ],
)
async def test_an_account_that_cannot_be_made_is_refused_with_the_reason(
    hub: Hub, name: str, password: str, said: str
) -> None:
    async with hub.sessions() as session:
        await create_user(session, name="taken", password=PASSWORD, role=Role.AGENT)
        with pytest.raises(UserError, match=said):
            await create_user(session, name=name, password=password, role=Role.ADMIN)
        stored = await session.scalars(select(ConsoleUserRow.name))
        assert list(stored) == ["taken"]
