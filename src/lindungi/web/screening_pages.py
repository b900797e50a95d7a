"""The screening desk: screen a traveller, read the explained result, record the decision
(a referral to BP2MI opens a case there) and the traveller's objection.

The same permissions, service functions and audit entries as ``screening/api.py``: a page
is the API with a form in front of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from lindungi.api.deps import SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.errors import ConflictError
from lindungi.screening import desk
from lindungi.screening import service as screening
from lindungi.screening.api import SCREENING_FIELDS, rates_of
from lindungi.screening.models import Screening
from lindungi.web import page_audit, screening_form
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.screening_form import FIELDS, default_reference, parse
from lindungi.web.security import check_csrf, require, take_draft
from lindungi.web.templating import can, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: What a listed screening shows of itself (and what its audit entry says was read).
LIST_FIELDS = ("reference", "person", "band", "score", "decision")
DECIDABLE = ("proceed", "interview", "refer")
NOTICES = {
    "decision": N_("The decision is recorded."),
    "contest": N_("The traveller's objection is recorded for review."),
}


async def _posted(request: Request) -> dict[str, str]:
    """The posted form's text fields (files are never expected here)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(_posted)]


def _read_scope(user: Principal) -> str | None:
    """The agency whose screenings ``user`` may list (``None``: every agency's)."""
    return None if user.scope_for(Permission("screenings", "read")) is Scope.ALL else user.agency


def _listed(
    request: Request, session: Session, user: Principal, found: list[Screening]
) -> list[Screening]:
    for item in found:
        page_audit.record(request, session, user, Action.READ, "screenings", item.id, LIST_FIELDS)
    return found


def _desk(
    request: Request,
    session: Session,
    user: Principal,
    *,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
    wanted: str = "",
    matches: list[Screening] | None = None,
) -> Response:
    recent: list[Screening] = []
    if can(user, "screenings", "read"):
        recent = _listed(request, session, user, desk.recent(session, _read_scope(user)))
    return render(request, "screening/desk.html", status_code=status_code, user=user,
                  form=form, errors=errors, recent=recent, wanted=wanted, matches=matches,
                  choices=screening_form,
                  countries=screening_form.countries(language(request)))  # fmt: skip


@router.get("/console/screening")
def desk_page(request: Request, session: SessionDep, find: str = "") -> Response:
    user = require(request, session, Permission("screenings", "create"))
    matches = None
    if find.strip() and can(user, "screenings", "read"):
        found = desk.find(session, find[:200], _read_scope(user))
        if len(found) == 1:
            return RedirectResponse(f"/console/screening/{found[0].id}", status_code=303)
        matches = _listed(request, session, user, found)
    draft = take_draft(request)
    return _desk(request, session, user, form={k: draft.get(k, "") for k in FIELDS},
                 errors={}, wanted=find[:200], matches=matches)  # fmt: skip


@router.post("/console/screening")
def screen(request: Request, session: SessionDep, posted: FormDep) -> Response:
    form = {key: posted.get(key, "") for key in FIELDS}
    check_csrf(request, posted.get("csrf"), form)
    user = require(request, session, Permission("screenings", "create"))
    given = dict(form)
    if not given["id"].strip():
        given["id"] = default_reference(user.agency, dt.datetime.now(dt.UTC))
    body, errors = parse(given)
    if body is None:
        return _desk(request, session, user, form=form, errors=errors, status_code=422)
    stored = screening.screen_at_desk(session, body, user, rates=rates_of(request))
    page_audit.record(request, session, user, Action.CREATE, "screenings", stored.id,
                      SCREENING_FIELDS)  # fmt: skip
    return RedirectResponse(f"/console/screening/{stored.id}", status_code=303)


def _result(
    request: Request,
    session: Session,
    user: Principal,
    screening_id: int,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notice: str | None = None,
    problem: str | None = None,
) -> Response:
    """The result page: the screening as read (and audited) through the service."""
    found = screening.get_screening(session, screening_id, user)
    page_audit.record(request, session, user, Action.READ, "screenings", screening_id,
                      SCREENING_FIELDS)  # fmt: skip
    referral = desk.referral_of(session, found.id)
    case_id = desk.case_of_referral(session, referral.id) if referral is not None else None
    lang = language(request)
    names = dict(screening_form.countries(lang))
    return render(request, "screening/result.html", status_code=status_code, user=user,
                  s=found, traveller=_traveller(found.request, names), referral=referral,
                  case_id=case_id, errors=errors or {}, values=values or {}, notice=notice,
                  problem=problem, choices=screening_form, decidable=DECIDABLE)  # fmt: skip


