"""Reading one check-in as it arrives: pure, so the HTTP path and the message-bus path
check the same way. A record is taken, or refused naming the field and why; a refused
record never stops the rest of its batch."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: How far ahead of the hub's clock a phone's clock may run.
CLOCK_SKEW = dt.timedelta(minutes=5)
KINDS = ("checkin", "sos")


@dataclass(frozen=True)
class Reading:
    """A check-in that can be recorded."""

    subject: str
    kind: str
    at: dt.datetime
    lon: float
    lat: float
    accuracy_m: float | None


@dataclass(frozen=True)
class Refused:
    """A record that cannot be recorded: the field and the reason."""

    field: str
    error: str


def _finite(value: float) -> bool:
    """Whether a JSON number is finite as a float (an integer past any float is not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def parse_time(value: object) -> dt.datetime | None:
    """An instant from ISO 8601 (naive taken as UTC) or epoch seconds; ``None`` if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not _finite(value):
            return None
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_time(float(text))
        except ValueError:
            pass
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return None


def read(record: Mapping[str, Any], now: dt.datetime, oldest: dt.datetime) -> Reading | Refused:
    """Check one record against the clock; ``oldest`` is the start of the retention
    window (nothing older is taken, since it would be purged at once)."""
    subject = record.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        return Refused("subject", "missing: the enrolment key the app was given")
    kind = record.get("kind") or "checkin"
    if kind not in KINDS:
        return Refused("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    for name, limit in (("lon", 180.0), ("lat", 90.0)):
        value = record.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return Refused(name, "missing or not a number")
        if not _finite(value) or abs(value) > limit:
            return Refused(name, f"{str(value)[:40]} is outside -{limit:g}…{limit:g}")
    at = parse_time(record.get("at"))
    if at is None:
        return Refused("at", f"{repr(record.get('at'))[:60]} is not ISO 8601 or epoch seconds")
    if at > now + CLOCK_SKEW:
        return Refused("at", f"{at.isoformat()} is in the future")
    if at < oldest:
        return Refused("at", f"{at.isoformat()} is older than the retention window")
    accuracy = record.get("accuracy_m")
    if accuracy is not None and (
        not isinstance(accuracy, int | float) or not _finite(accuracy) or accuracy < 0
    ):
        return Refused("accuracy_m", f"{str(accuracy)[:40]} is not a distance in metres")
    return Reading(subject.strip(), kind, at, float(record["lon"]), float(record["lat"]),
                   None if accuracy is None else float(accuracy))  # fmt: skip
