"""SQLAlchemy models of the canonical model (see shared design notes).

Alembic migrations in ``hub/store/migrations`` are the only way these tables are created; a test
checks that the models and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored and returned in UTC, aware, on every backend.

    SQLite keeps no time zone, so without this an aware value comes back naive.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the hub stores aware timestamps only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JsonDocument, datetime: UtcDateTime()}


class SourceRecordRow(Base):
    """A source record kept as received, unique per (connector instance, entity, source id)."""

    __tablename__ = "source_record"
    __table_args__ = (
        UniqueConstraint("connector", "entity", "source_id", name="uq_source_record"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    connector: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]]
    person: Mapped[dict[str, Any]]
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    content_hash: Mapped[str] = mapped_column(String(64))
    source_updated_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    changed_at: Mapped[datetime] = mapped_column(index=True)
    """When the content last changed here: profiles older than this are recomputed."""

    identifiers: Mapped[list[IdentifierRow]] = relationship(
        back_populates="record", cascade="all, delete-orphan"
    )


class IdentifierRow(Base):
    """An identifier read from a record: raw value as sent, normalised value beside it."""

    __tablename__ = "identifier"
    __table_args__ = (Index("ix_identifier_lookup", "kind", "normalized_value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    raw_value: Mapped[str] = mapped_column(Text)
    normalized_value: Mapped[str | None] = mapped_column(String(320))

    record: Mapped[SourceRecordRow] = relationship(back_populates="identifiers")


class ProfileRow(Base):
    """One person. ``merged_into`` keeps a merged-away id resolving to the survivor."""

    __tablename__ = "profile"
    __table_args__ = (
        Index("ix_profile_brand", "brand", "id"),
        Index("ix_profile_country", "country", "id"),
        Index("ix_profile_updated_at", "updated_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    golden: Mapped[dict[str, Any]]
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("profile.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    brand: Mapped[str | None] = mapped_column(String(64))
    """The golden brand, as a column the customer lists filter on (kept with the golden fields)."""
    country: Mapped[str | None] = mapped_column(String(2))
    """The golden country as an ISO 3166 alpha-2 code, for the same lists."""


class LinkRow(Base):
    """Record ↔ profile, with why: the rule or score, the evidence, and who decided."""

    __tablename__ = "profile_link"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), primary_key=True
    )
    profile_id: Mapped[str] = mapped_column(ForeignKey("profile.id"), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[dict[str, Any]]
    decided_by: Mapped[str] = mapped_column(String(128))
    linked_at: Mapped[datetime]


class ActivityRow(Base):
    """An order, receipt, subscription, partner product, event or consent of a record."""

    __tablename__ = "activity"
    # The unique key starts with record_id: it is the index of the reads and deletes by record
    # (and of the cascade), so record_id has no index of its own to keep up on every insert.
    __table_args__ = (UniqueConstraint("record_id", "kind", "source_id", name="uq_activity"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str] = mapped_column(String(255))
    occurred_at: Mapped[datetime | None]
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    details: Mapped[dict[str, Any]]


class SyncStateRow(Base):
    """The cursor of one stream of one connector instance, saved with each page."""

    __tablename__ = "sync_state"

    connector: Mapped[str] = mapped_column(String(64), primary_key=True)
    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class SyncRunRow(Base):
    """One run of one connector instance, with its counts."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    connector: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]
    error: Mapped[str | None] = mapped_column(Text)


class QuarantineRow(Base):
    """A payload that could not be read, kept with the reason so it can be replayed."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    connector: Mapped[str] = mapped_column(String(64), index=True)
    stream: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(255))
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    """``open`` until a replay reads it (``replayed``); a failed replay keeps it open."""
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    replayed_at: Mapped[datetime | None]


class WebhookEventRow(Base):
    """A verified webhook delivery, queued durably before it is acknowledged.

    Unique per (connector instance, vendor event id): a redelivery of an event already queued
    only counts itself in ``deliveries``.
    """

    __tablename__ = "webhook_event"
    __table_args__ = (
        UniqueConstraint("connector", "event_id", name="uq_webhook_event"),
        Index("ix_webhook_event_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    connector: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(128))
    headers: Mapped[dict[str, Any]]
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    deliveries: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    """``pending`` → ``done``, or ``failed`` after the last attempt (replayable)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class FindingRow(Base):
    """A data-quality finding on one field of one record (invalid, placeholder, shared …).

    Resolution replaces a record's findings each time it reads the record again.
    """

    __tablename__ = "data_quality_finding"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    value: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    found_at: Mapped[datetime]


class ReviewItemRow(Base):
    """A grey-zone pair of records an agent should look at, with the engine's evidence."""

    __tablename__ = "review_item"
    __table_args__ = (
        UniqueConstraint("left_record_id", "right_record_id", name="uq_review_pair"),
        Index("ix_review_item_open", "status", "score"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id", ondelete="CASCADE"))
    right_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float]
    rule: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    """``open``; ``merged``, ``kept_apart`` or ``never_merge`` once decided; ``resolved`` when
    a later run linked or separated the pair by itself."""
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)


class IdentityDecisionRow(Base):
    """A merge, split or never-merge — by an agent or by the engine — with who, when and why.

    ``snapshot`` keeps each involved profile's records as they were before the change, which
    is what a split or an undo restores (never a guess).
    """

    __tablename__ = "identity_decision"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    profile_id: Mapped[str] = mapped_column(String(36), index=True)
    other_profile_id: Mapped[str | None] = mapped_column(String(36), index=True)
    decided_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    snapshot: Mapped[dict[str, Any]]
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("identity_decision.id"))
    undone_at: Mapped[datetime | None]


class RecordConstraintRow(Base):
    """A pair of records an agent said must (``must``) or must never (``cannot``) be one."""

    __tablename__ = "record_constraint"

    left_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), primary_key=True
    )
    right_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("identity_decision.id", ondelete="CASCADE"), index=True
    )


class MatchModelRow(Base):
    """The match weights a full resolution estimated; incremental runs reuse the newest."""

    __tablename__ = "match_model"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    estimated_at: Mapped[datetime]
    records: Mapped[int] = mapped_column(Integer)
    model: Mapped[dict[str, Any]]


class ApiKeyRow(Base):
    """An API key of the GraphQL endpoint: its role and brand scope, never the key itself.

    A key reads ``hub_<id>_<secret>``; only a SHA-256 of the secret is kept, so a copy of the
    database gives no working key.
    """

    __tablename__ = "api_key"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    brands: Mapped[list[str] | None] = mapped_column(JsonDocument, nullable=True)
    """The brands the key may see; ``None``: every brand."""
    personal_data: Mapped[bool]
    """Whether personal fields are shown in clear (when the role allows it)."""
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(128))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class AuditEventRow(Base):
    """One change made through the hub: who, when, what (action and subject), why."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]]


class HubSecretRow(Base):
    """A secret the hub generated for itself (e.g. the console's cookie-signing key), kept in
    the database so that every process serving the same database signs alike."""

    __tablename__ = "hub_secret"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class ConsoleUserRow(Base):
    """A console user account: a name and a password that sign in as the API key behind it.

    The key holds the role and brand scope, so an account sees what its key sees and revoking
    the key closes the account. Only a salted scrypt hash of the password is kept.
    """

    __tablename__ = "console_user"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    key_id: Mapped[str] = mapped_column(String(16), ForeignKey("api_key.id"))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(128))
