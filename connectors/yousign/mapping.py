"""Yousign payloads → canonical records: one ``signer`` record per signer of a signature request.

A signature request is a contract a person subscribed to online (home insurance, a pension
plan); each of its signers becomes a record holding the person as Yousign knows them (name,
e-mail, E.164 phone) and a SUBSCRIPTION activity for the request. The stored payload is
``{"signature_request": …, "signer": …}``, both exactly as Yousign sent them, in the same shape
whether they came from a sync or a webhook, so that an unchanged pair is a no-op in the store.

``external_id`` is the caller's contract or quote reference ("QUOTE-2024-0042"), shared by both
signers when a couple co-signs: as an identifier it would tie two people into one profile, so it
stays in the activity details only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.connector.http_stream import READ_ERRORS
from hub.connector.mapping import (
    RecordError,
    optional_text,
    parse_timestamp,
    require_id,
    require_mapping,
)
from hub.records import (
    Activity,
    ActivityKind,
    Identifier,
    IdentifierKind,
    Rejected,
    SourceRecord,
)

ENTITY = "signer"
PROVIDER = "yousign"
# Signer info key → canonical person field.
_PERSON_KEYS = (
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("email", "email"),
    ("phone_number", "phone"),
)


@dataclass(frozen=True)
class SignatureRequest:
    """The fields of a signature request the records need, read and checked once."""

    id: str
    status: str
    payload: Mapping[str, Any]
    product: str | None
    external_id: str | None
    created_at: datetime
    expires_at: datetime | None
    declined_at: datetime | None


@dataclass(frozen=True)
class PersonDefaults:
    """The instance's ``brand`` and ``country``, for people whose payload says neither."""

    brand: str | None = None
    country: str | None = None


def _optional_time(payload: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = payload.get(key)
    return None if value is None else parse_timestamp(value, where)


def read_request(payload: Any) -> SignatureRequest:
    """Check a signature request from the list, a fetch or a webhook; errors name the field."""
    request = require_mapping(payload, "signature_request")
    status = optional_text(request, "status")
    if status is None:
        raise RecordError("status: missing")
    decline = request.get("decline_information")
    declined_at = None
    if decline is not None:
        decline = require_mapping(decline, "decline_information")
        declined_at = _optional_time(decline, "declined_at", "decline_information.declined_at")
    return SignatureRequest(
        id=require_id(request),
        status=status,
        payload=request,
        product=optional_text(request, "name"),
        external_id=optional_text(request, "external_id"),
        created_at=parse_timestamp(request.get("created_at"), "created_at"),
        expires_at=_optional_time(request, "expiration_date", "expiration_date"),
        declined_at=declined_at,
    )


def _info_text(info: Mapping[str, Any], key: str) -> str | None:
    try:
        return optional_text(info, key)
    except RecordError as exc:
        raise RecordError(f"signer.info.{exc}") from None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def signer_record(
    request: SignatureRequest,
    signer_payload: Any,
    *,
    updated_at: datetime,
    defaults: PersonDefaults,
    signed_at: datetime | None = None,
) -> SourceRecord:
    """The record of one signer of ``request``.

    ``updated_at`` is the moment this state of the request was known to hold (see
    :mod:`connectors.yousign.client`); ``signed_at`` is the signer's signing time when an event
    told it, since Yousign's signer object carries none.
    """
    signer = require_mapping(signer_payload, "signer")
    signer_id = require_id(signer)
    info = require_mapping(signer.get("info"), "signer.info")
    person: dict[str, str] = {}
    for key, field_name in _PERSON_KEYS:
        value = _info_text(info, key)
        if value is not None:
            person[field_name] = value
    for field_name, default in (("brand", defaults.brand), ("country", defaults.country)):
        if default:
            person.setdefault(field_name, default)
    identifiers = [
        Identifier(kind, person[field_name])
        for field_name, kind in (("email", IdentifierKind.EMAIL), ("phone", IdentifierKind.PHONE))
        if field_name in person
    ]
    subscription = Activity(
        kind=ActivityKind.SUBSCRIPTION,
        source_id=request.id,
        occurred_at=request.created_at,
        details={
            "product": request.product,
            "status": request.status,
            "signature_request_id": request.id,
            "external_id": request.external_id,
            # Left out, not None, when unknown: "not told" is not "not signed".
            **({"signed_at": _iso(signed_at)} if signed_at is not None else {}),
            "declined_at": _iso(request.declined_at),
            "expires_at": _iso(request.expires_at),
            "provider": PROVIDER,
        },
    )
    return SourceRecord(
        entity=ENTITY,
        source_id=signer_id,
        payload={"signature_request": dict(request.payload), "signer": dict(signer)},
        updated_at=updated_at,
        person=person,
        identifiers=tuple(identifiers),
        activities=(subscription,),
    )


def signer_records(
    request: SignatureRequest,
    signers: Sequence[Any],
    *,
    updated_at: datetime,
    defaults: PersonDefaults,
    where: str,
    signed_at: datetime | None = None,
) -> tuple[list[SourceRecord], list[Rejected]]:
    """Records of the signers of ``request``; an unreadable signer is rejected, not the others."""
    records: list[SourceRecord] = []
    rejected: list[Rejected] = []
    for signer in signers:
        try:
            records.append(
                signer_record(
                    request, signer, updated_at=updated_at, defaults=defaults, signed_at=signed_at
                )
            )
        except READ_ERRORS as exc:
            signer_id = signer.get("id") if isinstance(signer, Mapping) else None
            rejected.append(
                Rejected(
                    None if signer_id is None else str(signer_id),
                    {"signature_request": dict(request.payload), "signer": signer},
                    f"{where}: {type(exc).__name__}: {exc}",
                )
            )
    return records, rejected
