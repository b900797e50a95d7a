"""Alerts on both databases with a controllable clock: an SOS reaches the embassy and
opens a case at once; a silent worker climbs the ladder step by step until a case is
opened; one silence is one alert however often the timer runs; an officer's acknowledgement stops the ladder;
a check-in resolves a missed-check-in alert; a withdrawn consent raises nothing; every
notification is written once to the outbox, or marked failed when it has nowhere to go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases.models import Case
from lindungi.monitoring import alerts, service
from lindungi.monitoring.alerts import Routing
from lindungi.monitoring.models import Alert, Enrolment, Notification

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
T0 = dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
ROUTING = Routing(worker_webhook="http://gateway.example/push",
                  sms_webhook="http://sms.example/send",
                  embassy_emails={"KBRI Phnom Penh": "pwni.phnompenh@example.go.id"})  # fmt: skip
MakeHeaders = Callable[..., dict[str, str]]


def _enrol(session: Session, **more: Any) -> Enrolment:
    fields: dict[str, Any] = {
        "full_name": "Budi Santoso", "passport_no": "C7654321", "phone": "+85512345678",
        "country": "KH", "city": "Phnom Penh", "visa": "digital_work",
        "sponsor": "Contoh Co. Ltd", "sponsor_contact": "+85598765432", "recruiter_id": None,
        "embassy": "KBRI Phnom Penh", "every_minutes": 24 * 60, "grace_minutes": 180,
        "emergency_contacts": [{"name": "Ibu Sri", "relation": "ibu", "phone": "+6281211112222"}],
        "consent": {"version": "2026.12", "purpose": "keselamatan pekerja di luar negeri",
                    "collected": ["location", "sos"], "retention_days": 30,
                    "withdrawal": "tekan Tarik Persetujuan di aplikasi", "language": "id",
                    "given_at": T0},
        **more,
    }  # fmt: skip
    return service.enrol(session, fields, WORKER)


def _sent(session: Session, alert: Alert) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(Notification).where(Notification.alert_id == alert.id)
                           .order_by(Notification.id))  # fmt: skip
    return [(n.channel, n.recipient, n.status) for n in rows]


def test_an_sos_reaches_the_embassy_and_opens_a_case_at_once(session: Session) -> None:
    enrolment = _enrol(session)
    ping = {"subject": enrolment.subject, "kind": "sos", "at": (T0 + H).isoformat(),
            "lon": 104.92, "lat": 11.56}  # fmt: skip
    service.ingest(session, "gerbang1", "batch-sos-1", [ping], now=T0 + H)
    alert = session.scalars(select(Alert)).one()
    assert (alert.kind, alert.status) == ("sos", "open")
    assert alert.explanation.startswith("SOS at 11.56000, 104.92000")
    assert alerts.tick(session, T0 + H, ROUTING) == (0, 3)
    assert _sent(session, alert) == [
        ("email", "pwni.phnompenh@example.go.id", "pending"),
        ("webhook", "http://sms.example/send#+6281211112222", "pending"),
        ("webhook", "http://sms.example/send#+85598765432", "pending"),
    ]
    case = session.get(Case, alert.case_id)
    assert case is not None
    assert (case.channel, case.agency, case.state) == ("sos", "kemlu", "reported")
    assert (case.full_name, case.country) == ("Budi Santoso", "KH")
    assert alerts.tick(session, T0 + 5 * H, ROUTING) == (0, 0)  # nothing twice
    assert len(_sent(session, alert)) == 3
    steps = [e.action for e in alerts.events(session, alert.id)]
    assert steps == ["opened", "notify_embassy", "notify_contacts", "open_case"]


def test_a_silent_worker_climbs_the_ladder_to_a_case(session: Session) -> None:
    enrolment = _enrol(session, last_checkin_at=T0)
    assert alerts.tick(session, T0 + 27 * H, ROUTING) == (0, 0)  # due at 24 h, grace 3 h
    assert alerts.tick(session, T0 + 27 * H + dt.timedelta(minutes=1), ROUTING) == (1, 1)
    alert = session.scalars(select(Alert)).one()
    assert "no check-in since 2026-11-30 00:00 UTC; one was due 2026-12-01 00:00" in (
        alert.explanation
    )
    assert _sent(session, alert) == [("webhook", "http://gateway.example/push", "pending")]
    opened = alert.opened_at
    assert alerts.tick(session, opened + 2 * H, ROUTING) == (0, 1)  # sponsor and family
    assert alert.occurrences == 1  # one silence is one alert, however often the timer runs
    assert alerts.tick(session, opened + 24 * H, ROUTING) == (0, 2)  # embassy, then a case
    assert alert.case_id is not None
    case = session.get(Case, alert.case_id)
    assert case is not None
    assert case.channel == "alert"
    assert enrolment.id == alert.enrolment_id


def test_acknowledging_stops_the_ladder_and_a_check_in_resolves(session: Session) -> None:
    quiet = _enrol(session, last_checkin_at=T0)
    alerts.tick(session, T0 + 28 * H, ROUTING)
    alert = session.scalars(select(Alert)).one()
    alerts.acknowledge(session, alert.id, "konsuler1", T0 + 29 * H)
    assert alerts.tick(session, T0 + 80 * H, ROUTING) == (0, 0)
    assert alert.case_id is None
    ping = {"subject": quiet.subject, "at": (T0 + 81 * H).isoformat(), "lon": 104.9, "lat": 11.5}
    service.ingest(session, "gerbang1", "batch-late-1", [ping], now=T0 + 81 * H)
    assert alert.status == "resolved"
    assert alert.resolution == "the worker checked in at 2026-12-03 09:00 UTC"


def test_nothing_is_raised_for_a_withdrawn_consent_and_a_missing_route_is_visible(
    session: Session,
) -> None:
    gone = _enrol(session, last_checkin_at=T0)
    service.withdraw(session, gone, "sudah pulang")
    assert alerts.tick(session, T0 + 30 * H, ROUTING) == (0, 0)
    _enrol(session, last_checkin_at=T0, embassy="KBRI Yangon")
    alerts.tick(session, T0 + 30 * H, Routing())
    alert = session.scalars(select(Alert)).one()
    rows = session.scalars(select(Notification).where(Notification.alert_id == alert.id)).all()
    assert [(n.status, n.last_error) for n in rows] == [
        ("failed", "no recipient configured for remind_worker")
    ]


def test_alerts_over_http(client: TestClient, session: Session, headers_for: MakeHeaders) -> None:
    enrolment = _enrol(session, last_checkin_at=T0)
    alerts.tick(session, T0 + 28 * H, ROUTING)
    session.commit()
    consul = headers_for("konsuler1", "kemlu", "consular")
    listed = client.get("/api/v1/monitoring/alerts", headers=consul,
                        params={"status": "open"}).json()  # fmt: skip
    assert [(a["enrolment_id"], a["kind"]) for a in listed] == [(enrolment.id, "missed_checkin")]
    aid = listed[0]["id"]
    taken = client.post(f"/api/v1/monitoring/alerts/{aid}/acknowledge", headers=consul)
    assert taken.json()["status"] == "acknowledged"
    assert [e["action"] for e in taken.json()["events"]] == [
        "opened", "remind_worker", "acknowledged",
    ]  # fmt: skip
    again = client.post(f"/api/v1/monitoring/alerts/{aid}/acknowledge", headers=consul)
    assert again.status_code == 409
    closed = client.post(f"/api/v1/monitoring/alerts/{aid}/resolution", headers=consul,
                         json={"resolution": "dihubungi lewat telepon, aman"})  # fmt: skip
    assert closed.json()["status"] == "resolved"
    gateway = headers_for("gerbang1", "bp2mi", "gateway")
    assert client.get("/api/v1/monitoring/alerts", headers=gateway).status_code == 403
