"""Storing person records as agency sources send them, keeping their provenance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.db import utcnow
from lindungi.people.models import PersonRecord

Change = Literal["created", "updated", "unchanged"]

#: The facts of a record that a source may restate (provenance columns excluded).
FACT_FIELDS = (
    "full_name", "sex", "birth_date", "nik", "passport_no", "phone", "address", "city",
    "postcode", "seen_on", "outcome",
)  # fmt: skip


@dataclass(frozen=True)
class RecordFacts:
    """What a source says of one person, as the ``person_records`` row holds it."""

    full_name: str = ""
    sex: str | None = None
    birth_date: dt.date | None = None
    nik: str | None = None
    passport_no: str | None = None
    phone: str | None = None
    address: str | None = None
    city: str | None = None
    postcode: str | None = None
    seen_on: dt.date | None = None
    outcome: str | None = None


def find_record(session: Session, source: str, source_record_id: str) -> PersonRecord | None:
    """A source's record by its own id."""
    return session.scalar(
        select(PersonRecord).where(
            PersonRecord.source == source, PersonRecord.source_record_id == source_record_id
        )
    )


def upsert_record(
    session: Session,
    source: str,
    source_record_id: str,
    facts: RecordFacts,
    *,
    synthetic: bool = False,
) -> tuple[PersonRecord, Change]:
    """Store a source's record: new, restated with changes, or seen again unchanged.

    ``last_seen`` moves on every sighting; ``first_seen`` never does. A restated record
    replaces the facts the source gave before (the source is the authority on its record).
    """
    record = find_record(session, source, source_record_id)
    values = {field: getattr(facts, field) for field in FACT_FIELDS}
    if record is None:
        record = PersonRecord(
            source=source, source_record_id=source_record_id, synthetic=synthetic, **values
        )
        session.add(record)
        session.flush()
        return record, "created"
    record.last_seen = utcnow()
    changed = {k: v for k, v in values.items() if getattr(record, k) != v}
    for key, value in changed.items():
        setattr(record, key, value)
    session.flush()
    return record, "updated" if changed else "unchanged"
