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
from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import referrals, workflow
from lindungi.cases.identification import Facts, Suggestion, suggest
from lindungi.cases.models import Case, CaseDetermination, CaseEvent, CaseReferral
from lindungi.db import utcnow
from lindungi.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)

#: Letters and digits that cannot be misread over a telephone line (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _code(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_tracking_no() -> str:
    """A tracking number like ``K7QM-2XDA``: random, so it says nothing about how many
    cases there are."""
    return f"{_code(4)}-{_code(4)}"


@dataclass(frozen=True)
class Reported:
    """A new case and the secret its reporter needs to check its status (shown once)."""

    case: Case
    secret: str


def report(session: Session, fields: dict[str, Any], principal: Principal) -> Reported:
    """Open a case from a report (hotline, family, SOS, referral, walk-in)."""
    secret = f"{_code(4)}-{_code(4)}-{_code(4)}"
    tracking = new_tracking_no()
    while session.scalar(select(Case.id).where(Case.tracking_no == tracking)) is not None:
        tracking = new_tracking_no()
    case = Case(
        tracking_no=tracking,
        secret_hash=hash_password(secret),
        state=workflow.State.REPORTED.value,
        agency=principal.agency,
        created_by=principal.username,
        **fields,
    )
    session.add(case)
    session.flush()
    _event(session, case, "report", None, f"reported through {case.channel}", principal)
    return Reported(case, secret)


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
    session.flush()
    return row


def case_referrals(session: Session, case_id: int) -> list[CaseReferral]:
    """A case's referrals in order."""
    query = select(CaseReferral).where(CaseReferral.case_id == case_id).order_by(CaseReferral.id)
    return list(session.scalars(query))
