"""The person index in the console: find a person by NIK, passport or name; read their
records across agencies with the provenance and the explanation of every link, the
document signals, and the officers' judgements; judge two records the same person or not.

The same permissions, service functions and audit entries as ``identity/api.py``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from lindungi.api.deps import SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Permission, Principal
from lindungi.errors import NotFoundError
from lindungi.identity import search, service, signals
from lindungi.identity.api import RECORD_FIELDS
from lindungi.people.models import PersonRecord
from lindungi.web import page_audit, person_labels
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import check_csrf, require, take_draft
from lindungi.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: What a search result shows of a person (and what its audit entry says was read).
FOUND_FIELDS = ("full_name", "birth_date", "source")
JUDGE_FIELDS = ("first", "second", "second_source", "second_record_id", "verdict", "reason")
NOTICES = {"judged": N_("The judgement is recorded and applied to the index.")}


async def _posted(request: Request) -> dict[str, str]:
    """The posted form's text fields."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(_posted)]


@router.get("/console/persons")
def search_page(
    request: Request, session: SessionDep, nik: str = "", passport: str = "", name: str = ""
) -> Response:
    user = require(request, session, Permission("persons", "read"))
    asked = {"nik": nik.strip()[:32], "passport": passport.strip()[:16], "name": name.strip()[:200]}
    found = None
    error = None
    if asked["name"] and not (asked["nik"] or asked["passport"]) and len(asked["name"]) < 3:
        error = N_("Give at least 3 letters of the name.")
    elif any(asked.values()):
        found = search.find_persons(session, nik=asked["nik"] or None,
                                    passport=asked["passport"] or None,
                                    name=asked["name"] or None)  # fmt: skip
        for person in found:
            page_audit.record(request, session, user, Action.READ, "persons", person.person_id,
                              FOUND_FIELDS)  # fmt: skip
    return render(request, "persons/search.html", status_code=422 if error else 200, user=user,
                  asked=asked, found=found, error=error)  # fmt: skip


def _person(
    request: Request,
    session: Session,
    user: Principal,
    person_id: int,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    """A person's page, read (and audited) as the API reads a person and their signals."""
    rows = service.person_records(session, person_id)
    page_audit.record(request, session, user, Action.READ, "persons", person_id, RECORD_FIELDS)
    found_signals = signals.document_signals(session, person_id)
    page_audit.record(request, session, user, Action.READ, "persons", person_id, ("signals",))
    judged = search.judgements_of(session, [record.id for record, _ in rows])
    for pair in judged:
        page_audit.record(request, session, user, Action.READ, "identity_judgements",
                          pair.judgement.id, ("verdict", "reason"))  # fmt: skip
    named = {record.id: (record.source, record.source_record_id) for record, _ in rows}
    return render(request, "persons/person.html", status_code=status_code, user=user,
                  person_id=person_id, rows=rows, named=named, signals=found_signals,
                  judged=judged, errors=errors or {}, values=values or {}, notice=notice,
                  words=person_labels)  # fmt: skip


@router.get("/console/persons/{person_id}")
def person_page(request: Request, session: SessionDep, person_id: int, done: str = "") -> Response:
    user = require(request, session, Permission("persons", "read"))
    return _person(request, session, user, person_id, values=take_draft(request),
                   notice=NOTICES.get(done))  # fmt: skip


def _second(
    session: Session, values: dict[str, str], mine: dict[str, PersonRecord]
) -> tuple[PersonRecord | None, str | None]:
    """The other record of a judgement: one of this person's, or one named by its source
    and its number there; else the error to show next to the field."""
    if values["second"] in mine:
        return mine[values["second"]], None
    source, number = values["second_source"], values["second_record_id"]
    if not source or not number:
        return None, N_("Choose the other record, or give its source and its number there.")
    try:
        return service.record_ref(session, source[:64], number[:128]), None
    except NotFoundError:
        return None, N_("No record with this source and number is in the index.")


def _check(
    session: Session, values: dict[str, str], mine: dict[str, PersonRecord]
) -> tuple[dict[str, str], tuple[PersonRecord, PersonRecord] | None]:
    errors: dict[str, str] = {}
    first = mine.get(values["first"])
    if first is None:
        errors["first"] = N_("Choose one of this person's records.")
    second, problem = _second(session, values, mine)
    if problem is not None:
        errors["second"] = problem
    elif first is not None and second is not None and second.id == first.id:
        errors["second"] = N_("Choose a record other than the first one.")
    if values["verdict"] not in person_labels.VERDICTS:
        errors["verdict"] = N_("Say whether the two records are the same person or not.")
    if not 3 <= len(values["reason"]) <= 2000:
        errors["reason"] = N_(
            "Say why, in 3 to 2,000 characters: every officer after you will read it."
        )
    if errors or first is None or second is None:
        return errors, None
    return errors, (first, second)


@router.post("/console/persons/{person_id}/judgements")
def judge(request: Request, session: SessionDep, person_id: int, posted: FormDep) -> Response:
    values = {key: posted.get(key, "").strip() for key in JUDGE_FIELDS}
    check_csrf(request, posted.get("csrf"), values)
    user = require(request, session, Permission("persons", "judge"))
    mine = {str(record.id): record for record, _ in service.person_records(session, person_id)}
    errors, pair = _check(session, values, mine)
    if pair is None:
        return _person(request, session, user, person_id, status_code=422, errors=errors,
                       values=values)  # fmt: skip
    first, second = pair
    judgement = service.judge(session, first.id, second.id, values["verdict"], values["reason"],
                              user.username, user.agency)  # fmt: skip
    page_audit.record(request, session, user, Action.CREATE, "identity_judgements", judgement.id,
                      ("verdict", "reason"), purpose=values["reason"])  # fmt: skip
    now = service.person_of(session, first.id) or person_id
    return RedirectResponse(f"/console/persons/{now}?done=judged", status_code=303)
