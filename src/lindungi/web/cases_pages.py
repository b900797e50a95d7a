"""The case queue and the case page of the console: the same service functions,
permissions and audit entries as the cases API (``cases/api.py``, ``cases/handoffs_api.py``).

A case page shows the open fields, the timeline, only the workflow steps allowed now
(each a small form with its reason), the services and referrals, the legal track and the
escalations. Protected fields are never on it by default: a person reveals the groups
their role may read, saying why, and the values appear on that response only (never
cached), audited field by field with the purpose, as ``GET /api/v1/cases/{id}?reveal=``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from lindungi.api.deps import SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.cases import handoffs, service, workflow
from lindungi.cases.api import OPEN_FIELDS
from lindungi.cases.identification import UnknownTermError, facts
from lindungi.cases.models import Case
from lindungi.cases.schemas import ReferralIn
from lindungi.errors import ConflictError, InvalidInputError
from lindungi.web import case_labels
from lindungi.web.app import PageRoute
from lindungi.web.case_views import (
    REFERRABLE,
    auditor_for,
    case_page,
    queue_rows,
    set_flash,
    take_flash,
)
from lindungi.web.i18n import N_
from lindungi.web.security import check_csrf, require, take_draft
from lindungi.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE = 100
Text = Annotated[str, Form(max_length=5000)]
Codes = Annotated[list[str], Form()]

REASON = N_("Say why, in at least 3 characters: it goes into the case's timeline.")
CLOSE_REASON = N_("Choose why the case is closed.")
PURPOSE = N_("Say why you reveal these fields, in at least 3 characters: it is audited.")
GROUPS = N_("Choose what to reveal.")
SERVICE = N_("Choose the service.")
RECEIVER = N_("Give either an agency or an organisation by name, not both.")
CONSENT = N_("Record the person's consent, or give the reason for an override.")
DETERMINATION = N_("Choose the determination.")
TERMS = N_("Choose from the lists only.")
NOT_NOW = N_("This step is not possible for the case now.")
STATE = N_("Choose a stage from the list.")


def _reason_ok(text: str, most: int = 2000) -> bool:
    return 3 <= len(text.strip()) <= most


@router.get("/console/cases")
def queue_page(
    request: Request,
    session: SessionDep,
    state: str = "",
    agency: str = "",
    offset: int = 0,
) -> Response:
    user = require(request, session, Permission("cases", "read"))
    scope = user.require(Permission("cases", "read"))
    if scope is not Scope.ALL:
        agency = user.agency
    errors: dict[str, str] = {}
    stage = None
    if state:
        try:
            stage = workflow.State(state)
        except ValueError:
            errors["state"] = STATE
    if agency and agency not in case_labels.AGENCIES:
        agency = ""
    offset = max(offset, 0)
    found = [] if errors else service.queue(session, stage, agency or None, PAGE + 1, offset)
    auditor_for(request, session, user).record(Action.READ, "cases", "queue", OPEN_FIELDS)
    return render(request, "cases/queue.html", user=user, status_code=422 if errors else 200,
                  rows=queue_rows(request, found[:PAGE]), more=len(found) > PAGE,
                  state=state, agency=agency, offset=offset, page=PAGE, errors=errors,
                  all_agencies=scope is Scope.ALL, states=[s.value for s in workflow.State],
                  cl=case_labels)  # fmt: skip


def _show(
    request: Request,
    session: SessionDep,
    user: Principal,
    case: Case,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    problem: dict[str, Any] | None = None,
    revealed: tuple[str, ...] = (),
    purpose: str | None = None,
) -> Response:
    context = case_page(request, session, user, case, revealed=revealed, purpose=purpose)
    page = render(request, "cases/case.html", user=user, status_code=status,
                  errors=errors or {}, values=values or {}, problem=problem,
                  flash=take_flash(request, case.id), **context)  # fmt: skip
    if revealed:
        page.headers["Cache-Control"] = "no-store"
    return page


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/console/cases/{case_id}", status_code=303)


@router.get("/console/cases/{case_id}")
def case_view(request: Request, session: SessionDep, case_id: int) -> Response:
    user = require(request, session, Permission("cases", "read"))
    case = service.get_case(session, case_id, user)
    return _show(request, session, user, case, values=take_draft(request))


@router.post("/console/cases/{case_id}/reveal")
def reveal(
    request: Request,
    session: SessionDep,
    case_id: int,
    groups: Codes = [],  # noqa: B006 - FastAPI copies form defaults
    purpose: Text = "",
    csrf: Text = "",
) -> Response:
    check_csrf(request, csrf, {"purpose": purpose})
    user = require(request, session, Permission("cases", "read"))
    case = service.get_case(session, case_id, user)
    errors = {}
    if not groups:
        errors["groups"] = GROUPS
    if not _reason_ok(purpose, 500):
        errors["purpose"] = PURPOSE
    if errors:
        return _show(request, session, user, case, status=422, errors=errors,
                     values={"purpose": purpose, "groups": groups})  # fmt: skip
    fields = handoffs.reveal(session, case, groups, user)
    return _show(request, session, user, case, revealed=fields, purpose=purpose.strip())


@router.post("/console/cases/{case_id}/moves")
def move(
    request: Request,
    session: SessionDep,
    case_id: int,
    action: Annotated[str, Form(max_length=40)] = "",
    reason: Text = "",
    close_reason: Annotated[str, Form(max_length=40)] = "",
    csrf: Text = "",
) -> Response:
    check_csrf(request, csrf, {f"{action}-reason": reason})
    user = require(request, session, Permission("cases", "update"))
    case = service.get_case(session, case_id, user)
    errors = {}
    if not _reason_ok(reason):
        errors[f"{action}-reason"] = REASON
    closing = None
    if action == "close":
        try:
            closing = workflow.CloseReason(close_reason)
        except ValueError:
            errors["close-close_reason"] = CLOSE_REASON
    values = {f"{action}-reason": reason, "close-close_reason": close_reason}
    if errors:
        return _show(request, session, user, case, status=422, errors=errors, values=values)
    try:
        service.move(session, case_id, action, reason.strip(), user, closing)
    except ConflictError as refused:
        problem = {"message": NOT_NOW, "action": action, "detail": refused.detail,
                   "allowed": refused.extra.get("allowed", []), "workflow": True}  # fmt: skip
        return _show(request, session, user, case, status=409, values=values, problem=problem)
    auditor_for(request, session, user).record(
        Action.TRANSITION, "cases", case_id, ("state",), purpose=reason.strip()
    )
    set_flash(request, case_id, "moved", action=action)
    return _back(case_id)


def _referral_errors(values: dict[str, str]) -> dict[str, str]:
    """What is wrong with a referral form, field by field (message ids)."""
    errors = {}
    if values["service"] not in REFERRABLE:
        errors["service"] = SERVICE
    agency, organisation = values["to_agency"], values["to_organisation"].strip()
    one_receiver = bool(agency) != bool(organisation)
    if not one_receiver or len(organisation) == 1 or agency not in ("", *case_labels.AGENCIES):
        errors["receiver"] = RECEIVER
    if not _reason_ok(values["note"]):
        errors["note"] = REASON
    if values["override_reason"].strip() and not _reason_ok(values["override_reason"]):
        errors["override_reason"] = REASON
    return errors


@router.post("/console/cases/{case_id}/referrals")
def refer(
    request: Request,
    session: SessionDep,
    case_id: int,
    service_code: Annotated[str, Form(alias="service", max_length=40)] = "",
    to_agency: Annotated[str, Form(max_length=16)] = "",
    to_organisation: Annotated[str, Form(max_length=200)] = "",
    consent: Annotated[str, Form(max_length=8)] = "",
    consent_note: Annotated[str, Form(max_length=2000)] = "",
    override_reason: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Text = "",
) -> Response:
    values = {"service": service_code, "to_agency": to_agency, "to_organisation": to_organisation,
              "consent": consent, "consent_note": consent_note,
              "override_reason": override_reason, "note": note}  # fmt: skip
    check_csrf(request, csrf, {k: v for k, v in values.items() if k != "consent"})
    user = require(request, session, Permission("cases", "update"))
    case = service.get_case(session, case_id, user)
    errors = _referral_errors(values)
    if errors:
        return _show(request, session, user, case, status=422, errors=errors, values=values)
    body = ReferralIn(
        service=service_code, to_agency=to_agency or None,
        to_organisation=to_organisation.strip() or None, consent=consent == "yes",
        consent_note=consent_note.strip() or None,
        override_reason=override_reason.strip() or None, note=note.strip(),
    )  # fmt: skip
    try:
        row = handoffs.refer(session, case_id, body.model_dump(), user)
    except InvalidInputError:
        return _show(request, session, user, case, status=422, errors={"consent": CONSENT},
                     values=values)  # fmt: skip
    except ConflictError as refused:
        problem = {"message": NOT_NOW, "action": "refer", "detail": refused.detail, "allowed": []}
        return _show(request, session, user, case, status=409, values=values, problem=problem)
    auditor_for(request, session, user).record(
        Action.CREATE, "case_referrals", row.id, ("service", "basis"),
        purpose=body.override_reason or body.note,
    )  # fmt: skip
    set_flash(request, case_id, "referred", service=row.service)
    return _back(case_id)


@router.post("/console/cases/{case_id}/identification")
def identify(
    request: Request,
    session: SessionDep,
    case_id: int,
    indicators: Codes = [],  # noqa: B006 - FastAPI copies form defaults
    acts: Codes = [],  # noqa: B006
    means: Codes = [],  # noqa: B006
    purposes: Codes = [],  # noqa: B006
    child: Annotated[str, Form(max_length=8)] = "",
    interview_complete: Annotated[str, Form(max_length=8)] = "",
    determination: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    csrf: Text = "",
) -> Response:
    check_csrf(request, csrf, {"identify-reason": reason})
    user = require(request, session, Permission("cases", "identify"))
    case = service.get_case(session, case_id, user)
    values: dict[str, Any] = {
        "indicators": indicators, "acts": acts, "means": means, "purposes": purposes,
        "child": child, "interview_complete": interview_complete,
        "determination": determination, "identify-reason": reason,
    }  # fmt: skip
    errors = {}
    found = None
    try:
        found = workflow.Determination(determination)
    except ValueError:
        errors["determination"] = DETERMINATION
    if not _reason_ok(reason, 4000):
        errors["identify-reason"] = REASON
    try:
        observed = facts(indicators, acts, means, purposes, child=child == "yes",
                         interview_complete=interview_complete == "yes")  # fmt: skip
    except UnknownTermError:
        errors["terms"] = TERMS
    if errors or found is None:
        return _show(request, session, user, case, status=422, errors=errors, values=values)
    try:
        row, suggestion = service.identify(session, case_id, observed, found, reason.strip(), user)
    except ConflictError as refused:
        problem = {"message": NOT_NOW, "action": "identify", "detail": refused.detail,
                   "allowed": []}  # fmt: skip
        return _show(request, session, user, case, status=409, values=values, problem=problem)
    auditor_for(request, session, user).record(
        Action.CREATE, "case_determinations", row.id, ("determination",), purpose=reason.strip()
    )
    set_flash(request, case_id, "identified", determination=row.determination,
              suggested=suggestion.determination.value,
              reasons=list(suggestion.reasons))  # fmt: skip
    return _back(case_id)
