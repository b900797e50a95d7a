"""Case operations: intake with a tracking number and a secret, the reporter's status check,
moves through the workflow, and victim-identification determinations. Services flush and
never commit; every move writes its timeline event in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.credentials import hash_random_secret, verify_password
from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import workflow
from lindungi.cases.identification import Facts, Suggestion, suggest
from lindungi.cases.models import Case, CaseDetermination, CaseEvent
from lindungi.db import utcnow
from lindungi.errors import (
    ConflictError,
    NotFoundError,
)
from lindungi.exchange import service as exchange

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
    replayed: bool = False


def _digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def keyed_secret(server_key: bytes, username: str, key: str) -> str:
    """The status secret of a report sent with an idempotency key: derived from the
    hub's secret key, so a resend gets the same secret and nobody without that key can
    compute it."""
    mac = hmac.new(server_key, f"case-report\x00{username}\x00{key}".encode(), "sha256")
    letters = "".join(_ALPHABET[b % len(_ALPHABET)] for b in mac.digest()[:12])
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


def report(
    session: Session,
    fields: dict[str, Any],
    principal: Principal,
    *,
    key: str | None = None,
    server_key: bytes | None = None,
) -> Reported:
    """Open a case from a report (hotline, family, SOS, referral, walk-in). It is handled
    by the reporter's agency when that agency does casework; a report taken by someone
    who does not (an immigration officer at the airport) goes to BP2MI.

    With an idempotency ``key`` (and the hub's ``server_key``), a report resent after a
    lost answer answers the case it opened the first time (``replayed``), with the same
    secret; the same key with other content is refused (409)."""
    digest = _digest(fields)
    if key is not None:
        if server_key is None:
            raise ValueError("a keyed report needs the hub's server key")
        earlier = session.scalar(
            select(Case).where(Case.created_by == principal.username, Case.report_key == key)
        )
        if earlier is not None:
            if earlier.report_digest != digest:
                raise ConflictError(
                    f"Idempotency-Key {key!r} was already used for another report; "
                    "use a new key for a new report"
                )
            return Reported(earlier, keyed_secret(server_key, principal.username, key), True)
    secret = (
        keyed_secret(server_key, principal.username, key)
        if key is not None and server_key is not None
        else f"{_code(4)}-{_code(4)}-{_code(4)}"
    )
    casework = principal.scope_for(Permission("cases", "update")) is not None
    case = Case(
        tracking_no=_free_tracking_no(session),
        secret_hash=hash_random_secret(secret),
        state=workflow.State.REPORTED.value,
        agency=principal.agency if casework else SCREENING_RECEIVER,
        created_by=principal.username,
        report_key=key,
        report_digest=digest if key is not None else None,
        **fields,
    )
    session.add(case)
    session.flush()
    record_event(session, case, "report", None, f"reported through {case.channel}", principal)
    _opened(session, case, principal)
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
    city = trip.get("destination_city")
    return open_referred(
        session, channel="screening_referral", agency=SCREENING_RECEIVER, summary=summary,
        person=person, country=trip.get("destination_country"),
        city=str(city) if city else None, principal=principal,
        why=f"referred by {principal.agency} screening at the desk",
        screening_referral_id=referral_id,
    )  # fmt: skip


def open_referred(
    session: Session,
    *,
    channel: str,
    agency: str,
    summary: str,
    person: dict[str, Any],
    country: str | None,
    city: str | None,
    principal: Principal,
    why: str,
    screening_referral_id: int | None = None,
) -> Case:
    """Open a case another module hands over (a screening referral, an unresolved alert
    or an SOS) at the agency that handles it; ``person`` fills the identity fields."""
    birth = person.get("birth_date")
    fields: dict[str, Any] = {f: person.get(f) for f in _IDENTITY}
    fields["birth_date"] = dt.date.fromisoformat(birth) if isinstance(birth, str) else birth
    case = Case(
        tracking_no=_free_tracking_no(session),
        secret_hash=_unknown_hash(),  # nobody reported it, so nobody checks it publicly
        channel=channel,
        state=workflow.State.REPORTED.value,
        agency=agency,
        country=country,
        city=city[:100] if city else None,
        summary=summary[:2000],
        screening_referral_id=screening_referral_id,
        created_by=principal.username,
        **fields,
    )
    session.add(case)
    session.flush()
    record_event(session, case, "report", None, why, principal)
    _opened(session, case, principal)
    return case


def _opened(session: Session, case: Case, principal: Principal) -> None:
    exchange.emit(
        session, "case.opened", subject=f"case:{case.id}", source_agency=principal.agency,
        actor=principal.username,
        data={"case_id": case.id, "agency": case.agency, "channel": case.channel,
              "state": case.state, "country": case.country, "city": case.city,
              "screening_referral_id": case.screening_referral_id},
    )  # fmt: skip


def record_event(
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


def find_case(session: Session, case_id: int) -> Case:
    """A case by id for a caller authorised elsewhere (the agency API), or 404."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError(f"case {case_id} not found")
    return case


def case_of_referral(session: Session, referral_id: int) -> Case | None:
    """The case a screening referral opened, if any."""
    return session.scalar(select(Case).where(Case.screening_referral_id == referral_id))


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
    record_event(session, case, action, before, reason, principal)
    exchange.emit(
        session, "case.stage_changed", subject=f"case:{case.id}",
        source_agency=principal.agency, actor=principal.username,
        data={"case_id": case.id, "agency": case.agency, "action": action,
              "from_state": before, "to_state": case.state, "country": case.country,
              "determination": case.determination, "reason": reason},
    )  # fmt: skip
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
    told = f"{determination.value}: {reason}"
    record_event(session, case, "identify", case.state, told, principal)
    exchange.emit(
        session, "case.identified", subject=f"case:{case.id}", source_agency=principal.agency,
        actor=principal.username,
        data={"case_id": case.id, "agency": case.agency,
              "determination": case.determination, "country": case.country},
    )  # fmt: skip
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
    return hash_random_secret(_code(12))


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
