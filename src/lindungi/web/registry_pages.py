"""The recruiter registry in the console: a search by name, licence number or phone with
the standing verdict and the fronts found behind it, and one recruiter's page — its
licences with their history, its bond and the claims on it, the identifiers behind it,
and the fronts, each with the path that explains it.

Permissions and audit entries follow ``recruiters/api.py``: everything needs
``recruiters:read``; a search records a read of each matched recruiter's standing and
fronts, a recruiter's page a read of its registry fields, a licence look-up a read of
the licence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lindungi.api.deps import SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Permission, Principal
from lindungi.errors import NotFoundError
from lindungi.recruiters import service
from lindungi.recruiters.api import RECRUITER_FIELDS
from lindungi.recruiters.models import Bond, Licence, Recruiter
from lindungi.recruiters.standing import Finding, Standing, fronts, recruiter_standing
from lindungi.web import page_audit
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import require
from lindungi.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

READ = Permission("recruiters", "read")
MAX_QUERY = 300

VERDICTS = {
    "licensed": N_("licensed"),
    "suspended": N_("licence suspended"),
    "revoked": N_("licence revoked"),
    "expired": N_("licence expired"),
    "unknown": N_("not in the registry"),
}
LICENCE_STATUSES = {
    "active": N_("active"),
    "suspended": N_("suspended"),
    "revoked": N_("revoked"),
    "expired": N_("expired"),
    "unlicensed": N_("no licence"),
}
MATCHED_BY = {
    "name": N_("name"),
    "name (similar)": N_("similar name"),
    "licence_no": N_("licence number"),
    "phone": N_("phone"),
}
RECRUITER_KINDS = {"company": N_("company"), "branch": N_("branch"), "agent": N_("agent")}
IDENTIFIER_KINDS = {
    "phone": N_("phone"),
    "address": N_("address"),
    "director": N_("director"),
    "bank_account": N_("bank account"),
    "social": N_("social media account"),
    "employer": N_("employer abroad"),
}
BOND_STATUSES = {"held": N_("held"), "exhausted": N_("exhausted"), "released": N_("released")}
CLAIM_STATUSES = {
    "filed": N_("filed"),
    "verified": N_("verified"),
    "paid": N_("paid"),
    "rejected": N_("rejected"),
}
ERRORS = {
    "empty": N_("Give a name, a licence number or a phone number."),
    "long": N_("At most 300 characters."),
}


@dataclass(frozen=True)
class Profile:
    """One recruiter as its page shows it: the record (licences with their history,
    identifiers, bonds with their claims), its standing now and the fronts behind it."""

    recruiter: Recruiter
    status: str
    fronts: tuple[Finding, ...]


# --- reading (kept out of the route handlers) ----------------------------------------


def load_recruiter(session: Session, recruiter_id: int) -> Recruiter:
    """A recruiter with everything its page shows, or 404."""
    recruiter = session.scalar(
        select(Recruiter)
        .where(Recruiter.id == recruiter_id)
        .options(
            selectinload(Recruiter.licences).selectinload(Licence.events),
            selectinload(Recruiter.identifiers),
            selectinload(Recruiter.bonds).selectinload(Bond.claims),
        )
    )
    if recruiter is None:
        raise NotFoundError(f"no recruiter {recruiter_id}")
    return recruiter


def profile(session: Session, recruiter: Recruiter, today: dt.date) -> Profile:
    """The recruiter's standing (by its newest licence, as the standing check reads it)
    and the fronts found behind it, each with its explaining path."""
    newest = max(recruiter.licences, key=lambda lc: lc.id, default=None)
    if newest is None:
        return Profile(recruiter, "unlicensed", tuple(fronts(session, [recruiter.id], today)))
    found = recruiter_standing(session, licence_no=newest.number, today=today)
    mine = next(m for m in found.matches if m.recruiter_id == recruiter.id)
    return Profile(recruiter, mine.status, found.findings)


def names_of(session: Session, findings: tuple[Finding, ...]) -> dict[int, str]:
    """The names of the recruiters a set of findings' paths lead to."""
    ids = {int(step.split(":", 1)[1]) for f in findings for step in f.path
           if step.startswith("recruiter:")}  # fmt: skip
    if not ids:
        return {}
    query = select(Recruiter.id, Recruiter.name).where(Recruiter.id.in_(ids))
    return dict(session.execute(query).all())


# --- pages ---------------------------------------------------------------------------


def _record(request: Request, session: Session, user: Principal, resource_type: str,
            resource_id: str | int, fields: tuple[str, ...]) -> None:  # fmt: skip
    page_audit.record(request, session, user, Action.READ, resource_type, resource_id, fields)


QueryText = Annotated[str, Query(max_length=2000)]


@router.get("/console/recruiters")
def search_page(
    request: Request,
    session: SessionDep,
    name: QueryText = "",
    licence_no: QueryText = "",
    phone: QueryText = "",
    search: str = "",
) -> Response:
    user = require(request, session, READ)
    typed = {"name": name.strip(), "licence_no": licence_no.strip(), "phone": phone.strip()}
    errors = {field: ERRORS["long"] for field, value in typed.items() if len(value) > MAX_QUERY}
    asked = bool(search) or any(typed.values())
    if asked and not any(typed.values()):
        errors["name"] = ERRORS["empty"]
    result: Standing | None = None
    if asked and not errors:
        result = recruiter_standing(session, name=typed["name"] or None,
                                    licence_no=typed["licence_no"] or None,
                                    phone=typed["phone"] or None)  # fmt: skip
        for match in result.matches:
            _record(request, session, user, "recruiters", match.recruiter_id,
                    ("standing", "fronts"))  # fmt: skip
    return render(request, "registry/search.html", status_code=422 if errors else 200,
                  user=user, typed=typed, errors=errors, result=result,
                  names=names_of(session, result.findings) if result else {},
                  verdicts=VERDICTS, statuses=LICENCE_STATUSES, matched_by=MATCHED_BY,
                  kinds=RECRUITER_KINDS, identifier_kinds=IDENTIFIER_KINDS)  # fmt: skip


@router.get("/console/recruiters/by-licence")
def by_licence(request: Request, session: SessionDep, number: QueryText = "") -> Response:
    user = require(request, session, READ)
    licence = service.get_licence(session, number[:MAX_QUERY])
    _record(request, session, user, "licences", licence.number,
            ("status", "valid_until", "events"))  # fmt: skip
    return RedirectResponse(
        f"/console/recruiters/{licence.recruiter_id}#licence-{licence.id}", status_code=303
    )


@router.get("/console/recruiters/{recruiter_id}")
def recruiter_page(request: Request, session: SessionDep, recruiter_id: int) -> Response:
    user = require(request, session, READ)
    recruiter = load_recruiter(session, recruiter_id)
    found = profile(session, recruiter, dt.date.today())
    _record(request, session, user, "recruiters", recruiter_id, RECRUITER_FIELDS)
    _record(request, session, user, "recruiters", recruiter_id, ("standing", "fronts"))
    return render(request, "registry/recruiter.html", user=user, profile=found,
                  names=names_of(session, found.fronts), statuses=LICENCE_STATUSES,
                  kinds=RECRUITER_KINDS, identifier_kinds=IDENTIFIER_KINDS,
                  bond_statuses=BOND_STATUSES, claim_statuses=CLAIM_STATUSES)  # fmt: skip
