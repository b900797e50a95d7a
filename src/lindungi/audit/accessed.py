"""Who was affected by accesses in a window: the audit log's reads and exports of
personal data, resolved to the people they were about (breach response, UU 27/2022
article 46: the people whose data was exposed must be told).

Each entry names a record (``cases:12``, ``persons:7``, ``monitoring_enrolments:3`` …);
the record is resolved to the person it is about: the person in the index when an
identifier (NIK or passport number) links it there, the record itself otherwise. For
each person the answer gives only what the notification needs: a name to address,
one contact route, which records were touched and when, by whom, which fields. Entries
that name a collection (``cases:queue``, ``monitoring_alerts:list``) cannot be resolved
to people and are listed apart, so the responder knows the exposure may be wider.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lindungi.audit.entry import Action
from lindungi.audit.models import AuditEntryRow
from lindungi.cases.models import Case, CaseDetermination, CaseReferral
from lindungi.identity.models import Judgement, Membership
from lindungi.monitoring.models import Alert, Enrolment
from lindungi.people.models import PersonRecord
from lindungi.screening.models import Referral, Screening

#: Resource types whose records hold personal data, as modules record them.
PERSONAL = (
    "cases", "case_referrals", "case_determinations", "persons", "person_records",
    "identity_judgements", "monitoring_enrolments", "monitoring_alerts", "screenings",
    "screening_referrals",
)  # fmt: skip
#: What exposes data: it was shown to someone, or it left the hub.
EXPOSING = (Action.READ.value, Action.EXPORT.value)
COLUMNS = ("subject", "name", "contact_route", "contact", "accesses", "first_access",
           "last_access", "actors", "agencies", "records", "fields")  # fmt: skip


@dataclass
class Affected:
    """One person whose data was read or exported, with what the notice needs."""

    subject: str  # person:<id> (the index), or the record when nothing links it
    name: str = ""
    contact_route: str = "none"  # phone | reporter | handling_agency | none
    contact: str = ""
    accesses: int = 0
    first_access: dt.datetime | None = None
    last_access: dt.datetime | None = None
    actors: set[str] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)

    def row(self) -> dict[str, str]:
        """The CSV row."""
        return {
            "subject": self.subject, "name": self.name, "contact_route": self.contact_route,
            "contact": self.contact, "accesses": str(self.accesses),
            "first_access": self.first_access.isoformat() if self.first_access else "",
            "last_access": self.last_access.isoformat() if self.last_access else "",
            "actors": " ".join(sorted(self.actors)), "agencies": " ".join(sorted(self.agencies)),
            "records": " ".join(sorted(self.records)), "fields": " ".join(sorted(self.fields)),
        }  # fmt: skip


@dataclass(frozen=True)
class Accessed:
    """The answer: the people affected, and what could not be resolved to people."""

    entries: int
    people: list[Affected]
    collections: dict[str, int]  # "cases:queue" -> how many accesses
    unresolved: dict[str, int]  # records named but no longer found


@dataclass
class _Whom:
    subject: str
    name: str = ""
    route: str = "none"
    contact: str = ""


def person_for(session: Session, nik: str | None, passport: str | None) -> int | None:
    """The index person a NIK or passport number belongs to, if any record links it."""
    terms = []
    if nik:
        terms.append(PersonRecord.nik == nik)
    if passport:
        terms.append(PersonRecord.passport_no == passport)
    if not terms:
        return None
    found = session.scalar(
        select(Membership.person_id)
        .join(PersonRecord, PersonRecord.id == Membership.record_id)
        .where(or_(*terms))
        .order_by(Membership.person_id)
        .limit(1)
    )
    return int(found) if found is not None else None


def _person(session: Session, person_id: int) -> _Whom:
    records = session.scalars(
        select(PersonRecord)
        .join(Membership, Membership.record_id == PersonRecord.id)
        .where(Membership.person_id == person_id)
        .order_by(PersonRecord.id)
    ).all()
    name = next((r.full_name for r in records if r.full_name), "")
    phone = next((r.phone for r in records if r.phone), "")
    return _Whom(f"person:{person_id}", name, "phone" if phone else "none", phone or "")


def _record(session: Session, record_id: int) -> _Whom | None:
    membership = session.get(Membership, record_id)
    if membership is not None:
        return _person(session, membership.person_id)
    record = session.get(PersonRecord, record_id)
    if record is None:
        return None
    route = "phone" if record.phone else "none"
    return _Whom(f"person_record:{record_id}", record.full_name, route, record.phone or "")


def _case(session: Session, case_id: int) -> _Whom | None:
    case = session.get(Case, case_id)
    if case is None:
        return None
    linked = person_for(session, case.nik, case.passport_no)
    whom = _person(session, linked) if linked else _Whom(f"case:{case_id}")
    whom.name = whom.name or case.full_name or ""
    if whom.route == "none":
        whom.route, whom.contact = (
            ("reporter", case.reporter_contact) if case.reporter_contact
            else ("handling_agency", f"{case.agency} case {case.tracking_no}")
        )  # fmt: skip
    return whom


def _enrolment(session: Session, enrolment_id: int) -> _Whom | None:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        return None
    linked = person_for(session, None, enrolment.passport_no)
    whom = _person(session, linked) if linked else _Whom(f"enrolment:{enrolment_id}")
    whom.name = whom.name or enrolment.full_name
    if whom.route == "none" and enrolment.phone:
        whom.route, whom.contact = "phone", enrolment.phone
    return whom


def _screening(session: Session, screening_id: int) -> _Whom | None:
    screening = session.get(Screening, screening_id)
    if screening is None:
        return None
    person = (screening.request or {}).get("person") or {}
    linked = person_for(session, person.get("nik"), person.get("passport_no"))
    whom = _person(session, linked) if linked else _Whom(f"screening:{screening_id}")
    whom.name = whom.name or str(person.get("full_name") or "")
    if whom.route == "none" and person.get("phone"):
        whom.route, whom.contact = "phone", str(person["phone"])
    return whom


def resolve(session: Session, resource_type: str, resource_id: int) -> list[_Whom] | None:
    """The people a record is about (``None`` when the record is gone)."""
    one: _Whom | None
    if resource_type == "cases":
        one = _case(session, resource_id)
    elif resource_type in ("case_referrals", "case_determinations"):
        table = CaseReferral if resource_type == "case_referrals" else CaseDetermination
        case_id = session.scalar(select(table.case_id).where(table.id == resource_id))
        one = _case(session, case_id) if case_id is not None else None
    elif resource_type == "persons":
        one = _person(session, resource_id)
    elif resource_type == "person_records":
        one = _record(session, resource_id)
    elif resource_type == "identity_judgements":
        judgement = session.get(Judgement, resource_id)
        if judgement is None:
            return None
        both = [_record(session, judgement.record_a), _record(session, judgement.record_b)]
        return [w for w in both if w is not None]
    elif resource_type == "monitoring_enrolments":
        one = _enrolment(session, resource_id)
    elif resource_type == "monitoring_alerts":
        enrolment_id = session.scalar(select(Alert.enrolment_id).where(Alert.id == resource_id))
        one = _enrolment(session, enrolment_id) if enrolment_id is not None else None
    elif resource_type in ("screenings", "screening_referrals"):
        if resource_type == "screening_referrals":
            found = session.scalar(select(Referral.screening_id).where(Referral.id == resource_id))
            resource_id = int(found) if found is not None else -1
        one = _screening(session, resource_id)
    else:
        return None
    return None if one is None else [one]


def entries_in(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    actor: str | None = None,
    agency: str | None = None,
    types: Iterable[str] = PERSONAL,
) -> list[AuditEntryRow]:
    """Reads and exports of personal data in ``[start, end)``, in log order."""
    query = select(AuditEntryRow).where(
        AuditEntryRow.ts >= start,
        AuditEntryRow.ts < end,
        AuditEntryRow.action.in_(EXPOSING),
        AuditEntryRow.resource_type.in_(tuple(types)),
    )
    if actor is not None:
        query = query.where(AuditEntryRow.actor == actor)
    if agency is not None:
        query = query.where(AuditEntryRow.agency == agency)
    return list(session.scalars(query.order_by(AuditEntryRow.seq)))


def accessed(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    actor: str | None = None,
    agency: str | None = None,
) -> Accessed:
    """The people whose data was read or exported in ``[start, end)`` (by ``actor`` /
    ``agency`` when given), most accessed first."""
    if start >= end:
        raise ValueError("the window's start must be before its end")
    rows = entries_in(session, start, end, actor=actor, agency=agency)
    people: dict[str, Affected] = {}
    collections: dict[str, int] = {}
    unresolved: dict[str, int] = {}
    cache: dict[tuple[str, int], list[_Whom] | None] = {}
    for row in rows:
        ref = f"{row.resource_type}:{row.resource_id}"
        if not row.resource_id.isdigit():
            collections[ref] = collections.get(ref, 0) + 1
            continue
        key = (row.resource_type, int(row.resource_id))
        if key not in cache:
            cache[key] = resolve(session, *key)
        whom = cache[key]
        if not whom:
            unresolved[ref] = unresolved.get(ref, 0) + 1
            continue
        fields = json.loads(row.entry).get("fields", [])
        for one in whom:
            hit = people.setdefault(one.subject, Affected(one.subject))
            hit.name = hit.name or one.name
            if hit.contact_route == "none":
                hit.contact_route, hit.contact = one.route, one.contact
            hit.accesses += 1
            hit.first_access = min(filter(None, (hit.first_access, row.ts)))
            hit.last_access = max(filter(None, (hit.last_access, row.ts)))
            hit.actors.add(row.actor)
            if row.agency:
                hit.agencies.add(row.agency)
            hit.records.add(ref)
            hit.fields.update(str(f) for f in fields)
    ordered = sorted(people.values(), key=lambda p: (-p.accesses, p.subject))
    return Accessed(len(rows), ordered, collections, unresolved)
