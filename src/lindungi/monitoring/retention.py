"""Keeping no more than was agreed: raw check-ins go when the retention the worker agreed
to has passed, and at once when they withdrew their consent; alerts and their history,
which record what officials did, are kept. And the other side of it: a worker sees
everything held about them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lindungi.monitoring.models import (
    Alert,
    AlertEvent,
    Checkin,
    CheckinBatch,
    Consent,
    Enrolment,
    Notification,
    ZoneEvent,
)

#: How long a batch's idempotency key is remembered (a resend after that is new).
BATCH_MEMORY = dt.timedelta(days=7)


@dataclass(frozen=True)
class Purged:
    """What a purge removed."""

    checkins: int
    withdrawn_checkins: int
    batches: int


def purge(session: Session, now: dt.datetime, held: frozenset[int] = frozenset()) -> Purged:
    """Delete the raw check-ins past each worker's agreed retention, all of those whose
    consent is withdrawn, and batch records older than :data:`BATCH_MEMORY` that no
    check-in still points to. Enrolments in ``held`` (a legal hold) keep everything."""
    expired = withdrawn = 0
    for enrolment_id, days, gone in session.execute(
        select(Enrolment.id, Consent.retention_days, Consent.withdrawn_at)
        .join(Consent, Consent.id == Enrolment.consent_id)
    ):  # fmt: skip
        if enrolment_id in held:
            continue
        if gone is not None:
            result = session.execute(delete(Checkin).where(Checkin.enrolment_id == enrolment_id))
            withdrawn += result.rowcount or 0  # type: ignore[attr-defined]
            continue
        cutoff = now - dt.timedelta(days=days)
        result = session.execute(
            delete(Checkin).where(Checkin.enrolment_id == enrolment_id, Checkin.at < cutoff)
        )
        expired += result.rowcount or 0  # type: ignore[attr-defined]
    still = select(Checkin.batch_id).distinct()
    old = session.execute(
        delete(CheckinBatch).where(
            CheckinBatch.received_at < now - BATCH_MEMORY, CheckinBatch.id.not_in(still)
        )
    )
    session.flush()
    return Purged(expired, withdrawn, old.rowcount or 0)  # type: ignore[attr-defined]


def held_about(session: Session, enrolment: Enrolment) -> dict[str, Any]:
    """Everything the hub holds about an enrolled worker, for the worker."""
    consents = session.scalars(select(Consent).where(Consent.enrolment_id == enrolment.id))
    checkins = session.scalars(
        select(Checkin).where(Checkin.enrolment_id == enrolment.id).order_by(Checkin.at)
    )
    crossings = session.scalars(
        select(ZoneEvent).where(ZoneEvent.enrolment_id == enrolment.id).order_by(ZoneEvent.at)
    )
    found = list(session.scalars(select(Alert).where(Alert.enrolment_id == enrolment.id)))
    ids = [a.id for a in found]
    history = session.scalars(
        select(AlertEvent).where(AlertEvent.alert_id.in_(ids)).order_by(AlertEvent.id)
    )
    notes = session.scalars(
        select(Notification).where(Notification.alert_id.in_(ids)).order_by(Notification.id)
    )
    return {
        "enrolment": {c: getattr(enrolment, c) for c in (
            "status", "full_name", "passport_no", "phone", "country", "city", "visa",
            "sponsor", "sponsor_contact", "embassy", "emergency_contacts", "every_minutes",
            "grace_minutes", "last_checkin_at", "created_at", "created_by", "agency",
            "erased_at")},
        "consents": [{c: getattr(x, c) for c in (
            "version", "purpose", "collected", "retention_days", "withdrawal", "language",
            "given_at", "recorded_by", "withdrawn_at", "withdrawn_reason")} for x in consents],
        "checkins": [{"kind": c.kind, "at": c.at, "lon": c.lon, "lat": c.lat,
                      "accuracy_m": c.accuracy_m} for c in checkins],
        "zone_events": [{"zone_id": z.zone_id, "event": z.event, "at": z.at}
                        for z in crossings],
        "alerts": [{c: getattr(a, c) for c in (
            "id", "kind", "zone_id", "status", "explanation", "opened_at", "resolved_at",
            "resolution", "case_id")} for a in found],
        "alert_history": [{"alert_id": e.alert_id, "at": e.at, "actor": e.actor,
                           "action": e.action, "detail": e.detail} for e in history],
        "notifications": [{"alert_id": n.alert_id, "channel": n.channel,
                           "recipient": n.recipient, "subject": n.subject,
                           "status": n.status, "sent_at": n.sent_at} for n in notes],
    }  # fmt: skip
