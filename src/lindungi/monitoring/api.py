"""HTTP routes of monitoring: enrolment with consent, withdrawal (by an officer or by the
worker's own app), and batches of check-ins with an idempotency key."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Query, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import case, select

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep, get_settings
from lindungi.api.problems import TOO_MANY_REQUESTS
from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.auth.permissions import Principal
from lindungi.db import utcnow
from lindungi.errors import InvalidInputError
from lindungi.monitoring import alerts, places, retention, service, stream
from lindungi.monitoring.models import Alert
from lindungi.monitoring.schemas import (
    AlertEventOut,
    AlertOut,
    BatchIn,
    BatchOut,
    EnrolledOut,
    EnrolmentIn,
    EnrolmentOut,
    PublicWithdrawalIn,
    QueuedOut,
    RejectedOut,
    ResolutionIn,
    SubjectIn,
    WithdrawalIn,
    ZonesImportedOut,
)
from lindungi.recruiters.models import Recruiter
from lindungi.recruiters.public_api import rate_limited
from lindungi.settings import Settings

router = Router(tags=["monitoring"])


def stream_of(settings: Settings) -> stream.Stream:
    """The check-in stream the settings name."""
    assert settings.nats_url is not None
    return stream.Stream(settings.nats_url, settings.nats_stream)


public_router = Router(tags=["public"], responses=TOO_MANY_REQUESTS)  # limited per address
#: Who the audit log names when a worker acts through their own app.
WORKER = Actor("worker:self")
PERSONAL = ("full_name", "passport_no", "phone", "emergency_contacts", "sponsor_contact")


@router.post(
    "/monitoring/enrolments",
    response_model=EnrolledOut,
    status_code=status.HTTP_201_CREATED,
    summary="Enrol a worker abroad with their consent; answers the app's key once",
)
def enrol(
    body: EnrolmentIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "enrol"))],
) -> EnrolledOut:
    if body.recruiter_id is not None and session.get(Recruiter, body.recruiter_id) is None:
        # Refused here, not by the foreign key at flush (an unhandled 500 before).
        raise InvalidInputError(f"recruiter_id: no recruiter {body.recruiter_id} in the registry")
    fields = body.model_dump()
    fields["emergency_contacts"] = [c.model_dump() for c in body.emergency_contacts]
    enrolment = service.enrol(session, fields, principal)
    auditor.record(Action.CREATE, "monitoring_enrolments", enrolment.id, (*PERSONAL, "consent"),
                   purpose=body.consent.purpose)  # fmt: skip
    return EnrolledOut.model_validate(enrolment)


@router.get(
    "/monitoring/enrolments/{enrolment_id}",
    response_model=EnrolmentOut,
    summary="An enrolment (audited)",
)
def get_enrolment(
    enrolment_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "read"))],
) -> EnrolmentOut:
    enrolment = service.get_enrolment(session, enrolment_id, principal)
    auditor.record(Action.READ, "monitoring_enrolments", enrolment_id, ("full_name", "status"))
    return EnrolmentOut.model_validate(enrolment)


@router.post(
    "/monitoring/enrolments/{enrolment_id}/withdrawal",
    response_model=EnrolmentOut,
    summary="Record the worker's withdrawal of consent (processing stops at once)",
)
def withdraw(
    enrolment_id: RecordId,
    body: WithdrawalIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "enrol"))],
) -> EnrolmentOut:
    enrolment = service.get_enrolment(session, enrolment_id, principal, "enrol")
    service.withdraw(session, enrolment, body.reason)
    auditor.record(Action.UPDATE, "monitoring_enrolments", enrolment_id, ("status", "consent"),
                   purpose=body.reason or "consent withdrawn")  # fmt: skip
    return EnrolmentOut.model_validate(enrolment)


@router.post(
    "/monitoring/checkins",
    response_model=BatchOut | QueuedOut,
    summary="Record a batch of check-ins once (Idempotency-Key); bad records are named. "
    "With the NATS stream configured the batch is queued (202) and recorded by the consumer",
    responses={202: {"model": QueuedOut}},
)
def checkins(
    body: BatchIn,
    session: SessionDep,
    settings: Annotated[Settings, Depends(get_settings)],
    principal: Annotated[Principal, Depends(Requires("checkins", "submit"))],
    idempotency_key: Annotated[str, Header(min_length=8, max_length=128)],
) -> BatchOut | JSONResponse:
    records = [c.model_dump(exclude_unset=True) for c in body.checkins]
    if settings.nats_url:
        sent = stream.publish(stream_of(settings), principal.username, idempotency_key, records)
        queued = QueuedOut(key=idempotency_key, seq=sent.seq, duplicate=sent.duplicate)
        return JSONResponse(queued.model_dump(), status_code=status.HTTP_202_ACCEPTED)
    answer = service.ingest(session, principal.username, idempotency_key, records)
    return BatchOut(
        batch_id=answer.batch_id, accepted=answer.accepted, duplicates=answer.duplicates,
        rejected=[RejectedOut(**r) for r in answer.rejected], replayed=answer.replayed,
    )  # fmt: skip


@router.get(
    "/monitoring/zones",
    summary="The active zones as GeoJSON (high-risk zones from reference points are approximate)",
)
def get_zones(
    session: SessionDep,
    _: Annotated[Principal, Depends(Requires("monitoring", "read"))],
    kind: Literal["work", "high_risk", "other"] | None = None,
) -> dict[str, Any]:
    found: dict[str, Any] = jsonable_encoder(places.export_zones(session, kind))
    return found


@router.post(
    "/monitoring/zones",
    response_model=ZonesImportedOut,
    summary="Add or update zones from a GeoJSON FeatureCollection (one bad zone refuses all)",
)
def put_zones(
    body: dict[str, Any],
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "zones"))],
) -> ZonesImportedOut:
    made = places.import_zones(session, body, principal.username, f"upload by {principal.agency}")
    auditor.record(Action.UPDATE, "monitoring_zones", "import", ("geometry", "kind"))
    return ZonesImportedOut(added=made.added, updated=made.updated, repairs=made.repairs)


@router.post(
    "/monitoring/enrolments/{enrolment_id}/work-zone",
    response_model=ZonesImportedOut,
    summary="Set a placement's work zones (GeoJSON, kind work)",
)
def put_work_zone(
    enrolment_id: RecordId,
    body: dict[str, Any],
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "enrol"))],
) -> ZonesImportedOut:
    service.get_enrolment(session, enrolment_id, principal, "enrol")
    made = places.import_zones(session, body, principal.username, "placement",
                               work_of=enrolment_id)  # fmt: skip
    auditor.record(Action.UPDATE, "monitoring_enrolments", enrolment_id, ("work_zone",))
    return ZonesImportedOut(added=made.added, updated=made.updated, repairs=made.repairs)


def _alert_out(session: SessionDep, alert: Alert) -> AlertOut:
    out = AlertOut.model_validate(alert)
    out.events = [AlertEventOut.model_validate(e) for e in alerts.events(session, alert.id)]
    return out


@router.get(
    "/monitoring/alerts",
    response_model=list[AlertOut],
    summary="Alerts, the most urgent first (open, then acknowledged; newest first)",
)
def list_alerts(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("monitoring", "read"))],
    status_: Annotated[Literal["open", "acknowledged", "resolved"] | None,
                       Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AlertOut]:  # fmt: skip
    urgency = case({"open": 0, "acknowledged": 1}, value=Alert.status, else_=2)
    query = select(Alert).order_by(urgency, Alert.opened_at.desc()).limit(limit)
    if status_ is not None:
        query = query.where(Alert.status == status_)
    found = list(session.scalars(query))
    auditor.record(Action.READ, "monitoring_alerts", "list", ("kind", "explanation"))
    return [AlertOut.model_validate(a) for a in found]


@router.get("/monitoring/alerts/{alert_id}", response_model=AlertOut, summary="An alert")
def get_alert(
    alert_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("monitoring", "read"))],
) -> AlertOut:
    alert = alerts.get_alert(session, alert_id)
    auditor.record(Action.READ, "monitoring_alerts", alert_id, ("kind", "explanation"))
    return _alert_out(session, alert)


@router.post(
    "/monitoring/alerts/{alert_id}/acknowledge",
    response_model=AlertOut,
    summary="Take an alert in hand: its ladder stops climbing (409 unless open)",
)
def acknowledge(
    alert_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "alerts"))],
) -> AlertOut:
    alert = alerts.acknowledge(session, alert_id, principal.username, utcnow())
    auditor.record(Action.UPDATE, "monitoring_alerts", alert_id, ("status",))
    return _alert_out(session, alert)


@router.post(
    "/monitoring/alerts/{alert_id}/resolution",
    response_model=AlertOut,
    summary="Close an alert with what was found",
)
def resolve(
    alert_id: RecordId,
    body: ResolutionIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("monitoring", "alerts"))],
) -> AlertOut:
    alert = alerts.resolve(session, alert_id, body.resolution, principal.username, utcnow())
    auditor.record(Action.UPDATE, "monitoring_alerts", alert_id, ("status", "resolution"),
                   purpose=body.resolution)  # fmt: skip
    return _alert_out(session, alert)


@public_router.post(
    "/public/monitoring/withdrawal",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="A worker withdraws their consent with the key their app holds",
)
def withdraw_myself(
    body: PublicWithdrawalIn,
    session: SessionDep,
    _: Annotated[None, Depends(rate_limited)],
) -> None:
    enrolment = service.enrolment_by_subject(session, body.subject)
    if enrolment.status == "active":  # withdrawing twice is not an error for the worker
        service.withdraw(session, enrolment, body.reason or "withdrawn by the worker")
        audit.record(session, WORKER, Action.UPDATE, "monitoring_enrolments",
                     str(enrolment.id), fields=["status", "consent"],
                     purpose="consent withdrawn by the worker")  # fmt: skip


@public_router.post(
    "/public/monitoring/mine",
    summary="A worker sees everything held about them, with the key their app holds",
)
def what_is_held_about_me(
    body: SubjectIn,
    session: SessionDep,
    _: Annotated[None, Depends(rate_limited)],
) -> dict[str, Any]:
    enrolment = service.enrolment_by_subject(session, body.subject)
    audit.record(session, WORKER, Action.READ, "monitoring_enrolments", str(enrolment.id),
                 fields=["everything"], purpose="the worker's own access")  # fmt: skip
    held: dict[str, Any] = jsonable_encoder(retention.held_about(session, enrolment))
    return held
