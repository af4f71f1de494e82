"""Console user accounts: a name and a password, each backed by an API key of its own.

The key carries the role, the brands and personal-data access, so an account sees exactly what
its key would over /graphql, and ``hub keys revoke user:<name>`` closes the account (its
browsers are signed out at their next click). The key's secret is never shown: the account
signs in with its password only.

Passwords are kept as salted scrypt hashes (stdlib ``hashlib.scrypt``): unlike a key's 256
random bits, a password can be guessed, so its hash must be slow and memory-hard.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.keys import ApiKeyError, create_key, viewer_of
from hub.access.viewer import Role, Viewer
from hub.store.models import ApiKeyRow, ConsoleUserRow

MIN_PASSWORD_LENGTH = 12
USER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
KEY_PREFIX = "user:"
"""The backing key of account ``alice`` is named ``user:alice``."""
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
"""The scrypt paper's parameters for interactive sign-ins: 16 MiB a check, about 90 ms on this
project's 2-core test machine under load (2^15 took 550 ms there: too slow for a sign-in)."""


class UserError(ApiKeyError):
    """An account cannot be created as asked (name taken or malformed, password too short)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash``, salt and hash in base64: the parameters travel with the
    hash, so stronger ones later still check the passwords kept before."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    parts = (str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest))
    return "$".join(("scrypt", *parts))


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (compared in constant time)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False  # not a hash this module made: no password matches it
    _, n, r, p, salt, digest = parts
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


_UNKNOWN_USER_HASH = hash_password(secrets.token_urlsafe(16))
"""Checked against when the name is unknown, so that the answer takes as long either way and
does not tell which names exist."""


def _check_new(name: str, password: str) -> None:
    if not USER_NAME.match(name):
        raise UserError(
            f"user name {name!r}: lower-case letters, digits, '.', '_' and '-', at most 64"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


async def create_user(
    session: AsyncSession,
    *,
    name: str,
    password: str,
    role: Role,
    brands: list[str] | None = None,
    personal_data: bool = True,
    created_by: str = "local",
) -> ConsoleUserRow:
    """A new account and its key ``user:<name>`` (committed)."""
    _check_new(name, password)
    if await session.get(ConsoleUserRow, name) is not None:
        raise UserError(f"a user named {name!r} already exists")
    password_hash = await asyncio.to_thread(hash_password, password)
    created = await create_key(
        session,
        name=f"{KEY_PREFIX}{name}",
        role=role,
        brands=brands,
        personal_data=personal_data,
        created_by=created_by,
    )
    row = ConsoleUserRow(
        name=name,
        password_hash=password_hash,
        key_id=created.row.id,
        created_at=datetime.now(UTC),
        created_by=created_by,
    )
    session.add(row)
    await session.commit()
    return row


async def account_viewer(session: AsyncSession, name: str, key_id: str) -> Viewer | None:
    """The viewer of account ``name`` while its key ``key_id`` is the one behind it and is not
    revoked; ``None`` otherwise (a session of a revoked or re-created account ends)."""
    found = await session.execute(
        select(ConsoleUserRow, ApiKeyRow)
        .join(ApiKeyRow, ApiKeyRow.id == ConsoleUserRow.key_id)
        .where(ConsoleUserRow.name == name, ConsoleUserRow.key_id == key_id)
    )
    pair = found.first()
    if pair is None or pair[1].revoked_at is not None:
        return None
    # Audit entries and decisions name the person, not the key behind the account.
    return replace(viewer_of(pair[1]), name=f"{KEY_PREFIX}{name}")


async def verify_password(session: AsyncSession, name: str, password: str) -> ConsoleUserRow | None:
    """The account ``name`` if ``password`` is its password; ``None`` for anything else (an
    unknown name, a wrong password), after the same work either way."""
    row = await session.get(ConsoleUserRow, name)
    stored = _UNKNOWN_USER_HASH if row is None else row.password_hash
    matches = await asyncio.to_thread(password_matches, password, stored)
    return row if matches and row is not None else None
