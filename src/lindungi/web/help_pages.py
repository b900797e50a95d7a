"""The public pages beside the offer check (no login, limited per address, nothing
stored): verify a recruiter, get help abroad, and follow a report by its tracking number
and secret code.

The recruiter verification answers exactly what ``GET /api/v1/public/verify`` answers (it
calls that route's function, so an individual agent is never named here either), and the
report status uses ``cases.service.public_status`` as ``POST /api/v1/public/case-status``
does: the stage and when it last changed, and one neutral answer for a wrong number or a
wrong secret code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from babel.dates import format_date
from fastapi import APIRouter, Form, Request, Response
from sqlalchemy.orm import Session

from lindungi.api.deps import SessionDep
from lindungi.cases import service as cases
from lindungi.errors import NotFoundError, TooManyRequestsError
from lindungi.recruiters import public_api
from lindungi.recruiters.schemas import MatchOut
from lindungi.web import labels
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import check_csrf, take_draft, viewer
from lindungi.web.templating import language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: The verification's fields, as the public API takes them.
QUERY_FIELDS = ("name", "licence_no", "phone")
MAX_QUERY = 300  # as the API's ``QueryText``
MAX_TRACKING_NO = 20  # as ``cases.schemas.StatusIn``
MAX_SECRET = 40

#: The verdict in a few words (the full sentence comes from ``recruiters.messages``).
VERDICT_TITLES = {
    "licensed": N_("Licensed"),
    "suspended": N_("Licence suspended"),
    "revoked": N_("Licence revoked"),
    "expired": N_("Licence expired"),
    "unknown": N_("Not in the official register"),
}

#: The colour of a verdict, as the offer check's bands show it.
VERDICT_BANDS = {"licensed": "low", "expired": "medium", "suspended": "high",
                 "revoked": "high", "unknown": "high"}  # fmt: skip

#: What to do after each verdict.
ADVICE = {
    "licensed": N_(
        "A licence alone does not make an offer safe: fraudsters also use the names of "
        "licensed companies. Before you pay or sign, confirm the job with the company at its "
        "registered office, at the nearest BP2MI office (BP3MI) or at the manpower office "
        "(Disnaker), and ask for a written contract."
    ),
    "suspended": N_(
        "Do not pay, do not hand over your passport, ID card or other documents, and do not "
        "travel with this recruiter. Report the offer to the hotline."
    ),
    "revoked": N_(
        "Do not pay, do not hand over your passport, ID card or other documents, and do not "
        "travel with this recruiter. Report the offer to the hotline."
    ),
    "expired": N_(
        "Do not pay or travel until the licence is renewed. You can ask at the nearest BP2MI "
        "office (BP3MI) or at the manpower office (Disnaker)."
    ),
    "unknown": N_(
        "Check the spelling, or try the licence number or the phone number. If it is still not "
        "found, do not pay or travel: ask the hotline first."
    ),
}

#: A registered recruiter's licence, as a match shows it.
LICENCE_STATES = {
    "active": N_("licence in force"),
    "suspended": N_("licence suspended"),
    "revoked": N_("licence revoked"),
    "expired": N_("licence expired"),
    "unlicensed": N_("no licence"),
}

#: What a match was found by.
MATCHED_BY = {
    "name": N_("name"),
    "name (similar)": N_("similar name"),
    "licence_no": N_("licence number"),
    "phone": N_("phone number"),
}

#: What each workflow stage means for the person who made the report.
STAGES = {
    "reported": N_("The report has been received and is waiting to be checked by an officer."),
    "verified": N_("An officer has checked the report and is following it up."),
    "located": N_("The officers know where the person is."),
    "rescue_coordinated": N_("Officers are arranging to bring the person to safety."),
    "in_shelter": N_("The person is in a safe place (a shelter)."),
    "repatriation_arranged": N_("The journey home is being arranged."),
    "deportation": N_(
        "The person is being sent home by the authorities of the country they are in; "
        "Indonesian officers are following it."
    ),
    "arrived": N_("The person has arrived in Indonesia."),
    "rehabilitation": N_("The person is receiving care and support after coming home."),
    "reintegration": N_("The person is being helped to settle back into home and work."),
    "closed": N_("The handling of this report has ended."),
}

NO_QUERY = N_("Fill in at least one: the name, the licence number or the phone number.")
TOO_LONG = N_("Too long (at most 300 characters).")
TOO_MANY_CHECKS = N_("Too many checks from this address. Please wait a minute.")
TOO_MANY_TRIES = N_("Too many attempts. Please wait a minute and try again.")
NO_TRACKING_NO = N_("Enter the tracking number.")
NO_SECRET = N_("Enter the secret code.")


def _date(value: dt.date | None, lang: str) -> str:
    """A date as people write it in ``lang`` (``30 Juni 2027``, ``June 30, 2027``)."""
    return format_date(value, format="long", locale=lang) if value else ""


def _limited(request: Request) -> TooManyRequestsError | None:
    """Count this request against the address's public limit; the refusal, if over it."""
    try:
        request.app.state.public_limiter.check(request)
    except TooManyRequestsError as limited:
        return limited
    return None


def _match(match: MatchOut, lang: str) -> dict[str, Any]:
    """A match as the page shows it: an individual agent is never named."""
    return {
        "agent": match.kind == "agent",
        "name": None if match.kind == "agent" else match.name,
        "licence_no": match.licence_no,
        "licence": LICENCE_STATES.get(match.status, match.status),
        "valid_until": _date(match.valid_until, lang),
        "matched_by": MATCHED_BY.get(match.matched_by, match.matched_by),
    }


