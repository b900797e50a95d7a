"""Tables of monitoring: a worker's enrolment and the consent it rests on, zones, raw
check-ins (kept only for the retention window) and the batches they arrived in (so a
resent batch changes nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.db import Base, UtcDateTime, utcnow

ENROLMENT_STATUSES = ("active", "withdrawn", "ended")
ZONE_KINDS = ("work", "high_risk", "other")
CHECKIN_KINDS = ("checkin", "sos")


class Enrolment(Base):
    """A worker abroad who agreed to safety check-ins: who they are (protected), where
    they work, who to call, and the schedule they consented to."""

    __tablename__ = "monitoring_enrolments"
    __table_args__ = (
        CheckConstraint(f"status IN {ENROLMENT_STATUSES}", name="status"),
        CheckConstraint("every_minutes > 0 AND grace_minutes >= 0", name="schedule"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The key the worker's app sends with each check-in (random; says nothing of them).
    subject: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    passport_no: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))
    visa: Mapped[str] = mapped_column(String(24))  # placement, digital_work, …
    sponsor: Mapped[str] = mapped_column(String(200))  # employer or P3MI responsible
    sponsor_contact: Mapped[str | None] = mapped_column(String(200))
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id"))
    embassy: Mapped[str] = mapped_column(String(100))  # the mission that answers alerts
    emergency_contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    every_minutes: Mapped[int] = mapped_column(Integer)  # the check-in schedule …
    grace_minutes: Mapped[int] = mapped_column(Integer)  # … and its grace period
    last_checkin_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_consents.id"))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the retention purge erased a withdrawn worker's details (``retention``).
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    agency: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Consent(Base):
    """What the worker agreed to, in the words shown to them: the purpose, what is
    collected, how long it is kept, how to withdraw. Append-only: a withdrawal is
    recorded on the row and stops processing at once."""

    __tablename__ = "monitoring_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[str] = mapped_column(String(32))  # the consent text's version
    purpose: Mapped[str] = mapped_column(Text)
    collected: Mapped[list[str]] = mapped_column(JSON)  # e.g. location, sos
    retention_days: Mapped[int] = mapped_column(Integer)  # raw check-ins
    withdrawal: Mapped[str] = mapped_column(Text)  # how to withdraw, as told
    language: Mapped[str] = mapped_column(String(2))
    given_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class Zone(Base):
    """A work zone of a placement, or a high-risk zone kept by analysts (GeoJSON
    geometry, WGS84). ``approximate`` marks zones drawn around reference points."""

    __tablename__ = "monitoring_zones"
    __table_args__ = (CheckConstraint(f"kind IN {ZONE_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone_id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(200))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_enrolments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class CheckinBatch(Base):
    """A batch of check-ins as it arrived, by its idempotency key, with the answer given
    (so a resent batch gets the same answer and changes nothing)."""

    __tablename__ = "monitoring_batches"
    __table_args__ = (UniqueConstraint("source", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))  # who sent it (a gateway's username)
    key: Mapped[str] = mapped_column(String(128))
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the batch as received
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Checkin(Base):
    """A raw check-in or SOS: a place at a time, kept only for the retention window."""

    __tablename__ = "monitoring_checkins"
    __table_args__ = (
        # The same check-in resent in another batch is recorded once.
        UniqueConstraint("enrolment_id", "kind", "at"),
        CheckConstraint(f"kind IN {CHECKIN_KINDS}", name="kind"),
        CheckConstraint("lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180", name="place"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("monitoring_enrolments.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("monitoring_batches.id"))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


ALERT_STATUSES = ("open", "acknowledged", "resolved")
ALERT_KINDS = ("sos", "missed_checkin", "left_work_zone", "entered_high_risk")
NOTIFICATION_STATUSES = ("pending", "sent", "failed")


class Alert(Base):
    """Something that needs a person's attention, with why, and how far up its ladder it
    has gone. One open alert per worker, kind and zone: a repeat adds to ``occurrences``."""

    __tablename__ = "monitoring_alerts"
    __table_args__ = (
        CheckConstraint(f"kind IN {ALERT_KINDS}", name="kind"),
        CheckConstraint(f"status IN {ALERT_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("monitoring_enrolments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    zone_id: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    explanation: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    steps_taken: Mapped[int] = mapped_column(Integer, default=0)
    next_step_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))


class AlertEvent(Base):
    """One step in an alert's life (append-only): opened, repeated, a ladder step taken,
    acknowledged, resolved."""

    __tablename__ = "monitoring_alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("monitoring_alerts.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(24))
    detail: Mapped[str] = mapped_column(Text)


class Notification(Base):
    """A message to send, written in the same transaction as the step that decided it
    (the transactional outbox); a dispatcher delivers it and records the outcome. ``key``
    makes a retried step write it once."""

    __tablename__ = "monitoring_notifications"
    __table_args__ = (CheckConstraint(f"status IN {NOTIFICATION_STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("monitoring_alerts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))  # email, webhook, sms
    recipient: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Presence(Base):
    """A zone a worker is inside now, as their check-ins say (what the next check-in is
    compared with to find an enter or an exit)."""

    __tablename__ = "monitoring_presence"

    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_enrolments.id"), primary_key=True
    )
    zone_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    since: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ZoneEvent(Base):
    """A worker entered or left a zone (kept longer than raw check-ins, without the
    coordinates)."""

    __tablename__ = "monitoring_zone_events"
    __table_args__ = (CheckConstraint("event IN ('enter', 'exit')", name="event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("monitoring_enrolments.id"), index=True)
    zone_id: Mapped[str] = mapped_column(String(100))
    event: Mapped[str] = mapped_column(String(5))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
