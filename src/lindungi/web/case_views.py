"""What the case pages show: the queue's rows with their deadlines, and the case page's
context (open fields, timeline, moves allowed now, referrals, legal track, escalations,
protected fields revealed on purpose), audited as the cases API audits the same reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from lindungi.api.deps import Auditor, request_id
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.cases import escalation, handoffs, service, workflow
from lindungi.cases.api import OPEN_FIELDS, case_out
from lindungi.cases.deadlines import Overdue, configured, due_at, overdue
from lindungi.cases.identification import ACTS, ILO_INDICATORS, MEANS, PURPOSES
from lindungi.cases.models import Case
from lindungi.cases.referrals import Service
from lindungi.web import case_labels
from lindungi.web.templating import language

#: Services a case worker refers a case for from the page (the police go by the legal track).
REFERRABLE = tuple(s.value for s in Service if s is not Service.POLICE)


def auditor_for(request: Request, session: Session, user: Principal) -> Auditor:
    """The audit recorder the API's routes use, for a page's user."""
    return Auditor(session, Actor(user.username, user.agency), request_id(request), "")


def reaches(user: Principal, action: str, case: Case) -> bool:
    """Whether ``user`` may take ``cases:<action>`` on ``case`` (own agency, or all)."""
    scope = user.scope_for(Permission("cases", action))
    return scope is Scope.ALL or (scope is Scope.AGENCY and user.agency == case.agency)


@dataclass(frozen=True)
class Deadline:
    """When a case must leave its stage, and how late it is."""

    due: dt.datetime | None
    late: Overdue | None


def deadline(request: Request, case: Case, now: dt.datetime) -> Deadline:
    """The case's stage deadline under the installation's settings."""
    limits = configured(request.app.state.settings.case_deadline_hours)
    state = workflow.State(case.state)
    return Deadline(due_at(state, case.state_since, limits),
                    overdue(state, case.state_since, now, limits))  # fmt: skip


def queue_rows(request: Request, cases: Sequence[Case]) -> list[dict[str, Any]]:
    """The queue's rows: open fields only, each with its deadline."""
    now = dt.datetime.now(dt.UTC)
    return [{"case": case, "deadline": deadline(request, case, now)} for case in cases]


def close_reasons(case: Case) -> list[str]:
    """The reasons a case may be closed for now (the guards of ``cases.workflow``)."""
    found = workflow.Determination(case.determination) if case.determination else None
    return [r.value for r in workflow.CloseReason
            if "close" in workflow.allowed(case.state, found, r)]  # fmt: skip


def _choices(codes: Sequence[str], labels: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(code, labels[code]) for code in codes]


def identification_choices(lang: str) -> dict[str, list[tuple[str, str]]]:
    """The identification form's checkboxes: ILO indicators (labelled in both languages
    by ``cases.identification``) and the elements of trafficking (message ids)."""
    return {
        "indicators": [(i.code, i.label_id if lang == "id" else i.label_en)
                       for i in ILO_INDICATORS],
        "acts": _choices(ACTS, case_labels.ACTS),
        "means": _choices(MEANS, case_labels.MEANS),
        "purposes": _choices(PURPOSES, case_labels.PURPOSES),
    }  # fmt: skip


def case_page(
    request: Request,
    session: Session,
    user: Principal,
    case: Case,
    *,
    revealed: tuple[str, ...] = (),
    purpose: str | None = None,
) -> dict[str, Any]:
    """The case page's context; the reads are audited as ``GET /api/v1/cases/{id}`` (with
    the revealed fields and the purpose), its timeline and its referrals are."""
    auditor = auditor_for(request, session, user)
    auditor.record(Action.READ, "cases", case.id, [*OPEN_FIELDS, *revealed], purpose=purpose)
    auditor.record(Action.READ, "cases", case.id, ("timeline",))
    auditor.record(Action.READ, "cases", case.id, ("referrals",))
    data = case_out(session, case, user, revealed)
    update = reaches(user, "update", case)
    open_case = case.state != workflow.State.CLOSED.value
    late = []
    if reaches(user, "escalations", case):
        late = escalation.open_escalations(session, case.agency, case.id)
    return {
        "case": case,
        "data": data,
        "deadline": deadline(request, case, dt.datetime.now(dt.UTC)),
        "events": service.timeline(session, case.id),
        "referrals": handoffs.case_referrals(session, case.id),
        "moves": list(service.allowed_moves(case)) if update else [],
        "close_reasons": close_reasons(case),
        "may_update": update,
        "may_refer": update and open_case,
        "may_override": user.scope_for(Permission("cases", "override")) is not None,
        "may_identify": reaches(user, "identify", case) and open_case,
        "show_escalations": reaches(user, "escalations", case),
        "escalations": late,
        "revealed_fields": revealed,
        "purpose": purpose,
        "services": REFERRABLE,
        "agencies": case_labels.AGENCIES,
        "choices": identification_choices(language(request)),
        "cl": case_labels,
    }


def take_flash(request: Request, case_id: int) -> dict[str, Any] | None:
    """The message a form left for this case's page, once."""
    flash = request.session.pop("case_flash", None)
    if isinstance(flash, dict) and flash.get("case") == case_id:
        return flash
    return None


def set_flash(request: Request, case_id: int, kind: str, **values: Any) -> None:
    """Leave a note of what was just done (``kind``: moved, referred, identified) for the
    case page the form redirects to."""
    request.session["case_flash"] = {"case": case_id, "kind": kind, **values}
