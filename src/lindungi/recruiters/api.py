"""HTTP routes: the registry for officers and licensing staff; verification for everyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.errors import InvalidInputError, NotFoundError
from lindungi.recruiters import bonds, service
from lindungi.recruiters.models import Complaint, Recruiter, Sanction
from lindungi.recruiters.schemas import (
    BondCreate,
    BondOut,
    ClaimCreate,
    ClaimDecision,
    ClaimOut,
    ComplaintCreate,
    ComplaintOut,
    FindingOut,
    IdentifierCreate,
    LicenceChange,
    LicenceOut,
    MatchOut,
    RecruiterCreate,
    RecruiterOut,
    SanctionCreate,
    SanctionOut,
    StandingOut,
)
from lindungi.recruiters.standing import Standing, recruiter_standing

router = Router(tags=["recruiter registry"])
RECRUITER_FIELDS = ("name", "licences", "identifiers", "bonds")


def _recruiter(session: Session, recruiter_id: int) -> Recruiter:
    recruiter = session.scalar(
        select(Recruiter)
        .where(Recruiter.id == recruiter_id)
        .options(
            selectinload(Recruiter.licences),
            selectinload(Recruiter.identifiers),
            selectinload(Recruiter.bonds),
        )
    )
    if recruiter is None:
        raise NotFoundError(f"no recruiter {recruiter_id}")
    return recruiter


def _standing_out(standing: Standing) -> StandingOut:
    return StandingOut(
        verdict=standing.verdict,
        matches=[MatchOut(**m.__dict__) for m in standing.matches],
        similar=[MatchOut(**m.__dict__) for m in standing.similar],
        findings=[
            FindingOut(
                code=f.code,
                recruiter_id=f.recruiter_id,
                other_recruiter_id=f.other_recruiter_id,
                path=list(f.path),
                explanation=f.explanation,
            )
            for f in standing.findings
        ],
    )


def require_query(name: str | None, licence_no: str | None, phone: str | None) -> None:
    if not (name or licence_no or phone):
        raise InvalidInputError("give at least one of name, licence_no or phone")


QueryText = Annotated[str | None, Query(max_length=300)]


@router.get(
    "/recruiters/standing",
    response_model=StandingOut,
    summary="A recruiter's standing with the fronts found behind it (explained)",
)
def standing(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("recruiters", "read"))],
    name: QueryText = None,
    licence_no: QueryText = None,
    phone: QueryText = None,
) -> StandingOut:
    require_query(name, licence_no, phone)
    result = recruiter_standing(session, name=name, licence_no=licence_no, phone=phone)
    for match in result.matches:
        auditor.record(Action.READ, "recruiters", match.recruiter_id, ("standing", "fronts"))
    return _standing_out(result)


@router.post(
    "/recruiters",
    response_model=RecruiterOut,
    status_code=status.HTTP_201_CREATED,
    summary="Register a licensed company",
)
def create_recruiter(
    body: RecruiterCreate,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("recruiters", "create"))],
) -> RecruiterOut:
    licence = service.create_licensed_recruiter(
        session,
        name=body.name,
        licence_no=body.licence_no,
        status=body.status,
        valid_until=body.valid_until,
        issuer=body.issuer,
        actor=principal.username,
        reason=body.reason,
    )
    recruiter = licence.recruiter
    for phone in body.phones:
        service.add_identifier(session, recruiter, "phone", phone, f"api:{principal.username}")
    for address in body.addresses:
        service.add_identifier(session, recruiter, "address", address, f"api:{principal.username}")
    auditor.record(
        Action.CREATE, "licences", licence.number, ("status", "valid_until"), purpose=body.reason
    )
    session.expire(recruiter)
    return RecruiterOut.model_validate(_recruiter(session, recruiter.id))


@router.get("/recruiters/{recruiter_id}", response_model=RecruiterOut, summary="One recruiter")
def get_recruiter(
    recruiter_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("recruiters", "read"))],
) -> RecruiterOut:
    recruiter = _recruiter(session, recruiter_id)
    auditor.record(Action.READ, "recruiters", recruiter_id, RECRUITER_FIELDS)
    return RecruiterOut.model_validate(recruiter)


@router.get("/licences", response_model=LicenceOut, summary="A licence and its history")
def get_licence(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("recruiters", "read"))],
    number: Annotated[str, Query(min_length=1, max_length=100)],
) -> LicenceOut:
    licence = service.get_licence(session, number)
    auditor.record(Action.READ, "licences", licence.number, ("status", "valid_until", "events"))
    return LicenceOut.model_validate(licence)


@router.post(
    "/recruiters/{recruiter_id}/identifiers",
    response_model=RecruiterOut,
    status_code=status.HTTP_201_CREATED,
    summary="Record a phone, address, director, account or employer behind a recruiter",
)
def add_identifier(
    recruiter_id: RecordId,
    body: IdentifierCreate,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("recruiters", "update"))],
) -> RecruiterOut:
    recruiter = _recruiter(session, recruiter_id)
    service.add_identifier(session, recruiter, body.kind, body.value, body.source)
    auditor.record(Action.UPDATE, "recruiters", recruiter_id, ("identifiers",))
    session.expire(recruiter)
    return RecruiterOut.model_validate(_recruiter(session, recruiter_id))


@router.post(
    "/licences/status",
    response_model=LicenceOut,
    summary="Change a licence's status or validity (with a reason; audited)",
)
def change_licence(
    body: LicenceChange,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("licences", "update"))],
) -> LicenceOut:
    licence = service.get_licence(session, body.number)
    changed = service.set_licence_status(
        session,
        licence,
        body.status,
        reason=body.reason,
        actor=principal.username,
        valid_until=body.valid_until,
    )
    if changed:
        auditor.record(
            Action.UPDATE,
            "licences",
            licence.number,
            ("status", "valid_until"),
            purpose=body.reason,
        )
    session.refresh(licence, ["events"])
    return LicenceOut.model_validate(licence)


@router.post(
    "/recruiters/{recruiter_id}/bonds",
    response_model=BondOut,
    status_code=status.HTTP_201_CREATED,
    summary="Record a bond (deposit or guarantee)",
)
def create_bond(
    recruiter_id: RecordId,
    body: BondCreate,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("bonds", "create"))],
) -> BondOut:
    bond = bonds.add_bond(
        session, _recruiter(session, recruiter_id), body.amount_idr, body.guarantor
    )
    auditor.record(Action.CREATE, "bonds", bond.id, ("amount_idr", "guarantor"))
    return BondOut.model_validate(bond)


@router.post(
    "/bonds/{bond_id}/claims",
    response_model=ClaimOut,
    status_code=status.HTTP_201_CREATED,
    summary="File a victim's claim on a bond, for a case",
)
def file_claim(
    bond_id: RecordId,
    body: ClaimCreate,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("claims", "file"))],
) -> ClaimOut:
    claim = bonds.file_claim(
        session,
        bonds.get_bond(session, bond_id),
        case_ref=body.case_ref,
        amount_idr=body.amount_idr,
        actor=principal.username,
    )
    auditor.record(Action.CREATE, "claims", claim.id, ("case_ref", "amount_idr"))
    return ClaimOut.model_validate(claim)


@router.post(
    "/claims/{claim_id}/decision",
    response_model=ClaimOut,
    summary="Verify, pay or reject a claim (409 for a move the workflow forbids)",
)
def decide_claim(
    claim_id: RecordId,
    body: ClaimDecision,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("claims", "decide"))],
) -> ClaimOut:
    claim = bonds.decide_claim(
        session,
        bonds.get_claim(session, claim_id),
        body.decision,
        reason=body.reason,
        actor=principal.username,
    )
    auditor.record(Action.TRANSITION, "claims", claim.id, ("status",), purpose=body.reason)
    return ClaimOut.model_validate(claim)


@router.post(
    "/recruiters/{recruiter_id}/sanctions",
    response_model=SanctionOut,
    status_code=status.HTTP_201_CREATED,
    summary="Record an administrative sanction (licensing staff)",
)
def add_sanction(
    recruiter_id: RecordId,
    body: SanctionCreate,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("licences", "update"))],
) -> SanctionOut:
    if body.ends_on is not None and body.ends_on < body.starts_on:
        raise InvalidInputError("ends_on is before starts_on")
    recruiter = _recruiter(session, recruiter_id)
    sanction = Sanction(
        recruiter_id=recruiter.id,
        kind=body.kind,
        reason=body.reason,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        imposed_by=principal.username,
    )
    session.add(sanction)
    session.flush()
    auditor.record(Action.CREATE, "sanctions", sanction.id, ("kind", "reason"), purpose=body.reason)
    return SanctionOut.model_validate(sanction)


@router.post(
    "/recruiters/{recruiter_id}/complaints",
    response_model=ComplaintOut,
    status_code=status.HTTP_201_CREATED,
    summary="Record a complaint about a recruiter (case workers)",
)
def add_complaint(
    recruiter_id: RecordId,
    body: ComplaintCreate,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("claims", "file"))],
) -> ComplaintOut:
    recruiter = _recruiter(session, recruiter_id)
    complaint = Complaint(
        recruiter_id=recruiter.id,
        channel=body.channel,
        summary=body.summary,
        case_ref=body.case_ref,
    )
    session.add(complaint)
    session.flush()
    auditor.record(Action.CREATE, "complaints", complaint.id, ("channel", "summary", "case_ref"))
    return ComplaintOut.model_validate(complaint)
