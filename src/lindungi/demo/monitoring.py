"""SYNTHETIC monitoring for the demo: six workers abroad enrolled with their consent, each
with a work zone, checking in every six hours over the last three days — two steady, one
drifting out of work into a high-risk zone, one going silent, one pressing SOS, one
withdrawing consent — recorded through the real intake while the real timer runs every
hour of those days, so the alerts climb their ladders as they would have: the silent
worker's ends in a case at the embassy. Invented people, places and zones; the high-risk
zones are synthetic circles, not the reference points of real compounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shapely.geometry import box, mapping
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.demo.generator import DemoScenario
from lindungi.monitoring import alerts, places, retention, service
from lindungi.monitoring.models import Alert, Checkin, Enrolment

MARK = "(demo sintetis)"
GATEWAY = "gateway:demo"
EVERY = dt.timedelta(hours=6)
DAYS = 3
#: Where each demo worker works: country, city, the embassy, and a point of the work zone.
_POSTS = (
    ("MY", "Kuala Lumpur", "KBRI Kuala Lumpur", 101.69, 3.14),
    ("MY", "Johor Bahru", "KJRI Johor Bahru", 103.76, 1.49),
    ("KH", "Phnom Penh", "KBRI Phnom Penh", 104.92, 11.56),
    ("TH", "Bangkok", "KBRI Bangkok", 100.50, 13.75),
    ("KH", "Phnom Penh", "KBRI Phnom Penh", 104.90, 11.55),
    ("PH", "Manila", "KBRI Manila", 120.98, 14.60),
)
#: What each worker's stream does (by position): see the module's docstring.
_STORIES = ("steady", "steady", "drifts", "silent", "sos", "withdraws")
#: Synthetic high-risk zones (approximate circles at invented places).
_RISK = (("demo-risk-a", "Zona risiko tinggi A (sintetis)", 103.55, 10.65),
         ("demo-risk-b", "Zona risiko tinggi B (sintetis)", 102.60, 12.40))  # fmt: skip
ROUTING = alerts.Routing(
    worker_webhook="http://gateway.example.invalid/push",
    sms_webhook="http://sms.example.invalid/send",
    command_centre_email="pusat-komando@example.invalid",
)


@dataclass(frozen=True)
class MonitoringReport:
    """What the demo's monitoring holds."""

    enrolled: int
    checkins: int
    alerts: dict[str, int]
    cases: int


def _fields(scenario: DemoScenario, n: int, given: dt.datetime) -> dict[str, Any]:
    person = scenario.people[n % len(scenario.people)]
    country, city, embassy, _, _ = _POSTS[n]
    return {
        "full_name": person.full_name, "passport_no": person.passport_no,
        "phone": person.phone, "country": country, "city": city,
        "visa": "placement" if n % 2 else "digital_work",
        "sponsor": f"Perusahaan Contoh {n + 1} {MARK}", "sponsor_contact": None,
        "recruiter_id": None, "embassy": embassy, "every_minutes": 360,
        "grace_minutes": 60, "synthetic": True,
        "emergency_contacts": [{"name": f"Keluarga {person.full_name.split()[0]}",
                                "relation": "keluarga", "phone": "+6281100000000"}],
        "consent": {"version": "2026.12", "language": "id", "given_at": given,
                    "purpose": "keselamatan pekerja migran di luar negeri " + MARK,
                    "collected": ["location", "sos", "checkin_time"], "retention_days": 30,
                    "withdrawal": "tekan Tarik Persetujuan di aplikasi atau hubungi hotline"},
    }  # fmt: skip


def _place(story: str, n: int, step: int, steps: int) -> tuple[float, float, str] | None:
    """Where worker ``n`` checks in at ``step`` of ``steps`` (None: no check-in)."""
    _, _, _, lon, lat = _POSTS[n]
    late = step >= steps - 3
    if story == "silent" and step > steps - 8:
        return None
    if story == "withdraws" and step > steps - 5:
        return None
    if story == "drifts" and late:
        risk = _RISK[0]
        t = (step - (steps - 3) + 1) / 3  # a third, two thirds, then inside the zone
        return (lon + (risk[2] - lon) * t, lat + (risk[3] - lat) * t, "checkin")
    kind = "sos" if story == "sos" and step == steps - 1 else "checkin"
    return (lon + 0.001 * (step % 3), lat + 0.001 * (step % 2), kind)


