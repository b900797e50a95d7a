"""What crosses the exchange's API: the event catalogue, subscriptions, dead letters and
the agency services."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EventKindOut(BaseModel):
    """A kind of domain event, with the fields the caller's agency may receive of it."""

    code: str
    module: str
    label_id: str
    label_en: str
    fields: list[str]
    mandate: list[str] = Field(description="The fields the caller's agency may receive.")


class SubscriptionIn(BaseModel):
    """A new subscription of the caller's agency."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    transport: Literal["webhook", "nats"]
    url: str | None = Field(default=None, max_length=500)
    kinds: list[str] = Field(min_length=1, max_length=20)
    fields: dict[str, list[str]] | None = Field(
        default=None,
        description="Per kind, the fields wanted (default: all its mandate allows).",
    )


class SubscriptionOut(BaseModel):
    """A subscription (its signing secret is shown only once, at creation)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    agency: str
    name: str
    transport: str
    url: str | None
    grants: dict[str, list[str]]
    active: bool
    created_by: str
    created_at: dt.datetime
    ended_at: dt.datetime | None
    subjects: list[str] = Field(default_factory=list, description="NATS subjects (nats only).")


class SubscriptionCreated(SubscriptionOut):
    """The new subscription with its webhook signing secret (shown once)."""

    secret: str | None = Field(
        description="Standard Webhooks secret (whsec_…) to verify webhook-signature; "
        "shown only now."
    )


class DeadLetterOut(BaseModel):
    """A delivery that gave up."""

    id: int
    subscription_id: int
    event_id: str
    kind: str
    attempts: int
    last_error: str | None
    dead_at: dt.datetime | None
    replays: int


class ReplayedOut(BaseModel):
    """How many dead deliveries went back to the queue."""

    replayed: int


class AgencyServiceOut(BaseModel):
    """A service of the agency API and who may call it."""

    code: str
    producer: str
    consumers: list[str]
    label_id: str
    label_en: str
    key: str
    fields: list[str]
    allowed: bool = Field(description="Whether the caller's agency may call it.")


class ServiceAnswer(BaseModel):
    """A service's answer, attributed to its producer."""

    service: str
    producer: str
    consumer: str
    answered_at: dt.datetime
    data: dict[str, Any]
