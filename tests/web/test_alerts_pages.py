"""The alerts map and list without a browser (both databases): the recent alerts with why
each was raised and the ladder steps taken, the worker named by enrolment only, the
zones; an alert taken in hand and then resolved, with refusals shown next to the form;
the map's data as GeoJSON; tiles only when configured; 403 for roles without monitoring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_support import csrf_of as _csrf
from web_support import log_in as _log_in

from lindungi.api.app import create_app
from lindungi.audit.models import AuditEntryRow
from lindungi.auth.permissions import Principal
from lindungi.monitoring import alerts, places, service
from lindungi.monitoring.models import Alert, Enrolment
from tests_support import make_settings

DESK = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
TILES = "https://tiles.example.go.id/{z}/{x}/{y}.png"
RISK_AT = (104.00, 11.00)


def _enrol(session: Session, name: str, given: dt.datetime, **more: Any) -> Enrolment:
    fields: dict[str, Any] = {
        "full_name": name, "passport_no": None, "phone": None, "country": "KH",
        "city": "Phnom Penh", "visa": "digital_work", "sponsor": "Contoh Co. Ltd",
        "sponsor_contact": None, "recruiter_id": None, "embassy": "KBRI Phnom Penh",
        "every_minutes": 360, "grace_minutes": 60,
        "emergency_contacts": [{"name": "Ibu Sri", "relation": "ibu", "phone": "+6281211112222"}],
        "consent": {"version": "2026.12", "purpose": "keselamatan pekerja di luar negeri",
                    "collected": ["location", "sos"], "retention_days": 30,
                    "withdrawal": "tekan Tarik Persetujuan di aplikasi", "language": "id",
                    "given_at": given},
        **more,
    }  # fmt: skip
    return service.enrol(session, fields, DESK)


@pytest.fixture
def raised(session: Session) -> dict[str, Alert]:
    """A worker who pressed SOS, one who walked into a high-risk zone, one gone silent."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(days=2)
    risk = {"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"zone_id": "risk-kh-1", "kind": "high_risk", "name": "Kompleks Contoh",
                       "approximate": True, "source": "test"},
        "geometry": Point(*RISK_AT).buffer(0.05).__geo_interface__}]}  # fmt: skip
    places.import_zones(session, risk, "analis1", "test")
    sos = _enrol(session, "Budi Santoso", start)
    drift = _enrol(session, "Siti Aminah", start)
    _enrol(session, "Agus Salim", start, last_checkin_at=start)
    pings = [
        {"subject": sos.subject, "kind": "sos", "at": (now - dt.timedelta(hours=1)).isoformat(),
         "lon": 104.92, "lat": 11.56},
        {"subject": drift.subject, "at": (now - dt.timedelta(hours=2)).isoformat(),
         "lon": RISK_AT[0], "lat": RISK_AT[1]},
    ]  # fmt: skip
    service.ingest(session, "gerbang1", "batch-web-0001", pings, now=now)
    alerts.tick(session, now, alerts.Routing())
    session.commit()
    found = {a.kind: a for a in session.scalars(select(Alert))}
    assert set(found) == {"sos", "entered_high_risk", "missed_checkin"}
    return found


def test_the_alerts_are_listed_with_why_and_their_ladder_and_the_zones(
    client: TestClient, session: Session, raised: dict[str, Alert]
) -> None:
    _log_in(client, session, "konsuler1", "kemlu", "consular")
    page = client.get("/console/alerts")
    assert page.status_code == 200
    sos = raised["sos"]
    row = page.text.split(f'id="alert-{sos.id}"')[1].split("</tr>")[0]
    assert 'data-status="open"' in row
    assert ">SOS<" in row
    assert f"<td>{sos.enrolment_id}</td>" in row
    assert "<td>KH</td>" in row
    assert "SOS at 11.56000, 104.92000" in row
    assert "memberi tahu perwakilan RI" in row  # the ladder's steps, in Indonesian
    assert "Budi Santoso" not in page.text  # workers are named by enrolment only
    assert "memasuki zona berisiko tinggi" in page.text
    assert 'data-zone="risk-kh-1"' in page.text
    assert 'id="alerts-map"' in page.text
    assert 'data-source="/console/alerts/data.json"' in page.text
    assert 'data-tiles=""' in page.text  # no tiles configured: no request leaves the hub
    assert '<script src="/static/alerts-map.js" defer></script>' in page.text
    assert "<script>" not in page.text
    assert "style=" not in page.text
    assert client.get("/static/alerts-map.js").status_code == 200
    read = session.scalars(select(AuditEntryRow).where(
        AuditEntryRow.resource_type == "monitoring_alerts", AuditEntryRow.actor == "konsuler1"
    )).all()  # fmt: skip
    assert [(e.action, e.resource_id) for e in read] == [("read", "list")]


