"""The person index over HTTP: a desk identifies a traveller, officers read and judge."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit.models import AuditEntryRow

MakeToken = Callable[..., dict[str, str]]
SITI = {"full_name": "Siti Nurhaliza", "birth_date": "1990-05-12", "sex": "F",
        "national_id": "3301015205900001", "passport_no": "C1234567"}  # fmt: skip


def _audited(session: Session, resource_type: str) -> list[str]:
    rows = session.scalars(
        select(AuditEntryRow).where(AuditEntryRow.resource_type == resource_type)
    ).all()
    return [f"{r.actor}:{r.action}:{r.resource_id}" for r in rows]


def test_a_desk_identifies_a_returning_traveller_with_reasons_and_signals(
    client: TestClient, session: Session, headers_for: MakeToken
) -> None:
    officer = headers_for("petugas1", "imigrasi", "officer")
    first = client.post("/api/v1/identity/records", headers=officer,
                        json={"source": "imigrasi", "record_id": "I1", **SITI})  # fmt: skip
    assert first.status_code == 200, first.text
    assert first.json()["method"] == "alone"
    again = client.post(
        "/api/v1/identity/records", headers=officer,
        json={"source": "imigrasi", "record_id": "I2", **SITI, "full_name": "Dewi Lestari",
              "passport_no": "X7777777"},
    ).json()  # fmt: skip
    # the same NIK and birth date under another name: not joined, and flagged
    assert again["person_id"] != first.json()["person_id"]
    third = client.post(
        "/api/v1/identity/records", headers=officer,
        json={"source": "kemlu", "record_id": "K1", "full_name": "SITI NURHALIZA",
              "birth_date": "1990-05-12", "passport_no": "C1234567"},
    ).json()  # fmt: skip
    assert third["person_id"] == first.json()["person_id"]
    assert third["method"] == "model"
    assert third["probability"] > 0.99
    evidence = {e["field"]: e["level"] for e in third["evidence"]}
    assert evidence["passport"] == "same passport number"
    assert evidence["birth_date"] == "same birth date"
    person = client.get(f"/api/v1/persons/{third['person_id']}", headers=officer).json()
    assert sorted(r["source_record_id"] for r in person["records"]) == ["I1", "K1"]
    signals = client.get(f"/api/v1/persons/{third['person_id']}/signals", headers=officer).json()
    assert [s["code"] for s in signals] == ["nik_shared"]
    assert "dewi lestari" in signals[0]["message_en"]
    session.expire_all()
    assert f"petugas1:read:{third['person_id']}" in _audited(session, "persons")
    assert len(_audited(session, "person_records")) == 3


def test_only_roles_that_need_people_data_reach_it(
    client: TestClient, headers_for: MakeToken
) -> None:
    analyst = headers_for("analis1", "bp2mi", "analyst")
    denied = client.post("/api/v1/identity/records", headers=analyst,
                         json={"source": "bp2mi", "record_id": "B1", **SITI})  # fmt: skip
    assert denied.status_code == 403
    assert denied.headers["content-type"] == "application/problem+json"
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    judged = client.post(
        "/api/v1/identity/judgements", headers=worker,
        json={"first": {"source": "a", "record_id": "1"},
              "second": {"source": "a", "record_id": "2"}, "verdict": "same", "reason": "x y z"},
    )  # fmt: skip
    assert judged.status_code == 403  # case workers read and link; they do not judge


def test_judgements_over_http_and_their_bad_input(
    client: TestClient, headers_for: MakeToken
) -> None:
    consul = headers_for("konsul1", "kemlu", "consular")
    for record_id, name in (("K1", "Siti Nurhaliza"), ("K2", "Siti Nurhaliza")):
        client.post("/api/v1/identity/records", headers=consul,
                    json={**SITI, "source": "kemlu", "record_id": record_id, "full_name": name})  # fmt: skip
    body = {"first": {"source": "kemlu", "record_id": "K1"},
            "second": {"source": "kemlu", "record_id": "K2"}}  # fmt: skip
    made = client.post("/api/v1/identity/judgements", headers=consul,
                       json={**body, "verdict": "different", "reason": "sisters; NIK misused"})  # fmt: skip
    assert made.status_code == 201, made.text
    assert made.json()["first_person_id"] != made.json()["second_person_id"]
    assert made.json()["actor"] == "konsul1"
    wrong = client.post("/api/v1/identity/judgements", headers=consul,
                        json={**body, "verdict": "maybe", "reason": "not sure"})  # fmt: skip
    assert wrong.status_code == 422
    unknown = client.post(
        "/api/v1/identity/judgements", headers=consul,
        json={**body, "second": {"source": "kemlu", "record_id": "K404"}, "verdict": "same",
              "reason": "the same woman"},
    )  # fmt: skip
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no record 'K404' from source 'kemlu'"
    assert client.get("/api/v1/persons/999999", headers=consul).status_code == 404
    bad_date = client.post("/api/v1/identity/records", headers=consul,
                           json={"source": "kemlu", "record_id": "K3", "birth_date": "31/02/1990"})  # fmt: skip
    assert bad_date.status_code == 422
    assert "birth_date" in str(bad_date.json())
