"""Screening over HTTP: the desk, the decision and referral, the contest, who may see what,
the audit trail, and the public offer check that stores nothing without consent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.audit.models import AuditEntryRow
from lindungi.errors import ConfigurationError
from lindungi.recruiters.models import Recruiter
from lindungi.screening.models import SharedOffer
from tests_support import make_settings

MakeToken = Callable[..., dict[str, str]]
TRAVELLER = {
    "id": "KNO-2026-0001",
    "person": {"full_name": "Andi Saputra", "birth_date": "2001-02-03", "sex": "M",
               "religion": "Islam", "province": "Sumatera Utara"},
    "trip": {"destination_country": "KH", "destination_city": "Sihanoukville",
             "visa_type": "tourist", "purpose": "tourism", "return_ticket": False,
             "ticket_paid_by": "recruiter", "first_trip_abroad": True},
    "job_offer": {"text": "admin online gaji 15jt, bilang aja liburan", "channel": "telegram"},
}  # fmt: skip
SCAM = "🔥LOWKER CS ONLINE KAMBOJA🔥 gaji $1000/bln, tiket PP ditanggung, paspor disimpan bos"


def _audited(session: Session, resource_type: str) -> list[str]:
    rows = session.scalars(
        select(AuditEntryRow).where(AuditEntryRow.resource_type == resource_type)
    ).all()
    return [f"{r.actor}:{r.action}:{r.resource_id}" for r in rows]


def test_a_desk_screens_refers_and_bp2mi_receives_the_referral(
    client: TestClient, session: Session, headers_for: MakeToken, registry: dict[str, Recruiter]
) -> None:
    officer = headers_for("petugas1", "imigrasi", "officer")
    made = client.post("/api/v1/screenings", headers=officer, json=TRAVELLER)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["band"], body["action"], body["reference"]) == ("high", "refer", TRAVELLER["id"])
    codes = [i["code"] for i in body["indicators"]]
    assert {"visa_not_for_work", "secrecy", "compound_area", "salary_implausible"} <= set(codes)
    first = body["indicators"][0]
    assert first["label_id"]
    assert first["label_en"]
    assert first["basis"]
    assert first["evidence"]
    sid = body["id"]
    decided = client.post(f"/api/v1/screenings/{sid}/decision", headers=officer,
                          json={"decision": "refer", "reason": "tiket sekali jalan, visa turis"})  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"] == "refer"
    assert decided.json()["referral_id"]
    again = client.post(f"/api/v1/screenings/{sid}/decision", headers=officer,
                        json={"decision": "proceed", "reason": "salah klik"})  # fmt: skip
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    referrals = client.get("/api/v1/referrals?status=open", headers=worker)
    assert referrals.status_code == 200
    [referral] = referrals.json()
    assert referral["screening_id"] == sid
    assert referral["from_agency"] == "imigrasi"
    assert [e["code"] for e in referral["evidence"]] == codes
    assert client.get(f"/api/v1/screenings/{sid}", headers=worker).status_code == 200
    contested = client.post(f"/api/v1/screenings/{sid}/contest", headers=officer,
                            json={"text": "Saya punya tiket pulang, hanya belum dicetak"})  # fmt: skip
    assert contested.status_code == 200
    assert contested.json()["contest"].startswith("Saya")
    session.expire_all()
    assert _audited(session, "screenings") == [
        f"petugas1:create:{sid}", f"petugas1:update:{sid}", f"pendamping1:read:{sid}",
        f"petugas1:update:{sid}",
    ]  # fmt: skip
    assert _audited(session, "screening_referrals")[0].startswith("petugas1:create:")


def test_who_may_screen_and_read(client: TestClient, headers_for: MakeToken) -> None:
    analyst = headers_for("analis1", "bp2mi", "analyst")
    assert client.post("/api/v1/screenings", headers=analyst, json=TRAVELLER).status_code == 403
    assert client.get("/api/v1/referrals", headers=analyst).status_code == 403
    officer = headers_for("petugas1", "imigrasi", "officer")
    sid = client.post("/api/v1/screenings", headers=officer, json=TRAVELLER).json()["id"]
    consul = headers_for("konsul1", "kemlu", "consular")
    assert client.get(f"/api/v1/screenings/{sid}", headers=consul).status_code == 403
    assert client.get("/api/v1/screenings/999999", headers=officer).status_code == 404
    assert client.post("/api/v1/screenings", json=TRAVELLER).status_code == 401
    book = client.get("/api/v1/screening/rulebook", headers=officer).json()
    assert book["version"]
    assert len(book["indicators"]) >= 20


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"trip": {"visa_type": "holiday"}}, "'tourist', 'visit'"),
        ({"trip": {"destination_country": "Kamboja"}}, "destination_country"),
        ({"person": {"birth_date": "31-12-2000"}}, "birth_date"),
        ({"history": {"deportations": -1}}, "deportations"),
        ({"id": ""}, "id"),
        ({"id": "A\u0000B"}, "id"),
    ],
)
def test_bad_desk_input_is_a_422_naming_the_field(
    client: TestClient, headers_for: MakeToken, change: dict[str, object], named: str
) -> None:
    officer = headers_for("petugas1", "imigrasi", "officer")
    answer = client.post("/api/v1/screenings", headers=officer, json={**TRAVELLER, **change})
    assert answer.status_code == 422
    assert named in answer.text


def test_the_public_offer_check_needs_no_login_and_stores_only_with_consent(
    client: TestClient, session: Session
) -> None:
    checked = client.post("/api/v1/public/check-offer", json={"text": SCAM})
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["band"] == "high"
    assert body["stored"] is False
    codes = {i["code"] for i in body["indicators"]}
    assert {"no_placement_channel", "passport_retention"} <= codes
    assert "Jangan berangkat" in body["advice"]["id"]
    assert body["hotline"]
    session.expire_all()
    assert session.scalar(select(func.count(SharedOffer.id))) == 0
    shared = client.post("/api/v1/public/check-offer", json={"text": SCAM, "share": True})
    assert shared.json()["stored"] is True
    session.expire_all()
    kept = session.scalars(select(SharedOffer)).one()
    assert kept.text == SCAM
    assert "I agree" in kept.consent
    assert kept.band == "high"
    plain = client.post("/api/v1/public/check-offer",
                        json={"text": "Dicari admin toko di Surabaya, gaji 4,5 juta, WA ya"})  # fmt: skip
    assert plain.json()["band"] == "low"
    assert client.post("/api/v1/public/check-offer", json={"text": ""}).status_code == 422
    nul = client.post("/api/v1/public/check-offer", json={"text": "a\u0000b", "share": True})
    assert nul.status_code == 422
    assert client.post("/api/v1/public/check-offer",
                       json={"text": "x", "channel": "pigeon"}).status_code == 422  # fmt: skip


def test_configured_currency_rates_reach_the_public_check(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    text = "Lowker admin online di Kamboja, gaji $1000 per bulan"
    rates = {"USD": 20000.0}
    app = create_app(make_settings(tmp_path, currency_rates_idr=rates), sessions=sessions)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post("/api/v1/public/check-offer", json={"text": text}).json()
    salary = next(i for i in answer["indicators"] if i["code"] == "salary_implausible")
    assert salary["evidence"].startswith("Rp 20.000.000 a month for admin")
    with pytest.raises(ConfigurationError, match=r"currency .usd.: expected a code such as USD"):
        make_settings(tmp_path, currency_rates_idr={"usd": 16000})
    with pytest.raises(
        ConfigurationError,
        match="LINDUNGI_CURRENCY_RATES_IDR: currency USD: the rate must be positive",
    ):
        make_settings(tmp_path, currency_rates_idr={"USD": 0})
