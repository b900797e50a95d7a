"""Retention and the worker's own view, on both databases: raw check-ins past the agreed
retention are purged and those of a withdrawn consent at once, while alerts stay; a
worker sees everything held about them with their app's key, and nobody else's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.monitoring import alerts, retention, service
from lindungi.monitoring.alerts import Routing
from lindungi.monitoring.models import Alert, Checkin, Enrolment

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
T0 = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _enrol(session: Session, name: str, days: int) -> Enrolment:
    return service.enrol(session, {
        "full_name": name, "passport_no": None, "phone": None, "country": "MY",
        "city": "Johor Bahru", "visa": "placement", "sponsor": "Kilang Contoh",
        "sponsor_contact": None, "recruiter_id": None, "embassy": "KJRI Johor Bahru",
        "every_minutes": 1440, "grace_minutes": 120,
        "emergency_contacts": [{"name": "Pak Joko", "relation": "ayah", "phone": "+6281300001"}],
        "consent": {"version": "1", "purpose": "keselamatan pekerja", "collected": ["location"],
                    "retention_days": days, "withdrawal": "lewat aplikasi atau hotline",
                    "language": "id", "given_at": T0},
    }, WORKER)  # fmt: skip


def _pings(session: Session, who: Enrolment, days: range, key: str) -> None:
    """One check-in a day, each sent as it happened."""
    for d in days:
        record: dict[str, Any] = {"subject": who.subject, "at": (T0 + d * DAY).isoformat(),
                                  "lon": 103.7, "lat": 1.5}  # fmt: skip
        answer = service.ingest(session, "gerbang1", f"{key}-{d}", [record], now=T0 + d * DAY)
        assert answer.accepted == 1


def _count(session: Session, who: Enrolment) -> int:
    return session.scalar(select(func.count(Checkin.id)).where(Checkin.enrolment_id == who.id)) or 0


def test_raw_check_ins_go_when_agreed_and_at_once_on_withdrawal(session: Session) -> None:
    short, gone = _enrol(session, "Ani", days=7), _enrol(session, "Dedi", days=30)
    _pings(session, short, range(20, 30), "b1")
    _pings(session, gone, range(20, 30), "b2")
    alerts.raise_alert(session, gone, alerts.AlertKind.SOS, "SOS di Johor", T0 + 29 * DAY)
    service.withdraw(session, gone, "tidak mau dipantau lagi")
    done = retention.purge(session, T0 + 30 * DAY)
    assert (done.checkins, done.withdrawn_checkins) == (3, 10)  # days 20-22 are past 7 days
    assert (_count(session, short), _count(session, gone)) == (7, 0)
    assert session.scalar(select(func.count(Alert.id))) == 1  # what officials did is kept
    again = retention.purge(session, T0 + 30 * DAY)
    assert (again.checkins, again.withdrawn_checkins) == (0, 0)


def test_a_worker_sees_everything_held_about_them(client: TestClient, session: Session) -> None:
    mine, other = _enrol(session, "Ani", days=30), _enrol(session, "Dedi", days=30)
    _pings(session, mine, range(28, 30), "b1")
    _pings(session, other, range(28, 30), "b2")
    alerts.raise_alert(session, mine, alerts.AlertKind.SOS, "SOS di Johor", T0 + 29 * DAY)
    alerts.tick(session, T0 + 29 * DAY, Routing())
    session.commit()
    seen = client.post("/api/v1/public/monitoring/mine", json={"subject": mine.subject})
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["enrolment"]["full_name"] == "Ani"
    assert body["consents"][0]["retention_days"] == 30
    assert len(body["checkins"]) == 2
    assert [a["kind"] for a in body["alerts"]] == ["sos"]
    assert "open_case" in [e["action"] for e in body["alert_history"]]
    assert "Dedi" not in seen.text
    nobody = client.post("/api/v1/public/monitoring/mine", json={"subject": "y" * 24})
    assert nobody.status_code == 404
