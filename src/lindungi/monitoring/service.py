"""Monitoring operations: enrolling a worker with their consent, withdrawing it (which
stops processing at once), and recording batches of check-ins idempotently. Services
flush and never commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Permission, Principal
from lindungi.db import utcnow
from lindungi.errors import ConflictError, InvalidInputError, NotFoundError
from lindungi.monitoring import alerts, places
from lindungi.monitoring.intake import Reading, Refused, read
from lindungi.monitoring.ladder import AlertKind
from lindungi.monitoring.models import Checkin, CheckinBatch, Consent, Enrolment

_NOT_PROCESSED = "consent withdrawn or enrolment ended: not processed"
#: Nothing older than this is taken whatever the consent says (the longest retention).
LONGEST_RETENTION = dt.timedelta(days=365)


def enrol(session: Session, fields: dict[str, Any], principal: Principal) -> Enrolment:
    """Enrol a worker abroad for check-ins, with the consent they gave."""
    consent_in = fields.pop("consent")
    if consent_in["given_at"] > utcnow() + dt.timedelta(minutes=5):
        raise InvalidInputError("consent.given_at: a consent cannot be given in the future")
    enrolment = Enrolment(
        subject=secrets.token_urlsafe(24), agency=principal.agency,
        created_by=principal.username, **fields,
    )  # fmt: skip
    session.add(enrolment)
    session.flush()
    consent = Consent(enrolment_id=enrolment.id, recorded_by=principal.username, **consent_in)
    session.add(consent)
    session.flush()
    enrolment.consent_id = consent.id
    session.flush()
    return enrolment


def get_enrolment(
    session: Session, enrolment_id: int, principal: Principal, action: str = "read"
) -> Enrolment:
    """An enrolment the principal may ``action`` (read, or enrol: change it)."""
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFoundError(f"enrolment {enrolment_id} not found")
    principal.authorize(Permission("monitoring", action), owner_agency=enrolment.agency,
                        resource_id=str(enrolment_id))  # fmt: skip
    return enrolment


def withdraw(session: Session, enrolment: Enrolment, reason: str) -> Enrolment:
    """Record the withdrawal of consent; from now on nothing of this worker is processed."""
    if enrolment.status != "active":
        raise ConflictError(f"enrolment {enrolment.id} is already {enrolment.status}")
    consent = session.get(Consent, enrolment.consent_id) if enrolment.consent_id else None
    if consent is not None:
        consent.withdrawn_at, consent.withdrawn_reason = utcnow(), reason
    enrolment.status = "withdrawn"
    session.flush()
    return enrolment


def enrolment_by_subject(session: Session, subject: str) -> Enrolment:
    """The enrolment an app's key belongs to (404 otherwise, saying nothing more)."""
    found = session.scalar(select(Enrolment).where(Enrolment.subject == subject.strip()))
    if found is None:
        raise NotFoundError("no enrolment with this key")
    return found


