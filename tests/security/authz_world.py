"""The world the authorisation matrix runs in: one user and token per principal kind, a
colleague per agency, and the records each route acts on (a case, a screening, an
enrolment, … of every agency), built once per database through the services; records
that an allowed call changes for good (a decision, a move) are made afresh per row."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from lindungi.auth import service as auth
from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs
from lindungi.cases import service as cases
from lindungi.cases.models import CaseEscalation
from lindungi.cases.schemas import CaseIn
from lindungi.db import utcnow
from lindungi.exchange.models import Delivery, ExchangeEvent, Subscription
from lindungi.monitoring import service as monitoring
from lindungi.monitoring.models import Alert
from lindungi.monitoring.schemas import EnrolmentIn
from lindungi.recruiters import bonds
from lindungi.recruiters import service as registry
from lindungi.retention import holds
from lindungi.screening import service as screening
from lindungi.screening.schemas import ScreeningIn

AGENCIES = ("bp2mi", "imigrasi", "kemlu", "kemnaker", "polri")
SOS = {"channel": "sos", "summary": "SOS dari kompleks, Sihanoukville", "country": "KH",
       "full_name": "Dewi Anggraini", "birth_date": "1998-04-02", "nik": "3201014504980001",
       "passport_no": "C7654321", "narrative": "Paspor ditahan, dipukul.", "health": "memar",
       "reporter_name": "Ibu Sumarni", "reporter_contact": "+6281234500001"}  # fmt: skip
TRAVELLER = {"id": "desk-1", "person": {"full_name": "Rina Marlina", "sex": "F",
             "religion": "Islam", "province": "Jawa Barat", "nik": "3201014501990003"},
             "trip": {"destination_country": "KH", "visa_type": "tourist", "purpose": "work"}}  # fmt: skip
ZONE = {"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"zone_id": "authz-{kind}", "kind": "{kind}"},
        "geometry": {"type": "Polygon", "coordinates": [[[101.6, 3.1], [101.7, 3.1],
                                                         [101.7, 3.2], [101.6, 3.1]]]}}]}  # fmt: skip


def other(agency: str | None) -> str:
    """An agency that is not ``agency`` (the owner of 'another agency's' records)."""
    return "kemlu" if agency == "bp2mi" else "bp2mi"


def enrolment_body() -> dict[str, Any]:
    """A valid enrolment, consent given yesterday."""
    given = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    return {"full_name": "Siti Rahmawati", "passport_no": "C1234567", "phone": "+60123456789",
            "country": "MY", "city": "Kuala Lumpur", "visa": "digital_work",
            "sponsor": "Syarikat Contoh", "sponsor_contact": "+60311112222",
            "embassy": "KBRI Kuala Lumpur", "every_minutes": 1440, "grace_minutes": 180,
            "emergency_contacts": [{"name": "Ibu Rahma", "relation": "ibu", "phone": "+6281200001"}],
            "consent": {"version": "2026.12", "purpose": "keselamatan pekerja",
                        "collected": ["location", "sos"], "retention_days": 30,
                        "withdrawal": "hubungi hotline", "language": "id",
                        "given_at": given.isoformat()}}  # fmt: skip


def zone(kind: str) -> dict[str, Any]:
    """A one-zone FeatureCollection of ``kind``."""
    feature = dict(ZONE["features"][0])
    feature["properties"] = {"zone_id": f"authz-{kind}", "kind": kind}
    return {"type": "FeatureCollection", "features": [feature]}


@dataclass
class World:
    """The records and callers of one database, and how to make more of them."""

    session: Session
    client: TestClient
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # principal → username
    tokens: dict[str, int] = field(default_factory=dict)  # username → a token id
    case: dict[str, int] = field(default_factory=dict)
    referred: dict[str, int] = field(default_factory=dict)  # a case referred to the agency
    referral: dict[str, int] = field(default_factory=dict)  # a service referral to it
    screening: dict[str, int] = field(default_factory=dict)
    enrolment: dict[str, int] = field(default_factory=dict)
    escalation: dict[str, int] = field(default_factory=dict)
    subscription: dict[str, int] = field(default_factory=dict)
    delivery: dict[str, int] = field(default_factory=dict)
    hold: dict[str, int] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def seed_principal(self, agency: str, role: str = "case_worker") -> Principal:
        """A principal of ``agency`` for building records through the services."""
        return Principal.of(0, f"seed.{agency}", agency, (role,), None)

    def user(self, name: str, username: str, agency: str, role: str) -> None:
        """A user of ``agency`` with ``role``, its token and its headers."""
        user = auth.add_user(self.session, username, agency=agency, roles=[role])
        issued = auth.issue_token(self.session, user, ttl=dt.timedelta(days=1))
        self.users[name], self.tokens[username] = username, issued.token.id
        self.headers[name] = {"Authorization": f"Bearer {issued.secret}"}

    def new_case(self, agency: str) -> int:
        """A case handled by ``agency`` with every protected field filled in."""
        fields = CaseIn.model_validate(SOS).model_dump()
        return cases.report(self.session, fields, self.seed_principal(agency)).case.id

    def new_police_referral(self, agency: str = "bp2mi") -> tuple[int, int]:
        """A case of ``agency`` referred to the police: (case id, referral id)."""
        cid = self.new_case(agency)
        handoffs.legal_move(self.session, cid, {"action": "refer_to_police", "reason": "rujuk",
                            "consent": True, "consent_note": "setuju", "override_reason": None,
                            "amount_idr": None}, self.seed_principal(agency))  # fmt: skip
        return cid, handoffs.case_referrals(self.session, cid)[-1].id

    def new_referral(self, to_agency: str) -> tuple[int, int]:
        """A case of another agency referred to ``to_agency`` for a service."""
        cid = self.new_case(other(to_agency))
        row = handoffs.refer(self.session, cid, {"service": "psychosocial", "to_agency": to_agency,
                             "to_organisation": None, "consent": True, "consent_note": "ya",
                             "override_reason": None, "note": "pendampingan"},
                             self.seed_principal(other(to_agency)))  # fmt: skip
        return cid, row.id

    def new_screening(self, agency: str) -> int:
        """A desk screening made at ``agency``."""
        made = screening.screen_at_desk(self.session, ScreeningIn.model_validate(TRAVELLER),
                                        self.seed_principal(agency, "officer"))  # fmt: skip
        return made.id

    def new_enrolment(self, agency: str) -> int:
        """A worker enrolled by ``agency``."""
        fields = EnrolmentIn.model_validate(enrolment_body()).model_dump()
        return monitoring.enrol(self.session, fields, self.seed_principal(agency)).id

    def new_alert(self) -> int:
        """An open alert on an enrolment of BP2MI."""
        now = utcnow()
        alert = Alert(enrolment_id=self.enrolment["bp2mi"], kind="missed_checkin",
                      explanation="no check-in", opened_at=now, last_seen_at=now)  # fmt: skip
        self.session.add(alert)
        self.session.flush()
        return alert.id

    def new_escalation(self, agency: str) -> int:
        """An escalation not yet taken up, on a new case of ``agency``."""
        now = utcnow()
        row = CaseEscalation(case_id=self.new_case(agency), state="reported", state_since=now,
                             level=1, notify="supervisor", due=now, escalated_at=now)  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row.id

    def new_hold(self, agency: str) -> int:
        """A legal hold placed by ``agency`` on its case."""
        return holds.place(self.session, "case", self.case[agency], "bukti", "LP/B/1/2026",
                           f"seed.{agency}", agency).id  # fmt: skip

    def new_delivery(self, agency: str) -> int:
        """A dead delivery to a subscription of ``agency``."""
        event = ExchangeEvent(event_id=str(uuid.uuid4()), kind="licence.sanctioned",
                              source_agency="kemnaker", subject="licence:x", actor="seed",
                              data={})  # fmt: skip
        self.session.add(event)
        self.session.flush()
        now = utcnow()
        row = Delivery(event_id=event.id, subscription_id=self.subscription[agency],
                       status="dead", attempts=7, next_attempt_at=now, dead_at=now)  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row.id

    def new_claim(self) -> int:
        """A filed claim on the shared recruiter's bond."""
        bond = bonds.get_bond(self.session, self.shared["bond"])
        return bonds.file_claim(self.session, bond, case_ref="case 1", amount_idr=1_000_000,
                                actor="seed").id  # fmt: skip

    def n(self) -> int:
        """A fresh number, for names that must be unique."""
        return next(self.counter)


def build(session: Session, client: TestClient, principals: list[tuple[str, str]]) -> World:
    """Every record and caller the matrix needs, committed once."""
    world = World(session, client)
    for role, agency in principals:
        world.user(f"{role}@{agency}", f"{role.replace('_', '-')}.{agency}", agency, role)
    for agency in AGENCIES:
        world.user(f"colleague@{agency}", f"colleague.{agency}", agency, "analyst")
        world.case[agency] = world.new_case(agency)
        world.referred[agency], world.referral[agency] = world.new_referral(agency)
        if agency == "polri":  # the police's reach comes from the legal track
            world.referred[agency] = world.new_police_referral()[0]
        world.screening[agency] = world.new_screening(agency)
        world.enrolment[agency] = world.new_enrolment(agency)
        world.escalation[agency] = world.new_escalation(agency)
        sub = Subscription(agency=agency, name="authz", transport="webhook",
                           url="https://example.org/hook", secret="whsec_authz",
                           grants={"licence.sanctioned": []}, created_by="seed")  # fmt: skip
        session.add(sub)
        session.flush()
        world.subscription[agency] = sub.id
        world.delivery[agency] = world.new_delivery(agency)
        world.hold[agency] = world.new_hold(agency)
    world.shared["police"] = world.new_police_referral()[1]
    licence = registry.create_licensed_recruiter(
        session, name="PT Maju Jaya Abadi", licence_no="KEP.101/PPTKLN/2020", status="active",
        valid_until=dt.date(2030, 1, 1), actor="seed", reason="matrix registry",
    )  # fmt: skip
    world.shared["recruiter"] = licence.recruiter.id
    world.shared["bond"] = bonds.add_bond(session, licence.recruiter, 100_000_000, None).id
    world.shared["alert"] = world.new_alert()
    fields = CaseIn.model_validate(SOS).model_dump()
    reported = cases.report(session, fields, world.seed_principal("bp2mi"))
    world.shared["status"] = {"tracking_no": reported.case.tracking_no, "secret": reported.secret}
    world.shared["subject"] = monitoring_subject(world)
    session.commit()
    return world


def monitoring_subject(world: World) -> str:
    """The app key of BP2MI's enrolment."""
    from lindungi.monitoring.models import Enrolment

    row = world.session.get(Enrolment, world.enrolment["bp2mi"])
    assert row is not None
    return row.subject
