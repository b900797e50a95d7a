"""A small world of one person known to several modules, and accesses to it in the audit
log, shared by the breach-response and subject-export tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.identity.models import Membership, Person
from lindungi.monitoring import service as monitoring
from lindungi.monitoring.models import Enrolment
from lindungi.people.models import PersonRecord
from lindungi.screening.models import Screening

NIK = "3171014506900002"
PASSPORT = "C7654321"
PHONE = "+6281234560001"
T0 = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
WORKER = Principal.of(1, "bp2mi.siti", "bp2mi", ("case_worker",), None)


@dataclass
class World:
    """The ids the tests look for."""

    person: int
    records: tuple[int, int]
    stranger_record: int
    case: int
    other_case: int
    screening: int
    enrolment: int


def build(session: Session) -> World:
    """Rina (two agency records linked as one person, a case, a screening, an enrolment),
    a stranger's record, and a case about someone else reported by their family."""
    one = PersonRecord(source="imigrasi", source_record_id="IM-1", full_name="Rina Wulandari",
                       nik=NIK, passport_no=PASSPORT, phone=PHONE)  # fmt: skip
    two = PersonRecord(source="dukcapil", source_record_id="DK-1", full_name="RINA WULANDARI",
                       nik=NIK)  # fmt: skip
    stranger = PersonRecord(source="imigrasi", source_record_id="IM-2", full_name="Budi Santoso",
                            nik="3171010101800003", phone="+6281299990000")  # fmt: skip
    person = Person()
    session.add_all([one, two, stranger, person])
    session.flush()
    session.add_all([Membership(record_id=one.id, person_id=person.id, method="model"),
                     Membership(record_id=two.id, person_id=person.id, method="model")])  # fmt: skip
    case = cases.report(session, {"channel": "hotline", "summary": "ditahan majikan di Erbil",
                                  "full_name": "Rina W.", "nik": NIK,
                                  "narrative": "paspor ditahan, gaji tidak dibayar"},
                        WORKER).case  # fmt: skip
    other = cases.report(session, {"channel": "family", "summary": "hilang kontak",
                                   "full_name": "Dewi", "reporter_contact": "+6285600000001"},
                         WORKER).case  # fmt: skip
    screening = Screening(reference="T-9", request={"id": "T-9", "person": {
        "full_name": "Rina Wulandari", "nik": NIK, "phone": PHONE}}, score=70, band="high",
        action="refer", indicators=[], rulebook="test", agency="imigrasi",
        screened_by="imigrasi.andi")  # fmt: skip
    session.add(screening)
    enrolment: Enrolment = monitoring.enrol(session, {
        "full_name": "Rina Wulandari", "passport_no": PASSPORT, "phone": PHONE, "country": "IQ",
        "city": "Erbil", "visa": "placement", "sponsor": "Kilang", "sponsor_contact": None,
        "recruiter_id": None, "embassy": "KBRI Baghdad", "every_minutes": 1440,
        "grace_minutes": 120, "emergency_contacts": [],
        "consent": {"version": "1", "purpose": "keselamatan pekerja", "collected": ["location"],
                    "retention_days": 30, "withdrawal": "lewat aplikasi atau hotline",
                    "language": "id", "given_at": T0},
    }, WORKER)  # fmt: skip
    session.flush()
    return World(person.id, (one.id, two.id), stranger.id, case.id, other.id, screening.id,
                 enrolment.id)  # fmt: skip


def accesses(session: Session, world: World) -> None:
    """Reads and exports at known times (T0 + n hours), and some that must not count."""

    def at(hours: float, actor: str, agency: str, action: Action, kind: str, rid: object,
           fields: tuple[str, ...] = ("full_name",)) -> None:  # fmt: skip
        audit.record(session, audit.Actor(actor, agency), action, kind, str(rid), fields=fields,
                     purpose="test", now=T0 + hours * HOUR)  # fmt: skip

    at(1, "bp2mi.siti", "bp2mi", Action.READ, "cases", world.case, ("full_name", "narrative"))
    at(2, "imigrasi.andi", "imigrasi", Action.READ, "persons", world.person)
    at(2.5, "kemlu.rudi", "kemlu", Action.EXPORT, "monitoring_enrolments", world.enrolment)
    at(3, "bp2mi.siti", "bp2mi", Action.READ, "cases", "queue")
    at(3.5, "bp2mi.siti", "bp2mi", Action.READ, "cases", world.other_case)
    at(3.6, "bp2mi.siti", "bp2mi", Action.READ, "cases", 999999)
    at(3.7, "bp2mi.siti", "bp2mi", Action.DENIED, "person_records", world.stranger_record)
    at(3.8, "bp2mi.siti", "bp2mi", Action.UPDATE, "person_records", world.stranger_record)
    at(9, "imigrasi.andi", "imigrasi", Action.READ, "person_records", world.stranger_record)
    at(4, "imigrasi.andi", "imigrasi", Action.READ, "screenings", world.screening)