def test_an_alert_taken_in_hand_is_no_longer_open_and_then_resolved(
    client: TestClient, session: Session, raised: dict[str, Alert]
) -> None:
    csrf = _log_in(client, session, "pendamping2", "bp2mi", "case_worker")
    sos = raised["sos"]
    taken = client.post(f"/console/alerts/{sos.id}/acknowledge", data={"csrf": csrf},
                        follow_redirects=False)  # fmt: skip
    assert taken.status_code == 303
    assert taken.headers["location"] == f"/console/alerts?done=acknowledged#alert-{sos.id}"
    page = client.get(taken.headers["location"])
    assert "Peringatan sudah ditangani" in page.text
    row = page.text.split(f'id="alert-{sos.id}"')[1].split("</tr>")[0]
    assert 'data-status="acknowledged"' in row
    assert "oleh pendamping2" in row
    assert f'id="alert-{sos.id}"' not in client.get("/console/alerts?status=open").text
    again = client.post(f"/console/alerts/{sos.id}/acknowledge", data={"csrf": csrf})
    assert again.status_code == 409
    assert "Peringatan ini sudah berubah: sekarang ditangani." in again.text
    short = client.post(f"/console/alerts/{sos.id}/resolution",
                        data={"csrf": csrf, "resolution": "ok"})  # fmt: skip
    assert short.status_code == 422
    assert f'aria-describedby="resolution-{sos.id}-error"' in short.text
    assert ">ok</textarea>" in short.text  # what was typed stays
    done = client.post(f"/console/alerts/{sos.id}/resolution",
                       data={"csrf": csrf, "resolution": "dihubungi KBRI, pekerja aman"})  # fmt: skip
    assert done.status_code == 200  # after the redirect
    assert "dihubungi KBRI, pekerja aman" in done.text
    session.refresh(sos)
    assert (sos.status, sos.acknowledged_by) == ("resolved", "pendamping2")
    changes = session.scalars(select(AuditEntryRow).where(
        AuditEntryRow.resource_type == "monitoring_alerts", AuditEntryRow.action == "update"
    )).all()  # fmt: skip
    assert [(e.resource_id, e.purpose) for e in changes] == [
        (str(sos.id), ""), (str(sos.id), "dihubungi KBRI, pekerja aman")]  # fmt: skip


def test_the_map_data_is_geojson_with_the_zones_and_the_alerts_to_place(
    client: TestClient, session: Session, raised: dict[str, Alert]
) -> None:
    _log_in(client, session, "konsuler2", "kemlu", "consular")
    data = client.get("/console/alerts/data.json?lang=en")
    assert data.status_code == 200
    assert data.headers["content-type"] == "application/geo+json"
    found = data.json()
    assert found["type"] == "FeatureCollection"
    for feature in found["features"]:
        assert feature["type"] == "Feature"
        assert shape(feature["geometry"]).is_valid
    zones = [f["properties"] for f in found["features"] if f["properties"]["layer"] == "zone"]
    assert [(z["zone_id"], z["kind"], z["label"]) for z in zones] == [
        ("risk-kh-1", "high_risk", "high-risk zone")]  # fmt: skip
    placed = {f["properties"]["kind"]: f for f in found["features"]
              if f["properties"]["layer"] == "alert"}  # fmt: skip
    # The silent worker sent nothing to place; the SOS sits where it was pressed.
    assert set(placed) == {"sos", "entered_high_risk"}
    assert placed["sos"]["geometry"] == {"type": "Point", "coordinates": [104.92, 11.56]}
    assert placed["sos"]["properties"]["href"] == f"#alert-{raised['sos'].id}"
    assert placed["entered_high_risk"]["properties"]["label"] == "entered a high-risk zone"
    assert "Budi Santoso" not in data.text


def test_tiles_come_only_from_the_configured_server(
    tmp_path: Path, sessions: sessionmaker[Session], session: Session
) -> None:
    app = create_app(make_settings(tmp_path, map_tiles_url=TILES), sessions=sessions)
    with TestClient(app) as client:
        _log_in(client, session, "konsuler3", "kemlu", "consular")
        page = client.get("/console/alerts")
    assert f'data-tiles="{TILES}"' in page.text
    policy = page.headers["content-security-policy"]
    assert "img-src 'self' data: https://tiles.example.go.id;" in policy
    assert "script-src 'self';" in policy


@pytest.fixture
def officer_client(client: TestClient, session: Session) -> TestClient:
    """Logged in as an immigration officer, who does not monitor workers abroad."""
    _log_in(client, session, "petugas9", "imigrasi", "officer")
    return client


def test_roles_without_monitoring_get_a_403_page(
    officer_client: TestClient, session: Session, raised: dict[str, Alert]
) -> None:
    page = officer_client.get("/console/alerts")
    assert page.status_code == 403
    assert "text/html" in page.headers["content-type"]
    assert "Tidak diizinkan" in page.text
    assert officer_client.get("/console/alerts/data.json").status_code == 403
    csrf = _csrf(officer_client.get("/console").text)
    refused = officer_client.post(f"/console/alerts/{raised['sos'].id}/acknowledge",
                                  data={"csrf": csrf})  # fmt: skip
    assert refused.status_code == 403
    session.refresh(raised["sos"])
    assert raised["sos"].status == "open"
    denials = session.scalars(select(AuditEntryRow.resource_type).where(
        AuditEntryRow.actor == "petugas9", AuditEntryRow.action == "denied")).all()  # fmt: skip
    assert len(denials) == 3