def _traveller(request: dict[str, Any], countries: dict[str, str]) -> dict[str, Any]:
    """What the desk declared, flattened for the result page (codes kept for labels)."""
    person, trip = request.get("person") or {}, request.get("trip") or {}
    offer, recruiter = request.get("job_offer") or {}, request.get("recruiter") or {}
    country = trip.get("destination_country")
    return {
        **{f: person.get(f) for f in ("full_name", "nik", "passport_no", "birth_date")},
        "country": countries.get(country.upper(), country) if country else None,
        "city": trip.get("destination_city"),
        "visa_type": trip.get("visa_type"),
        "purpose": trip.get("purpose"),
        "offer": offer.get("text"),
        "channel": offer.get("channel"),
        "recruiter": recruiter.get("name"),
    }


@router.get("/console/screening/{screening_id}")
def result_page(
    request: Request, session: SessionDep, screening_id: int, done: str = ""
) -> Response:
    user = require(request, session, Permission("screenings", "read"))
    draft = take_draft(request)
    return _result(request, session, user, screening_id, values=draft,
                   notice=NOTICES.get(done))  # fmt: skip


@router.post("/console/screening/{screening_id}/decision")
def decision(request: Request, session: SessionDep, screening_id: int, posted: FormDep) -> Response:
    values = {"decision": posted.get("decision", ""), "reason": posted.get("reason", "").strip()}
    check_csrf(request, posted.get("csrf"), values)
    user = require(request, session, Permission("screenings", "decide"))
    errors = {}
    if values["decision"] not in DECIDABLE:
        errors["decision"] = N_("Choose proceed, interview or refer.")
    if len(values["reason"]) < 3:
        errors["reason"] = N_("Give the reason for your decision (at least 3 characters).")
    elif len(values["reason"]) > 2000:
        errors["reason"] = N_("The reason is too long (at most 2,000 characters).")
    if errors:
        return _result(request, session, user, screening_id, status_code=422, errors=errors,
                       values=values)  # fmt: skip
    try:
        decided, referral = screening.decide(
            session, screening_id, values["decision"], values["reason"], user
        )
    except ConflictError:
        return _result(request, session, user, screening_id, status_code=409,
                       problem=N_("This screening was already decided, and a decision is "
                                  "recorded only once. Record the traveller's objection to "
                                  "have it reviewed."))  # fmt: skip
    page_audit.record(request, session, user, Action.UPDATE, "screenings", screening_id,
                      ("decision", "decision_reason"), purpose=values["reason"])  # fmt: skip
    if referral is not None:
        page_audit.record(request, session, user, Action.CREATE, "screening_referrals",
                          referral.id, ("evidence",))  # fmt: skip
        case_id = desk.case_of_referral(session, referral.id)
        page_audit.record(request, session, user, Action.CREATE, "cases", case_id or 0,
                          ("summary", "identity"),
                          purpose="opened by a screening referral")  # fmt: skip
    return RedirectResponse(f"/console/screening/{decided.id}?done=decision", status_code=303)


@router.post("/console/screening/{screening_id}/contest")
def contest(request: Request, session: SessionDep, screening_id: int, posted: FormDep) -> Response:
    values = {"contest": posted.get("contest", "").strip()}
    check_csrf(request, posted.get("csrf"), values)
    user = require(request, session, Permission("screenings", "contest"))
    error = None
    if len(values["contest"]) < 3:
        error = N_("Write down the traveller's objection (at least 3 characters).")
    elif len(values["contest"]) > 4000:
        error = N_("The objection is too long (at most 4,000 characters).")
    if error is not None:
        return _result(request, session, user, screening_id, status_code=422,
                       errors={"contest": error}, values=values)  # fmt: skip
    try:
        contested = screening.contest(session, screening_id, values["contest"], user)
    except ConflictError:
        return _result(request, session, user, screening_id, status_code=409,
                       problem=N_("The traveller's objection to this screening is already "
                                  "recorded."))  # fmt: skip
    page_audit.record(request, session, user, Action.UPDATE, "screenings", screening_id,
                      ("contest",))  # fmt: skip
    return RedirectResponse(f"/console/screening/{contested.id}?done=contest", status_code=303)
