"""The screening desk without a browser (both databases): a traveller screened at the desk
gets an explained result, invalid input is shown next to its field with what was typed
kept and nothing stored, the decision is recorded once (a referral opens a case at
BP2MI), the objection is recorded, and every read and write is in the audit log."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import log_in as _log_in

from lindungi.audit.models import AuditEntryRow
from lindungi.cases.models import Case
from lindungi.screening.models import Referral, Screening

OFFER = "LOWKER ADMIN KAMBOJA gaji 15jt, tiket ditanggung, bilang aja liburan"
TRAVELLER = {
    "id": "PP-2026-0001",
    "person.full_name": "Siti Rahayu",
    "person.nik": "3201014506950003",
    "person.passport_no": "C1234567",
    "person.birth_date": "1995-06-05",
    "trip.destination_country": "KH",
    "trip.visa_type": "tourist",
    "trip.purpose": "tourism",
    "trip.return_ticket": "no",
    "trip.ticket_paid_by": "recruiter",
    "trip.first_trip_abroad": "yes",
    "job_offer.text": OFFER,
    "job_offer.channel": "tiktok",
}


def _audited(session: Session, actor: str, action: str, resource: str) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntryRow.resource_id)
            .where(AuditEntryRow.actor == actor, AuditEntryRow.action == action,
                   AuditEntryRow.resource_type == resource)
            .order_by(AuditEntryRow.seq)
        )
    )  # fmt: skip


def _screen(client: TestClient, csrf: str, **changes: str) -> str:
    screened = client.post("/console/screening", data={**TRAVELLER, **changes, "csrf": csrf},
                           follow_redirects=False)  # fmt: skip
    assert screened.status_code == 303, screened.text
    return str(screened.headers["location"])


def test_the_desk_asks_what_changes_a_score_and_nothing_else(
    client: TestClient, session: Session
) -> None:
    _log_in(client, session, "petugas1", "imigrasi", "officer")
    desk = client.get("/console/screening")
    assert desk.status_code == 200
    assert "<h1>Meja skrining</h1>" in desk.text
    for name in ("person.full_name", "person.nik", "trip.visa_type", "job_offer.text",
                 "recruiter.licence_no", "history.deportations"):  # fmt: skip
        assert f'name="{name}"' in desk.text
        assert f'<label for="{name.replace(".", "-")}"' in desk.text
    for never in ("sex", "religion", "province", "ethnicity"):
        assert f'name="person.{never}"' not in desk.text
    assert '<option value="KH">Kamboja</option>' in desk.text  # countries in Indonesian


def test_a_high_risk_traveller_gets_an_explained_result(
    client: TestClient, session: Session
) -> None:
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    location = _screen(client, csrf)
    stored = session.scalars(select(Screening)).one()
    assert location == f"/console/screening/{stored.id}"
    assert stored.band == "high"
    assert stored.agency == "imigrasi"
    assert "sex" not in stored.request["person"]
    page = client.get(location)
    assert page.status_code == 200
    assert 'data-band="high"' in page.text
    assert "risiko tinggi" in page.text
    assert f'data-score="{stored.score}"' in page.text
    assert "rujuk ke BP2MI" in page.text  # the recommended action
    assert stored.rulebook in page.text
    for hit in stored.indicators:  # every indicator explains itself, in Indonesian
        row = page.text.split(f'data-indicator="{hit["code"]}"')[1].split("</tr>")[0]
        assert hit["label_id"] in row
        assert hit["basis"] in row
        assert f"{hit['weight']:g}" in row
    english = client.get(f"{location}?lang=en")
    assert "high risk" in english.text
    assert stored.indicators[0]["label_en"] in english.text
    assert _audited(session, "petugas1", "create", "screenings") == [str(stored.id)]
    assert str(stored.id) in _audited(session, "petugas1", "read", "screenings")


def test_invalid_input_is_shown_next_to_its_field_and_nothing_is_stored(
    client: TestClient, session: Session
) -> None:
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    refused = client.post("/console/screening", data={
        **TRAVELLER, "job_offer.salary_idr_month": "15jt", "person.birth_date": "1995-13-45",
        "csrf": csrf})  # fmt: skip
    assert refused.status_code == 422
    assert re.search(r'id="job_offer-salary_idr_month"[^>]*value="15jt"[^>]*'
                     r'aria-invalid="true" aria-describedby="job_offer-salary_idr_month-error"',
                     refused.text)  # fmt: skip
    assert (
        '<p class="error" id="job_offer-salary_idr_month-error">Isi gaji per bulan dalam '
        "rupiah sebagai bilangan bulat, misalnya 15000000.</p>"
    ) in refused.text
    assert 'id="person-birth_date-error">Isi tanggal dengan format TTTT-BB-HH.</p>' in refused.text
    assert "bilang aja liburan</textarea>" in refused.text  # what was typed stays
    assert '<option value="KH" selected>' in refused.text
    assert session.scalar(select(func.count()).select_from(Screening)) == 0


def test_refer_records_the_decision_the_referral_and_the_case_once(
    client: TestClient, session: Session
) -> None:
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    location = _screen(client, csrf)
    screening_id = int(location.rsplit("/", 1)[1])
    missing = client.post(f"{location}/decision", data={"decision": "refer", "reason": "",
                                                         "csrf": csrf})  # fmt: skip
    assert missing.status_code == 422
    assert 'id="reason-error">Tuliskan alasan keputusan Anda' in missing.text
    assert 'id="decision-refer" name="decision" value="refer" checked' in missing.text
    decided = client.post(f"{location}/decision", data={
        "decision": "refer", "reason": "visa turis, tawaran kerja dari TikTok",
        "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert decided.headers["location"] == f"{location}?done=decision"
    referral = session.scalars(select(Referral)).one()
    case_id = session.scalar(select(Case.id).where(Case.screening_referral_id == referral.id))
    assert case_id is not None
    page = client.get(decided.headers["location"])
    assert "Keputusan sudah dicatat." in page.text
    assert 'data-decision="refer"' in page.text
    assert f'data-referral="{referral.id}"' in page.text
    assert f'data-case="{case_id}"' in page.text
    again = client.post(f"{location}/decision", data={"decision": "proceed",
                                                       "reason": "berubah pikiran", "csrf": csrf})  # fmt: skip
    assert again.status_code == 409
    assert "Skrining ini sudah diputuskan" in again.text
    assert session.get(Screening, screening_id).decision == "refer"  # type: ignore[union-attr]
    assert _audited(session, "petugas1", "update", "screenings") == [str(screening_id)]
    assert _audited(session, "petugas1", "create", "screening_referrals") == [str(referral.id)]
    assert _audited(session, "petugas1", "create", "cases") == [str(case_id)]


def test_the_objection_is_recorded_once(client: TestClient, session: Session) -> None:
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    location = _screen(client, csrf)
    recorded = client.post(f"{location}/contest", data={
        "contest": "Saya benar-benar hanya berlibur.", "csrf": csrf})  # fmt: skip
    assert recorded.status_code == 200
    assert "Keberatan pelaku perjalanan sudah dicatat" in recorded.text
    assert "Saya benar-benar hanya berlibur.</blockquote>" in recorded.text
    again = client.post(f"{location}/contest", data={"contest": "lagi", "csrf": csrf})
    assert again.status_code == 409


def test_the_desk_lists_and_finds_the_agency_s_screenings(
    client: TestClient, session: Session
) -> None:
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    location = _screen(client, csrf)
    _screen(client, csrf, id="PP-2026-0002", **{"trip.visa_type": "work", "job_offer.text": ""})
    desk = client.get("/console/screening")
    assert desk.text.count('href="/console/screening/') == 2
    assert "PP-2026-0002" in desk.text
    found = client.get("/console/screening?find=PP-2026-0001", follow_redirects=False)
    assert found.headers["location"] == location
    nothing = client.get("/console/screening?find=PP-0000")
    assert "Tidak ada skrining dengan nomor atau referensi ini." in nothing.text


def test_another_agency_s_screening_and_a_role_without_the_permission_are_refused(
    client: TestClient, session: Session
) -> None:
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    location = _screen(client, csrf)
    client.post("/logout", data={"csrf": csrf})
    _log_in(client, session, "lisensi1", "kemnaker", "licensing")
    refused = client.get("/console/screening")
    assert refused.status_code == 403
    assert "<h1>Tidak diizinkan</h1>" in refused.text
    assert client.get(location).status_code == 403
    denied = _audited(session, "lisensi1", "denied", "screenings")
    assert len(denied) == 2
    assert session.scalar(select(func.count()).select_from(Screening)) == 1
