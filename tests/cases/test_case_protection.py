"""Field-level protection and the legal track over HTTP on both databases: each role
reveals only its field groups, on purpose and audited; police reach a case's identity
and account only once it is referred to them, with consent; the legal track runs from the
police referral to restitution; a victim's bond claim is filed from the case and paid by
licensing; a screening referral opens a case at BP2MI without sex or religion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit.entry import parse_entry
from lindungi.audit.models import AuditEntryRow
from lindungi.cases.models import Case
from lindungi.recruiters.models import Recruiter

MakeHeaders = Callable[..., dict[str, str]]
SOS = {
    "channel": "sos", "summary": "SOS dari kompleks, Sihanoukville", "country": "KH",
    "full_name": "Dewi Anggraini", "passport_no": "C7654321",
    "narrative": "Dijanjikan kerja admin, paspor ditahan, dipukul.",
    "health": "memar di lengan", "reporter_name": "Ibu Sumarni",
    "reporter_contact": "+6281234500001",
}  # fmt: skip


def _reveal(client: TestClient, headers: dict[str, str], cid: int, *groups: str,
            purpose: str | None = "verifikasi identitas korban") -> Any:  # fmt: skip
    params: dict[str, object] = {"reveal": list(groups)}
    if purpose is not None:
        params["purpose"] = purpose
    return client.get(f"/api/v1/cases/{cid}", headers=headers, params=params)


def test_each_role_reveals_only_its_groups_on_purpose(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    consul = headers_for("konsuler1", "kemlu", "consular")
    police = headers_for("penyidik1", "polri", "investigator")
    cid = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]

    everything = _reveal(client, worker, cid, "identity", "narrative", "health", "reporter")
    body = everything.json()
    assert body["revealed"] == ["identity", "narrative", "health", "reporter"]
    assert (body["full_name"], body["health"]) == ("Dewi Anggraini", "memar di lengan")

    just_identity = _reveal(client, consul, cid, "identity").json()
    assert just_identity["full_name"] == "Dewi Anggraini"
    assert just_identity["narrative"] is None
    assert just_identity["health"] is None
    assert just_identity["may_reveal"] == ["identity", "narrative", "reporter"]
    health = _reveal(client, consul, cid, "health")
    assert health.status_code == 403
    assert "may not read the health fields" in health.json()["detail"]
    no_purpose = _reveal(client, worker, cid, "narrative", purpose=None)
    assert no_purpose.status_code == 422
    assert "purpose" in no_purpose.json()["detail"]
    unknown = _reveal(client, worker, cid, "bank")
    assert unknown.status_code == 422
    assert "unknown field group 'bank'" in unknown.json()["detail"]
    before_referral = _reveal(client, police, cid, "identity")
    assert before_referral.status_code == 403

    session.expire_all()
    reads = session.scalars(
        select(AuditEntryRow).where(
            AuditEntryRow.resource_type == "cases", AuditEntryRow.resource_id == str(cid),
            AuditEntryRow.action == "read",
        ).order_by(AuditEntryRow.seq)
    ).all()  # fmt: skip
    entries = [parse_entry(r.entry) for r in reads]
    assert [e.actor for e in entries] == ["pendamping1", "konsuler1"]  # refused: nothing shown
    assert "health" in entries[0].fields
    assert "health" not in entries[1].fields
    assert "full_name" in entries[1].fields
    assert entries[1].purpose == "verifikasi identitas korban"


def test_the_legal_track_from_police_referral_to_restitution(
    client: TestClient, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    police = headers_for("penyidik1", "polri", "investigator")
    cid = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]

    def legal(headers: dict[str, str], action: str, **more: object) -> Any:
        return client.post(f"/api/v1/cases/{cid}/legal", headers=headers,
                           json={"action": action, "reason": f"langkah {action}", **more})  # fmt: skip

    early = legal(police, "open_investigation")
    assert early.status_code == 403
    no_consent = legal(worker, "refer_to_police")
    assert no_consent.status_code == 422
    assert "consent is not recorded" in no_consent.json()["detail"]
    too_soon = legal(worker, "request_restitution")
    assert too_soon.status_code == 409
    assert too_soon.json()["allowed"] == ["refer_to_police"]
    referred = legal(worker, "refer_to_police", consent=True, consent_note="setuju, tertulis")
    assert referred.json()["legal_stage"] == "referred_to_police"
    seen = _reveal(client, police, cid, "identity", "narrative").json()
    assert seen["full_name"] == "Dewi Anggraini"
    assert seen["may_reveal"] == ["identity", "narrative"]  # never health, never the reporter
    assert legal(worker, "prosecute").status_code == 403
    for action in ("open_investigation", "prosecute"):
        assert legal(police, action).status_code == 200
    assert legal(worker, "request_restitution").status_code == 200
    assert legal(police, "convict").status_code == 200
    ordered = legal(police, "order_restitution", amount_idr=50_000_000).json()
    assert (ordered["restitution"], ordered["restitution_ordered_idr"]) == ("ordered", 50_000_000)
    part = legal(police, "pay_restitution", amount_idr=20_000_000).json()
    assert (part["restitution"], part["restitution_paid_idr"]) == ("ordered", 20_000_000)
    over = legal(police, "pay_restitution", amount_idr=40_000_000)
    assert over.status_code == 409
    steps = client.get(f"/api/v1/cases/{cid}/timeline", headers=worker).json()
    assert [s["action"] for s in steps if s["action"].startswith("legal:")] == [
        "legal:refer_to_police", "legal:open_investigation", "legal:prosecute",
        "legal:request_restitution", "legal:convict", "legal:order_restitution",
        "legal:pay_restitution",
    ]  # fmt: skip
    referrals = client.get(f"/api/v1/cases/{cid}/referrals", headers=worker).json()
    assert [(r["service"], r["to_agency"], r["basis"]) for r in referrals] == [
        ("police", "polri", "consent")
    ]
    other = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]
    sent = client.post(f"/api/v1/cases/{other}/legal", headers=worker,
                       json={"action": "refer_to_police", "reason": "rujuk", "consent": True})  # fmt: skip
    assert sent.status_code == 200
    rid = client.get(f"/api/v1/cases/{other}/referrals", headers=worker).json()[0]["id"]
    assert _reveal(client, police, other, "identity").status_code == 200
    worker_decides = client.post(f"/api/v1/case-referrals/{rid}/decision", headers=worker,
                                 json={"decision": "reject", "reason": "bukan kami"})  # fmt: skip
    assert worker_decides.status_code == 403  # the police decide what is referred to them
    rejected = client.post(f"/api/v1/case-referrals/{rid}/decision", headers=police,
                           json={"decision": "reject", "reason": "bukan TPPO"})  # fmt: skip
    assert rejected.status_code == 200, rejected.text
    assert _reveal(client, police, other, "identity").status_code == 403  # reach ends
    dropped = client.get(f"/api/v1/cases/{other}", headers=worker).json()
    assert dropped["legal_stage"] == "dropped"
    assert "refer_to_police" in dropped["legal_allowed"]  # again, with new evidence


def test_a_bond_claim_filed_from_the_case_is_paid_by_licensing(
    client: TestClient, headers_for: MakeHeaders, registry: dict[str, Recruiter]
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    licensing = headers_for("lisensi1", "kemnaker", "licensing")
    rid = registry["good"].id
    cid = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]
    claim_of = {"recruiter_id": rid, "amount_idr": 30_000_000, "reason": "gaji tidak dibayar"}
    none = client.post(f"/api/v1/cases/{cid}/bond-claims", headers=worker, json=claim_of)
    assert none.status_code == 409
    assert "holds no bond" in none.json()["detail"]
    client.post(f"/api/v1/recruiters/{rid}/bonds", json={"amount_idr": 100_000_000},
                headers=licensing)  # fmt: skip
    filed = client.post(f"/api/v1/cases/{cid}/bond-claims", headers=worker, json=claim_of)
    assert filed.status_code == 201, filed.text
    claim = filed.json()
    assert (claim["case_id"], claim["case_ref"], claim["status"]) == (cid, f"case {cid}", "filed")
    for decision in ("verify", "pay"):
        step = client.post(f"/api/v1/claims/{claim['id']}/decision", headers=licensing,
                           json={"decision": decision, "reason": "putusan terverifikasi"})  # fmt: skip
        assert step.status_code == 200
    listed = client.get(f"/api/v1/cases/{cid}/bond-claims", headers=worker).json()
    assert [(c["status"], c["amount_idr"]) for c in listed] == [("paid", 30_000_000)]
    assert client.get(f"/api/v1/cases/{cid}", headers=worker).json()["recruiter_id"] == rid
    other = registry["lapsed"].id
    wrong = client.post(f"/api/v1/cases/{cid}/bond-claims", headers=worker,
                        json={**claim_of, "recruiter_id": other})  # fmt: skip
    assert wrong.status_code == 409
    assert "recorded against recruiter" in wrong.json()["detail"]


def test_a_screening_referral_opens_a_case_at_bp2mi(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    officer = headers_for("petugas1", "imigrasi", "officer")
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    traveller = {
        "id": "desk-1",
        "person": {"full_name": "Rina Marlina", "nik": "3201014501990003",
                   "birth_date": "1999-01-05", "sex": "F", "religion": "Islam",
                   "province": "Jawa Barat"},
        "trip": {"destination_country": "KH", "destination_city": "Sihanoukville",
                 "visa_type": "tourist", "purpose": "work", "return_ticket": False},
        "job_offer": {"text": "Lowongan admin Kamboja gaji 15 juta, tiket ditanggung"},
    }  # fmt: skip
    screened = client.post("/api/v1/screenings", headers=officer, json=traveller).json()
    decided = client.post(f"/api/v1/screenings/{screened['id']}/decision", headers=officer,
                          json={"decision": "refer", "reason": "visa turis untuk kerja"})  # fmt: skip
    assert decided.status_code == 200, decided.text
    cid = decided.json()["case_id"]
    case = client.get(f"/api/v1/cases/{cid}", headers=worker,
                      params={"reveal": ["identity"], "purpose": "verifikasi rujukan"}).json()  # fmt: skip
    assert (case["channel"], case["agency"], case["state"]) == ("screening_referral", "bp2mi",
                                                                "reported")  # fmt: skip
    assert (case["full_name"], case["birth_date"]) == ("Rina Marlina", "1999-01-05")
    assert case["country"] == "KH"
    assert "visa_not_for_work" in case["summary"]
    assert case["summary"].endswith("Officer: visa turis untuk kerja")
    session.expire_all()
    row = session.get(Case, cid)
    assert row is not None
    stored = " ".join(str(getattr(row, c.key)) for c in Case.__table__.columns)
    assert "Islam" not in stored
    assert "Jawa Barat" not in stored


#: role (agency) → the groups it may reveal on a case handled by BP2MI and not referred;
#: None: it may not read the case at all.
MATRIX: dict[tuple[str, str], list[str] | None] = {
    ("case_worker", "bp2mi"): ["identity", "narrative", "health", "reporter"],
    ("case_worker", "kemlu"): ["identity", "narrative", "health", "reporter"],
    ("case_supervisor", "kemlu"): ["identity", "narrative", "health", "reporter"],
    ("consular", "kemlu"): ["identity", "narrative", "reporter"],
    ("investigator", "polri"): [],
    ("officer", "imigrasi"): None,
    ("licensing", "kemnaker"): None,
    ("analyst", "bp2mi"): None,
    ("auditor", "bp2mi"): None,
    ("admin", "bp2mi"): None,
}


def test_every_role_reveals_exactly_its_groups(
    client: TestClient, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping0", "bp2mi", "case_worker")
    cid = client.post("/api/v1/cases", headers=worker, json=SOS).json()["id"]
    for n, ((role, agency), expected) in enumerate(MATRIX.items()):
        who = headers_for(f"user{n}", agency, role)
        seen = client.get(f"/api/v1/cases/{cid}", headers=who)
        if expected is None:
            assert seen.status_code == 403, role
            continue
        assert seen.json()["may_reveal"] == expected, role
        everything = _reveal(client, who, cid, "identity", "narrative", "health", "reporter")
        wanted = expected == ["identity", "narrative", "health", "reporter"]
        assert everything.status_code == (200 if wanted else 403), role
        for group in expected:
            one = _reveal(client, who, cid, group).json()
            assert one["revealed"] == [group], role
