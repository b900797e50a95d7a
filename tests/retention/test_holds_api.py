"""Legal holds over the API, on both databases: placed by the police with its authority,
refused with the field named, listed for the auditor, released only by the agency that
placed it, and every call in the audit log."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit.models import AuditEntryRow
from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases

MakeHeaders = Callable[[str, str, str], dict[str, str]]
API = "/api/v1/legal-holds"
WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)


def test_a_hold_placed_listed_and_released_by_its_agency(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    case = cases.report(session, {"channel": "hotline", "summary": "Siti di Bavet"}, WORKER).case
    session.commit()
    police = headers_for("penyidik1", "polri", "investigator")
    supervisor = headers_for("supervisor1", "bp2mi", "case_supervisor")
    auditor = headers_for("auditor1", "bp2mi", "auditor")
    asked = {"target": "case", "target_id": case.id, "reason": "bukti perkara TPPO",
             "reference": "LP/B/123/XI/2026"}  # fmt: skip

    worker = client.post(API, headers=headers_for("pendamping1", "bp2mi", "case_worker"),
                         json=asked)  # fmt: skip
    assert worker.status_code == 403
    blank = client.post(API, headers=police, json={**asked, "reference": ""})
    assert blank.status_code == 422
    assert "reference" in blank.text
    missing = client.post(API, headers=police, json={**asked, "target_id": 999999})
    assert missing.status_code == 404
    placed = client.post(API, headers=police, json=asked)
    assert placed.status_code == 201, placed.text
    hold = placed.json()
    assert (hold["placed_by"], hold["agency"], hold["released_at"]) == ("penyidik1", "polri", None)

    listed = client.get(API, headers=auditor)
    assert [h["reference"] for h in listed.json()] == ["LP/B/123/XI/2026"]
    assert client.post(API, headers=auditor, json=asked).status_code == 403  # reads only

    theirs = client.post(f"{API}/{hold['id']}/release", headers=supervisor,
                         json={"reason": "kasus ditutup"})  # fmt: skip
    assert theirs.status_code == 403
    assert "only polri releases it" in theirs.text
    released = client.post(f"{API}/{hold['id']}/release", headers=police,
                           json={"reason": "putusan inkracht"})  # fmt: skip
    assert released.status_code == 200, released.text
    assert released.json()["release_reason"] == "putusan inkracht"
    again = client.post(f"{API}/{hold['id']}/release", headers=police, json={"reason": "x"})
    assert again.status_code == 409
    assert client.get(API, headers=auditor).json() == []
    assert len(client.get(API, headers=auditor, params={"all": "true"}).json()) == 1

    logged = session.execute(
        select(AuditEntryRow.actor, AuditEntryRow.action).where(
            AuditEntryRow.resource_type == "legal_holds")
    ).all()  # fmt: skip
    assert ("penyidik1", "create") in logged
    assert ("penyidik1", "update") in logged
    assert ("auditor1", "read") in logged
    assert ("supervisor1", "denied") in logged
