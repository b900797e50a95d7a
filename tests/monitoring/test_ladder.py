"""The check-in schedule and the alert ladder with a controllable clock: a check-in is
missed only after its grace period; each kind climbs its own ladder, step by step as time
passes, never repeating a step, and stops at the top."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.monitoring.ladder import (
    DEFAULT_LADDERS,
    AlertKind,
    Missed,
    Step,
    configured,
    due_steps,
    missed,
    next_step_at,
)

T0 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
DAY, HOUR = dt.timedelta(days=1), dt.timedelta(hours=1)


def test_a_check_in_is_missed_only_after_the_grace_period() -> None:
    assert missed(T0, DAY, 3 * HOUR, T0 + DAY + 3 * HOUR) is None  # on the edge: not yet
    late = missed(T0, DAY, 3 * HOUR, T0 + DAY + 3 * HOUR + dt.timedelta(seconds=1))
    assert late == Missed(T0 + DAY, T0 + DAY + 3 * HOUR)
    with pytest.raises(ValueError, match="timezone-aware"):
        missed(T0.replace(tzinfo=None), DAY, HOUR, T0)


def test_a_missed_check_in_climbs_its_ladder_as_time_passes() -> None:
    kind = AlertKind.MISSED_CHECKIN
    assert due_steps(kind, T0, 0, T0) == (Step.REMIND_WORKER,)
    assert due_steps(kind, T0, 1, T0 + HOUR) == ()
    assert next_step_at(kind, T0, 1) == T0 + 2 * HOUR
    assert due_steps(kind, T0, 1, T0 + 7 * HOUR) == (Step.NOTIFY_CONTACTS, Step.NOTIFY_EMBASSY)
    assert due_steps(kind, T0, 3, T0 + 24 * HOUR) == (Step.OPEN_CASE,)
    assert due_steps(kind, T0, 4, T0 + 100 * HOUR) == ()  # the top of the ladder
    assert next_step_at(kind, T0, 4) is None


def test_an_sos_goes_to_the_embassy_and_opens_a_case_at_once() -> None:
    assert due_steps(AlertKind.SOS, T0, 0, T0) == (
        Step.NOTIFY_EMBASSY, Step.NOTIFY_CONTACTS, Step.OPEN_CASE,
    )  # fmt: skip
    assert due_steps(AlertKind.ENTERED_HIGH_RISK, T0, 0, T0)[0] is Step.NOTIFY_EMBASSY


def test_every_ladder_ends_in_a_case_and_never_goes_back_in_time() -> None:
    for ladder in DEFAULT_LADDERS.values():
        assert ladder[-1][0] is Step.OPEN_CASE
        offsets = [after for _, after in ladder]
        assert offsets == sorted(offsets)
        assert len({step for step, _ in ladder}) == len(ladder)


def test_an_installation_configures_its_ladders() -> None:
    mine = configured({"missed_checkin": [["notify_embassy", 0], ["open_case", 6]]})
    assert mine[AlertKind.MISSED_CHECKIN] == ((Step.NOTIFY_EMBASSY, 0 * HOUR),
                                              (Step.OPEN_CASE, 6 * HOUR))  # fmt: skip
    assert mine[AlertKind.SOS] == DEFAULT_LADDERS[AlertKind.SOS]
    assert due_steps(AlertKind.MISSED_CHECKIN, T0, 1, T0 + 6 * HOUR, mine) == (Step.OPEN_CASE,)
    for wrong, message in (
        ({"lost": [["open_case", 0]]}, "alert kind 'lost'"),
        ({"sos": [["call_mum", 0]]}, "step 'call_mum'"),
        ({"sos": [["open_case", 5], ["notify_embassy", 1]]}, "comes before the step above"),
        ({"sos": [["open_case", 1], ["open_case", 2]]}, "appears twice"),
        ({"sos": [["open_case", -1]]}, "hours ≥ 0"),
        ({"sos": []}, "at least one step"),
    ):
        with pytest.raises(ValueError, match=message):
            configured(wrong)
