"""What crosses the monitoring API: enrolment with its consent, withdrawal, and batches of
check-ins."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Text = str | None


class ContactIn(BaseModel):
    """Someone to notify when the worker cannot be reached."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    relation: str = Field(min_length=1, max_length=50)
    phone: str = Field(min_length=6, max_length=32, pattern=r"^\+?[0-9 ()-]+$")


class ConsentIn(BaseModel):
    """The consent as shown to and given by the worker."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: str = Field(min_length=1, max_length=32)
    purpose: str = Field(min_length=10, max_length=2000)
    collected: list[Literal["location", "sos", "checkin_time"]] = Field(min_length=1)
    retention_days: int = Field(ge=1, le=365)
    withdrawal: str = Field(min_length=10, max_length=2000)
    language: Literal["id", "en"] = "id"
    given_at: AwareDatetime


class EnrolmentIn(BaseModel):
    """A worker abroad enrolled for safety check-ins, with their consent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str = Field(min_length=2, max_length=200)
    passport_no: Text = Field(default=None, max_length=16)
    phone: Text = Field(default=None, max_length=32)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    city: Text = Field(default=None, max_length=100)
    visa: Literal["placement", "digital_work", "other_work"]
    sponsor: str = Field(min_length=2, max_length=200)
    sponsor_contact: Text = Field(default=None, max_length=200)
    recruiter_id: int | None = Field(default=None, gt=0, le=2**31 - 1)  # an INTEGER id
    embassy: str = Field(min_length=2, max_length=100)
    emergency_contacts: list[ContactIn] = Field(min_length=1, max_length=5)
    every_minutes: int = Field(ge=15, le=7 * 24 * 60)
    grace_minutes: int = Field(ge=0, le=3 * 24 * 60)
    consent: ConsentIn


class EnrolmentOut(BaseModel):
    """An enrolment as its officers see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    full_name: str
    country: str
    city: str | None
    visa: str
    sponsor: str
    embassy: str
    every_minutes: int
    grace_minutes: int
    last_checkin_at: dt.datetime | None
    consent_id: int | None


class EnrolledOut(EnrolmentOut):
    """A new enrolment with the key the worker's app sends (shown this once)."""

    subject: str


class WithdrawalIn(BaseModel):
    """Consent withdrawn, and why (optional for the worker)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=2000)


class SubjectIn(BaseModel):
    """The key a worker's app holds."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: str = Field(min_length=16, max_length=40)


class PublicWithdrawalIn(SubjectIn):
    """The worker withdraws with the key their app holds."""

    reason: str = Field(default="", max_length=2000)


class CheckinIn(BaseModel):
    """One check-in or SOS. Loose on purpose: each record is checked by the service, so
    one bad record is named and refused while the rest of the batch goes through."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = None
    kind: str | None = "checkin"
    at: str | float | None = None
    lon: float | None = None
    lat: float | None = None
    accuracy_m: float | None = None


class BatchIn(BaseModel):
    """A batch of check-ins from a gateway."""

    model_config = ConfigDict(extra="forbid")

    checkins: list[CheckinIn] = Field(min_length=1, max_length=5000)


class RejectedOut(BaseModel):
    """A record that was not taken, and why."""

    index: int
    field: str
    error: str


class QueuedOut(BaseModel):
    """A batch queued on the NATS stream for the consumer to record."""

    queued: bool = True
    key: str
    seq: int
    duplicate: bool = Field(description="JetStream already held this batch (a resend)")


class BatchOut(BaseModel):
    """What became of a batch; a resent batch gets the same answer (``replayed``)."""

    batch_id: int
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]
    replayed: bool = False


class AlertEventOut(BaseModel):
    """One step in an alert's life."""

    model_config = ConfigDict(from_attributes=True)

    at: dt.datetime
    actor: str
    action: str
    detail: str


class AlertOut(BaseModel):
    """An alert: why it was raised, and how far it went."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    enrolment_id: int
    kind: str
    zone_id: str | None
    status: str
    explanation: str
    opened_at: dt.datetime
    last_seen_at: dt.datetime
    occurrences: int
    steps_taken: int
    next_step_at: dt.datetime | None
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str | None
    case_id: int | None
    events: list[AlertEventOut] = []


class ResolutionIn(BaseModel):
    """What was found when the alert was closed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resolution: str = Field(min_length=3, max_length=2000)


class ZonesImportedOut(BaseModel):
    """What a zones import did."""

    added: int
    updated: int
    repairs: list[str]
