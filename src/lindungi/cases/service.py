"""Case operations: intake with a tracking number and a secret, the reporter's status check,
moves through the workflow, and victim-identification determinations. Services flush and
never commit; every move writes its timeline event in the same transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.credentials import hash_password, verify_password
from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.cases import access, legal, referrals, workflow
from lindungi.cases.identification import Facts, Suggestion, suggest
from lindungi.cases.models import Case, CaseDetermination, CaseEvent, CaseReferral
from lindungi.db import utcnow
from lindungi.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from lindungi.recruiters import bonds
from lindungi.recruiters.models import Bond, BondClaim, Recruiter

#: Letters and digits that cannot be misread over a telephone line (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _code(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_tracking_no() -> str:
    """A tracking number like ``K7QM-2XDA``: random, so it says nothing about how many
    cases there are."""
    return f"{_code(4)}-{_code(4)}"


def _free_tracking_no(session: Session) -> str:
    tracking = new_tracking_no()
    while session.scalar(select(Case.id).where(Case.tracking_no == tracking)) is not None:
        tracking = new_tracking_no()
    return tracking


@dataclass(frozen=True)
class Reported:
    """A new case and the secret its reporter needs to check its status (shown once)."""

    case: Case
    secret: str


def report(session: Session, fields: dict[str, Any], principal: Principal) -> Reported:
    """Open a case from a report (hotline, family, SOS, referral, walk-in). It is handled
    by the reporter's agency when that agency does casework; a report taken by someone
    who does not (an immigration officer at the airport) goes to BP2MI."""
    secret = f"{_code(4)}-{_code(4)}-{_code(4)}"
    casework = principal.scope_for(Permission("cases", "update")) is not None
    case = Case(
        tracking_no=_free_tracking_no(session),
        secret_hash=hash_password(secret),
        state=workflow.State.REPORTED.value,
        agency=principal.agency if casework else SCREENING_RECEIVER,
        created_by=principal.username,
        **fields,
    )
    session.add(case)
    session.flush()
    _event(session, case, "report", None, f"reported through {case.channel}", principal)
    return Reported(case, secret)


#: The agency that receives screening referrals and opens their cases.
SCREENING_RECEIVER = "bp2mi"
_IDENTITY = ("full_name", "birth_date", "nik", "passport_no")


def open_from_screening(
    session: Session,
    referral_id: int,
    request: dict[str, Any],
    summary: str,
    principal: Principal,
) -> Case:
    """Open the case a screening referral hands to BP2MI: the traveller's identity goes
    into the protected fields (and nothing of sex, religion, ethnicity or province), the
    indicators into the summary."""
    person, trip = request.get("person") or {}, request.get("trip") or {}
    birth = person.get("birth_date")
    fields: dict[str, Any] = {f: person.get(f) for f in _IDENTITY}
    fields["birth_date"] = dt.date.fromisoformat(birth) if isinstance(birth, str) else birth
    city = trip.get("destination_city")
    case = Case(
        tracking_no=_free_tracking_no(session),
        secret_hash=_unknown_hash(),  # nobody reported it, so nobody checks it publicly
        channel="screening_referral",
        state=workflow.State.REPORTED.value,
        agency=SCREENING_RECEIVER,
        country=trip.get("destination_country"),
        city=str(city)[:100] if city else None,
        summary=summary[:2000],
        screening_referral_id=referral_id,
        created_by=principal.username,
        **fields,
    )
    session.add(case)
    session.flush()
    _event(session, case, "report",  None,
           f"referred by {principal.agency} screening at the desk", principal)  # fmt: skip
    return case


def _event(
    session: Session,
    case: Case,
    action: str,
    from_state: str | None,
    reason: str,
    principal: Principal,
) -> None:
    session.add(
        CaseEvent(case_id=case.id, actor=principal.username, agency=principal.agency,
                  action=action, from_state=from_state, to_state=case.state, reason=reason)
    )  # fmt: skip


def get_case(session: Session, case_id: int, principal: Principal, action: str = "read") -> Case:
    """A case the principal may act on (own agency, or every agency with scope ``all``)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError(f"case {case_id} not found")
    principal.authorize(
        Permission("cases", action), owner_agency=case.agency, resource_id=str(case_id)
    )
    return case


def _determination(case: Case) -> workflow.Determination | None:
    return workflow.Determination(case.determination) if case.determination else None


def allowed_moves(case: Case) -> tuple[str, ...]:
    """What may be done next with this case."""
    return workflow.allowed(case.state, _determination(case))


def move(
    session: Session,
    case_id: int,
    action: str,
    reason: str,
    principal: Principal,
    close_reason: workflow.CloseReason | None = None,
) -> Case:
    """Take one step of the workflow; 409 with the allowed moves when it is refused."""
    case = get_case(session, case_id, principal, "update")
    try:
        target = workflow.transition(case.state, action, _determination(case), close_reason)
    except workflow.InvalidMove as refused:
        raise ConflictError(str(refused), allowed=list(refused.allowed)) from None
    before = case.state
    case.state = target.value
    case.state_since = utcnow()
    case.updated_at = case.state_since
    case.close_reason = (
        close_reason.value if target is workflow.State.CLOSED and close_reason else None
    )
    _event(session, case, action, before, reason, principal)
    session.flush()
    return case


