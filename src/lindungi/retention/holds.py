"""Placing and releasing legal holds. A hold names its authority (a police report, a
prosecutor's letter, a court order) and is released with a reason, never deleted; while
it stands no purge touches the record. A case whose criminal track is still open, or
whose court-ordered restitution is unpaid, is held without anyone placing a hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.cases.legal import LegalStage, Restitution
from lindungi.cases.models import Case
from lindungi.db import utcnow
from lindungi.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from lindungi.monitoring.models import Enrolment
from lindungi.retention.models import HOLD_TARGETS, LegalHold

#: Legal stages during which a case is held whatever anyone placed.
OPEN_LEGAL_STAGES = (LegalStage.REFERRED, LegalStage.INVESTIGATION, LegalStage.PROSECUTION)


@dataclass(frozen=True)
class Held:
    """The ids no purge may touch, by kind."""

    cases: frozenset[int]
    enrolments: frozenset[int]


def _text(value: str, field: str, limit: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInputError(f"{field}: required")
    if len(cleaned) > limit:
        raise InvalidInputError(f"{field}: at most {limit} characters")
    return cleaned


def place(
    session: Session,
    target: str,
    target_id: int,
    reason: str,
    reference: str,
    actor: str,
    agency: str,
    now: dt.datetime | None = None,
) -> LegalHold:
    """Hold a case or an enrolment. The record must exist; a second hold on the same
    record is allowed (another authority), each released on its own."""
    if target not in HOLD_TARGETS:
        raise InvalidInputError(f"target: one of {', '.join(HOLD_TARGETS)}, not {target!r}")
    model = Case if target == "case" else Enrolment
    if session.get(model, target_id) is None:
        raise NotFoundError(f"{target} {target_id} not found")
    hold = LegalHold(target=target, target_id=target_id,
                     reason=_text(reason, "reason", 2000),
                     reference=_text(reference, "reference", 200),
                     placed_by=actor, agency=agency, placed_at=now or utcnow())  # fmt: skip
    session.add(hold)
    session.flush()
    return hold


def release(
    session: Session,
    hold_id: int,
    reason: str,
    actor: str,
    agency: str,
    now: dt.datetime | None = None,
) -> LegalHold:
    """Release a hold (409 when it already was); the record falls back under the
    ordinary retention rules. Only the agency that placed a hold releases it: a case
    supervisor cannot end the police's hold on their evidence."""
    hold = session.get(LegalHold, hold_id)
    if hold is None:
        raise NotFoundError(f"legal hold {hold_id} not found")
    if hold.agency != agency:
        raise PermissionDeniedError(
            f"legal hold {hold_id} was placed by {hold.agency}; only {hold.agency} releases it",
            actor=actor, agency=agency, resource="legal_holds", action="manage",
            resource_id=str(hold_id),
        )  # fmt: skip
    if hold.released_at is not None:
        raise ConflictError(f"legal hold {hold_id} was already released")
    hold.release_reason = _text(reason, "reason", 2000)
    hold.released_by = actor
    hold.released_at = now or utcnow()
    session.flush()
    return hold


def holds(session: Session, *, active_only: bool = True) -> list[LegalHold]:
    """The holds, newest first."""
    query = select(LegalHold).order_by(LegalHold.id.desc())
    if active_only:
        query = query.where(LegalHold.released_at.is_(None))
    return list(session.scalars(query))


def held(session: Session) -> Held:
    """What is held now: placed holds not released, and cases the law still needs."""
    placed = session.execute(
        select(LegalHold.target, LegalHold.target_id).where(LegalHold.released_at.is_(None))
    ).all()
    by_law = session.scalars(
        select(Case.id).where(
            Case.legal_stage.in_([s.value for s in OPEN_LEGAL_STAGES])
            | (Case.restitution == Restitution.ORDERED.value)
        )
    )
    cases = {i for t, i in placed if t == "case"} | set(by_law)
    return Held(frozenset(cases), frozenset(i for t, i in placed if t == "enrolment"))
