"""Alerts: raised from SOS, missed check-ins and zone events, deduplicated, taken in hand
by an officer, and escalated up their ladder (``ladder.py``) — reminders, notifications
to the sponsor, the family and the embassy written to the outbox in the same transaction,
and at the top a case opened at the embassy. ``tick`` is what a timer runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.errors import ConflictError, NotFoundError
from lindungi.exchange import service as exchange
from lindungi.monitoring.ladder import (
    DEFAULT_LADDERS,
    AlertKind,
    Ladder,
    Step,
    due_steps,
    missed,
    next_step_at,
)
from lindungi.monitoring.models import Alert, AlertEvent, Consent, Enrolment, Notification

#: Who the timelines name when the ladder acts.
ACTOR = "system:monitoring"
#: Where cases opened from alerts are handled: the missions abroad.
CASE_AGENCY = "kemlu"


@dataclass(frozen=True)
class Routing:
    """Where notifications go (from settings): the app gateway's push hook for reminders
    to the worker, an SMS gateway's hook for the family and sponsor, and each embassy's
    address (the command centre's when an embassy has none)."""

    worker_webhook: str | None = None
    sms_webhook: str | None = None
    embassy_emails: Mapping[str, str] = field(default_factory=dict)
    command_centre_email: str | None = None


def _event(session: Session, alert: Alert, at: dt.datetime, action: str, detail: str,
           actor: str = ACTOR) -> None:  # fmt: skip
    session.add(AlertEvent(alert_id=alert.id, at=at, actor=actor, action=action, detail=detail))


def raise_alert(
    session: Session,
    enrolment: Enrolment,
    kind: AlertKind,
    explanation: str,
    now: dt.datetime,
    zone_id: str | None = None,
) -> tuple[Alert, bool]:
    """Open an alert, or count a repeat on the open one of the same worker, kind and
    zone; answers the alert and whether it is new."""
    same = session.scalar(
        select(Alert).where(
            Alert.enrolment_id == enrolment.id, Alert.kind == kind.value,
            Alert.status != "resolved",
            Alert.zone_id.is_(None) if zone_id is None else Alert.zone_id == zone_id,
        )
    )  # fmt: skip
    if same is not None:
        same.occurrences += 1
        same.last_seen_at = max(same.last_seen_at, now)
        _event(session, same, now, "repeated", explanation)
        session.flush()
        return same, False
    # The next tick takes the ladder's first steps, by the ladders it is configured with.
    alert = Alert(enrolment_id=enrolment.id, kind=kind.value, zone_id=zone_id,
                  explanation=explanation, opened_at=now, last_seen_at=now, occurrences=1,
                  steps_taken=0, next_step_at=now)  # fmt: skip
    session.add(alert)
    session.flush()
    _event(session, alert, now, "opened", explanation)
    exchange.emit(
        session, "alert.raised", subject=f"alert:{alert.id}", source_agency=enrolment.agency,
        actor="system", at=now,
        data={"alert_id": alert.id, "kind": alert.kind, "enrolment_id": enrolment.id,
              "agency": enrolment.agency, "country": enrolment.country, "zone_id": zone_id,
              "explanation": explanation},
    )  # fmt: skip
    return alert, True


def scan_missed(session: Session, now: dt.datetime) -> list[Alert]:
    """Open a missed-check-in alert for every active worker past their schedule and grace
    period: one per silence, however often the timer runs."""
    opened = []
    silent = select(Alert.enrolment_id).where(
        Alert.kind == AlertKind.MISSED_CHECKIN.value, Alert.status != "resolved"
    )
    active = select(Enrolment, Consent).join(Consent, Consent.id == Enrolment.consent_id)
    active = active.where(Enrolment.status == "active", Consent.withdrawn_at.is_(None),
                          Enrolment.id.not_in(silent))  # fmt: skip
    for enrolment, consent in session.execute(active.order_by(Enrolment.id)):
        last = enrolment.last_checkin_at or consent.given_at
        late = missed(last, dt.timedelta(minutes=enrolment.every_minutes),
                      dt.timedelta(minutes=enrolment.grace_minutes), now)  # fmt: skip
        if late is None:
            continue
        told = (f"no check-in since {last:%Y-%m-%d %H:%M} UTC; one was due "
                f"{late.due:%Y-%m-%d %H:%M} (every {enrolment.every_minutes} min, grace "
                f"{enrolment.grace_minutes} min)")  # fmt: skip
        alert, new = raise_alert(session, enrolment, AlertKind.MISSED_CHECKIN, told, now)
        if new:
            opened.append(alert)
    return opened


def resolve_on_checkins(session: Session, latest: Mapping[int, dt.datetime]) -> None:
    """Check-ins answer open missed-check-in alerts: each is resolved at its worker's
    latest check-in (``latest``: enrolment → time). One query for the whole batch."""
    if not latest:
        return
    for alert in session.scalars(
        select(Alert).where(
            Alert.enrolment_id.in_(list(latest)),
            Alert.status != "resolved",
            Alert.kind == AlertKind.MISSED_CHECKIN.value,
        )
    ):
        at = latest[alert.enrolment_id]
        _resolve(session, alert, at, f"the worker checked in at {at:%Y-%m-%d %H:%M} UTC")


def resolve_zone(
    session: Session,
    enrolment: Enrolment,
    kind: AlertKind,
    zone_id: str,
    at: dt.datetime,
    why: str,
) -> None:
    """Resolve the open alert of this kind about this zone (the worker came back)."""
    for alert in session.scalars(
        select(Alert).where(
            Alert.enrolment_id == enrolment.id,
            Alert.kind == kind.value,
            Alert.zone_id == zone_id,
            Alert.status != "resolved",
        )
    ):
        _resolve(session, alert, at, why)


def _resolve(session: Session, alert: Alert, at: dt.datetime, why: str,
             actor: str = ACTOR) -> None:  # fmt: skip
    alert.status, alert.resolved_at, alert.resolution = "resolved", at, why
    alert.next_step_at = None
    _event(session, alert, at, "resolved", why, actor)


def climb(
    session: Session,
    now: dt.datetime,
    routing: Routing,
    ladders: Mapping[AlertKind, Ladder] = DEFAULT_LADDERS,
) -> list[tuple[Alert, Step]]:
    """Take every ladder step that has fallen due on alerts nobody has taken in hand."""
    taken = []
    query = select(Alert).where(Alert.status == "open", Alert.next_step_at <= now)
    for alert in session.scalars(query.order_by(Alert.next_step_at, Alert.id)):
        kind = AlertKind(alert.kind)
        enrolment = session.get(Enrolment, alert.enrolment_id)
        assert enrolment is not None  # an alert always has its enrolment
        for step in due_steps(kind, alert.opened_at, alert.steps_taken, now, ladders):
            detail = _take(session, alert, enrolment, step, now, routing)
            alert.steps_taken += 1
            _event(session, alert, now, step.value, detail)
            taken.append((alert, step))
        alert.next_step_at = next_step_at(kind, alert.opened_at, alert.steps_taken, ladders)
    session.flush()
    return taken


def _take(session: Session, alert: Alert, enrolment: Enrolment, step: Step,
          now: dt.datetime, routing: Routing) -> str:  # fmt: skip
    what = f"[{alert.kind}] {alert.explanation}"
    if step is Step.OPEN_CASE:
        channel = "sos" if alert.kind == AlertKind.SOS else "alert"
        case = cases.open_referred(
            session, channel=channel, agency=CASE_AGENCY,
            summary=f"Alert {alert.id} ({alert.kind}) for a worker in {enrolment.country}: "
                    f"{alert.explanation}",
            person={"full_name": enrolment.full_name, "passport_no": enrolment.passport_no},
            country=enrolment.country, city=enrolment.city,
            principal=Principal.of(0, ACTOR, CASE_AGENCY, (), None),
            why=f"opened by the alert ladder: alert {alert.id} not taken in hand",
        )  # fmt: skip
        alert.case_id = case.id
        return f"case {case.id} opened at {CASE_AGENCY}"
    targets = _targets(enrolment, step, routing)
    for n, (channel, recipient) in enumerate(targets):
        session.add(Notification(
            key=f"alert:{alert.id}:{step.value}:{n}", alert_id=alert.id, channel=channel,
            recipient=recipient or "", subject=_SUBJECTS[step],
            body=_body(step, enrolment, what), next_attempt_at=now,
            status="pending" if recipient else "failed",
            last_error=None if recipient else f"no recipient configured for {step.value}",
        ))  # fmt: skip
    sent = [r for _, r in targets if r]
    return f"{len(sent)} notification(s) queued" + (
        "" if len(sent) == len(targets) else f"; {len(targets) - len(sent)} had no recipient"
    )


_SUBJECTS = {
    Step.REMIND_WORKER: "Lindungi: mohon lakukan check-in / please check in",
    Step.NOTIFY_CONTACTS: "Lindungi: kami belum dapat menghubungi pekerja / worker not reached",
    Step.NOTIFY_EMBASSY: "Lindungi alert: WNI perlu perhatian / citizen needs attention",
}


def _targets(enrolment: Enrolment, step: Step, routing: Routing) -> list[tuple[str, str | None]]:
    if step is Step.REMIND_WORKER:
        return [("webhook", routing.worker_webhook)]
    if step is Step.NOTIFY_CONTACTS:
        phones = [c["phone"] for c in enrolment.emergency_contacts]
        if enrolment.sponsor_contact:
            phones.append(enrolment.sponsor_contact)
        return [("webhook", routing.sms_webhook and f"{routing.sms_webhook}#{p}")
                for p in phones]  # fmt: skip
    address = routing.embassy_emails.get(enrolment.embassy) or routing.command_centre_email
    return [("email", address)]


def _body(step: Step, enrolment: Enrolment, what: str) -> str:
    if step is Step.REMIND_WORKER:
        return f"subject={enrolment.subject}\nMohon check-in di aplikasi. Please check in."
    if step is Step.NOTIFY_CONTACTS:
        return ("Kami belum dapat menghubungi anggota keluarga Anda yang bekerja di "
                f"{enrolment.country}. Hubungi hotline bila Anda tahu kabarnya.")  # fmt: skip
    return (f"Enrolment {enrolment.id} ({enrolment.full_name}, {enrolment.country} "
            f"{enrolment.city or ''}, sponsor {enrolment.sponsor}): {what}")  # fmt: skip


def acknowledge(session: Session, alert_id: int, username: str, now: dt.datetime) -> Alert:
    """An officer takes an alert in hand: the ladder stops climbing."""
    alert = get_alert(session, alert_id)
    if alert.status != "open":
        raise ConflictError(f"alert {alert_id} is {alert.status}", allowed=[])
    alert.status, alert.acknowledged_by, alert.acknowledged_at = "acknowledged", username, now
    alert.next_step_at = None
    _event(session, alert, now, "acknowledged", f"taken in hand by {username}", username)
    session.flush()
    return alert


def resolve(session: Session, alert_id: int, why: str, username: str, now: dt.datetime) -> Alert:
    """Close an alert with what was found."""
    alert = get_alert(session, alert_id)
    if alert.status == "resolved":
        raise ConflictError(f"alert {alert_id} is already resolved", allowed=[])
    _resolve(session, alert, now, why, username)
    session.flush()
    return alert


def open_counts(session: Session) -> dict[str, int]:
    """How many alerts not yet resolved there are of each kind (open or in hand)."""
    query = (
        select(Alert.kind, func.count())
        .where(Alert.status != "resolved")
        .group_by(Alert.kind)
        .order_by(Alert.kind)
    )
    return {kind: int(n) for kind, n in session.execute(query)}


def get_alert(session: Session, alert_id: int) -> Alert:
    """An alert, or 404."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFoundError(f"alert {alert_id} not found")
    return alert


def events(session: Session, alert_id: int) -> list[AlertEvent]:
    """An alert's history in order."""
    query = select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
    return list(session.scalars(query))


def tick(
    session: Session,
    now: dt.datetime,
    routing: Routing,
    ladders: Mapping[AlertKind, Ladder] = DEFAULT_LADDERS,
) -> tuple[int, int]:
    """What a timer runs: open alerts for missed check-ins, then climb the ladders.
    Answers (alerts opened, steps taken)."""
    opened = scan_missed(session, now)
    return len(opened), len(climb(session, now, routing, ladders))
