"""The exchange over HTTP (both databases): an agency administrator manages its own
subscriptions within its mandate (refusals name what lies beyond), replays its dead
letters, and the agency API answers only the agencies listed for a service; every call,
answered or refused, is in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit.models import AuditEntryRow
from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.exchange import delivery, sealing
from lindungi.recruiters.models import Recruiter
from lindungi.screening import service as screening
from lindungi.screening.schemas import ScreeningIn
from lindungi.settings import Settings

MakeHeaders = Callable[..., dict[str, str]]
API = "/api/v1/exchange"
OFFICER = Principal.of(1, "petugas1", "imigrasi", ("officer",), None)
HOOK = "http://127.0.0.1:9/events"  # nothing listens: deliveries fail


def _audited(session: Session, resource_type: str) -> list[tuple[str, str, str]]:
    rows = session.execute(
        select(AuditEntryRow.action, AuditEntryRow.actor, AuditEntryRow.resource_id)
        .where(AuditEntryRow.resource_type == resource_type)
        .order_by(AuditEntryRow.seq)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_an_agency_subscribes_within_its_mandate_and_ends_it(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    admin = headers_for("admin.kemlu", "kemlu", "admin")
    asked = {"name": "pusat komando", "transport": "webhook", "url": HOOK,
             "kinds": ["alert.raised", "case.opened"],
             "fields": {"case.opened": ["case_id", "country"]}}  # fmt: skip
    made = client.post(f"{API}/subscriptions", headers=admin, json=asked)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["grants"]["case.opened"] == ["case_id", "country"]
    assert "explanation" in body["grants"]["alert.raised"]
    listed = client.get(f"{API}/subscriptions", headers=admin).json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert "secret" not in listed[0]  # shown once, at creation
    beyond = client.post(f"{API}/subscriptions", headers=admin, json={
        **asked, "kinds": ["screening.referred"],
        "fields": {"screening.referred": ["band", "nik", "passport_no"]}})  # fmt: skip
    assert beyond.status_code == 403
    assert beyond.json()["detail"] == ("agency kemlu's mandate does not cover the fields "
                                       "screening.referred.nik, screening.referred.passport_no")  # fmt: skip
    unknown = client.post(f"{API}/subscriptions", headers=admin, json={**asked,
                          "kinds": ["case.deleted"], "fields": None})  # fmt: skip
    assert unknown.status_code == 422
    assert "case.deleted" in unknown.json()["detail"]
    bad_url = client.post(f"{API}/subscriptions", headers=admin, json={**asked, "url": "ftp://x"})
    assert bad_url.status_code == 422
    assert "url:" in bad_url.json()["detail"]
    other = headers_for("admin.polri", "polri", "admin")
    assert client.delete(f"{API}/subscriptions/{body['id']}", headers=other).status_code == 404
    worker = headers_for("pendamping1", "kemlu", "case_worker")
    assert client.post(f"{API}/subscriptions", headers=worker, json=asked).status_code == 403
    ended = client.delete(f"{API}/subscriptions/{body['id']}", headers=admin)
    assert ended.status_code == 200
    assert ended.json()["active"] is False
    audited = _audited(session, "exchange_subscriptions")
    assert ("create", "admin.kemlu", str(body["id"])) in audited
    assert ("update", "admin.kemlu", str(body["id"])) in audited
    assert ("denied", "pendamping1", "") in _audited(session, "subscriptions")
    kinds = client.get(f"{API}/events", headers=worker).json()
    referred = next(k for k in kinds if k["code"] == "screening.referred")
    assert "nik" in referred["fields"]
    assert "nik" not in referred["mandate"]


def test_an_agency_replays_its_dead_letters(
    client: TestClient, session: Session, headers_for: MakeHeaders, settings: Settings
) -> None:
    admin = headers_for("admin.kemlu", "kemlu", "admin")
    client.post(f"{API}/subscriptions", headers=admin, json={
        "name": "x", "transport": "webhook", "url": HOOK, "kinds": ["case.opened"]})  # fmt: skip
    worker = Principal.of(9, "pendamping1", "bp2mi", ("case_worker",), None)
    cases.report(session, {"channel": "hotline", "summary": "x"}, worker)
    key = sealing.key_from(settings.secret_key.get_secret_value())
    hooks = delivery.Webhooks(timeout=0.5, seal_key=key)
    now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    try:
        for _ in range(len(delivery.RETRY) + 1):
            delivery.dispatch(session, {"webhook": hooks}, now)
            now += dt.timedelta(days=1)
    finally:
        hooks.close()
    session.commit()
    [dead] = client.get(f"{API}/dead-letters", headers=admin).json()
    assert dead["kind"] == "case.opened"
    assert dead["attempts"] == 7
    assert "127.0.0.1:9" in dead["last_error"]
    assert client.get(f"{API}/dead-letters",
                      headers=headers_for("admin.polri", "polri", "admin")).json() == []  # fmt: skip
    again = client.post(f"{API}/dead-letters/{dead['id']}/replay", headers=admin)
    assert again.status_code == 200
    assert again.json() == {"replayed": 1}
    assert client.get(f"{API}/dead-letters", headers=admin).json() == []
    twice = client.post(f"{API}/dead-letters/{dead['id']}/replay", headers=admin)
    assert twice.status_code == 409
    assert ("update", "admin.kemlu", str(dead["id"])) in _audited(session, "exchange_deliveries")


def test_the_agency_api_denies_by_default_and_audits_every_call(
    client: TestClient, session: Session, headers_for: MakeHeaders,
    registry: dict[str, Recruiter],
) -> None:  # fmt: skip
    imigrasi = headers_for("sistem.imigrasi", "imigrasi", "agency_system")
    listed = client.get(f"{API}/services", headers=imigrasi).json()
    assert {s["code"]: s["allowed"] for s in listed} == {
        "licence-standing": True,
        "referral-outcome": True,
        "case-status": False,
    }
    standing = client.get(f"{API}/services/licence-standing/KEP.102%2FPPTKLN%2F2020",
                          headers=imigrasi)  # fmt: skip
    assert standing.status_code == 200, standing.text
    answer = standing.json()
    assert answer["producer"] == "kemnaker"
    assert answer["consumer"] == "imigrasi"
    assert answer["data"]["status"] == "revoked"
    assert answer["data"]["recruiter_name"] == "PT Cahaya Timur"
    denied = client.get(f"{API}/services/case-status/1", headers=imigrasi)
    assert denied.status_code == 403
    assert denied.json()["detail"].startswith("agency imigrasi may not call case-status")
    request = ScreeningIn.model_validate(
        {"id": "D-9", "trip": {"visa_type": "tourist", "purpose": "work",
                               "destination_country": "KH"},
         "person": {"full_name": "Budi Santoso", "nik": "3273010101900001"},
         "recruiter": {"name": "PT Cahaya Timur"}}
    )  # fmt: skip
    screened = screening.screen_at_desk(session, request, OFFICER)
    _, referral = screening.decide(session, screened.id, "refer", "visa turis ke KH", OFFICER)
    assert referral is not None
    session.commit()
    outcome = client.get(f"{API}/services/referral-outcome/{referral.id}", headers=imigrasi)
    assert outcome.status_code == 200, outcome.text
    data = outcome.json()["data"]
    assert data["status"] == "open"
    assert data["case_state"] == "reported"
    assert "Budi" not in outcome.text  # no identity crosses the agency API
    kemlu = headers_for("sistem.kemlu", "kemlu", "agency_system")
    status = client.get(f"{API}/services/case-status/{data['case_id']}", headers=kemlu)
    assert status.status_code == 200
    assert status.json()["data"]["state"] == "reported"
    assert client.get(f"{API}/services/case-status/abc", headers=kemlu).status_code == 422
    assert client.get(f"{API}/services/case-status/999999", headers=kemlu).status_code == 404
    assert client.get(f"{API}/services/passports/1", headers=kemlu).status_code == 404
    officer = headers_for("petugas2", "imigrasi", "officer")
    assert client.get(f"{API}/services", headers=officer).status_code == 403
    assert _audited(session, "exchange_service:case-status") == [
        ("denied", "sistem.imigrasi", "1"),
        ("read", "sistem.kemlu", str(data["case_id"])),
    ]
    assert _audited(session, "exchange_service:licence-standing") == [
        ("read", "sistem.imigrasi", "KEP.102/PPTKLN/2020")
    ]
