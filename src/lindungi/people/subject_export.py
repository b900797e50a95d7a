"""Everything the hub holds about one person, and what was done with it: the answer to a
data subject's request (UU 27/2022, the right of access, articles 7 and 32).

The person is found by a NIK, a passport number or an index person id. Their records
are the index person's records (all of them, once one matches) and any record carrying
the identifier; cases, screenings and monitoring enrolments are found by the NIKs and
passport numbers those records hold. Protected case fields are included: it is the
person's own data. The processing history is every audit entry that names one of
these records. The export is itself recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.models import AuditEntryRow
from lindungi.cases.models import Case, CaseDetermination, CaseEvent, CaseReferral
from lindungi.db import utcnow
from lindungi.errors import InvalidInputError, NotFoundError
from lindungi.identity.models import Judgement, Membership
from lindungi.monitoring.models import Alert, Enrolment
from lindungi.monitoring.retention import held_about
from lindungi.people.models import PersonRecord
from lindungi.screening.models import Referral, Screening

PURPOSE = "data subject access request (UU 27/2022)"
_SECRET_COLUMNS = frozenset({"secret_hash"})  # the reporter's status secret, hashed


@dataclass
class Subject:
    """The person's identifiers and the records found to be theirs."""

    person_ids: set[int] = field(default_factory=set)
    record_ids: set[int] = field(default_factory=set)
    niks: set[str] = field(default_factory=set)
    passports: set[str] = field(default_factory=set)


def normalise(nik: str | None, passport: str | None) -> tuple[str | None, str | None]:
    """A NIK as its digits and a passport number upper-case without spaces or hyphens."""
    clean_nik = re.sub(r"\D", "", nik) if nik else None
    clean_passport = re.sub(r"[\s-]", "", passport).upper() if passport else None
    if nik is not None and not clean_nik:
        raise InvalidInputError(f"NIK {nik!r} has no digits")
    return clean_nik or None, clean_passport or None


def find_subject(
    session: Session,
    *,
    nik: str | None = None,
    passport: str | None = None,
    person_id: int | None = None,
) -> Subject:
    """The records and identifiers of the person named by exactly one identifier."""
    if sum(x is not None for x in (nik, passport, person_id)) != 1:
        raise InvalidInputError("give exactly one of a NIK, a passport number or a person id")
    nik, passport = normalise(nik, passport)
    found = Subject()
    if person_id is not None:
        found.person_ids.add(person_id)
    terms = []
    if nik:
        found.niks.add(nik)
        terms.append(PersonRecord.nik == nik)
    if passport:
        found.passports.add(passport)
        terms.append(PersonRecord.passport_no == passport)
    if terms:
        found.record_ids.update(session.scalars(select(PersonRecord.id).where(or_(*terms))))
        found.person_ids.update(
            session.scalars(
                select(Membership.person_id).where(Membership.record_id.in_(found.record_ids))
            )
        )
    if found.person_ids:
        found.record_ids.update(
            session.scalars(
                select(Membership.record_id).where(Membership.person_id.in_(found.person_ids))
            )
        )
    for record in session.scalars(
        select(PersonRecord).where(PersonRecord.id.in_(found.record_ids))
    ):
        if record.nik:
            found.niks.add(record.nik)
        if record.passport_no:
            found.passports.add(record.passport_no)
    if person_id is not None and not found.record_ids:
        raise NotFoundError(f"no person {person_id} in the index")
    return found


def _row(obj: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}


def _records(session: Session, subject: Subject) -> list[dict[str, Any]]:
    rows = session.execute(
        select(PersonRecord, Membership)
        .outerjoin(Membership, Membership.record_id == PersonRecord.id)
        .where(PersonRecord.id.in_(subject.record_ids))
        .order_by(PersonRecord.source, PersonRecord.source_record_id)
    )
    return [
        {**_row(record), "index": None if link is None else _row(link, frozenset({"record_id"}))}
        for record, link in rows
    ]


