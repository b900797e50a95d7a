"""Cases over HTTP on both databases: a case from an SOS to reintegration with every step
in the timeline and the audit log; deportation refused before identification; what each
role sees; the reporter's status check that reveals nothing else."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit.models import AuditEntryRow

MakeHeaders = Callable[..., dict[str, str]]
SOS = {
    "channel": "sos", "summary": "SOS dari pekerja di kompleks, Sihanoukville",
    "country": "KH", "city": "Sihanoukville", "full_name": "Dewi Anggraini",
    "passport_no": "C7654321", "narrative": "Dijanjikan kerja admin, paspor ditahan, dipukul.",
    "health": "memar di lengan", "reporter_name": "Ibu Sumarni",
    "reporter_contact": "+6281234500001",
}  # fmt: skip


def _move(client: TestClient, headers: dict[str, str], case_id: int, action: str,
          **more: str) -> dict[str, object]:  # fmt: skip
    answer = client.post(f"/api/v1/cases/{case_id}/moves", headers=headers,
                         json={"action": action, "reason": f"step: {action}", **more})  # fmt: skip
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_a_case_goes_from_an_sos_to_reintegration(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    made = client.post("/api/v1/cases", headers=worker, json=SOS)
    assert made.status_code == 201, made.text
    case = made.json()
    cid, tracking, secret = case["id"], case["tracking_no"], case["secret"]
    assert case["state"] == "reported"
    assert case["allowed"] == ["verify", "close"]
    assert case["narrative"] is None  # never sent unless asked for, with a purpose
    assert case["revealed"] == []
    assert case["may_reveal"] == ["identity", "narrative", "health", "reporter"]
    for action in ("verify", "locate", "coordinate_rescue", "admit_to_shelter"):
        _move(client, worker, cid, action)
    early = client.post(f"/api/v1/cases/{cid}/moves", headers=worker,
                        json={"action": "refer_for_deportation", "reason": "overstay"})  # fmt: skip
    assert early.status_code == 409
    assert "victim identification must be recorded" in early.json()["detail"]
    assert early.json()["allowed"] == ["arrange_repatriation", "close"]
    identified = client.post(
        f"/api/v1/cases/{cid}/identification", headers=worker,
        json={"indicators": ["retention_of_documents", "physical_sexual_violence"],
              "acts": ["recruitment", "transportation"], "means": ["deception"],
              "purposes": ["forced_criminality"], "determination": "potential_victim",
              "reason": "wawancara di shelter: paspor ditahan, kekerasan, dipaksa menipu"},
    )  # fmt: skip
    assert identified.status_code == 201, identified.text
    assert identified.json()["suggested"] == "potential_victim"
    assert "refer_for_deportation" not in identified.json()["allowed"]
    never = client.post(f"/api/v1/cases/{cid}/moves", headers=worker,
                        json={"action": "refer_for_deportation", "reason": "overstay"})  # fmt: skip
    assert never.status_code == 409
    assert "never deported" in never.json()["detail"]
    for action in ("arrange_repatriation", "confirm_arrival", "start_rehabilitation",
                   "start_reintegration"):  # fmt: skip
        _move(client, worker, cid, action)
    closed = _move(client, worker, cid, "close", close_reason="reintegrated")
    assert closed["state"] == "closed"
    assert closed["close_reason"] == "reintegrated"
    steps = client.get(f"/api/v1/cases/{cid}/timeline", headers=worker).json()
    assert [s["action"] for s in steps] == [
        "report", "verify", "locate", "coordinate_rescue", "admit_to_shelter", "identify",
        "arrange_repatriation", "confirm_arrival", "start_rehabilitation",
        "start_reintegration", "close",
    ]  # fmt: skip
    session.expire_all()
    audited = session.scalars(
        select(AuditEntryRow.action).where(
            AuditEntryRow.resource_type == "cases", AuditEntryRow.resource_id == str(cid)
        )
    ).all()
    assert audited.count("transition") == 9
    assert audited[0] == "create"
    status = client.post("/api/v1/public/case-status",
                         json={"tracking_no": tracking.lower(), "secret": secret})  # fmt: skip
    assert status.status_code == 200
    assert status.json() == {"tracking_no": tracking, "stage": "closed",
                             "updated_on": status.json()["updated_on"]}  # fmt: skip
    wrong = client.post("/api/v1/public/case-status",
                        json={"tracking_no": tracking, "secret": "AAAA-BBBB-CCCC"})  # fmt: skip
    nobody = client.post("/api/v1/public/case-status",
                         json={"tracking_no": "ZZZZ-ZZZZ", "secret": secret})  # fmt: skip
    assert wrong.status_code == nobody.status_code == 404
    assert wrong.json()["detail"] == nobody.json()["detail"]


def test_each_role_sees_what_it_needs(client: TestClient, headers_for: MakeHeaders) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    cid = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]
    police = headers_for("penyidik1", "polri", "investigator")
    seen = client.get(f"/api/v1/cases/{cid}", headers=police).json()
    assert seen["revealed"] == seen["may_reveal"] == []
    assert seen["summary"].startswith("SOS")
    assert all(seen[f] is None for f in ("full_name", "narrative", "health", "reporter_name"))
    assert client.post(f"/api/v1/cases/{cid}/moves", headers=police,
                       json={"action": "verify", "reason": "x y z"}).status_code == 403  # fmt: skip
    analyst = headers_for("analis1", "bp2mi", "analyst")
    assert client.get(f"/api/v1/cases/{cid}", headers=analyst).status_code == 403
    officer = headers_for("petugas1", "imigrasi", "officer")
    walk_in = client.post("/api/v1/cases", headers=officer,
                          json={"channel": "walk_in", "summary": "dideportasi, di bandara"})  # fmt: skip
    assert walk_in.status_code == 201
    assert walk_in.json()["may_reveal"] == []
    assert walk_in.json()["agency"] == "bp2mi"  # immigration does no casework: BP2MI does


def test_bad_case_input_names_what_is_allowed(client: TestClient, headers_for: MakeHeaders) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    bad = client.post("/api/v1/cases", headers=worker, json={**SOS, "channel": "pigeon"})
    assert bad.status_code == 422
    assert "'hotline'" in bad.text
    cid = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]
    unknown = client.post(f"/api/v1/cases/{cid}/moves", headers=worker,
                          json={"action": "deport", "reason": "x y z"})  # fmt: skip
    assert unknown.status_code == 409
    assert "unknown action 'deport'; the actions are verify" in unknown.json()["detail"]
    term = client.post(f"/api/v1/cases/{cid}/identification", headers=worker,
                       json={"indicators": ["sad"], "determination": "undetermined",
                             "reason": "x y z"})  # fmt: skip
    assert term.status_code == 422
    assert "unknown indicator 'sad'" in term.json()["detail"]
    after = client.get(f"/api/v1/cases/{cid}/timeline", headers=worker).json()
    assert [s["action"] for s in after] == ["report"]  # nothing half-written
    assert client.get("/api/v1/cases/999999", headers=worker).status_code == 404
