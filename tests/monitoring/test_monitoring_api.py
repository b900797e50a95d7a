"""Enrolment with consent, check-in batches and withdrawal over HTTP on both databases: a
resent batch changes nothing, a reused key with other content is refused, bad records are
named while good ones go through, the same check-in in two batches is kept once, and a
withdrawal (by an officer or by the worker's app) stops processing at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.monitoring.models import Checkin

MakeHeaders = Callable[..., dict[str, str]]


def _enrolment(given_at: dt.datetime | None = None) -> dict[str, Any]:
    given = given_at or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    return {
        "full_name": "Siti Rahmawati", "passport_no": "C1234567", "country": "MY",
        "city": "Kuala Lumpur", "visa": "digital_work", "sponsor": "Syarikat Contoh Sdn Bhd",
        "embassy": "KBRI Kuala Lumpur",
        "emergency_contacts": [{"name": "Ibu Rahma", "relation": "ibu", "phone": "+6281200001"}],
        "every_minutes": 1440, "grace_minutes": 180,
        "consent": {
            "version": "2026.12", "purpose": "keselamatan pekerja di luar negeri",
            "collected": ["location", "sos"], "retention_days": 30,
            "withdrawal": "tekan Tarik Persetujuan di aplikasi atau hubungi hotline",
            "language": "id", "given_at": given.isoformat(),
        },
    }  # fmt: skip


def _ping(subject: str, minutes_ago: int, **more: object) -> dict[str, object]:
    at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
    return {"subject": subject, "at": at.isoformat(), "lon": 101.69, "lat": 3.14, **more}


def test_a_batch_is_recorded_once_and_bad_records_are_named(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    gateway = headers_for("gerbang1", "bp2mi", "gateway")
    made = client.post("/api/v1/monitoring/enrolments", headers=worker, json=_enrolment())
    assert made.status_code == 201, made.text
    subject = made.json()["subject"]
    batch = {"checkins": [_ping(subject, 30), _ping(subject, 20, lat=95.0),
                          _ping("unknown-key-0000000", 10), _ping(subject, 5, kind="sos")]}  # fmt: skip
    key = {"Idempotency-Key": "gw1-batch-0001"}
    first = client.post("/api/v1/monitoring/checkins", headers={**gateway, **key}, json=batch)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert (answer["accepted"], answer["duplicates"], answer["replayed"]) == (2, 0, False)
    assert [(r["index"], r["field"]) for r in answer["rejected"]] == [(1, "lat"), (2, "subject")]
    again = client.post("/api/v1/monitoring/checkins", headers={**gateway, **key}, json=batch)
    assert again.json() == {**answer, "replayed": True}
    session.expire_all()
    assert session.scalar(select(func.count(Checkin.id))) == 2
    other = client.post("/api/v1/monitoring/checkins", headers={**gateway, **key},
                        json={"checkins": batch["checkins"][:1]})  # fmt: skip
    assert other.status_code == 409
    assert "was used for a different batch" in other.json()["detail"]
    resent = client.post("/api/v1/monitoring/checkins",
                         headers={**gateway, "Idempotency-Key": "gw1-batch-0002"},
                         json={"checkins": batch["checkins"][:1]})  # fmt: skip
    assert (resent.json()["accepted"], resent.json()["duplicates"]) == (0, 1)
    shown = client.get(f"/api/v1/monitoring/enrolments/{made.json()['id']}", headers=worker)
    assert shown.json()["last_checkin_at"] is not None
    assert "subject" not in shown.json()  # the app's key is shown once, at enrolment
    no_key = client.post("/api/v1/monitoring/checkins", headers=gateway, json=batch)
    assert no_key.status_code == 422
    assert client.post("/api/v1/monitoring/checkins", headers={**worker, **key},
                       json=batch).status_code == 403  # fmt: skip


def test_withdrawal_stops_processing_at_once(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    gateway = headers_for("gerbang1", "bp2mi", "gateway")
    mine = client.post("/api/v1/monitoring/enrolments", headers=worker, json=_enrolment()).json()
    theirs = client.post("/api/v1/monitoring/enrolments", headers=worker,
                         json=_enrolment()).json()  # fmt: skip
    gone = client.post("/api/v1/public/monitoring/withdrawal",
                       json={"subject": mine["subject"], "reason": "sudah pulang"})  # fmt: skip
    assert gone.status_code == 204
    assert client.post("/api/v1/public/monitoring/withdrawal",
                       json={"subject": mine["subject"]}).status_code == 204  # fmt: skip
    assert client.post("/api/v1/public/monitoring/withdrawal",
                       json={"subject": "x" * 20}).status_code == 404  # fmt: skip
    ended = client.post(f"/api/v1/monitoring/enrolments/{theirs['id']}/withdrawal",
                        headers=worker, json={"reason": "disampaikan lewat telepon"})  # fmt: skip
    assert ended.json()["status"] == "withdrawn"
    batch = {"checkins": [_ping(mine["subject"], 3), _ping(theirs["subject"], 2)]}
    answer = client.post("/api/v1/monitoring/checkins",
                         headers={**gateway, "Idempotency-Key": "gw1-batch-0003"}, json=batch)  # fmt: skip
    assert answer.json()["accepted"] == 0
    assert {r["error"] for r in answer.json()["rejected"]} == {
        "consent withdrawn or enrolment ended: not processed"
    }
    session.expire_all()
    assert session.scalar(select(func.count(Checkin.id))) == 0


def test_enrolment_refuses_what_it_cannot_stand_on(
    client: TestClient, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    body = _enrolment()
    no_consent = client.post("/api/v1/monitoring/enrolments", headers=worker,
                             json={k: v for k, v in body.items() if k != "consent"})  # fmt: skip
    assert no_consent.status_code == 422
    assert "consent" in no_consent.text
    future = _enrolment(dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    refused = client.post("/api/v1/monitoring/enrolments", headers=worker, json=future)
    assert refused.status_code == 422
    assert "consent.given_at" in refused.json()["detail"]
    naive = _enrolment()
    naive["consent"]["given_at"] = "2026-11-29T10:00:00"
    unzoned = client.post("/api/v1/monitoring/enrolments", headers=worker, json=naive)
    assert unzoned.status_code == 422
    assert "timezone" in unzoned.text
    officer = headers_for("petugas1", "imigrasi", "officer")
    assert client.post("/api/v1/monitoring/enrolments", headers=officer,
                       json=body).status_code == 403  # fmt: skip
