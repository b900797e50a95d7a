"""Document-fraud signals from the person index, for screening: one call, explained results.

A signal is not a verdict. It names the records behind it so the officer can look, and
says in both languages what it means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, cast

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


class _Record(Protocol):
    """What the signals read of a person record (an ORM object or a plain row)."""

    id: int
    source: str
    source_record_id: str
    full_name: str
    birth_date: dt.date | None
    sex: str | None
    nik: str | None
    passport_no: str | None
    seen_on: dt.date | None
    first_seen: dt.datetime
    outcome: str | None


#: The columns the signals read: rows of these, not ORM objects, for speed in batches.
_COLUMNS = (
    PersonRecord.id, PersonRecord.source, PersonRecord.source_record_id,
    PersonRecord.full_name, PersonRecord.birth_date, PersonRecord.sex, PersonRecord.nik,
    PersonRecord.passport_no, PersonRecord.seen_on, PersonRecord.first_seen,
    PersonRecord.outcome,
)  # fmt: skip


def _ref(record: _Record) -> tuple[str, str]:
    return (record.source, record.source_record_id)


def _seen(record: _Record) -> dt.date:
    return record.seen_on or record.first_seen.date()


def _name(record: _Record) -> str:
    return normalize_name(record.full_name).sorted_key if record.full_name else ""


def _nik_shared(records: list[_Record], holders_of: dict[str, list[_Record]]) -> list[Signal]:
    found = []
    for nik in sorted({r.nik for r in records if r.nik}):
        holders = holders_of.get(nik, [])
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


def _nik_mismatch(records: list[_Record]) -> list[Signal]:
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


def _passports(records: list[_Record]) -> list[Signal]:
    first: dict[str, _Record] = {}
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


def _refused_elsewhere(records: list[_Record]) -> list[Signal]:
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
    return signals_of_persons(session, [person_id]).get(person_id, [])


ALL_CODES: tuple[Code, ...] = ("nik_shared", "nik_mismatch", "passports", "refused_elsewhere")
#: Ids per IN list: well under SQLite's limit on bound parameters.
_IN_CHUNK = 5000


def _chunked(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def signals_of_persons(
    session: Session, person_ids: Iterable[int], codes: Iterable[Code] = ALL_CODES
) -> dict[int, list[Signal]]:
    """The signals of ``codes`` about many persons, in two queries per 5,000 persons (their
    records, then every record sharing one of their NIKs) rather than per person."""
    wanted = set(codes)
    ids = sorted(set(person_ids))
    records: dict[int, list[_Record]] = {pid: [] for pid in ids}
    for part in _chunked(ids):
        for row in session.execute(
            select(Membership.person_id.label("person_id"), *_COLUMNS)
            .join(PersonRecord, PersonRecord.id == Membership.record_id)
            .where(Membership.person_id.in_(part))
            .order_by(PersonRecord.id)
        ):
            records[row.person_id].append(cast(_Record, row))
    holders: dict[str, list[_Record]] = {}
    if "nik_shared" in wanted:
        niks = sorted({r.nik for rs in records.values() for r in rs if r.nik})
        for part in _chunked(niks):
            for holder in session.execute(
                select(*_COLUMNS).where(PersonRecord.nik.in_(part)).order_by(PersonRecord.id)
            ):
                holders.setdefault(holder.nik or "", []).append(cast(_Record, holder))
    answer = {}
    for person_id, mine in records.items():
        found = [
            *(_nik_shared(mine, holders) if "nik_shared" in wanted else []),
            *(_nik_mismatch(mine) if "nik_mismatch" in wanted else []),
            *(_passports(mine) if "passports" in wanted else []),
            *(_refused_elsewhere(mine) if "refused_elsewhere" in wanted else []),
        ]
        answer[person_id] = found
    return answer


@dataclass(frozen=True)
class Screened:
    """A traveller identified against the index, with the signals about them."""

    identification: incremental.Identification
    signals: list[Signal]


def identify(session: Session, source: str, record: SourceRecord) -> Screened:
    """The one call screening makes: store and link the record, then gather the signals."""
    found = incremental.link_record(session, source, record)
    return Screened(found, document_signals(session, found.person_id))


_NOT_ALNUM = re.compile(r"[\W_]+")


def _document_forms(value: str, kind: str) -> set[str]:
    """The spellings under which a document number may be stored (as written, cleaned)."""
    text = value.strip()
    compact = _NOT_ALNUM.sub("", text)
    return {text, compact, compact.upper()} if kind == "passport" else {text, compact}


def signals_by_document(
    session: Session,
    documents: list[tuple[str, str]],
    codes: Iterable[Code] = ALL_CODES,
) -> dict[tuple[str, str], list[Signal]]:
    """Signals about whoever holds each document, read-only, for many at once.

    ``documents`` are ``("nik" | "passport", number)`` pairs; the answer maps each pair
    that the index knows to the signals of the persons holding it (deduplicated). This is
    the batch screening path: it stores nothing and reads a whole batch in a few queries.
    """
    forms: dict[str, dict[str, tuple[str, str]]] = {"nik": {}, "passport": {}}
    for kind, number in documents:
        for form in _document_forms(number, kind):
            forms[kind][form] = (kind, number)
    persons: dict[tuple[str, str], set[int]] = {}
    for kind, column in (("nik", PersonRecord.nik), ("passport", PersonRecord.passport_no)):
        for part in _chunked(sorted(forms[kind])):
            rows = session.execute(
                select(column, Membership.person_id)
                .join(Membership, Membership.record_id == PersonRecord.id)
                .where(column.in_(part))
            )
            for value, person_id in rows:
                key = forms[kind].get(value or "")
                if key is not None:
                    persons.setdefault(key, set()).add(person_id)
    about = signals_of_persons(session, {p for ids in persons.values() for p in ids}, codes)
    answer: dict[tuple[str, str], list[Signal]] = {}
    for key, ids in persons.items():
        found: dict[tuple[str, str], Signal] = {}
        for person_id in sorted(ids):
            for signal in about.get(person_id, []):
                found.setdefault((signal.code, signal.message_en), signal)
        answer[key] = list(found.values())
    return answer
