"""Deadlines per stage and escalation, with a controllable clock."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.cases.deadlines import DEFAULT_DEADLINES, due_at, overdue
from lindungi.cases.workflow import State

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("now", "level", "notify"),
    [
        (T0 + 23 * HOUR, None, None),
        (T0 + 24 * HOUR, None, None),  # due exactly now: not yet late
        (T0 + 25 * HOUR, 1, "supervisor"),
        (T0 + 48 * HOUR, 2, "duty_officer"),  # a further deadline's length late
        (T0 + 72 * HOUR, 3, "command_centre"),
        (T0 + 30 * 24 * HOUR, 3, "command_centre"),  # the top level holds
    ],
)
def test_a_report_must_be_verified_within_24_hours(
    now: dt.datetime, level: int | None, notify: str | None
) -> None:
    late = overdue(State.REPORTED, T0, now)
    if level is None:
        assert late is None
    else:
        assert late is not None
        assert (late.level, late.notify, late.due) == (level, notify, T0 + 24 * HOUR)
        assert late.late_by == now - (T0 + 24 * HOUR)


def test_stages_without_a_deadline_and_configured_deadlines() -> None:
    assert due_at(State.REHABILITATION, T0) is None
    assert overdue(State.CLOSED, T0, T0 + 1000 * HOUR) is None
    faster = {**DEFAULT_DEADLINES, State.REPORTED: dt.timedelta(hours=6)}
    late = overdue(State.REPORTED, T0, T0 + 7 * HOUR, faster)
    assert late is not None
    assert late.level == 1
    with pytest.raises(ValueError, match="timezone-aware"):
        overdue(State.REPORTED, T0.replace(tzinfo=None), T0)