@dataclass(frozen=True)
class BatchAnswer:
    """What became of a batch."""

    batch_id: int
    accepted: int
    duplicates: int
    rejected: list[dict[str, Any]]
    replayed: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The answer as stored and replayed."""
        return {"batch_id": self.batch_id, "accepted": self.accepted,
                "duplicates": self.duplicates, "rejected": self.rejected}  # fmt: skip


def digest(records: Sequence[dict[str, Any]]) -> str:
    """A fingerprint of a batch's content (key order and spacing do not matter)."""
    text = json.dumps(list(records), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def ingest(
    session: Session,
    source: str,
    key: str,
    records: Sequence[dict[str, Any]],
    now: dt.datetime | None = None,
) -> BatchAnswer:
    """Record a batch of check-ins once. The same key with the same content answers as
    the first time and changes nothing; the same key with other content is refused (409).
    Each record is taken, counted as a duplicate of one already held, or refused with
    its index, field and reason."""
    now = now or utcnow()
    fingerprint = digest(records)
    seen = session.scalar(
        select(CheckinBatch).where(CheckinBatch.source == source, CheckinBatch.key == key)
    )
    if seen is not None:
        if seen.digest != fingerprint:
            raise ConflictError(f"idempotency key {key!r} was used for a different batch")
        return BatchAnswer(**seen.answer, replayed=True)
    batch = CheckinBatch(source=source, key=key, digest=fingerprint, answer={})
    session.add(batch)
    session.flush()
    readings: list[tuple[int, Reading]] = []
    rejected: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        got = read(record, now, now - LONGEST_RETENTION)
        if isinstance(got, Refused):
            rejected.append({"index": index, "field": got.field, "error": got.error})
        else:
            readings.append((index, got))
    accepted, duplicates = _record(session, batch, readings, rejected, now)
    rejected.sort(key=lambda r: r["index"])
    answer = BatchAnswer(batch.id, accepted, duplicates, rejected)
    batch.answer = answer.as_dict()
    session.flush()
    return answer


def _record(
    session: Session,
    batch: CheckinBatch,
    readings: list[tuple[int, Reading]],
    rejected: list[dict[str, Any]],
    now: dt.datetime,
) -> tuple[int, int]:
    subjects = {r.subject for _, r in readings}
    # The batch's workers are locked first, in id order: two batches naming the same
    # workers (two gateways, two stream consumers) then queue one behind the other on
    # PostgreSQL instead of deadlocking on the rows each updates (SQLite writes one at a
    # time anyway and ignores FOR UPDATE).
    enrolments = {
        e.subject: e
        for e in session.scalars(
            select(Enrolment)
            .where(Enrolment.subject.in_(subjects))
            .order_by(Enrolment.id)
            .with_for_update()
        )
    }
    consents = {
        c.id: c
        for c in session.scalars(
            select(Consent).where(Consent.id.in_([e.consent_id for e in enrolments.values()]))
        )
    }
    times = [r.at for _, r in readings] or [now]
    held = {
        (c.enrolment_id, c.kind, c.at)
        for c in session.scalars(
            select(Checkin).where(
                Checkin.enrolment_id.in_([e.id for e in enrolments.values()]),
                Checkin.at.between(min(times), max(times)),
            )
        )
    }
    accepted = duplicates = 0
    before = {e.id: e.last_checkin_at for e in enrolments.values()}
    places_of: dict[int, list[tuple[dt.datetime, float, float]]] = {}
    answered: dict[int, dt.datetime] = {}  # the latest ordinary check-in per worker
    for index, reading in readings:
        enrolment = enrolments.get(reading.subject)
        if enrolment is None:
            rejected.append({"index": index, "field": "subject", "error": "unknown enrolment key"})
            continue
        consent = consents.get(enrolment.consent_id or -1)
        if enrolment.status != "active" or consent is None or consent.withdrawn_at is not None:
            rejected.append({"index": index, "field": "subject", "error": _NOT_PROCESSED})
            continue
        if reading.at < now - dt.timedelta(days=consent.retention_days):
            rejected.append({"index": index, "field": "at",
                             "error": "older than the retention the worker agreed to"})  # fmt: skip
            continue
        mark = (enrolment.id, reading.kind, reading.at)
        if mark in held:
            duplicates += 1
            continue
        held.add(mark)
        session.add(Checkin(enrolment_id=enrolment.id, batch_id=batch.id, kind=reading.kind,
                            at=reading.at, lon=reading.lon, lat=reading.lat,
                            accuracy_m=reading.accuracy_m))  # fmt: skip
        if enrolment.last_checkin_at is None or reading.at > enrolment.last_checkin_at:
            enrolment.last_checkin_at = reading.at
        places_of.setdefault(enrolment.id, []).append((reading.at, reading.lon, reading.lat))
        if reading.kind == "sos":
            told = f"SOS at {reading.lat:.5f}, {reading.lon:.5f} ({reading.at:%Y-%m-%d %H:%M} UTC)"
            alerts.raise_alert(session, enrolment, AlertKind.SOS, told, now)
        elif reading.at > answered.get(enrolment.id, reading.at - dt.timedelta(seconds=1)):
            answered[enrolment.id] = reading.at
        accepted += 1
    session.flush()
    alerts.resolve_on_checkins(session, answered)
    by_id = {e.id: e for e in enrolments.values()}
    places.track(session, places_of, before, by_id, now)
    return accepted, duplicates
