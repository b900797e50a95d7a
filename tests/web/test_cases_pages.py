"""The case queue and the case page without a browser (both databases): what a case worker
notices. Only the steps allowed now are offered; a step is recorded and in the timeline;
a refused step is explained with what is allowed; protected fields stay hidden until
revealed with a purpose, which the audit log keeps; the police see none on a case not
referred to them; a role without the permission gets a refusal page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import log_in as _log_in

from lindungi.audit.entry import parse_entry
from lindungi.audit.models import AuditEntryRow
from lindungi.cases import workflow
from lindungi.cases.models import Case, CaseEvent
from lindungi.web import case_labels, i18n, labels

NAME = "Siti Aminah Lestari"


@pytest.fixture
def report(client: TestClient, headers_for: Callable[..., dict[str, str]]) -> Callable[..., int]:
    """Open a case through the API as a BP2MI case worker; answer its id."""
    headers = headers_for("api.pendamping", "bp2mi", "case_worker")

    def make(summary: str = "SOS dari kompleks di Bavet, paspor ditahan", **more: str) -> int:
        body = {"channel": "sos", "summary": summary, "country": "KH", "city": "Bavet",
                "full_name": NAME, "narrative": "Dijanjikan kerja admin", **more}  # fmt: skip
        made = client.post("/api/v1/cases", json=body, headers=headers)
        assert made.status_code == 201, made.text
        return int(made.json()["id"])

    return make


def _moves_offered(page: str) -> list[str]:
    return re.findall(r'data-move="([a-z_]+)"', page)


def test_every_workflow_step_has_the_label_of_the_workflow_table() -> None:
    indonesian = i18n.gettext_for("id")
    for move in workflow.TABLE:
        assert case_labels.ACTIONS[move.action] == move.label_en
        assert indonesian(case_labels.ACTIONS[move.action]) == move.label_id
    assert set(labels.STATES) == {s.value for s in workflow.State}
    assert set(case_labels.CLOSE_REASONS) == {r.value for r in workflow.CloseReason}
    assert case_labels.event_label("refer:medical") == ("Referred", "medical care")
    assert case_labels.event_label("legal:prosecute") == ("Legal track", "prosecute")


def test_the_queue_shows_the_oldest_in_stage_first_and_marks_the_overdue(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    fresh, late = report("Laporan baru dari keluarga"), report("Laporan lama belum diverifikasi")
    session.get(Case, late).state_since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)  # type: ignore[union-attr]
    session.commit()
    _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    queue = client.get("/console/cases")
    assert queue.status_code == 200
    rows = re.findall(r'<tr( class="overdue")? data-case="(\d+)"', queue.text)
    assert rows == [(' class="overdue"', str(late)), ("", str(fresh))]
    assert "Terlambat" in queue.text
    assert "atasan pendamping kasus" in queue.text  # who it was escalated to
    assert f'href="/console/cases/{fresh}"' in queue.text
    assert NAME not in queue.text  # open fields only
    assert 'data-case="' not in client.get("/console/cases?state=verified").text
    wrong = client.get("/console/cases?state=lost")
    assert wrong.status_code == 422
    assert 'aria-invalid="true" aria-describedby="state-error"' in wrong.text
    assert "Pilih tahap dari daftar." in wrong.text


def test_only_the_allowed_steps_are_offered_and_a_step_goes_into_the_timeline(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    page = client.get(f"/console/cases/{case_id}")
    assert page.status_code == 200
    assert _moves_offered(page.text) == ["verify", "close"]
    moved = client.post(f"/console/cases/{case_id}/moves", follow_redirects=False,
                        data={"action": "verify", "reason": "Dikonfirmasi lewat telepon keluarga",
                              "csrf": token})  # fmt: skip
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/console/cases/{case_id}"
    after = client.get(moved.headers["location"])
    assert "Langkah dicatat: Verifikasi laporan." in after.text
    assert '<dd data-state="verified">terverifikasi</dd>' in after.text
    assert _moves_offered(after.text) == ["locate", "close"]
    assert "dilaporkan → terverifikasi" in after.text
    assert "Dikonfirmasi lewat telepon keluarga" in after.text
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                            .order_by(CaseEvent.id.desc())).first()  # fmt: skip
    assert event is not None
    assert (event.actor, event.action, event.to_state) == ("pendamping1", "verify", "verified")
    audited = session.scalars(select(AuditEntryRow).where(
        AuditEntryRow.action == "transition", AuditEntryRow.resource_id == str(case_id))).one()  # fmt: skip
    assert audited.actor == "pendamping1"
    assert audited.purpose == "Dikonfirmasi lewat telepon keluarga"


def test_a_step_without_a_reason_is_refused_next_to_its_field(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    refused = client.post(f"/console/cases/{case_id}/moves",
                          data={"action": "verify", "reason": " ", "csrf": token})  # fmt: skip
    assert refused.status_code == 422
    assert 'aria-invalid="true" aria-describedby="verify-reason-error"' in refused.text
    assert "alasan ini masuk ke riwayat kasus" in refused.text
    session.expire_all()
    assert session.get(Case, case_id).state == "reported"  # type: ignore[union-attr]


def test_a_refused_step_is_explained_with_the_steps_allowed_now(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    stale = client.post(f"/console/cases/{case_id}/moves",
                        data={"action": "locate", "reason": "Lokasi dari tim KBRI",
                              "csrf": token})  # fmt: skip
    assert stale.status_code == 409
    assert "Langkah ini tidak dapat dilakukan untuk kasus ini sekarang." in stale.text
    assert "Yang dapat dilakukan sekarang: Verifikasi laporan, Tutup kasus." in stale.text
    assert "Lokasi dari tim KBRI</textarea>" not in stale.text  # not offered, so not kept
    overstay = client.post(f"/console/cases/{case_id}/moves?lang=en",
                           data={"action": "close", "reason": "Hanya overstay",
                                 "close_reason": "overstay", "csrf": token})  # fmt: skip
    assert overstay.status_code == 409
    assert "Allowed now: Verify the report, Close the case." in overstay.text
    assert "only after victim identification has found the person not a victim" in overstay.text
    session.expire_all()
    assert session.get(Case, case_id).state == "reported"  # type: ignore[union-attr]


def test_protected_fields_appear_only_when_revealed_with_a_purpose(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    page = client.get(f"/console/cases/{case_id}")
    assert NAME not in page.text
    assert 'value="identity"' in page.text
    assert 'value="health"' in page.text
    bare = client.post(f"/console/cases/{case_id}/reveal",
                       data={"groups": ["identity"], "purpose": "", "csrf": token})  # fmt: skip
    assert bare.status_code == 422
    assert NAME not in bare.text
    assert 'aria-invalid="true" aria-describedby="purpose-error"' in bare.text
    why = "Menghubungi keluarga untuk penjemputan"
    shown = client.post(f"/console/cases/{case_id}/reveal",
                        data={"groups": ["identity"], "purpose": why, "csrf": token})  # fmt: skip
    assert shown.status_code == 200
    assert f'<dd data-field="full_name">{NAME}</dd>' in shown.text
    assert "Dijanjikan kerja admin" not in shown.text  # the account was not asked for
    assert shown.headers["cache-control"] == "no-store"
    reads = session.scalars(select(AuditEntryRow).where(
        AuditEntryRow.action == "read", AuditEntryRow.resource_type == "cases",
        AuditEntryRow.resource_id == str(case_id), AuditEntryRow.purpose == why)).all()  # fmt: skip
    assert [(r.actor, set(parse_entry(r.entry).fields)) for r in reads] == [("pendamping1", {
        "channel", "state", "determination", "summary", "country", "city",
        "full_name", "birth_date", "nik", "passport_no"})]  # fmt: skip
    assert NAME not in client.get(f"/console/cases/{case_id}").text  # that response only


def test_the_police_see_no_protected_field_of_a_case_not_referred_to_them(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "penyidik1", "polri", "investigator")
    page = client.get(f"/console/cases/{case_id}")
    assert page.status_code == 200
    assert NAME not in page.text
    assert "/reveal" not in page.text
    assert "Peran Anda tidak berwenang membuka data terlindung kasus ini." in page.text
    assert _moves_offered(page.text) == []
    asked = client.post(f"/console/cases/{case_id}/reveal",
                        data={"groups": ["identity"], "purpose": "Penyelidikan", "csrf": token})  # fmt: skip
    assert asked.status_code == 403
    assert "Tidak diizinkan" in asked.text
    assert NAME not in asked.text
    assert "may not read the identity fields of this case" in asked.text


def test_a_role_without_the_cases_permission_gets_a_refusal_page(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    _log_in(client, session, "petugas1", "imigrasi", "officer")
    for path in ("/console/cases", f"/console/cases/{case_id}"):
        refused = client.get(path)
        assert refused.status_code == 403
        assert "<h1>Tidak diizinkan</h1>" in refused.text
    denied = session.scalars(select(AuditEntryRow).where(AuditEntryRow.action == "denied")).all()
    assert [(d.actor, d.resource_type) for d in denied] == [("petugas1", "cases")] * 2
    assert 'href="/console/cases"' not in client.get("/console").text  # not in the menu


def test_a_referral_needs_consent_and_then_shows_with_its_status(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    form = {"service": "psychosocial", "to_organisation": "Yayasan Pulih",
            "note": "Konseling trauma", "csrf": token}  # fmt: skip
    unasked = client.post(f"/console/cases/{case_id}/referrals", data=form)
    assert unasked.status_code == 422
    assert 'aria-invalid="true" aria-describedby="ref-consent-error"' in unasked.text
    assert "Konseling trauma</textarea>" in unasked.text  # what was typed stays
    done = client.post(f"/console/cases/{case_id}/referrals", data={**form, "consent": "yes"})
    assert done.status_code == 200  # followed to the case page
    assert "Rujukan dicatat: dukungan psikososial." in done.text
    assert '<td data-status="referred">dirujuk</td>' in done.text
    assert "Yayasan Pulih" in done.text


def test_identification_is_recorded_beside_what_the_facts_suggest(
    client: TestClient, session: Session, report: Callable[..., int]
) -> None:
    case_id = report()
    token = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    unknown = client.post(f"/console/cases/{case_id}/identification",
                          data={"indicators": ["curses"], "determination": "potential_victim",
                                "reason": "Wawancara", "csrf": token})  # fmt: skip
    assert unknown.status_code == 422
    assert "Pilih hanya dari daftar yang tersedia." in unknown.text
    done = client.post(f"/console/cases/{case_id}/identification",
                       data={"indicators": ["retention_of_documents", "deception"],
                             "determination": "potential_victim",
                             "reason": "Paspor ditahan majikan", "csrf": token})  # fmt: skip
    assert done.status_code == 200
    assert "Hasil identifikasi dicatat: terindikasi korban TPPO." in done.text
    assert "<dd>terindikasi korban TPPO</dd>" in done.text
    assert "Retention of identity documents" in done.text  # the suggestion's reason
