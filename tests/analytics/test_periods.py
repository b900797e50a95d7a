"""Reporting periods: what each spelling names, the refusals that quote the bad value,
the months of the trend, and periods that have not started."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.analytics.periods import month, parse_period, require_started, trend_months, window
from lindungi.errors import InvalidInputError


def _utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "label", "kind", "start", "end"),
    [
        ("2026-11", "2026-11", "month", _utc(2026, 11, 1), _utc(2026, 12, 1)),
        ("2026-12", "2026-12", "month", _utc(2026, 12, 1), _utc(2027, 1, 1)),
        ("2026-1", "2026-01", "month", _utc(2026, 1, 1), _utc(2026, 2, 1)),
        (" 2024-02 ", "2024-02", "month", _utc(2024, 2, 1), _utc(2024, 3, 1)),
        ("2026-Q4", "2026-Q4", "quarter", _utc(2026, 10, 1), _utc(2027, 1, 1)),
        ("2026-q1", "2026-Q1", "quarter", _utc(2026, 1, 1), _utc(2026, 4, 1)),
        ("2025-Q2", "2025-Q2", "quarter", _utc(2025, 4, 1), _utc(2025, 7, 1)),
        ("2026", "2026", "year", _utc(2026, 1, 1), _utc(2027, 1, 1)),
    ],
)
def test_a_period_names_a_utc_window(
    text: str, label: str, kind: str, start: dt.datetime, end: dt.datetime
) -> None:
    got = parse_period(text)
    assert (got.label, got.kind, got.start, got.end) == (label, kind, start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "period '2026-13': the month must be 01 to 12"),
        ("2026-00", "period '2026-00': the month must be 01 to 12"),
        ("2026-Q5", "period '2026-Q5': a quarter is Q1 to Q4"),
        ("2026-Q0", "period '2026-Q0': a quarter is Q1 to Q4"),
        ("1999", "period '1999': the year must be 2000 or later"),
        ("November", "period 'November': expected a month like 2026-11, a quarter like "
                     "2026-Q4 or a year like 2026"),
        ("2026/11", "period '2026/11': expected a month"),
        ("26-11", "period '26-11': expected a month"),
        ("", "period '': expected a month"),
        ("2026-11-01", "period '2026-11-01': expected a month"),
    ],
)  # fmt: skip
def test_a_value_that_names_no_period_is_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_period(text)
    assert refused.value.detail.startswith(message)


def test_the_trend_is_the_months_ending_with_the_period() -> None:
    assert [m.label for m in trend_months(parse_period("2026-02"), 4)] == [
        "2025-11", "2025-12", "2026-01", "2026-02"]  # fmt: skip
    assert [m.label for m in trend_months(parse_period("2026-Q2"), 2)] == [
        "2026-04", "2026-05", "2026-06"]  # fmt: skip
    assert len(trend_months(parse_period("2026"), 6)) == 12


def test_a_period_that_has_not_started_is_refused() -> None:
    require_started(parse_period("2026-11"), _utc(2026, 11, 1))
    with pytest.raises(InvalidInputError, match="'2026-12' has not started yet"):
        require_started(parse_period("2026-12"), _utc(2026, 11, 30, 23, 59))


def test_a_window_needs_zones_and_an_order() -> None:
    assert window(_utc(2026, 3, 1), _utc(2026, 3, 9)).label == "2026-03-01..2026-03-09"
    with pytest.raises(InvalidInputError, match="has no time zone"):
        window(dt.datetime(2026, 3, 1), _utc(2026, 3, 9))
    with pytest.raises(InvalidInputError, match="must come after"):
        window(_utc(2026, 3, 9), _utc(2026, 3, 1))


@given(st.integers(2000, 2999), st.integers(1, 12))
def test_every_month_round_trips_and_tiles_its_quarter_and_year(year: int, number: int) -> None:
    got = parse_period(f"{year}-{number:02d}")
    assert got == month(year, number)
    assert got.start < got.end
    assert got.months() == [got]
    quarter = parse_period(f"{year}-Q{(number - 1) // 3 + 1}")
    assert got in quarter.months()
    assert len(quarter.months()) == 3
    assert parse_period(str(year)).months()[number - 1] == got
