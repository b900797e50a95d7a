"""What a case hands to others: referrals for services and transfers (with consent or an
override, decided by the receiver), the reach to protected fields those referrals give,
the legal track with the police, and the victim's claim on the recruiter's bond. Services
flush and never commit; every step writes its timeline event in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.cases import access, legal, referrals, workflow
from lindungi.cases.models import Case, CaseReferral
from lindungi.cases.service import get_case, record_event
from lindungi.db import utcnow
from lindungi.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from lindungi.exchange import service as exchange
from lindungi.recruiters import bonds
from lindungi.recruiters.models import BondClaim


def refer(
    session: Session,
    case_id: int,
    fields: dict[str, Any],
    principal: Principal,
) -> CaseReferral:
    """Refer a case for a service, with consent or an override; refused with the reason
    (and nothing written) otherwise."""
    case = get_case(session, case_id, principal, "update")
    if case.state == workflow.State.CLOSED.value:
        raise ConflictError(f"case {case_id} is closed; reopen it to refer", allowed=[])
    if fields["service"] == referrals.Service.POLICE:
        raise ConflictError("a case goes to the police through the legal track "
                            "(action refer_to_police)", allowed=[])  # fmt: skip
    return _referral(session, case, fields, principal)


def _referral(
    session: Session, case: Case, fields: dict[str, Any], principal: Principal
) -> CaseReferral:
    may_override = principal.scope_for(Permission("cases", "override")) is not None
    try:
        basis = referrals.check_consent(
            bool(fields["consent"]), may_override, fields.get("override_reason")
        )
    except referrals.ReferralRefused as refused:
        if not may_override and fields.get("override_reason"):
            raise PermissionDeniedError(str(refused)) from None
        raise InvalidInputError(str(refused)) from None
    row = CaseReferral(
        case_id=case.id, service=fields["service"], to_agency=fields.get("to_agency"),
        to_organisation=fields.get("to_organisation"), basis=basis,
        consent_note=fields.get("consent_note"),
        override_reason=fields.get("override_reason") if basis == "override" else None,
        note=fields["note"], referred_by=principal.username, from_agency=principal.agency,
    )  # fmt: skip
    session.add(row)
    session.flush()
    receiver = row.to_agency or row.to_organisation or "?"
    record_event(session, case, f"refer:{row.service}", case.state,
           f"to {receiver} ({basis}): {row.note}", principal)  # fmt: skip
    exchange.emit(
        session, "case.referred", subject=f"case:{case.id}", source_agency=principal.agency,
        actor=principal.username,
        data={"case_id": case.id, "referral_id": row.id, "service": row.service,
              "from_agency": row.from_agency, "to_agency": row.to_agency, "basis": basis},
    )  # fmt: skip
    return row


def decide_referral(
    session: Session, referral_id: int, decision: str, reason: str, principal: Principal
) -> CaseReferral:
    """The receiver accepts or rejects a referral, or marks the service delivered. An
    agency decides what was referred to it; an NGO's answer is recorded by the referrer."""
    row = session.get(CaseReferral, referral_id)
    if row is None:
        raise NotFoundError(f"referral {referral_id} not found")
    decider = row.to_agency or row.from_agency
    if principal.agency != decider:
        raise PermissionDeniedError(f"referral {referral_id} is decided by {decider}")
    # The police take up (or decline) a criminal case; services are casework's to decide.
    principal.require(
        Permission("cases", "legal" if row.service == referrals.Service.POLICE else "update")
    )
    try:
        row.status = referrals.decide(row.status, decision).value
    except referrals.ReferralRefused as refused:
        raise ConflictError(str(refused), allowed=[]) from None
    row.decided_by, row.decided_at, row.decision_reason = principal.username, utcnow(), reason
    case = session.get(Case, row.case_id)
    assert case is not None  # a referral always has its case
    receiver = row.to_agency or row.to_organisation
    record_event(session, case, f"referral:{decision}", case.state,
                 f"{row.service} ({receiver}): {reason}", principal)  # fmt: skip
    accepted = row.status == referrals.ReferralStatus.ACCEPTED.value
    if row.service == referrals.Service.CASE_TRANSFER and row.to_agency and accepted:
        before, case.agency = case.agency, row.to_agency
        record_event(session, case, "transfer", case.state,
                     f"handled by {case.agency} (was {before}): {reason}", principal)  # fmt: skip
    rejected = row.status == referrals.ReferralStatus.REJECTED.value
    if row.service == referrals.Service.POLICE and rejected:
        # Not taken up: the criminal case stops here until casework refers it again.
        case.legal_stage = legal.LegalStage.DROPPED.value
        record_event(session, case, "legal:drop", case.state,
                     f"not taken up by {receiver}: {reason}", principal)  # fmt: skip
    session.flush()
    return row


