"""API keys: created once, shown once, stored as a hash, checked in constant time, revoked.

A key reads ``hub_<id>_<secret>``: the id finds the row, the secret proves possession. Only
the SHA-256 of the secret is stored — the secret has 256 bits of entropy, so a plain hash
cannot be guessed back, and no salt or slow hash is needed. A valid key is then trusted for a
few seconds without reading its row again (:mod:`hub.access.key_cache`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.key_cache import VERIFIED_KEYS
from hub.access.viewer import ROLE_PERMISSIONS, Permission, Role, Viewer
from hub.errors import HubError
from hub.store.models import ApiKeyRow

PREFIX = "hub_"
LAST_USED_PRECISION = timedelta(minutes=1)
"""``last_used_at`` is written at most once a minute per key: a write per request would cost
more than the request."""


class ApiKeyError(HubError):
    """A key cannot be created or revoked as asked (unknown name, name taken, bad role)."""


@dataclass(frozen=True)
class CreatedKey:
    row: ApiKeyRow
    key: str
    """The key in clear: shown once to its creator, never stored."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise ApiKeyError(f"unknown role {value!r}; roles: {known}") from None


async def create_key(
    session: AsyncSession,
    *,
    name: str,
    role: Role,
    brands: list[str] | None = None,
    personal_data: bool = True,
    created_by: str = "local",
) -> CreatedKey:
    """A new key (committed); ``brands`` ``None`` or empty means every brand."""
    if not name.strip():
        raise ApiKeyError("a key needs a name (--name), e.g. the application that uses it")
    if await session.scalar(select(ApiKeyRow.id).where(ApiKeyRow.name == name)) is not None:
        raise ApiKeyError(f"a key named {name!r} already exists; revoke it or choose another name")
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    row = ApiKeyRow(
        id=key_id,
        name=name,
        role=role.value,
        brands=sorted(set(brands)) if brands else None,
        personal_data=personal_data,
        secret_hash=_digest(secret),
        created_at=_now(),
        created_by=created_by,
    )
    session.add(row)
    await session.commit()
    return CreatedKey(row, f"{PREFIX}{key_id}_{secret}")


def viewer_of(row: ApiKeyRow) -> Viewer:
    """The viewer a key's requests run as."""
    role = Role(row.role)
    permissions = None
    if not row.personal_data:
        permissions = ROLE_PERMISSIONS[role] - {
            Permission.READ_PERSONAL_DATA,
            Permission.READ_RAW_PAYLOADS,
        }
    return Viewer(
        name=f"key:{row.name}",
        role=role,
        brands=frozenset(row.brands) if row.brands is not None else None,
        permissions=permissions,
        key_id=row.id,
    )


async def verify_key(session: AsyncSession, key: str) -> Viewer | None:
    """The viewer of a valid, unrevoked key; ``None`` for anything else (never says which).

    A key verified in the last :data:`~hub.access.key_cache.VERIFIED_KEY_SECONDS` is not read
    again (nor its ``last_used_at`` written, which is kept to the minute anyway)."""
    remembered = VERIFIED_KEYS.viewer(key)
    if remembered is not None:
        return remembered
    if not key.startswith(PREFIX):
        return None
    key_id, _, secret = key[len(PREFIX) :].partition("_")
    if not key_id or not secret:
        return None
    row = await session.get(ApiKeyRow, key_id)
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    now = _now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        await session.execute(
            update(ApiKeyRow).where(ApiKeyRow.id == row.id).values(last_used_at=now)
        )
        await session.commit()
    viewer = viewer_of(row)
    VERIFIED_KEYS.remember(key, viewer)
    return viewer


async def revoke_key(session: AsyncSession, name_or_id: str) -> ApiKeyRow:
    row = await session.scalar(
        select(ApiKeyRow).where(or_(ApiKeyRow.name == name_or_id, ApiKeyRow.id == name_or_id))
    )
    if row is None:
        raise ApiKeyError(f"no key named or with id {name_or_id!r} (see `hub keys list`)")
    if row.revoked_at is None:
        row.revoked_at = _now()
        await session.commit()
    VERIFIED_KEYS.forget(row.id)
    return row


async def list_keys(session: AsyncSession) -> list[ApiKeyRow]:
    return list(await session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at)))


async def fresh_demo_key(session: AsyncSession, name: str = "demo") -> CreatedKey:
    """An admin key for ``hub demo``: a key is shown only once, so each demo run replaces the
    one the previous run printed (if the database was kept) with a new one."""
    await session.execute(
        delete(ApiKeyRow).where(ApiKeyRow.name == name, ApiKeyRow.created_by == "hub demo")
    )
    VERIFIED_KEYS.clear()  # the replaced key is gone: no request may still pass with it
    return await create_key(session, name=name, role=Role.ADMIN, created_by="hub demo")