def _cases(session: Session, subject: Subject) -> list[dict[str, Any]]:
    terms = []
    if subject.niks:
        terms.append(Case.nik.in_(subject.niks))
    if subject.passports:
        terms.append(Case.passport_no.in_(subject.passports))
    if not terms:
        return []
    out = []
    for case in session.scalars(select(Case).where(or_(*terms)).order_by(Case.id)):
        out.append({
            **_row(case, _SECRET_COLUMNS),
            "timeline": [_row(e) for e in session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))],
            "determinations": [_row(d) for d in session.scalars(
                select(CaseDetermination).where(CaseDetermination.case_id == case.id)
                .order_by(CaseDetermination.id))],
            "referrals": [_row(r) for r in session.scalars(
                select(CaseReferral).where(CaseReferral.case_id == case.id)
                .order_by(CaseReferral.id))],
        })  # fmt: skip
    return out


def _screenings(session: Session, subject: Subject) -> list[dict[str, Any]]:
    person = Screening.request["person"]
    terms = [person["nik"].as_string().in_(subject.niks)] if subject.niks else []
    if subject.passports:
        terms.append(person["passport_no"].as_string().in_(subject.passports))
    if not terms:
        return []
    out = []
    for screening in session.scalars(select(Screening).where(or_(*terms)).order_by(Screening.id)):
        referral = session.scalar(select(Referral).where(Referral.screening_id == screening.id))
        out.append({**_row(screening), "referral": _row(referral) if referral else None})
    return out


def _enrolments(session: Session, subject: Subject) -> list[Enrolment]:
    if not subject.passports:
        return []
    query = select(Enrolment).where(Enrolment.passport_no.in_(subject.passports))
    return list(session.scalars(query.order_by(Enrolment.id)))


def _history(session: Session, touched: dict[str, set[int]]) -> list[dict[str, Any]]:
    terms = [
        and_(AuditEntryRow.resource_type == kind, AuditEntryRow.resource_id.in_(map(str, ids)))
        for kind, ids in touched.items()
        if ids
    ]
    if not terms:
        return []
    rows = session.scalars(select(AuditEntryRow).where(or_(*terms)).order_by(AuditEntryRow.seq))
    return [json.loads(row.entry) for row in rows]


def export_subject(
    session: Session, subject: Subject, actor: audit.Actor, *, purpose: str = PURPOSE
) -> dict[str, Any]:
    """Everything held about ``subject`` and its processing history, as JSON-ready data;
    the export is recorded (one ``export`` entry per record) in the caller's transaction."""
    records = _records(session, subject)
    cases = _cases(session, subject)
    screenings = _screenings(session, subject)
    enrolments = _enrolments(session, subject)
    ids = subject.record_ids
    judged = or_(Judgement.record_a.in_(ids), Judgement.record_b.in_(ids))
    judgements = set(session.scalars(select(Judgement.id).where(judged)))
    watched = Alert.enrolment_id.in_([e.id for e in enrolments])
    alerts = set(session.scalars(select(Alert.id).where(watched)))
    touched: dict[str, set[int]] = {
        "persons": set(subject.person_ids),
        "person_records": set(subject.record_ids),
        "identity_judgements": judgements,
        "cases": {c["id"] for c in cases},
        "case_determinations": {d["id"] for c in cases for d in c["determinations"]},
        "case_referrals": {r["id"] for c in cases for r in c["referrals"]},
        "screenings": {s["id"] for s in screenings},
        "screening_referrals": {s["referral"]["id"] for s in screenings if s["referral"]},
        "monitoring_enrolments": {e.id for e in enrolments},
        "monitoring_alerts": alerts,
    }
    history = _history(session, touched)
    export = {
        "generated_at": utcnow(),
        "purpose": purpose,
        "subject": {"person_ids": sorted(subject.person_ids)},
        "person_records": records,
        "cases": cases,
        "screenings": screenings,
        "monitoring": [{"enrolment_id": e.id, **held_about(session, e)} for e in enrolments],
        "processing_history": history,
    }
    for kind in ("persons", "person_records", "cases", "screenings", "monitoring_enrolments"):
        for item in sorted(touched[kind]):
            audit.record(session, actor, Action.EXPORT, kind, str(item),
                         fields=("subject_access",), purpose=purpose)  # fmt: skip
    return export


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(export: dict[str, Any]) -> str:
    """The export as indented JSON (dates and times in ISO 8601)."""
    return json.dumps(export, default=_encode, ensure_ascii=False, indent=2) + "\n"
