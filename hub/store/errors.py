"""The store's exceptions. Driver errors never cross the repository boundary untranslated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc

from hub.errors import HubError


class StoreError(HubError):
    """The database refused or failed an operation."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened (server down, bad URL, unreadable file)."""


class StoreBusy(StoreError):
    """Another writer held the database for longer than the lock timeout: try again later."""


class ConflictError(StoreError):
    """A write broke a uniqueness or foreign-key rule."""


class InvalidValue(StoreError):
    """A value the store will not write (a naive timestamp, what JSON cannot hold)."""


# PostgreSQL classes meaning "cannot use this database": connection exceptions, refused
# authorisation, unknown database, server shutting down.
_UNAVAILABLE_SQLSTATES = ("08", "28", "3D000", "57P")
# Lock timeouts, deadlocks and serialization failures: the database works, it was busy.
_BUSY_SQLSTATES = ("55P03", "40001", "40P01")
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def _sqlstate(error: sa_exc.DBAPIError) -> str:
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code if isinstance(code, str) else ""


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Turn SQLAlchemy and driver errors raised inside the block into store errors.

    ``action`` says what was being done ("saving page 3 of legacy_crm/customers"); the message
    keeps the driver's first line and never the SQL parameters, which may hold personal data.
    """
    try:
        yield
    except InvalidValue as exc:
        raise StoreError(f"{action}: {exc}") from None
    except sa_exc.DBAPIError as exc:
        first_line = _first_line(exc)
        if _sqlstate(exc).startswith(_BUSY_SQLSTATES) or first_line.startswith(_SQLITE_BUSY):
            raise StoreBusy(f"{action}: database busy: {first_line}") from None
        unavailable = _sqlstate(exc).startswith(_UNAVAILABLE_SQLSTATES) or isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError
        )
        if unavailable:
            raise StoreUnavailable(f"{action}: database unavailable: {_first_line(exc)}") from None
        if isinstance(exc, sa_exc.IntegrityError):
            raise ConflictError(f"{action}: {_first_line(exc)}") from None
        raise StoreError(f"{action}: {_first_line(exc)}") from None
    except sa_exc.SQLAlchemyError as exc:
        raise StoreError(f"{action}: {_first_line(exc)}") from None
    except (OSError, TimeoutError) as exc:  # asyncpg raises these when it cannot connect
        raise StoreUnavailable(f"{action}: database unavailable: {exc}") from None
