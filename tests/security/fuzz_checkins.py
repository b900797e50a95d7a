"""atheris harness: one check-in as it arrives over HTTP or NATS (fuzz_support.py)."""

from __future__ import annotations

import datetime as dt

import atheris
from fuzz_support import json_value, main

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.monitoring.intake import Reading, Refused, parse_time, read

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
FIELDS = ("subject", "kind", "at", "lon", "lat", "accuracy_m")


def test_one_input(data: bytes) -> None:
    """A reading within range, or a refusal naming one of the record's fields."""
    fdp = atheris.FuzzedDataProvider(data)
    record = {name: json_value(fdp) for name in FIELDS if fdp.ConsumeBool()}
    got = read(record, NOW, NOW - dt.timedelta(days=30))
    if isinstance(got, Refused) and got.field not in FIELDS:
        raise AssertionError(got)
    if isinstance(got, Reading) and not (abs(got.lon) <= 180 and abs(got.lat) <= 90):
        raise AssertionError(got)
    moment = parse_time(json_value(fdp))
    if moment is not None and moment.tzinfo is None:
        raise AssertionError(moment)


if __name__ == "__main__":
    main(test_one_input)
