"""HTTP routes of what a case hands to others: referrals for services and transfers
(decided by the receiver), the legal track with the police, and the victim's bond claim."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs, service
from lindungi.cases.api import case_out
from lindungi.cases.models import CaseReferral
from lindungi.cases.schemas import (
    BondClaimIn,
    CaseOut,
    CaseReferralOut,
    LegalIn,
    ReferralDecisionIn,
    ReferralIn,
)
from lindungi.recruiters.schemas import ClaimOut

router = Router(tags=["cases"])


def _referral_out(row: CaseReferral) -> CaseReferralOut:
    return CaseReferralOut.model_validate(row, from_attributes=True)


@router.post(
    "/cases/{case_id}/referrals",
    response_model=CaseReferralOut,
    status_code=status.HTTP_201_CREATED,
    summary="Refer a case for a service, with consent or an override (refused otherwise)",
)
def refer(
    case_id: RecordId,
    body: ReferralIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "update"))],
) -> CaseReferralOut:
    row = handoffs.refer(session, case_id, body.model_dump(), principal)
    auditor.record(Action.CREATE, "case_referrals", row.id, ("service", "basis"),
                   purpose=body.override_reason or body.note)  # fmt: skip
    return _referral_out(row)


@router.get(
    "/cases/{case_id}/referrals",
    response_model=list[CaseReferralOut],
    summary="A case's referrals",
)
def list_referrals(
    case_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
) -> list[CaseReferralOut]:
    service.get_case(session, case_id, principal)
    auditor.record(Action.READ, "cases", case_id, ("referrals",))
    return [_referral_out(r) for r in handoffs.case_referrals(session, case_id)]


@router.post(
    "/case-referrals/{referral_id}/decision",
    response_model=CaseReferralOut,
    summary="Accept or reject a referral, or mark the service delivered",
)
def decide_referral(
    referral_id: RecordId,
    body: ReferralDecisionIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
) -> CaseReferralOut:
    row = handoffs.decide_referral(session, referral_id, body.decision, body.reason, principal)
    auditor.record(Action.TRANSITION, "case_referrals", referral_id, ("status",),
                   purpose=body.reason)  # fmt: skip
    return _referral_out(row)


@router.post(
    "/cases/{case_id}/legal",
    response_model=CaseOut,
    summary="One step of the legal track: police referral, prosecution, restitution",
)
def legal_move(
    case_id: RecordId,
    body: LegalIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
) -> CaseOut:
    case = handoffs.legal_move(session, case_id, body.model_dump(), principal)
    auditor.record(Action.TRANSITION, "cases", case_id, ("legal_stage", "restitution"),
                   purpose=body.override_reason or body.reason)  # fmt: skip
    return CaseOut(**case_out(session, case, principal))


@router.post(
    "/cases/{case_id}/bond-claims",
    response_model=ClaimOut,
    status_code=status.HTTP_201_CREATED,
    summary="File the victim's claim on the bond of the recruiter behind the case",
)
def file_bond_claim(
    case_id: RecordId,
    body: BondClaimIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "update"))],
) -> ClaimOut:
    claim = handoffs.file_bond_claim(session, case_id, body.recruiter_id, body.amount_idr,
                                    body.reason, principal)  # fmt: skip
    auditor.record(Action.CREATE, "claims", claim.id, ("case_id", "amount_idr"),
                   purpose=body.reason)  # fmt: skip
    return ClaimOut.model_validate(claim)


@router.get(
    "/cases/{case_id}/bond-claims",
    response_model=list[ClaimOut],
    summary="The claims filed on bonds for a case",
)
def list_bond_claims(
    case_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("cases", "read"))],
) -> list[ClaimOut]:
    service.get_case(session, case_id, principal)
    auditor.record(Action.READ, "cases", case_id, ("bond_claims",))
    return [ClaimOut.model_validate(c) for c in handoffs.bond_claims(session, case_id)]
