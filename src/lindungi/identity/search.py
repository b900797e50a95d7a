"""Finding people in the index by what an officer has in hand (a NIK, a passport number,
a name), and the officers' judgements that concern a person's records.

The NIK and the passport are looked up under the same keys the linkage stores
(``features.match_keys``), so "3201-0112-9001-0003" finds "3201011290010003". Services
flush, never commit; these only read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lindungi.identity.features import national_id_key
from lindungi.identity.models import Judgement, MatchKey, Membership
from lindungi.people.models import PersonRecord


@dataclass
class PersonSummary:
    """A person found by a search: what their records say, briefly."""

    person_id: int
    names: list[str] = field(default_factory=list)
    birth_dates: list[dt.date] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    records: int = 0


@dataclass(frozen=True)
class JudgedPair:
    """A judgement on two records, with the records named as their sources know them."""

    judgement: Judgement
    first: tuple[str, str]  # (source, source record id)
    second: tuple[str, str]
    latest: bool  # the latest verdict on this pair (the one that holds)


def _passport_key(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _matching_records(
    session: Session, nik: str | None, passport: str | None, name: str | None, limit: int
) -> list[int]:
    conditions = []
    if nik and (key := national_id_key(nik)):
        keyed = select(MatchKey.record_id).where(MatchKey.key == f"nik:{key}")
        conditions.append(or_(PersonRecord.id.in_(keyed), PersonRecord.nik == key))
    if passport and (key := _passport_key(passport)):
        keyed = select(MatchKey.record_id).where(MatchKey.key == f"pp:{key}")
        conditions.append(or_(PersonRecord.id.in_(keyed), PersonRecord.passport_no == key))
    words = re.findall(r"\w+", (name or "").lower())
    if words:
        lowered = func.lower(PersonRecord.full_name)
        conditions.extend(lowered.contains(word, autoescape=True) for word in words)
    if not conditions:
        return []
    query = select(PersonRecord.id).where(*conditions).order_by(PersonRecord.id).limit(limit)
    return list(session.scalars(query))


def find_persons(
    session: Session,
    *,
    nik: str | None = None,
    passport: str | None = None,
    name: str | None = None,
    limit: int = 50,
) -> list[PersonSummary]:
    """The people one of whose records matches every criterion given (NIK and passport
    exactly, after the linkage's normalisation; each word of the name anywhere in it)."""
    ids = _matching_records(session, nik, passport, name, limit * 4)
    if not ids:
        return []
    person_ids = list(
        session.scalars(
            select(Membership.person_id)
            .where(Membership.record_id.in_(ids))
            .distinct()
            .order_by(Membership.person_id)
            .limit(limit)
        )
    )
    found = {pid: PersonSummary(pid) for pid in person_ids}
    rows = session.execute(
        select(Membership.person_id, PersonRecord)
        .join(PersonRecord, PersonRecord.id == Membership.record_id)
        .where(Membership.person_id.in_(person_ids))
        .order_by(PersonRecord.id)
    )
    for person_id, record in rows:
        summary = found[person_id]
        summary.records += 1
        if record.full_name and record.full_name not in summary.names:
            summary.names.append(record.full_name)
        if record.birth_date and record.birth_date not in summary.birth_dates:
            summary.birth_dates.append(record.birth_date)
        if record.source not in summary.sources:
            summary.sources.append(record.source)
    return list(found.values())


def judgements_of(session: Session, record_ids: list[int]) -> list[JudgedPair]:
    """Every judgement on a pair that includes one of ``record_ids``, newest first, each
    marked whether it is the latest on its pair (a later one on the same pair overrides)."""
    if not record_ids:
        return []
    judgements = list(
        session.scalars(
            select(Judgement)
            .where(or_(Judgement.record_a.in_(record_ids), Judgement.record_b.in_(record_ids)))
            .order_by(Judgement.id.desc())
        )
    )
    named = {
        r.id: (r.source, r.source_record_id)
        for r in session.scalars(
            select(PersonRecord).where(
                PersonRecord.id.in_({i for j in judgements for i in (j.record_a, j.record_b)})
            )
        )
    }
    seen: set[tuple[int, int]] = set()
    pairs = []
    for j in judgements:
        pair = (j.record_a, j.record_b)
        pairs.append(JudgedPair(j, named[j.record_a], named[j.record_b], pair not in seen))
        seen.add(pair)
    return pairs