def identify(
    session: Session,
    case_id: int,
    observed: Facts,
    determination: workflow.Determination,
    reason: str,
    principal: Principal,
) -> tuple[CaseDetermination, Suggestion]:
    """Record a person's victim-identification determination beside what the facts
    suggested; the latest determination holds."""
    case = get_case(session, case_id, principal, "identify")
    if case.state == workflow.State.CLOSED.value:
        raise ConflictError(f"case {case_id} is closed; reopen it to identify", allowed=[])
    suggestion = suggest(observed)
    row = CaseDetermination(
        case_id=case.id,
        determination=determination.value,
        indicators=sorted(observed.indicators),
        elements={"acts": sorted(observed.acts), "means": sorted(observed.means),
                  "purposes": sorted(observed.purposes), "child": observed.child},
        suggested=suggestion.determination.value,
        suggestion_reasons=list(suggestion.reasons),
        reason=reason,
        decided_by=principal.username,
        agency=principal.agency,
    )  # fmt: skip
    session.add(row)
    case.determination = determination.value
    case.updated_at = utcnow()
    _event(session, case, "identify", case.state, f"{determination.value}: {reason}", principal)
    session.flush()
    return row, suggestion


def timeline(session: Session, case_id: int) -> list[CaseEvent]:
    """The case's events in order."""
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
    )


@cache
def _unknown_hash() -> str:
    return hash_password(_code(12))


@dataclass(frozen=True)
class PublicStatus:
    """What a reporter learns with the tracking number and secret: nothing sensitive."""

    tracking_no: str
    stage: str
    updated_on: dt.date


def public_status(session: Session, tracking_no: str, secret: str) -> PublicStatus:
    """The stage of a case for whoever holds its tracking number and secret. A wrong
    number and a wrong secret get the same answer, so numbers cannot be probed."""
    case = session.scalar(select(Case).where(Case.tracking_no == tracking_no.strip().upper()))
    # An unknown number still costs one hash check, so timing does not tell it apart.
    stored = case.secret_hash if case is not None else _unknown_hash()
    if not verify_password(stored, secret.strip().upper()) or case is None:
        raise NotFoundError("no case with this tracking number and secret")
    return PublicStatus(case.tracking_no, case.state, case.updated_at.date())


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
    _event(session, case, f"refer:{row.service}", case.state,
           f"to {receiver} ({basis}): {row.note}", principal)  # fmt: skip
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
    _event(session, case, f"referral:{decision}", case.state,
           f"{row.service} ({receiver}): {reason}", principal)  # fmt: skip
    accepted = row.status == referrals.ReferralStatus.ACCEPTED.value
    if row.service == referrals.Service.CASE_TRANSFER and row.to_agency and accepted:
        before, case.agency = case.agency, row.to_agency
        _event(session, case, "transfer", case.state,
               f"handled by {case.agency} (was {before}): {reason}", principal)  # fmt: skip
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
    _event(session, case, f"legal:{action}", case.state, f"{fields['reason']}{amount}",
           principal)  # fmt: skip
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
    recruiter = session.get(Recruiter, recruiter_id)
    if recruiter is None:
        raise NotFoundError(f"recruiter {recruiter_id} not found")
    if case.recruiter_id not in (None, recruiter_id):
        raise ConflictError(f"case {case_id} is recorded against recruiter "
                            f"{case.recruiter_id}, not {recruiter_id}", allowed=[])  # fmt: skip
    bond = session.scalar(
        select(Bond).where(Bond.recruiter_id == recruiter_id, Bond.status != "released")
        .order_by(Bond.id.desc())
    )  # fmt: skip
    if bond is None:
        raise ConflictError(f"recruiter {recruiter_id} holds no bond to claim on", allowed=[])
    claim = bonds.file_claim(session, bond, case_ref=f"case {case.id}", amount_idr=amount_idr,
                             actor=principal.username, case_id=case.id)  # fmt: skip
    case.recruiter_id = recruiter_id
    case.updated_at = utcnow()
    told = f"claim {claim.id} on bond {bond.id} for Rp{amount_idr:,}: {reason}"
    _event(session, case, "bond_claim", case.state, told, principal)
    session.flush()
    return claim


def bond_claims(session: Session, case_id: int) -> list[BondClaim]:
    """The claims filed on bonds for a case."""
    query = select(BondClaim).where(BondClaim.case_id == case_id).order_by(BondClaim.id)
    return list(session.scalars(query))


def queue(
    session: Session,
    state: workflow.State | None = None,
    agency: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Case]:
    """Cases for a queue, the longest in their stage first."""
    query = select(Case).order_by(Case.state_since, Case.id).limit(limit).offset(offset)
    if state is not None:
        query = query.where(Case.state == state.value)
    if agency is not None:
        query = query.where(Case.agency == agency)
    return list(session.scalars(query))
