"""Document-fraud signals from the person index, for screening: one call, explained results.

A signal is not a verdict. It names the records behind it so the officer can look, and
says in both languages what it means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz.distance import JaroWinkler
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.identity import incremental
from lindungi.identity.ingest import SourceRecord
from lindungi.identity.models import Membership
from lindungi.identity.names import normalize_name
from lindungi.people.models import PersonRecord
from lindungi.people.validation import Sex, check_nik

#: Several passports within this many days of each other is a signal.
PASSPORT_WINDOW_DAYS = 730
#: Outcomes that mean an agency refused the person.
REFUSALS = frozenset({"refused", "ditolak", "rejected", "denied", "offloaded"})

Code = Literal["nik_shared", "nik_mismatch", "passports", "refused_elsewhere"]


@dataclass(frozen=True)
class Signal:
    """One reason to look closer at a person's documents."""

    code: Code
    message_en: str
    message_id: str
    records: list[tuple[str, str]] = field(default_factory=list)  # (source, record id)


def _ref(record: PersonRecord) -> tuple[str, str]:
    return (record.source, record.source_record_id)


def _seen(record: PersonRecord) -> dt.date:
    return record.seen_on or record.first_seen.date()


def _name(record: PersonRecord) -> str:
    return normalize_name(record.full_name).sorted_key if record.full_name else ""


def _nik_shared(session: Session, records: list[PersonRecord]) -> list[Signal]:
    found = []
    for nik in sorted({r.nik for r in records if r.nik}):
        holders = list(
            session.scalars(
                select(PersonRecord).where(PersonRecord.nik == nik).order_by(PersonRecord.id)
            )
        )
        names = {_name(r) for r in holders if r.full_name}
        dates = {r.birth_date for r in holders if r.birth_date}
        distinct_names = [
            n for i, n in enumerate(sorted(names))
            if all(JaroWinkler.similarity(n, m) < 0.9 for m in sorted(names)[:i])
        ]  # fmt: skip
        if len(distinct_names) > 1 or len(dates) > 1:
            what = []
            if len(distinct_names) > 1:
                what.append(f"{len(distinct_names)} names ({', '.join(distinct_names)})")
            if len(dates) > 1:
                what.append(f"{len(dates)} birth dates")
            found.append(
                Signal(
                    "nik_shared",
                    f"NIK {nik} appears with {' and '.join(what)} across "
                    f"{len({r.source for r in holders})} sources",
                    f"NIK {nik} dipakai dengan nama atau tanggal lahir berbeda di "
                    f"{len({r.source for r in holders})} sumber",
                    [_ref(r) for r in holders],
                )
            )
    return found


def _nik_mismatch(records: list[PersonRecord]) -> list[Signal]:
    found = []
    for record in records:
        if not record.nik or not (record.nik.isdigit() and len(record.nik) == 16):
            continue
        sex: Sex | None = "F" if record.sex == "F" else "M" if record.sex == "M" else None
        check = check_nik(record.nik, birth_date=record.birth_date, sex=sex)
        if check.problems:
            found.append(
                Signal(
                    "nik_mismatch",
                    f"{record.source} {record.source_record_id}: " + "; ".join(check.problems),
                    f"{record.source} {record.source_record_id}: NIK tidak sesuai dengan "
                    "tanggal lahir atau jenis kelamin yang dinyatakan, atau tidak sah",
                    [_ref(record)],
                )
            )
    return found


def _passports(records: list[PersonRecord]) -> list[Signal]:
    first: dict[str, PersonRecord] = {}
    for record in sorted(records, key=_seen):
        if record.passport_no and record.passport_no not in first:
            first[record.passport_no] = record
    if len(first) < 2:
        return []
    dated = sorted(first.values(), key=_seen)
    span = (_seen(dated[-1]) - _seen(dated[0])).days
    if span > PASSPORT_WINDOW_DAYS:
        return []
    return [
        Signal(
            "passports",
            f"{len(first)} passport numbers within {span} days ({', '.join(sorted(first))})",
            f"{len(first)} nomor paspor dalam {span} hari",
            [_ref(r) for r in dated],
        )
    ]


