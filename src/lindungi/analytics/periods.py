"""Reporting periods: a month ("2026-11"), a quarter ("2026-Q4") or a year ("2026") as a
UTC window ``[start, end)``, and the months before it for the trend. Pure: text in, plain
values out; a value that names no period is refused with a message that quotes it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from lindungi.errors import InvalidInputError

Kind = Literal["month", "quarter", "year", "window"]
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq](\d)")
_YEAR = re.compile(r"(\d{4})")
#: The first year a period may name (the hub holds nothing older).
FIRST_YEAR = 2000
EXPECTED = "expected a month like 2026-11, a quarter like 2026-Q4 or a year like 2026"


@dataclass(frozen=True)
class Period:
    """A reporting window in UTC: ``start`` included, ``end`` excluded."""

    label: str
    kind: Kind
    start: dt.datetime
    end: dt.datetime

    def months(self) -> list[Period]:
        """The calendar months the period covers, in order."""
        out, at = [], self.start
        while at < self.end:
            out.append(month(at.year, at.month))
            at = out[-1].end
        return out


def _first(year: int, month_no: int) -> dt.datetime:
    return dt.datetime(year, month_no, 1, tzinfo=dt.UTC)


def _next(year: int, month_no: int) -> dt.datetime:
    return _first(year + month_no // 12, month_no % 12 + 1)


def month(year: int, month_no: int) -> Period:
    """The calendar month ``year-month_no``."""
    return Period(f"{year:04d}-{month_no:02d}", "month", _first(year, month_no),
                  _next(year, month_no))  # fmt: skip


def parse_period(text: str) -> Period:
    """The period ``text`` names: ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY`` (UTC)."""
    value = text.strip()
    found = _MONTH.fullmatch(value) or _QUARTER.fullmatch(value) or _YEAR.fullmatch(value)
    if found is None:
        raise InvalidInputError(f"period {text!r}: {EXPECTED}")
    year = int(found[1])
    if year < FIRST_YEAR:
        raise InvalidInputError(f"period {text!r}: the year must be {FIRST_YEAR} or later")
    if found.re is _YEAR:
        return Period(f"{year:04d}", "year", _first(year, 1), _first(year + 1, 1))
    number = int(found[2])
    if found.re is _QUARTER:
        if not 1 <= number <= 4:
            raise InvalidInputError(f"period {text!r}: a quarter is Q1 to Q4")
        first = 3 * number - 2
        return Period(f"{year:04d}-Q{number}", "quarter", _first(year, first),
                      _next(year, first + 2))  # fmt: skip
    if not 1 <= number <= 12:
        raise InvalidInputError(f"period {text!r}: the month must be 01 to 12")
    return month(year, number)


def window(start: dt.datetime, end: dt.datetime, label: str | None = None) -> Period:
    """An arbitrary window (both ends timezone-aware, ``end`` after ``start``)."""
    for name, moment in (("start", start), ("end", end)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidInputError(f"{name} {moment.isoformat()} has no time zone")
    if end <= start:
        raise InvalidInputError(f"end {end.isoformat()} must come after start {start.isoformat()}")
    begin, until = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return Period(label or f"{begin:%Y-%m-%d}..{until:%Y-%m-%d}", "window", begin, until)


def require_started(period: Period, now: dt.datetime) -> None:
    """Refuse a period that has not begun at ``now`` (it can hold no data yet)."""
    if period.start > now:
        raise InvalidInputError(
            f"period {period.label!r} has not started yet (it begins {period.start:%Y-%m-%d})"
        )


def trend_months(period: Period, count: int = 6) -> list[Period]:
    """The ``count`` calendar months ending with the period's last month, or all the
    period's months when it covers more; oldest first."""
    last = (period.end - dt.timedelta(microseconds=1)).astimezone(dt.UTC)
    covered = len(period.months())
    out = [month(last.year, last.month)]
    while len(out) < max(count, covered):
        first = out[0].start - dt.timedelta(days=1)
        out.insert(0, month(first.year, first.month))
    return out