def _verify_page(request: Request, session: Session, query: dict[str, str]) -> Response:
    """Check the recruiter ``query`` names (if the person asked), and show the answer."""
    errors: dict[str, str] = {}
    for field in QUERY_FIELDS:
        if len(query[field]) > MAX_QUERY:
            errors[field] = TOO_LONG
    if not any(value.strip() for value in query.values()):
        errors["query"] = NO_QUERY
    status, result, limited = 422 if errors else 200, None, None
    if not errors:
        limited = _limited(request)
        if limited is not None:
            errors["query"], status = TOO_MANY_CHECKS, limited.status
    if not errors:
        lang = language(request)
        given = {f: query[f].strip() or None for f in QUERY_FIELDS}
        answer = public_api.public_verification(
            session,
            request.app.state.settings.hotline,
            name=given["name"],
            licence_no=given["licence_no"],
            phone=given["phone"],
        )
        result = {
            "verdict": answer.verdict,
            "title": VERDICT_TITLES[answer.verdict],
            "band": VERDICT_BANDS[answer.verdict],
            "message": answer.message.id if lang == "id" else answer.message.en,
            "warning": (answer.warning.id if lang == "id" else answer.warning.en)
            if answer.warning else None,
            "advice": ADVICE[answer.verdict],
            "matches": [_match(m, lang) for m in answer.matches],
            "similar": [_match(m, lang) for m in answer.similar],
        }  # fmt: skip
    response = render(request, "public/verify.html", status_code=status,
                      user=viewer(request, session), errors=errors, result=result,
                      hotline=request.app.state.settings.hotline, name=query["name"],
                      licence_no=query["licence_no"], phone=query["phone"])  # fmt: skip
    if limited is not None:
        response.headers["Retry-After"] = str(limited.retry_after)
    return response


@router.get("/verify")
def verify_page(
    request: Request,
    session: SessionDep,
    name: str | None = None,
    licence_no: str | None = None,
    phone: str | None = None,
) -> Response:
    """The verification form; with a query (a shared link), its answer at once."""
    if name is None and licence_no is None and phone is None:
        draft = take_draft(request)
        return render(request, "public/verify.html", user=viewer(request, session), errors={},
                      result=None, hotline=request.app.state.settings.hotline,
                      name=draft.get("name", ""), licence_no=draft.get("licence_no", ""),
                      phone=draft.get("phone", ""))  # fmt: skip
    query = {"name": name or "", "licence_no": licence_no or "", "phone": phone or ""}
    return _verify_page(request, session, query)


@router.post("/verify")
def verify(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    licence_no: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Check a recruiter from the form (nothing typed is stored)."""
    query = {"name": name, "licence_no": licence_no, "phone": phone}
    check_csrf(request, csrf, query)
    return _verify_page(request, session, query)


@router.get("/help")
def help_page(request: Request, session: SessionDep) -> Response:
    """The hotline and what to do when in trouble abroad."""
    return render(request, "public/help.html", user=viewer(request, session),
                  hotline=request.app.state.settings.hotline)  # fmt: skip


@router.get("/report-status")
def status_page(request: Request, session: SessionDep) -> Response:
    """The status form (a refused form's tracking number is put back; never its secret)."""
    draft = take_draft(request)
    return render(request, "public/status.html", user=viewer(request, session), errors={},
                  result=None, not_found=False, tracking_no=draft.get("tracking_no", ""),
                  hotline=request.app.state.settings.hotline)  # fmt: skip


@router.post("/report-status")
def report_status(
    request: Request,
    session: SessionDep,
    tracking_no: Annotated[str, Form()] = "",
    secret: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The stage of a report and when it last changed, for its tracking number and secret
    code; a wrong number and a wrong code get the same answer."""
    check_csrf(request, csrf, {"tracking_no": tracking_no})  # never the secret
    errors: dict[str, str] = {}
    if not tracking_no.strip():
        errors["tracking_no"] = NO_TRACKING_NO
    if not secret.strip():
        errors["secret"] = NO_SECRET
    status, result, not_found, limited = 422 if errors else 200, None, False, None
    if not errors:
        limited = _limited(request)
        if limited is not None:
            errors["form"], status = TOO_MANY_TRIES, limited.status
    if not errors:
        try:
            if len(tracking_no) > MAX_TRACKING_NO or len(secret) > MAX_SECRET:
                raise NotFoundError("no case with this tracking number and secret")
            found = cases.public_status(session, tracking_no, secret)
        except NotFoundError as missing:
            not_found, status = True, missing.status
        else:
            lang = language(request)
            result = {"tracking_no": found.tracking_no, "stage": found.stage,
                      "label": labels.STATES.get(found.stage, found.stage),
                      "meaning": STAGES.get(found.stage, ""),
                      "updated_on": _date(found.updated_on, lang)}  # fmt: skip
    response = render(request, "public/status.html", status_code=status,
                      user=viewer(request, session), errors=errors, result=result,
                      not_found=not_found, tracking_no=tracking_no,
                      hotline=request.app.state.settings.hotline)  # fmt: skip
    if limited is not None:
        response.headers["Retry-After"] = str(limited.retry_after)
    return response
