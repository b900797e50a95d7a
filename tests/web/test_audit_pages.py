"""The audit log viewer without a browser (both databases): entries filtered by actor,
resource type and id, paged in log order; the latest checkpoint; the stored log shown as
verified; the page's own read recorded as the API records it; a 403 page for everyone
but auditors."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import log_in as _log_in

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.models import AuditEntryRow


def _seqs(page: str) -> list[int]:
    return [int(s) for s in re.findall(r'<tr data-seq="(\d+)">', page)]


def _some_entries(session: Session) -> None:
    for n in range(3):
        audit.record(session, audit.Actor("pendamping1", "bp2mi"), Action.READ, "cases",
                     str(100 + n), fields=["summary"], purpose="pendampingan korban")  # fmt: skip
    audit.record(session, audit.Actor("petugas1", "imigrasi"), Action.UPDATE, "screenings",
                 "7", fields=["decision"])  # fmt: skip
    session.commit()


def test_entries_are_filtered_with_the_checkpoint_and_the_log_verified(
    client: TestClient, session: Session
) -> None:
    _some_entries(session)
    _log_in(client, session, "auditor1", "bp2mi", "auditor")
    signed = audit.create_checkpoint(session, client.app.state.audit_key)  # type: ignore[attr-defined]
    session.commit()
    page = client.get("/console/audit", params={"actor": "pendamping1", "resource_type": "cases"})
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr data-seq=") == 3
    assert 'cases <span class="muted">101</span>' in rows
    assert "pendampingan korban" in rows
    assert "summary" in rows
    assert "screenings" not in rows
    assert 'data-verification="verified"' in page.text
    assert "terverifikasi" in page.text
    assert f'data-checkpoint="{signed.size}"' in page.text
    assert signed.root_hash.hex() in page.text
    one = client.get("/console/audit?resource_type=cases&resource_id=102&lang=en")
    assert len(_seqs(one.text)) == 1
    assert ">read<" in one.text
    assert "verified" in one.text
    read = session.scalars(select(AuditEntryRow.resource_id).where(
        AuditEntryRow.actor == "auditor1", AuditEntryRow.resource_type == "audit"
    ).order_by(AuditEntryRow.seq)).all()  # fmt: skip
    assert read == ["after=-1&actor=pendamping1&type=cases", "after=-1&type=cases&id=102"]


def test_the_log_is_paged_in_order_and_bad_filters_are_named(
    client: TestClient, session: Session
) -> None:
    for n in range(60):
        audit.record(session, audit.Actor("sistem"), Action.READ, "persons", str(n))
    _log_in(client, session, "auditor2", "kemlu", "auditor")
    first = client.get("/console/audit?resource_type=persons")
    shown = _seqs(first.text)
    assert len(shown) == 50
    assert shown == sorted(shown)
    following = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert following is not None
    second = client.get(following[1].replace("&amp;", "&"))
    assert len(_seqs(second.text)) == 10
    assert _seqs(second.text)[0] == shown[-1] + 1
    assert 'rel="next"' not in second.text
    bad = client.get("/console/audit?start=-4&actor=" + "x" * 101)
    assert bad.status_code == 422
    assert 'aria-describedby="start-error"' in bad.text
    assert 'aria-describedby="actor-error"' in bad.text
    assert "Isi nomor entri: bilangan bulat, 0 atau lebih." in bad.text
    assert "Belum ada checkpoint yang ditandatangani." in bad.text


def test_only_auditors_read_the_log(client: TestClient, session: Session) -> None:
    _log_in(client, session, "konsuler1", "kemlu", "consular")
    page = client.get("/console/audit")
    assert page.status_code == 403
    assert "Tidak diizinkan" in page.text
    assert "data-seq" not in page.text
    denied = session.scalars(select(AuditEntryRow.resource_type).where(
        AuditEntryRow.actor == "konsuler1", AuditEntryRow.action == "denied")).all()  # fmt: skip
    assert len(denied) == 1
