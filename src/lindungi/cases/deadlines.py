"""Deadlines per stage and the escalation when one is missed. Pure: the clock is an
argument, so tests (and a scheduler) decide what "now" is.

A stage's deadline runs from the moment the case entered it. Once missed, the case
escalates one level per further deadline's length that passes (1: the case worker's
supervisor, 2: the agency's duty officer, 3: the command centre), so a case left for
days is not one more reminder among many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from lindungi.cases.workflow import State

#: How long a case may stay in each stage (configurable per installation).
DEFAULT_DEADLINES: Mapping[State, dt.timedelta] = {
    State.REPORTED: dt.timedelta(hours=24),  # verification within 24 hours
    State.VERIFIED: dt.timedelta(days=3),
    State.LOCATED: dt.timedelta(days=7),
    State.RESCUE_COORDINATED: dt.timedelta(days=14),
    State.IN_SHELTER: dt.timedelta(days=30),
    State.REPATRIATION_ARRANGED: dt.timedelta(days=14),
    State.DEPORTATION: dt.timedelta(days=14),
    State.ARRIVED: dt.timedelta(days=7),  # rehabilitation offered within a week
}
LEVELS = ("supervisor", "duty_officer", "command_centre")


@dataclass(frozen=True)
class Overdue:
    """A missed deadline and how far it has escalated."""

    state: State
    due: dt.datetime
    late_by: dt.timedelta
    level: int  # 1 … len(LEVELS)
    notify: str  # who the escalation goes to


def due_at(
    state: State,
    entered_at: dt.datetime,
    deadlines: Mapping[State, dt.timedelta] = DEFAULT_DEADLINES,
) -> dt.datetime | None:
    """When the stage must be left by, or ``None`` for stages without a deadline."""
    limit = deadlines.get(state)
    return None if limit is None else entered_at + limit


def overdue(
    state: State,
    entered_at: dt.datetime,
    now: dt.datetime,
    deadlines: Mapping[State, dt.timedelta] = DEFAULT_DEADLINES,
) -> Overdue | None:
    """The escalation due at ``now`` for a case in ``state`` since ``entered_at``."""
    if entered_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("times must be timezone-aware (UTC)")
    due = due_at(state, entered_at, deadlines)
    if due is None or now <= due:
        return None
    late = now - due
    limit = deadlines[state]
    level = min(len(LEVELS), 1 + int(late / limit))
    return Overdue(state, due, late, level, LEVELS[level - 1])


def configured(hours: Mapping[str, float]) -> Mapping[State, dt.timedelta]:
    """The default deadlines with an installation's overrides (stage → hours)."""
    merged = dict(DEFAULT_DEADLINES)
    merged.update({State(stage): dt.timedelta(hours=h) for stage, h in hours.items()})
    return merged