def load_monitoring(session: Session, scenario: DemoScenario, now: dt.datetime) -> MonitoringReport:
    """Enrol the demo workers and replay their last three days (idempotent: nothing is
    added when the demo's enrolments are there)."""
    from lindungi.auth.models import User

    worker = session.scalar(select(User).where(User.username == "bp2mi.caseworker"))
    loaded = session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.synthetic.is_(True), Enrolment.sponsor.like(f"%{MARK}")))  # fmt: skip
    if worker is not None and not loaded:
        desk = Principal.of(worker.id, worker.username, worker.agency_code, ("case_worker",),
                            None)  # fmt: skip
        _replay(session, scenario, desk, now.replace(minute=0, second=0, microsecond=0))
        audit.record(
            session, audit.SYSTEM, Action.CREATE, "monitoring_enrolments",
            f"demo:seed={scenario.seed}", fields=["enrolment", "checkins", "zones"],
            purpose="load the synthetic demonstration scenario",
        )  # fmt: skip
    return report(session)


def _replay(session: Session, scenario: DemoScenario, desk: Principal, now: dt.datetime) -> None:
    start = now - dt.timedelta(days=DAYS)
    risk = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"zone_id": z, "kind": "high_risk", "name": name,
                                           "approximate": True, "source": "demo " + MARK},
         "geometry": mapping(places.circle(lon, lat, 5.0))} for z, name, lon, lat in _RISK
    ]}  # fmt: skip
    places.import_zones(session, risk, desk.username, "demo")
    enrolled = []
    for n, story in enumerate(_STORIES):
        enrolment = service.enrol(session, _fields(scenario, n, start), desk)
        _, _, _, lon, lat = _POSTS[n]
        work = {"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"zone_id": f"demo-work-{enrolment.id}",
                                              "kind": "work", "name": f"Tempat kerja {MARK}"},
            "geometry": mapping(box(lon - 0.02, lat - 0.02, lon + 0.02, lat + 0.02))}]}  # fmt: skip
        places.import_zones(session, work, desk.username, "demo", work_of=enrolment.id)
        enrolled.append((enrolment, story))
    steps = int(dt.timedelta(days=DAYS) / EVERY)
    hour = dt.timedelta(hours=1)
    for h in range(1, DAYS * 24 + 1):
        moment = start + h * hour
        if (h * hour) % EVERY == dt.timedelta(0):
            step = int(h * hour / EVERY)
            _slot(session, scenario, enrolled, step, steps, moment)
        alerts.tick(session, moment, ROUTING)
    retention.purge(session, now)  # the daily job: the withdrawn worker's check-ins go


def _slot(session: Session, scenario: DemoScenario, enrolled: list[tuple[Enrolment, str]],
          step: int, steps: int, moment: dt.datetime) -> None:  # fmt: skip
    records = []
    for n, (enrolment, story) in enumerate(enrolled):
        if story == "withdraws" and step == steps - 4 and enrolment.status == "active":
            service.withdraw(session, enrolment, "pekerja menarik persetujuan " + MARK)
        where = _place(story, n, step, steps)
        if where is not None:
            lon, lat, kind = where
            records.append({"subject": enrolment.subject, "kind": kind,
                            "at": moment.isoformat(), "lon": lon, "lat": lat})  # fmt: skip
    service.ingest(session, GATEWAY, f"demo-{scenario.seed}-{step}", records, now=moment)


def report(session: Session) -> MonitoringReport:
    """What the demo's monitoring holds now."""
    demo = select(Enrolment.id).where(Enrolment.synthetic.is_(True))
    kinds: dict[str, int] = {}
    cases = 0
    for alert in session.scalars(select(Alert).where(Alert.enrolment_id.in_(demo))):
        kinds[alert.kind] = kinds.get(alert.kind, 0) + 1
        cases += alert.case_id is not None
    held = session.scalar(select(func.count(Checkin.id)).where(Checkin.enrolment_id.in_(demo)))
    enrolled = session.scalar(select(func.count()).select_from(demo.subquery()))
    return MonitoringReport(enrolled or 0, held or 0, kinds, cases)
