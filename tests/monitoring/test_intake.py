"""Reading one check-in: each kind of bad record refused naming its field, good ones
taken, times in ISO 8601 or epoch seconds, the phone's clock allowed a little skew."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.monitoring.intake import Reading, Refused, parse_time, read

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
OLDEST = NOW - dt.timedelta(days=30)
GOOD = {"subject": "k" * 20, "kind": "checkin", "at": "2026-11-30T11:55:00+07:00",
        "lon": 103.5, "lat": 10.6}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"subject": None}, "subject", "missing"),
        ({"kind": "ping"}, "kind", "'ping' is not one of checkin, sos"),
        ({"lon": 181.0}, "lon", "outside -180…180"),
        ({"lat": -90.5}, "lat", "outside -90…90"),
        ({"lat": float("nan")}, "lat", "outside"),
        ({"lon": None}, "lon", "missing or not a number"),
        ({"lon": True}, "lon", "missing or not a number"),
        ({"at": "kemarin"}, "at", "is not ISO 8601 or epoch seconds"),
        ({"at": "2026-11-30T12:10:00+00:00"}, "at", "in the future"),
        ({"at": "2026-10-01T00:00:00+00:00"}, "at", "older than the retention window"),
        ({"accuracy_m": -3}, "accuracy_m", "not a distance"),
    ],
)
def test_a_bad_record_is_refused_naming_its_field(
    change: dict[str, object], field: str, error: str
) -> None:
    got = read({**GOOD, **change}, NOW, OLDEST)
    assert isinstance(got, Refused)
    assert got.field == field
    assert error in got.error


def test_a_good_record_is_read_in_utc() -> None:
    got = read(GOOD, NOW, OLDEST)
    assert got == Reading("k" * 20, "checkin", dt.datetime(2026, 11, 30, 4, 55, tzinfo=dt.UTC),
                          103.5, 10.6, None)  # fmt: skip
    skewed = read({**GOOD, "at": "2026-11-30T12:04:00Z", "kind": "sos"}, NOW, OLDEST)
    assert isinstance(skewed, Reading)  # a phone's clock a few minutes fast is fine
    assert skewed.kind == "sos"


def test_times_in_iso_or_epoch_seconds() -> None:
    moment = dt.datetime(2026, 11, 30, 4, 55, tzinfo=dt.UTC)
    assert parse_time(moment.timestamp()) == moment
    assert parse_time(str(moment.timestamp())) == moment
    assert parse_time("2026-11-30T04:55:00") == moment  # naive: UTC
    assert parse_time(None) is None
    assert parse_time(True) is None
    assert parse_time(float("inf")) is None
    assert parse_time("1e400") is None
