"""Verified keys are trusted for a few seconds without a read; revoking one ends that at once."""

from __future__ import annotations

from sqlalchemy import event

from hub.access import Role, Viewer
from hub.access.key_cache import VerifiedKeys
from hub.access.keys import revoke_key, verify_key
from hub.runtime import Hub
from tests.conftest import new_key

DESK = Viewer(name="key:desk", role=Role.AGENT, key_id="k1")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_remembered_for_its_seconds_then_verified_again() -> None:
    clock = Clock()
    keys = VerifiedKeys(seconds=10, clock=clock)
    keys.remember("hub_k1_secret", DESK)
    clock.now += 9.9
    assert keys.viewer("hub_k1_secret") == DESK
    assert keys.viewer("hub_k1_secreT") is None  # another secret is another key
    clock.now += 0.1
    assert keys.viewer("hub_k1_secret") is None


def test_forgetting_a_key_id_drops_it_and_the_oldest_goes_first_when_full() -> None:
    keys = VerifiedKeys(size=2)
    other = Viewer(name="key:shop", role=Role.APP, key_id="k2")
    keys.remember("hub_k1_a", DESK)
    keys.remember("hub_k2_b", other)
    keys.forget("k1")
    assert keys.viewer("hub_k1_a") is None and keys.viewer("hub_k2_b") == other
    keys.remember("hub_k1_a", DESK)
    keys.remember("hub_k3_c", Viewer(name="key:x", role=Role.APP, key_id="k3"))
    assert keys.viewer("hub_k2_b") is None  # the oldest, dropped for the third
    assert keys.viewer("hub_k1_a") == DESK


async def test_a_verified_key_is_not_read_again_until_it_is_revoked(hub: Hub) -> None:
    key = await new_key(hub, Role.AGENT, name="desk")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(hub.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with hub.sessions() as session:
            first = await verify_key(session, key)
            read = len(statements)
            again = await verify_key(session, key)
            assert first is not None and again == first
            assert read >= 1 and len(statements) == read  # answered from memory

            await revoke_key(session, "desk")
            assert await verify_key(session, key) is None
    finally:
        event.remove(hub.engine.sync_engine, "before_cursor_execute", count)
