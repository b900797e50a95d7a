"""The registry over HTTP: public verification, licensing staff, bonds and claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.audit.models import AuditEntryRow
from lindungi.auth import service as auth
from lindungi.recruiters.models import Recruiter
from lindungi.settings import Settings

MakeToken = Callable[..., dict[str, str]]


@pytest.fixture
def token_for(session: Session) -> MakeToken:
    def make(username: str, agency: str, *roles: str) -> dict[str, str]:
        user = auth.add_user(session, username, agency=agency, roles=list(roles))
        secret = auth.issue_token(session, user, ttl=dt.timedelta(days=1)).secret
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


def test_public_verification_answers_in_both_languages_without_personal_data(
    client: TestClient, registry: dict[str, Recruiter], session: Session
) -> None:
    session.commit()
    revoked = client.get("/api/v1/public/verify", params={"name": "pt cahaya timur"}).json()
    assert revoked["verdict"] == "revoked"
    assert revoked["message"]["id"].startswith("Izin perusahaan ini DICABUT.")
    assert revoked["message"]["en"].startswith("This company's licence has been REVOKED.")
    assert revoked["hotline"]
    front = client.get("/api/v1/public/verify", params={"phone": "0813-2222-3333"}).json()
    assert front["verdict"] == "revoked"
    assert front["warning"]["en"].startswith("Warning: this recruiter's phone")
    assert "Hendra" not in str(front)  # a director's name is never shown
    assert "Pak Budi" not in str(front)  # nor an individual agent's
    assert "(agen perorangan tanpa izin / unlicensed individual agent)" in {
        m["name"] for m in front["matches"]
    }
    assert "path" not in str(front)
    unknown = client.get("/api/v1/public/verify", params={"licence_no": "KEP.999/X/2020"}).json()
    assert unknown["verdict"] == "unknown"
    assert unknown["message"]["id"].startswith("Kami TIDAK menemukan perekrut ini")
    empty = client.get("/api/v1/public/verify")
    assert empty.status_code == 422
    assert empty.json()["detail"] == "give at least one of name, licence_no or phone"


def test_public_verification_is_rate_limited_per_address(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    app = create_app(
        settings.model_copy(update={"public_rate_limit": "3/minute"}), sessions=sessions
    )
    with TestClient(app) as c:
        codes = [c.get("/api/v1/public/verify", params={"name": "x"}).status_code for _ in range(4)]
        limited = c.get("/api/v1/public/verify", params={"name": "x"})
    assert codes == [200, 200, 200, 429]
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_licensing_staff_change_a_licence_with_a_reason_and_it_is_audited(
    client: TestClient, token_for: MakeToken, registry: dict[str, Recruiter], session: Session
) -> None:
    licensing = token_for("kemnaker.lisa2", "kemnaker", "licensing")
    officer = token_for("imigrasi.ari", "imigrasi", "officer")
    body = {"number": "KEP.101/PPTKLN/2020", "status": "suspended", "reason": "complaints of fees"}
    assert client.post("/api/v1/licences/status", json=body, headers=officer).status_code == 403
    changed = client.post("/api/v1/licences/status", json=body, headers=licensing)
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "suspended"
    assert changed.json()["events"][-1]["reason"] == "complaints of fees"
    bad = client.post(
        "/api/v1/licences/status", json={**body, "status": "closed"}, headers=licensing
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.status"
    session.expire_all()
    entries = session.scalars(
        select(AuditEntryRow).where(AuditEntryRow.resource_type == "licences")
    ).all()
    assert [(e.actor, e.action, e.resource_id, e.purpose) for e in entries] == [
        ("imigrasi.ari", "denied", "", "attempted update: "),
        ("kemnaker.lisa2", "update", "KEP.101/PPTKLN/2020", "complaints of fees"),
    ]
    standing = client.get(
        "/api/v1/recruiters/standing", params={"licence_no": "KEP.101/PPTKLN/2020"}, headers=officer
    )
    assert standing.json()["verdict"] == "suspended"


def test_a_new_company_is_registered_with_its_phone(
    client: TestClient, token_for: MakeToken, registry: dict[str, Recruiter]
) -> None:
    licensing = token_for("kemnaker.nina", "kemnaker", "licensing")
    created = client.post(
        "/api/v1/recruiters",
        json={
            "name": "PT Samudra Biru", "licence_no": "KEP.300/PPTKLN/2026", "valid_until": "2029-01-01",
            "reason": "new licence", "phones": ["0813-2222-3333"],
        },
        headers=licensing,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert [i["kind"] for i in created.json()["identifiers"]] == ["phone"]
    duplicate = client.post(
        "/api/v1/recruiters",
        json={"name": "PT Lain", "licence_no": "kep.300/pptkln/2026", "reason": "again"},
        headers=licensing,
    )
    assert duplicate.status_code == 409
    officer = token_for("polri.dedi", "polri", "investigator")
    standing = client.get(
        "/api/v1/recruiters/standing", params={"name": "PT Samudra Biru"}, headers=officer
    ).json()
    assert "shares_phone_with_revoked" in {f["code"] for f in standing["findings"]}


def test_a_claim_goes_filed_verified_paid_and_refuses_impossible_moves(
    client: TestClient, token_for: MakeToken, registry: dict[str, Recruiter]
) -> None:
    licensing = token_for("kemnaker.budi", "kemnaker", "licensing")
    worker = token_for("bp2mi.sari", "bp2mi", "case_worker")
    rid = registry["good"].id
    bond = client.post(
        f"/api/v1/recruiters/{rid}/bonds", json={"amount_idr": 100_000_000}, headers=licensing
    ).json()
    claim = client.post(
        f"/api/v1/bonds/{bond['id']}/claims",
        json={"case_ref": "CASE-2026-0001", "amount_idr": 60_000_000},
        headers=worker,
    )
    assert claim.status_code == 201
    cid = claim.json()["id"]
    too_soon = client.post(
        f"/api/v1/claims/{cid}/decision",
        json={"decision": "pay", "reason": "urgent"},
        headers=licensing,
    )
    assert too_soon.status_code == 409
    assert too_soon.json()["detail"] == f"claim {cid} is filed; 'pay' needs it to be verified"
    assert (
        client.post(
            f"/api/v1/claims/{cid}/decision",
            json={"decision": "verify", "reason": "case confirmed"},
            headers=worker,
        ).status_code
        == 403
    )
    for decision in ("verify", "pay"):
        step = client.post(
            f"/api/v1/claims/{cid}/decision",
            json={"decision": decision, "reason": "case confirmed"},
            headers=licensing,
        )
        assert step.status_code == 200
    recruiter = client.get(f"/api/v1/recruiters/{rid}", headers=licensing).json()
    assert recruiter["bonds"][0]["balance_idr"] == 40_000_000
    second = client.post(
        f"/api/v1/bonds/{bond['id']}/claims",
        json={"case_ref": "CASE-2026-0002", "amount_idr": 50_000_000},
        headers=worker,
    ).json()
    client.post(
        f"/api/v1/claims/{second['id']}/decision",
        json={"decision": "verify", "reason": "case confirmed"},
        headers=licensing,
    )
    over = client.post(
        f"/api/v1/claims/{second['id']}/decision",
        json={"decision": "pay", "reason": "pay it"},
        headers=licensing,
    )
    assert over.status_code == 409
    assert (
        over.json()["detail"]
        == f"bond {bond['id']} holds Rp40,000,000; claim {second['id']} asks Rp50,000,000"
    )


def test_sanctions_and_complaints_are_recorded_and_feed_the_graph(
    client: TestClient, token_for: MakeToken, registry: dict[str, Recruiter]
) -> None:
    licensing = token_for("kemnaker.sani", "kemnaker", "licensing")
    worker = token_for("bp2mi.wati", "bp2mi", "case_worker")
    analyst = token_for("bp2mi.anis", "bp2mi", "analyst")
    rid = registry["front"].id
    sanction = client.post(
        f"/api/v1/recruiters/{rid}/sanctions",
        json={"kind": "fine", "reason": "placement fees charged", "starts_on": "2026-11-01"},
        headers=licensing,
    )
    assert sanction.status_code == 201
    assert sanction.json()["imposed_by"] == "kemnaker.sani"
    backwards = client.post(
        f"/api/v1/recruiters/{rid}/sanctions",
        json={
            "kind": "fine",
            "reason": "x y z",
            "starts_on": "2026-11-01",
            "ends_on": "2026-10-01",
        },
        headers=licensing,
    )
    assert (backwards.status_code, backwards.json()["detail"]) == (
        422,
        "ends_on is before starts_on",
    )
    assert client.post(
        f"/api/v1/recruiters/{rid}/sanctions", json=sanction.request.read() and {}, headers=worker
    ).status_code in (403, 422)
    for case in ("CASE-A", "CASE-B", "CASE-C"):
        made = client.post(
            f"/api/v1/recruiters/{rid}/complaints",
            json={"channel": "hotline", "summary": "passport held by recruiter", "case_ref": case},
            headers=worker,
        )
        assert made.status_code == 201
    clusters = client.get("/api/v1/network/clusters", headers=analyst).json()
    assert [sorted(c["cases"]) for c in clusters] == [["CASE-A", "CASE-B", "CASE-C"]]
