"""Referrals of a case for services: with consent, or with the explicit override and its
reason; the receiver decides; refused requests write nothing (both databases)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from lindungi.cases.referrals import ReferralRefused, check_consent, decide

MakeHeaders = Callable[..., dict[str, str]]
CASE = {"channel": "hotline", "summary": "Penelepon anak 16 tahun di Poipet", "country": "KH"}


def _case(client: TestClient, headers: dict[str, str]) -> int:
    made = client.post("/api/v1/cases", headers=headers, json=CASE)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_consent_or_override_is_needed(client: TestClient, headers_for: MakeHeaders) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    cid = _case(client, worker)
    body = {"service": "psychosocial", "to_organisation": "Yayasan Pulih (LSM)",
            "consent": False, "note": "konseling trauma"}  # fmt: skip
    refused = client.post(f"/api/v1/cases/{cid}/referrals", headers=worker, json=body)
    assert refused.status_code == 422
    assert "the person's consent is not recorded" in refused.json()["detail"]
    no_right = client.post(f"/api/v1/cases/{cid}/referrals", headers=worker,
                           json={**body, "override_reason": "anak dalam bahaya"})  # fmt: skip
    assert no_right.status_code == 403
    assert "needs the cases:override permission" in no_right.json()["detail"]
    assert client.get(f"/api/v1/cases/{cid}/referrals", headers=worker).json() == []
    supervisor = headers_for("supervisor1", "bp2mi", "case_supervisor")
    overridden = client.post(f"/api/v1/cases/{cid}/referrals", headers=supervisor,
                             json={**body, "override_reason": "anak dalam bahaya"})  # fmt: skip
    assert overridden.status_code == 201, overridden.text
    assert overridden.json()["basis"] == "override"
    consented = client.post(f"/api/v1/cases/{cid}/referrals", headers=worker,
                            json={**body, "service": "legal_aid", "to_agency": None,
                                  "to_organisation": "LBH Jakarta", "consent": True,
                                  "consent_note": "setuju lewat telepon"})  # fmt: skip
    assert consented.status_code == 201
    assert consented.json()["basis"] == "consent"
    steps = [s["action"] for s in client.get(f"/api/v1/cases/{cid}/timeline",
                                             headers=worker).json()]  # fmt: skip
    assert steps == ["report", "refer:psychosocial", "refer:legal_aid"]


def test_the_receiving_agency_decides(client: TestClient, headers_for: MakeHeaders) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    cid = _case(client, worker)
    made = client.post(f"/api/v1/cases/{cid}/referrals", headers=worker,
                       json={"service": "family_tracing", "to_agency": "kemlu", "consent": True,
                             "note": "cari keluarga di Kamboja"}).json()  # fmt: skip
    rid = made["id"]
    own = client.post(f"/api/v1/case-referrals/{rid}/decision", headers=worker,
                      json={"decision": "accept", "reason": "x y z"})  # fmt: skip
    assert own.status_code == 403
    assert "decided by kemlu" in own.json()["detail"]
    consul = headers_for("konsul1", "kemlu", "consular")
    early = client.post(f"/api/v1/case-referrals/{rid}/decision", headers=consul,
                        json={"decision": "deliver", "reason": "x y z"})  # fmt: skip
    assert early.status_code == 409
    assert "cannot deliver a referral that is referred" in (early.json()["detail"])
    for decision, status in (("accept", "accepted"), ("deliver", "delivered")):
        answer = client.post(f"/api/v1/case-referrals/{rid}/decision", headers=consul,
                             json={"decision": decision, "reason": "ditangani KBRI"})  # fmt: skip
        assert answer.status_code == 200
        assert answer.json()["status"] == status
    both = client.post(f"/api/v1/cases/{cid}/referrals", headers=worker,
                       json={"service": "medical", "consent": True, "note": "x y z",
                             "to_agency": "kemlu", "to_organisation": "RS"})  # fmt: skip
    assert both.status_code == 422
    assert "either to_agency or to_organisation" in both.text


@pytest.mark.parametrize(
    ("status", "decision", "result"),
    [("referred", "accept", "accepted"), ("referred", "reject", "rejected"),
     ("accepted", "deliver", "delivered"), ("rejected", "accept", None),
     ("delivered", "deliver", None), ("referred", "maybe", None)],
)  # fmt: skip
def test_referral_decisions(status: str, decision: str, result: str | None) -> None:
    if result is None:
        with pytest.raises(ReferralRefused):
            decide(status, decision)
    else:
        assert decide(status, decision).value == result
    assert check_consent(True, False, None) == "consent"
    assert check_consent(False, True, "tidak sadar, perlu perawatan") == "override"


def test_an_accepted_transfer_hands_the_case_to_the_receiving_agency(
    client: TestClient, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    consul = headers_for("konsuler1", "kemlu", "consular")
    cid = _case(client, worker)
    sent = client.post(f"/api/v1/cases/{cid}/referrals", headers=worker,
                       json={"service": "case_transfer", "to_agency": "kemlu", "consent": True,
                             "note": "korban di Phnom Penh, ditangani KBRI"})  # fmt: skip
    assert client.get(f"/api/v1/cases/{cid}", headers=worker).json()["agency"] == "bp2mi"
    accepted = client.post(f"/api/v1/case-referrals/{sent.json()['id']}/decision",
                           headers=consul, json={"decision": "accept", "reason": "diterima"})  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    assert client.get(f"/api/v1/cases/{cid}", headers=worker).json()["agency"] == "kemlu"
    steps = client.get(f"/api/v1/cases/{cid}/timeline", headers=consul).json()
    assert steps[-1]["action"] == "transfer"
    assert steps[-1]["reason"] == "handled by kemlu (was bp2mi): diterima"
