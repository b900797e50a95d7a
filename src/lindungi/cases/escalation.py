"""The escalation job: finds the cases past their stage's deadline and records each
escalation once (per case, stage entry and level) with an event in the case's timeline.
Run it from a timer (``lindungi cases escalate``, e.g. every 15 minutes); running it
again changes nothing until a case falls further behind. The clock is an argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.cases.deadlines import DEFAULT_DEADLINES, LEVELS, overdue
from lindungi.cases.models import Case, CaseEscalation, CaseEvent
from lindungi.cases.workflow import State
from lindungi.errors import ConflictError, NotFoundError

#: Who the timeline names as the actor of an escalation.
ACTOR = "system:escalation"


def escalate(
    session: Session,
    now: dt.datetime,
    deadlines: Mapping[State, dt.timedelta] = DEFAULT_DEADLINES,
) -> list[CaseEscalation]:
    """Record the escalations due at ``now`` that are not yet recorded; answer them."""
    recorded = {
        (e.case_id, e.state, e.state_since, e.level)
        for e in session.scalars(select(CaseEscalation))
    }
    made = []
    late = select(Case).where(Case.state.in_([s.value for s in deadlines]))
    for case in session.scalars(late.order_by(Case.id)):
        found = overdue(State(case.state), case.state_since, now, deadlines)
        if found is None:
            continue
        for level in range(1, found.level + 1):
            key = (case.id, case.state, case.state_since, level)
            if key in recorded:
                continue
            row = CaseEscalation(
                case_id=case.id, state=case.state, state_since=case.state_since,
                level=level, notify=LEVELS[level - 1], due=found.due, escalated_at=now,
            )  # fmt: skip
            session.add(row)
            session.add(
                CaseEvent(case_id=case.id, at=now, actor=ACTOR, agency=case.agency,
                          action="escalate", from_state=case.state, to_state=case.state,
                          reason=f"{case.state} was due {found.due:%Y-%m-%d %H:%M} UTC; "
                                 f"escalated to the {LEVELS[level - 1].replace('_', ' ')}")
            )  # fmt: skip
            made.append(row)
    session.flush()
    return made


def open_escalations(
    session: Session, agency: str | None = None, case_id: int | None = None
) -> list[CaseEscalation]:
    """Escalations nobody has acknowledged on cases still in the stage that was late, the
    highest level first; ``agency`` limits them to that agency's cases."""
    query = (
        select(CaseEscalation)
        .join(Case, Case.id == CaseEscalation.case_id)
        .where(
            CaseEscalation.acknowledged_at.is_(None),
            Case.state == CaseEscalation.state,
            Case.state_since == CaseEscalation.state_since,
        )
    )
    if agency is not None:
        query = query.where(Case.agency == agency)
    if case_id is not None:
        query = query.where(CaseEscalation.case_id == case_id)
    order = (CaseEscalation.level.desc(), CaseEscalation.due, CaseEscalation.id)
    return list(session.scalars(query.order_by(*order)))


def acknowledge(
    session: Session, escalation_id: int, username: str, now: dt.datetime
) -> CaseEscalation:
    """Record that someone took up an escalation (once)."""
    row = session.get(CaseEscalation, escalation_id)
    if row is None:
        raise NotFoundError(f"escalation {escalation_id} not found")
    if row.acknowledged_at is not None:
        raise ConflictError(
            f"escalation {escalation_id} was acknowledged by {row.acknowledged_by}", allowed=[]
        )
    row.acknowledged_by, row.acknowledged_at = username, now
    session.flush()
    return row
