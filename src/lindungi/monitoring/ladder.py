"""When a worker is late, and what happens next: the check-in schedule and the alert
ladder. Pure: the clock is an argument, so the scheduler and the tests decide what "now"
is.

An alert climbs a ladder of steps, each due a set time after the alert opened: remind the
worker, notify the sponsor and the family, notify the embassy, open a case. An SOS starts
at the embassy and opens a case at once; entering a high-risk zone starts at the embassy.
An officer who acknowledges an alert takes it in hand, and the ladder stops there;
resolving it closes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class AlertKind(StrEnum):
    """What raised an alert."""

    SOS = "sos"
    MISSED_CHECKIN = "missed_checkin"
    LEFT_WORK_ZONE = "left_work_zone"
    ENTERED_HIGH_RISK = "entered_high_risk"


class Step(StrEnum):
    """A rung of the ladder."""

    REMIND_WORKER = "remind_worker"
    NOTIFY_CONTACTS = "notify_contacts"  # the sponsor and the emergency contacts
    NOTIFY_EMBASSY = "notify_embassy"
    OPEN_CASE = "open_case"


_H = dt.timedelta(hours=1)
Ladder = tuple[tuple[Step, dt.timedelta], ...]
#: Kind → its steps with how long after the alert opened each is due (configurable).
DEFAULT_LADDERS: Mapping[AlertKind, Ladder] = {
    AlertKind.SOS: ((Step.NOTIFY_EMBASSY, 0 * _H), (Step.NOTIFY_CONTACTS, 0 * _H),
                    (Step.OPEN_CASE, 0 * _H)),
    AlertKind.ENTERED_HIGH_RISK: ((Step.NOTIFY_EMBASSY, 0 * _H), (Step.REMIND_WORKER, 0 * _H),
                                  (Step.NOTIFY_CONTACTS, 2 * _H), (Step.OPEN_CASE, 12 * _H)),
    AlertKind.MISSED_CHECKIN: ((Step.REMIND_WORKER, 0 * _H), (Step.NOTIFY_CONTACTS, 2 * _H),
                               (Step.NOTIFY_EMBASSY, 6 * _H), (Step.OPEN_CASE, 24 * _H)),
    AlertKind.LEFT_WORK_ZONE: ((Step.REMIND_WORKER, 0 * _H), (Step.NOTIFY_CONTACTS, 1 * _H),
                               (Step.NOTIFY_EMBASSY, 4 * _H), (Step.OPEN_CASE, 24 * _H)),
}  # fmt: skip


@dataclass(frozen=True)
class Missed:
    """A check-in that did not come: when it was due, and since when it counts as missed
    (the due time plus the grace period)."""

    due: dt.datetime
    missed_at: dt.datetime


def missed(
    last: dt.datetime, every: dt.timedelta, grace: dt.timedelta, now: dt.datetime
) -> Missed | None:
    """The missed check-in at ``now`` for a worker last heard of at ``last``, if any."""
    if last.tzinfo is None or now.tzinfo is None:
        raise ValueError("times must be timezone-aware (UTC)")
    due = last + every
    return Missed(due, due + grace) if now > due + grace else None


def due_steps(
    kind: AlertKind,
    opened_at: dt.datetime,
    taken: int,
    now: dt.datetime,
    ladders: Mapping[AlertKind, Ladder] = DEFAULT_LADDERS,
) -> tuple[Step, ...]:
    """The steps of the ladder due at ``now`` beyond the ``taken`` first ones, in order."""
    ladder = ladders[kind]
    return tuple(step for step, after in ladder[taken:] if opened_at + after <= now)


def next_step_at(
    kind: AlertKind,
    opened_at: dt.datetime,
    taken: int,
    ladders: Mapping[AlertKind, Ladder] = DEFAULT_LADDERS,
) -> dt.datetime | None:
    """When the next step falls due, or ``None`` at the top of the ladder."""
    ladder = ladders[kind]
    return opened_at + ladder[taken][1] if taken < len(ladder) else None


def configured(hours: Mapping[str, Sequence[Sequence[object]]]) -> Mapping[AlertKind, Ladder]:
    """The default ladders with an installation's overrides: kind → ``[[step, hours], …]``
    (hours after the alert opened, never going back in time, each step once). Raises
    ValueError naming what is wrong."""
    merged = dict(DEFAULT_LADDERS)
    for kind_name, steps in hours.items():
        try:
            kind = AlertKind(kind_name)
        except ValueError:
            raise ValueError(f"alert kind {kind_name!r}: expected one of "
                             + ", ".join(k.value for k in AlertKind)) from None  # fmt: skip
        ladder: list[tuple[Step, dt.timedelta]] = []
        for entry in steps:
            if len(entry) != 2 or not isinstance(entry[1], int | float) or entry[1] < 0:
                raise ValueError(f"{kind_name}: each step is [step, hours ≥ 0], not {entry!r}")
            try:
                step = Step(str(entry[0]))
            except ValueError:
                raise ValueError(f"{kind_name}: step {entry[0]!r}: expected one of "
                                 + ", ".join(s.value for s in Step)) from None  # fmt: skip
            after = dt.timedelta(hours=float(entry[1]))
            if ladder and after < ladder[-1][1]:
                raise ValueError(f"{kind_name}: {step.value} comes before the step above it")
            if step in {s for s, _ in ladder}:
                raise ValueError(f"{kind_name}: {step.value} appears twice")
            ladder.append((step, after))
        if not ladder:
            raise ValueError(f"{kind_name}: a ladder needs at least one step")
        merged[kind] = tuple(ladder)
    return merged
