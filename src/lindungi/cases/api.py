"""HTTP routes of cases: intake, the case as each role may see it, workflow moves (409 with
the allowed moves), identification, the timeline, and the reporter's status check."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Header, Query, Response, status
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from lindungi.api.deps import (
    MAX_BIGINT,
    AuditDep,
    RecordId,
    Requires,
    Router,
    SessionDep,
    SettingsDep,
)
from lindungi.api.problems import TOO_MANY_REQUESTS
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.cases import escalation, handoffs, legal, service
from lindungi.cases.access import FIELD_GROUPS, PROTECTED
from lindungi.cases.export import export_cases
from lindungi.cases.figures import DEFINITIONS, case_figures
from lindungi.cases.identification import UnknownTermError, facts
from lindungi.cases.models import Case, CaseEscalation
from lindungi.cases.schemas import (
    CaseIn,
    CaseOut,
    EscalationOut,
    EventOut,
    FiguresOut,
    IdentificationIn,
    IdentificationOut,
    MoveIn,
    ReportedOut,
    StatusIn,
    StatusOut,
)
from lindungi.cases.workflow import State
from lindungi.db import utcnow
from lindungi.errors import InvalidInputError
from lindungi.recruiters.public_api import rate_limited

router = Router(tags=["cases"])
public_router = Router(tags=["public"], responses=TOO_MANY_REQUESTS)  # limited per address
OPEN_FIELDS = ("channel", "state", "determination", "summary", "country", "city")


def case_out(
    session: Session, case: Case, principal: Principal, revealed: tuple[str, ...] = ()
) -> dict[str, object]:
    data: dict[str, object] = {
        "id": case.id, "tracking_no": case.tracking_no, "channel": case.channel,
        "state": case.state, "state_since": case.state_since,
        "determination": case.determination, "close_reason": case.close_reason,
        "agency": case.agency, "country": case.country, "city": case.city,
        "summary": case.summary, "allowed": list(service.allowed_moves(case)),
        "legal_stage": case.legal_stage, "restitution": case.restitution,
        "restitution_ordered_idr": case.restitution_ordered_idr,
        "restitution_paid_idr": case.restitution_paid_idr or 0,
        "legal_allowed": list(legal.allowed(handoffs.legal_state(case))),
        "recruiter_id": case.recruiter_id,
        "revealed": [g for g in FIELD_GROUPS if set(FIELD_GROUPS[g]) <= set(revealed)],
        "may_reveal": list(handoffs.may_reveal(session, case, principal)),
    }  # fmt: skip
    data.update({field: getattr(case, field) for field in revealed})
    return data


@router.post(
    "/cases",
    response_model=ReportedOut,
    status_code=status.HTTP_201_CREATED,
    summary="Open a case from a report; answers its tracking number and secret once",
    responses={
        200: {
            "model": ReportedOut,
            "description": "The report was resent with its Idempotency-Key: the case it "
            "opened the first time, with the same secret.",
        }
    },
)
def report(
    body: CaseIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "create"))],
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=8,
            max_length=128,
            pattern=r"^[\x21-\x7e]+$",
            description="Optional: a report resent with the same key (after a lost answer) "
            "answers the case it opened, with the same secret (200), instead of a second "
            "case; the same key with other content is 409.",
        ),
    ] = None,
) -> ReportedOut:
    reported = service.report(
        session, body.model_dump(), principal, key=idempotency_key,
        server_key=settings.secret_key.get_secret_value().encode(),
    )  # fmt: skip
    given = [f for f in PROTECTED if getattr(body, f) is not None]
    if reported.replayed:
        response.status_code = status.HTTP_200_OK
        auditor.record(Action.READ, "cases", reported.case.id, [*OPEN_FIELDS, *given],
                       purpose="report resent with its idempotency key")  # fmt: skip
    else:
        auditor.record(Action.CREATE, "cases", reported.case.id, [*OPEN_FIELDS, *given])
    return ReportedOut(**case_out(session, reported.case, principal), secret=reported.secret)


@router.get(
    "/cases",
    response_model=list[CaseOut],
    summary="The case queue: open fields only, filtered and paged, oldest in stage first",
)
def queue(
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
    state: State | None = None,
    agency: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> list[CaseOut]:
    scope = principal.require(Permission("cases", "read"))
    if scope is not Scope.ALL:
        agency = principal.agency
    found = service.queue(session, state, agency, limit, offset)
    auditor.record(Action.READ, "cases", "queue", OPEN_FIELDS)
    return [CaseOut(**case_out(session, case, principal)) for case in found]


@router.get(
    "/cases/export",
    summary="Export cases as CSV: open fields, and protected groups held for every case",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def export(
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "export"))],
    purpose: Annotated[str, Query(min_length=3, max_length=500)],
    reveal: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies query defaults
    state: State | None = None,
    agency: Annotated[str | None, Query(max_length=16)] = None,
) -> PlainTextResponse:
    made = export_cases(session, principal, reveal, state, agency)
    for case_id in made.case_ids:
        auditor.record(Action.EXPORT, "cases", case_id, made.columns, purpose=purpose)
    return PlainTextResponse(
        made.csv,
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
    )


@router.get(
    "/cases/figures",
    response_model=FiguresOut,
    summary="Figures of the cases opened in a window (end exclusive), each with its definition",
)
def figures(
    session: SessionDep,
    _: Annotated[Principal, Depends(Requires("cases", "figures"))],
    start: dt.date | None = None,
    end: dt.date | None = None,
    agency: Annotated[str | None, Query(max_length=16)] = None,
) -> FiguresOut:
    if start is not None and end is not None and end <= start:
        raise InvalidInputError(f"end {end} must come after start {start}")
    found = case_figures(session, _midnight(start), _midnight(end), agency)
    return FiguresOut(start=start, end=end, agency=agency, figures=found.to_dict(),
                      definitions=DEFINITIONS)  # fmt: skip


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(), dt.UTC)


@router.get(
    "/case-escalations",
    response_model=list[EscalationOut],
    summary="Missed deadlines not yet taken up, highest level first",
)
def list_escalations(
    session: SessionDep,
    principal: Annotated[Principal, Depends(Requires("cases", "escalations"))],
) -> list[EscalationOut]:
    scope = principal.require(Permission("cases", "escalations"))
    agency = None if scope is Scope.ALL else principal.agency
    return [EscalationOut.model_validate(e, from_attributes=True)
            for e in escalation.open_escalations(session, agency)]  # fmt: skip


@router.post(
    "/case-escalations/{escalation_id}/acknowledge",
    response_model=EscalationOut,
    summary="Take up an escalation (recorded once)",
)
def acknowledge_escalation(
    escalation_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "escalations"))],
) -> EscalationOut:
    row = session.get(CaseEscalation, escalation_id)
    case = session.get(Case, row.case_id) if row is not None else None
    if case is not None:
        principal.authorize(Permission("cases", "escalations"), owner_agency=case.agency,
                            resource_id=str(escalation_id))  # fmt: skip
    done = escalation.acknowledge(session, escalation_id, principal.username, utcnow())
    auditor.record(Action.UPDATE, "case_escalations", escalation_id, ("acknowledged_by",))
    return EscalationOut.model_validate(done, from_attributes=True)


@router.get(
    "/cases/{case_id}",
    response_model=CaseOut,
    summary="A case; protected field groups only when asked for (reveal=…) with a purpose",
)
def get_case(
    case_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
    reveal: Annotated[
        list[str], Query(description="Groups to reveal: " + ", ".join(FIELD_GROUPS))
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    purpose: Annotated[str | None, Query(min_length=3, max_length=500)] = None,
) -> CaseOut:
    case = service.get_case(session, case_id, principal)
    if reveal and not purpose:
        raise InvalidInputError("purpose: say why you reveal protected fields (it is audited)")
    fields = handoffs.reveal(session, case, reveal, principal)
    auditor.record(Action.READ, "cases", case_id, [*OPEN_FIELDS, *fields], purpose=purpose)
    return CaseOut(**case_out(session, case, principal, fields))


@router.post(
    "/cases/{case_id}/moves",
    response_model=CaseOut,
    summary="Take one step of the workflow (409 names the allowed moves)",
)
def move(
    case_id: RecordId,
    body: MoveIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "update"))],
) -> CaseOut:
    case = service.move(session, case_id, body.action, body.reason, principal, body.close_reason)
    auditor.record(Action.TRANSITION, "cases", case_id, ("state",), purpose=body.reason)
    return CaseOut(**case_out(session, case, principal))


@router.post(
    "/cases/{case_id}/identification",
    response_model=IdentificationOut,
    status_code=status.HTTP_201_CREATED,
    summary="Record victim identification: the determination beside what the facts suggest",
)
def identify(
    case_id: RecordId,
    body: IdentificationIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "identify"))],
) -> IdentificationOut:
    try:
        observed = facts(body.indicators, body.acts, body.means, body.purposes,
                         child=body.child, interview_complete=body.interview_complete)  # fmt: skip
    except UnknownTermError as error:
        raise InvalidInputError(str(error)) from None
    row, _ = service.identify(session, case_id, observed, body.determination, body.reason,
                              principal)  # fmt: skip
    auditor.record(Action.CREATE, "case_determinations", row.id, ("determination",),
                   purpose=body.reason)  # fmt: skip
    case = service.get_case(session, case_id, principal)
    return IdentificationOut(
        id=row.id, determination=row.determination, suggested=row.suggested,
        suggestion_reasons=row.suggestion_reasons, decided_by=row.decided_by,
        decided_at=row.decided_at, allowed=list(service.allowed_moves(case)),
    )  # fmt: skip


@router.get("/cases/{case_id}/timeline", response_model=list[EventOut], summary="A case's timeline")
def timeline(
    case_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
) -> list[EventOut]:
    service.get_case(session, case_id, principal)
    auditor.record(Action.READ, "cases", case_id, ("timeline",))
    return [
        EventOut(at=e.at, actor=e.actor, agency=e.agency, action=e.action,
                 from_state=e.from_state, to_state=e.to_state, reason=e.reason)
        for e in service.timeline(session, case_id)
    ]  # fmt: skip


@public_router.post(
    "/public/case-status",
    response_model=StatusOut,
    summary="A reporter checks a case's stage with its tracking number and secret",
)
def case_status(
    body: StatusIn,
    session: SessionDep,
    _: Annotated[None, Depends(rate_limited)],
) -> StatusOut:
    found = service.public_status(session, body.tracking_no, body.secret)
    return StatusOut(tracking_no=found.tracking_no, stage=found.stage,
                     updated_on=found.updated_on)  # fmt: skip
