"""One audit entry and its canonical bytes (RFC 8785 JSON). Pure.

An entry records who did what to which record, why, and in which request: the
names of the fields read or changed, never their values, so the log itself holds
no personal data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import rfc8785

ENTRY_VERSION = 1


class Action(StrEnum):
    """What was done."""

    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    TRANSITION = "transition"
    EXPORT = "export"
    DENIED = "denied"


def format_time(moment: dt.datetime) -> str:
    """RFC 3339 in UTC with microseconds and a ``Z``: one spelling per instant."""
    if moment.tzinfo is None:
        raise ValueError("audit times must carry a zone")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> dt.datetime:
    """The inverse of :func:`format_time`."""
    if len(text) != 27 or not text.endswith("Z"):
        raise ValueError(f"{text!r} is not a time in the log's form")
    return dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class AuditEntry:
    """An access to sensitive data, as it is hashed into the log."""

    seq: int
    ts: dt.datetime
    actor: str
    agency: str
    action: Action
    resource_type: str
    resource_id: str
    fields: tuple[str, ...] = ()
    purpose: str = ""
    request_id: str = ""

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON object (fields sorted, time normalised)."""
        return {
            "v": ENTRY_VERSION,
            "seq": self.seq,
            "ts": format_time(self.ts),
            "actor": self.actor,
            "agency": self.agency,
            "action": self.action.value,
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "fields": sorted(set(self.fields)),
            "purpose": self.purpose,
            "request_id": self.request_id,
        }

    def columns(self) -> dict[str, Any]:
        """The searchable columns stored beside the canonical bytes (``verify`` compares them)."""
        return {
            "seq": self.seq,
            "ts": self.ts,
            "actor": self.actor,
            "agency": self.agency,
            "action": self.action.value,
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "purpose": self.purpose,
            "request_id": self.request_id,
        }

    def canonical(self) -> bytes:
        """The bytes that are hashed as this entry's Merkle leaf."""
        return rfc8785.dumps(self.to_json())


class EntryFormatError(ValueError):
    """Stored bytes that are not a canonical audit entry."""


def parse_entry(data: bytes, *, canonical: bool = True) -> AuditEntry:
    """Read stored bytes back, refusing anything that is not exactly canonical.

    ``canonical=False`` skips re-encoding the entry to compare (the slow part) for a
    caller that checks the bytes against their leaf hash anyway, as ``verify`` does.
    """
    try:
        obj = json.loads(data)
        entry = AuditEntry(
            seq=int(obj["seq"]),
            ts=parse_time(obj["ts"]),
            actor=str(obj["actor"]),
            agency=str(obj["agency"]),
            action=Action(obj["action"]),
            resource_type=str(obj["resource_type"]),
            resource_id=str(obj["resource_id"]),
            fields=tuple(obj["fields"]),
            purpose=str(obj["purpose"]),
            request_id=str(obj["request_id"]),
        )
    except (ValueError, KeyError, TypeError) as err:
        raise EntryFormatError(f"not an audit entry: {err}") from None
    if obj.get("v") != ENTRY_VERSION or (canonical and entry.canonical() != data):
        raise EntryFormatError("not in canonical form")
    return entry