def _refused_elsewhere(records: list[PersonRecord]) -> list[Signal]:
    found = []
    for refusal in records:
        if (refusal.outcome or "").lower() not in REFUSALS:
            continue
        later = [
            r for r in records
            if r.source != refusal.source and _seen(r) >= _seen(refusal)
        ]  # fmt: skip
        if later:
            found.append(
                Signal(
                    "refused_elsewhere",
                    f"refused by {refusal.source} on {_seen(refusal).isoformat()}, then seen at "
                    + ", ".join(sorted({r.source for r in later})),
                    f"ditolak oleh {refusal.source} pada {_seen(refusal).isoformat()}, "
                    f"kemudian muncul di {', '.join(sorted({r.source for r in later}))}",
                    [_ref(refusal), *(_ref(r) for r in later)],
                )
            )
    return found


def document_signals(session: Session, person_id: int) -> list[Signal]:
    """Every document-fraud signal about one person in the index."""
    ids = select(Membership.record_id).where(Membership.person_id == person_id)
    records = list(session.scalars(select(PersonRecord).where(PersonRecord.id.in_(ids))))
    return [
        *_nik_shared(session, records),
        *_nik_mismatch(records),
        *_passports(records),
        *_refused_elsewhere(records),
    ]


@dataclass(frozen=True)
class Screened:
    """A traveller identified against the index, with the signals about them."""

    identification: incremental.Identification
    signals: list[Signal]


def identify(session: Session, source: str, record: SourceRecord) -> Screened:
    """The one call screening makes: store and link the record, then gather the signals."""
    found = incremental.link_record(session, source, record)
    return Screened(found, document_signals(session, found.person_id))


def _document_forms(value: str, kind: str) -> set[str]:
    """The spellings under which a document number may be stored (as written, cleaned)."""
    text = value.strip()
    compact = "".join(ch for ch in text if ch.isalnum())
    return {text, compact, compact.upper()} if kind == "passport" else {text, compact}


def signals_by_document(
    session: Session, documents: list[tuple[str, str]]
) -> dict[tuple[str, str], list[Signal]]:
    """Signals about whoever holds each document, read-only, for many at once.

    ``documents`` are ``("nik" | "passport", number)`` pairs; the answer maps each pair
    that the index knows to the signals of the persons holding it (deduplicated). This is
    the batch screening path: it stores nothing and runs one query per batch.
    """
    forms: dict[str, dict[str, tuple[str, str]]] = {"nik": {}, "passport": {}}
    for kind, number in documents:
        for form in _document_forms(number, kind):
            forms[kind][form] = (kind, number)
    if not forms["nik"] and not forms["passport"]:
        return {}
    rows = session.execute(
        select(PersonRecord.nik, PersonRecord.passport_no, Membership.person_id)
        .join(Membership, Membership.record_id == PersonRecord.id)
        .where(
            PersonRecord.nik.in_(list(forms["nik"]))
            | PersonRecord.passport_no.in_(list(forms["passport"]))
        )
    ).all()
    persons: dict[tuple[str, str], set[int]] = {}
    for nik, passport, person_id in rows:
        for key in (forms["nik"].get(nik or ""), forms["passport"].get(passport or "")):
            if key is not None:
                persons.setdefault(key, set()).add(person_id)
    cache: dict[int, list[Signal]] = {}
    answer: dict[tuple[str, str], list[Signal]] = {}
    for key, ids in persons.items():
        found: dict[tuple[str, str], Signal] = {}
        for person_id in sorted(ids):
            if person_id not in cache:
                cache[person_id] = document_signals(session, person_id)
            for signal in cache[person_id]:
                found.setdefault((signal.code, signal.message_en), signal)
        answer[key] = list(found.values())
    return answer
