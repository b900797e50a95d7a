"""The recruiter registry in the console without a browser (both databases): a search
gives the standing verdict and the fronts behind a name with the path that explains
each; a recruiter's page shows its licence history, bond, claims and identifiers; every
read is audited as the API audits it; roles without the registry get a 403 page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import log_in as _log_in

from lindungi.audit.models import AuditEntryRow
from lindungi.recruiters import bonds
from lindungi.recruiters.models import Recruiter


def _reads(session: Session, actor: str) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(AuditEntryRow).where(
        AuditEntryRow.actor == actor, AuditEntryRow.resource_type.in_(["recruiters", "licences"])
    ).order_by(AuditEntryRow.seq))  # fmt: skip
    return [(r.action, r.resource_type, r.resource_id) for r in rows]


def test_a_search_shows_the_verdict_and_the_front_with_its_path(
    client: TestClient, session: Session, registry: dict[str, Recruiter]
) -> None:
    _log_in(client, session, "petugas1", "imigrasi", "officer")
    front, old = registry["front"], registry["old"]
    found = client.get("/console/recruiters", params={"name": "PT Cahaya Timur Baru"})
    assert found.status_code == 200
    assert 'data-verdict="licensed"' in found.text
    assert f'<a href="/console/recruiters/{front.id}">PT Cahaya Timur Baru</a>' in found.text
    assert 'data-finding="shares_phone_with_revoked"' in found.text
    assert 'data-finding="shares_director_with_revoked"' in found.text
    assert "shares phone +62 813 2222 3333 with PT Cahaya Timur, revoked" in found.text
    # The path: this recruiter, the shared phone, the revoked company (a link to it).
    path = found.text.split('data-finding="shares_phone_with_revoked"')[1].split("</ol>")[0]
    assert f'<a href="/console/recruiters/{front.id}">PT Cahaya Timur Baru</a>' in path
    assert "telepon:</span> +62 813 2222 3333" in path
    assert f'<a href="/console/recruiters/{old.id}">PT Cahaya Timur</a>' in path
    revoked = client.get("/console/recruiters?licence_no=kep.102/pptkln/2020&lang=en")
    assert 'data-verdict="revoked"' in revoked.text
    assert "licence revoked" in revoked.text
    assert _reads(session, "petugas1") == [("read", "recruiters", str(front.id)),
                                           ("read", "recruiters", str(old.id))]  # fmt: skip


def test_an_empty_or_unknown_search_says_so_next_to_the_field(
    client: TestClient, session: Session, registry: dict[str, Recruiter]
) -> None:
    _log_in(client, session, "petugas2", "imigrasi", "officer")
    empty = client.get("/console/recruiters?search=1&name=+&licence_no=&phone=")
    assert empty.status_code == 422
    assert 'aria-describedby="name-error"' in empty.text
    assert "Isi nama, nomor izin, atau nomor telepon." in empty.text
    unknown = client.get("/console/recruiters", params={"name": "PT Tidak Ada Sama Sekali"})
    assert 'data-verdict="unknown"' in unknown.text
    assert "tidak terdaftar" in unknown.text
    assert 'value="PT Tidak Ada Sama Sekali"' in unknown.text
    assert client.get("/console/recruiters").status_code == 200  # nothing asked, no error
    assert _reads(session, "petugas2") == []


def test_a_recruiters_page_shows_its_licence_history_bond_claims_and_fronts(
    client: TestClient, session: Session, registry: dict[str, Recruiter]
) -> None:
    front, old = registry["front"], registry["old"]
    bond = bonds.add_bond(session, front, 500_000_000, "Bank Contoh")
    bonds.file_claim(session, bond, case_ref="KASUS-2026-17", amount_idr=25_000_000,
                     actor="pendamping1")  # fmt: skip
    _log_in(client, session, "pendamping1", "bp2mi", "case_worker")
    page = client.get(f"/console/recruiters/{front.id}")
    assert page.status_code == 200
    assert "<h1>PT Cahaya Timur Baru</h1>" in page.text
    assert 'data-standing="active"' in page.text
    assert "KEP.201/PPTKLN/2025" in page.text
    assert "test registry" in page.text
    assert "Sisa Rp 500,000,000 dari Rp 500,000,000" in page.text
    assert "KASUS-2026-17" in page.text
    assert "Rp 25,000,000" in page.text
    assert "HENDRA WIJAYA" in page.text  # the identifiers behind it
    assert 'data-finding="phone_recruits_for_many_names"' in page.text
    assert f'<a href="/console/recruiters/{old.id}">PT Cahaya Timur</a>' in page.text
    revoked = client.get(f"/console/recruiters/{old.id}?lang=en")
    assert 'data-standing="revoked"' in revoked.text
    assert "active → revoked" in revoked.text
    assert "sent workers on tourist visas" in revoked.text  # why it was revoked
    agent = client.get(f"/console/recruiters/{registry['agent'].id}?lang=en")
    assert 'data-standing="unlicensed"' in agent.text
    assert "No licence: this recruiter may not place workers abroad." in agent.text
    by_number = client.get("/console/recruiters/by-licence?number=KEP.102/PPTKLN/2020",
                           follow_redirects=False)  # fmt: skip
    assert by_number.status_code == 303
    assert by_number.headers["location"].startswith(f"/console/recruiters/{old.id}#licence-")
    assert client.get("/console/recruiters/999999").status_code == 404
    assert ("read", "recruiters", str(front.id)) in _reads(session, "pendamping1")
    assert ("read", "licences", "KEP.102/PPTKLN/2020") in _reads(session, "pendamping1")
    fields = session.scalars(select(AuditEntryRow.entry).where(
        AuditEntryRow.actor == "pendamping1", AuditEntryRow.resource_id == str(front.id)
    ).order_by(AuditEntryRow.seq)).all()  # fmt: skip
    assert [b'"fields":["bonds","identifiers","licences","name"]' in e for e in fields] == [
        True, False]  # fmt: skip
    assert b'"fields":["fronts","standing"]' in fields[1]


def test_roles_without_the_registry_get_a_403_page(
    client: TestClient, session: Session, registry: dict[str, Recruiter]
) -> None:
    _log_in(client, session, "auditor1", "bp2mi", "auditor")
    for path in ("/console/recruiters?name=PT", f"/console/recruiters/{registry['good'].id}"):
        page = client.get(path)
        assert page.status_code == 403
        assert "Tidak diizinkan" in page.text
    assert "PT Maju Jaya Abadi" not in page.text
    assert _reads(session, "auditor1") == [("denied", "recruiters", "")] * 2  # refusals only
