"""Zones in the store and the zone events of check-ins, on both databases: a worker who
leaves their work zone raises an alert that coming back resolves; entering a high-risk
zone raises one; another worker's work zone means nothing; a late check-in does not
rewrite where someone was; reference points become approximate high-risk circles, and
GeoJSON goes in and out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, mapping, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.errors import InvalidInputError
from lindungi.monitoring import places, service
from lindungi.monitoring.models import Alert, Enrolment, ZoneEvent

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
T0 = dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
MakeHeaders = Callable[..., dict[str, str]]
SQUARE = {"type": "Polygon", "coordinates": [[[101.0, 3.0], [101.1, 3.0], [101.1, 3.1],
                                              [101.0, 3.1], [101.0, 3.0]]]}  # fmt: skip


def _enrol(session: Session, name: str) -> Enrolment:
    return service.enrol(session, {
        "full_name": name, "passport_no": None, "phone": None, "country": "MY",
        "city": "Kuala Lumpur", "visa": "placement", "sponsor": "Kilang Contoh",
        "sponsor_contact": None, "recruiter_id": None, "embassy": "KBRI Kuala Lumpur",
        "every_minutes": 60, "grace_minutes": 30,
        "emergency_contacts": [{"name": "Pak Joko", "relation": "ayah", "phone": "+6281300001"}],
        "consent": {"version": "1", "purpose": "keselamatan pekerja", "collected": ["location"],
                    "retention_days": 30, "withdrawal": "lewat aplikasi atau hotline",
                    "language": "id", "given_at": T0},
    }, WORKER)  # fmt: skip


def _zones(*features: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"zone_id": z, "kind": k}, "geometry": g}
        for z, k, g in features
    ]}  # fmt: skip


def _walk(session: Session, who: Enrolment, *points: tuple[int, float, float]) -> None:
    for minutes, lon, lat in points:
        at = T0 + dt.timedelta(minutes=minutes)
        record = {"subject": who.subject, "at": at.isoformat(), "lon": lon, "lat": lat}
        service.ingest(session, "gerbang1", f"{who.id}-{minutes}", [record], now=at)


def test_leaving_work_and_entering_a_high_risk_zone(session: Session) -> None:
    ani, budi = _enrol(session, "Ani"), _enrol(session, "Budi")
    compound = mapping(Point(101.5, 3.5).buffer(0.05))  # shapely's tuples, not JSON lists
    places.import_zones(session, _zones(("work-ani", "work", SQUARE)), "pendamping1",
                        "placement", work_of=ani.id)  # fmt: skip
    places.import_zones(session, _zones(("compound-1", "high_risk", compound)), "analis1",
                        "analysts")  # fmt: skip
    _walk(session, ani, (0, 101.05, 3.05), (60, 101.1, 3.05), (120, 101.3, 3.3),
          (180, 101.5, 3.5), (240, 101.05, 3.05))  # fmt: skip
    _walk(session, budi, (0, 101.05, 3.05), (60, 102.0, 4.0))  # Ani's work zone: not Budi's
    events = [(e.zone_id, e.event, int((e.at - T0).total_seconds() // 60))
              for e in places.zone_events(session, [ani.id, budi.id])]  # fmt: skip
    assert events == [
        ("work-ani", "enter", 0),  # on the boundary at 60 min is still inside
        ("work-ani", "exit", 120),
        ("compound-1", "enter", 180),
        ("compound-1", "exit", 240),
        ("work-ani", "enter", 240),
    ]
    found = {a.kind: a for a in session.scalars(select(Alert))}
    assert set(found) == {"left_work_zone", "entered_high_risk"}
    assert found["left_work_zone"].status == "resolved"
    assert found["left_work_zone"].resolution == "back in the work zone at 2026-11-30 04:00 UTC"
    assert found["entered_high_risk"].status == "open"
    assert found["entered_high_risk"].explanation.startswith(
        "entered the high-risk zone compound-1: 3.50000, 101.50000"
    )
    assert all(a.enrolment_id == ani.id for a in found.values())


def test_a_late_check_in_does_not_rewrite_where_someone_was(session: Session) -> None:
    ani = _enrol(session, "Ani")
    places.import_zones(session, _zones(("work-ani", "work", SQUARE)), "pendamping1",
                        "placement", work_of=ani.id)  # fmt: skip
    _walk(session, ani, (0, 101.05, 3.05), (60, 101.05, 3.06))
    late = {"subject": ani.subject, "at": (T0 + dt.timedelta(minutes=30)).isoformat(),
            "lon": 105.0, "lat": 5.0}  # fmt: skip
    service.ingest(session, "gerbang1", "late-1", [late], now=T0 + dt.timedelta(minutes=90))
    assert [e.event for e in session.scalars(select(ZoneEvent))] == ["enter"]
    assert session.scalars(select(Alert)).all() == []


def test_zone_files_in_and_out(session: Session) -> None:
    bad = _zones(("x", "work", {"type": "Point", "coordinates": [1, 2]}))
    with pytest.raises(InvalidInputError, match="zone x"):
        places.import_zones(session, bad, "analis1", "upload")
    with pytest.raises(InvalidInputError, match="must be kind work"):
        places.import_zones(session, _zones(("h", "high_risk", SQUARE)), "pendamping1",
                            "placement", work_of=1)  # fmt: skip
    first = places.import_zones(session, _zones(("h", "high_risk", SQUARE)), "analis1", "up")
    again = places.import_zones(session, _zones(("h", "other", SQUARE)), "analis1", "up")
    assert (first.added, again.updated) == (1, 1)
    out = places.export_zones(session)
    assert [f["properties"]["kind"] for f in out["features"]] == ["other"]
    assert shape(out["features"][0]["geometry"]).equals(shape(SQUARE))


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the repository")
def test_reference_points_become_approximate_high_risk_circles(session: Session) -> None:
    document, skipped = places.reference_zones(
        SHARED / "scam_hub_reference_points.csv", radius_km=3
    )
    assert [s.split(":")[0] for s in skipped] == ["line 13 (Golden Triangle SEZ (Kings Romans))"]
    made = places.import_zones(session, document, "analis1", "reference points")
    assert made.added == len(document["features"]) >= 10
    kk = next(f for f in document["features"] if f["properties"]["name"].startswith("KK Park"))
    assert kk["properties"]["approximate"] is True
    assert kk["properties"]["kind"] == "high_risk"
    circle = shape(kk["geometry"])
    assert circle.contains(Point(98.557, 16.631))
    assert (
        2.5 < circle.bounds[3] - 16.631 < 3.5 or abs((circle.bounds[3] - 16.631) * 111.32 - 3) < 0.1
    )
    with pytest.raises(InvalidInputError, match="--radius-km 80"):
        places.reference_zones(SHARED / "scam_hub_reference_points.csv", radius_km=80)


def test_zones_over_http(client: TestClient, headers_for: MakeHeaders, session: Session) -> None:
    analyst = headers_for("analis1", "bp2mi", "analyst")
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    bad = client.post("/api/v1/monitoring/zones", headers=analyst,
                      json=_zones(("x", "high_risk", {"type": "Polygon", "coordinates": []})))  # fmt: skip
    assert bad.status_code == 422
    assert "zone x" in bad.json()["detail"]
    made = client.post("/api/v1/monitoring/zones", headers=analyst,
                       json=_zones(("compound-1", "high_risk", SQUARE)))  # fmt: skip
    assert made.json() == {"added": 1, "updated": 0, "repairs": []}
    assert client.post("/api/v1/monitoring/zones", headers=worker,
                       json=_zones(("y", "high_risk", SQUARE))).status_code == 403  # fmt: skip
    ani = _enrol(session, "Ani")
    session.commit()
    work = client.post(f"/api/v1/monitoring/enrolments/{ani.id}/work-zone", headers=worker,
                       json=_zones(("work-ani", "work", SQUARE)))  # fmt: skip
    assert work.status_code == 200, work.text
    listed = client.get("/api/v1/monitoring/zones", headers=worker,
                        params={"kind": "high_risk"}).json()  # fmt: skip
    assert [f["properties"]["zone_id"] for f in listed["features"]] == ["compound-1"]
