"""Tables of the exchange: the domain events (the transactional outbox), the agencies'
subscriptions to them, and one delivery per event and subscription (pending, delivered,
or dead: the dead-letter queue an operator replays)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.db import Base, UtcDateTime, utcnow

TRANSPORTS = ("webhook", "nats")
DELIVERY_STATUSES = ("pending", "delivered", "dead")


class ExchangeEvent(Base):
    """Something that happened that other agencies may need to know, written in the same
    transaction as the change itself, so the change and its event commit together."""

    __tablename__ = "exchange_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The event's identity for receivers (a UUID): the same on every retry and replay.
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    source_agency: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))  # e.g. "case:12"
    actor: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class Subscription(Base):
    """An agency's standing order for some events, each with the fields granted within its
    mandate, delivered to a webhook (signed) or to its NATS subjects."""

    __tablename__ = "exchange_subscriptions"
    __table_args__ = (
        CheckConstraint(f"transport IN {TRANSPORTS}", name="transport"),
        CheckConstraint("transport <> 'webhook' OR url IS NOT NULL", name="webhook_url"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(100))
    transport: Mapped[str] = mapped_column(String(8))
    url: Mapped[str | None] = mapped_column(String(500))
    #: The webhook signing secret (Standard Webhooks ``whsec_…``), shown once at creation
    #: and kept sealed (``sealing``: ``sealed:v1:`` and a Fernet token).
    secret: Mapped[str | None] = mapped_column(String(255))
    #: Kind → the fields granted, e.g. {"case.opened": ["case_id", "agency"]}.
    grants: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_by: Mapped[str | None] = mapped_column(String(64))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Delivery(Base):
    """One event on its way to one subscription. Retried with growing waits; after the
    last it is dead (the dead-letter queue) until an operator replays it."""

    __tablename__ = "exchange_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "subscription_id"),
        CheckConstraint(f"status IN {DELIVERY_STATUSES}", name="status"),
        Index("ix_exchange_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("exchange_events.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_subscriptions.id"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    dead_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    replays: Mapped[int] = mapped_column(Integer, default=0)