def case_referrals(session: Session, case_id: int) -> list[CaseReferral]:
    """A case's referrals in order."""
    query = select(CaseReferral).where(CaseReferral.case_id == case_id).order_by(CaseReferral.id)
    return list(session.scalars(query))


def referred_to(session: Session, case: Case) -> tuple[str, ...]:
    """The agencies a case has been referred to and that have not turned it down."""
    query = select(CaseReferral.to_agency).where(
        CaseReferral.case_id == case.id,
        CaseReferral.to_agency.is_not(None),
        CaseReferral.status != referrals.ReferralStatus.REJECTED.value,
    )
    return tuple(sorted({a for a in session.scalars(query) if a}))


def reveal(
    session: Session, case: Case, groups: list[str], principal: Principal
) -> tuple[str, ...]:
    """The protected fields of ``groups`` that ``principal`` may read on ``case`` (403
    naming the groups otherwise)."""
    if not groups:
        return ()
    return access.check_reveal(principal, case, groups, referred_to(session, case))


def may_reveal(session: Session, case: Case, principal: Principal) -> tuple[str, ...]:
    """The field groups ``principal`` could reveal on ``case``."""
    return access.readable_groups(principal, case, referred_to(session, case))


#: The police unit a case goes to on the legal track.
POLICE_AGENCY = "polri"


def legal_state(case: Case) -> legal.LegalState:
    """The legal track of a case."""
    return legal.LegalState(
        case.legal_stage, case.restitution, case.restitution_ordered_idr,
        case.restitution_paid_idr or 0,
    )  # fmt: skip


def legal_move(
    session: Session,
    case_id: int,
    fields: dict[str, Any],
    principal: Principal,
) -> Case:
    """One step of the legal track. Casework refers the case to the police (with consent
    or an override, as a referral the police may accept) and asks for restitution; the
    police unit the case was referred to records the rest."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError(f"case {case_id} not found")
    action = fields["action"]
    move = legal.BY_ACTION.get(action)
    needed = Permission("cases", move.permission if move else "update")
    scope = principal.scope_for(needed)
    reach = {case.agency, *referred_to(session, case)}
    if scope is None or (scope is not Scope.ALL and principal.agency not in reach):
        raise PermissionDeniedError(
            f"{principal.username} may not {action} on case {case_id} (needs {needed}"
            + (" on a case referred to their agency)" if scope else ")")
        )
    try:
        after = legal.apply(legal_state(case), action, fields.get("amount_idr"))
    except legal.LegalRefused as refused:
        raise ConflictError(str(refused), allowed=list(refused.allowed)) from None
    if action == "refer_to_police":
        _referral(session, case, {**fields, "service": referrals.Service.POLICE.value,
                                  "to_agency": POLICE_AGENCY, "to_organisation": None,
                                  "note": fields["reason"]}, principal)  # fmt: skip
    case.legal_stage, case.restitution = after.stage, after.restitution
    case.restitution_ordered_idr, case.restitution_paid_idr = after.ordered_idr, after.paid_idr
    case.updated_at = utcnow()
    amount = f" (Rp{fields['amount_idr']:,})" if fields.get("amount_idr") else ""
    record_event(session, case, f"legal:{action}", case.state, f"{fields['reason']}{amount}",
           principal)  # fmt: skip
    exchange.emit(
        session, "case.legal_changed", subject=f"case:{case.id}",
        source_agency=principal.agency, actor=principal.username,
        data={"case_id": case.id, "agency": case.agency, "legal_stage": case.legal_stage,
              "restitution": case.restitution},
    )  # fmt: skip
    session.flush()
    return case


def file_bond_claim(
    session: Session,
    case_id: int,
    recruiter_id: int,
    amount_idr: int,
    reason: str,
    principal: Principal,
) -> BondClaim:
    """File the victim's claim on the bond the recruiter behind the case holds; the
    licensing office verifies and pays it (``recruiters.bonds``)."""
    case = get_case(session, case_id, principal, "update")
    principal.require(Permission("claims", "file"))
    if case.recruiter_id not in (None, recruiter_id):
        raise ConflictError(f"case {case_id} is recorded against recruiter "
                            f"{case.recruiter_id}, not {recruiter_id}", allowed=[])  # fmt: skip
    claim = bonds.file_case_claim(session, recruiter_id, case_id=case.id,
                                  amount_idr=amount_idr, actor=principal.username)  # fmt: skip
    case.recruiter_id = recruiter_id
    case.updated_at = utcnow()
    told = f"claim {claim.id} on bond {claim.bond_id} for Rp{amount_idr:,}: {reason}"
    record_event(session, case, "bond_claim", case.state, told, principal)
    session.flush()
    return claim


def bond_claims(session: Session, case_id: int) -> list[BondClaim]:
    """The claims filed on bonds for a case."""
    return bonds.case_claims(session, case_id)
