"""The case queue, the permissioned CSV export and escalations over HTTP on both
databases: who may export what, each exported case audited with its columns, formulas
defused; the queue scoped to what the caller may read; escalations per agency."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lindungi.audit.entry import parse_entry
from lindungi.audit.models import AuditEntryRow
from lindungi.cases.escalation import escalate
from lindungi.cases.models import Case

MakeHeaders = Callable[..., dict[str, str]]
REPORT = {"channel": "hotline", "summary": "=HYPERLINK(\"http://x\") penelepon di Bavet",
          "full_name": "Dewi Anggraini", "health": "memar", "narrative": "dipaksa menipu"}  # fmt: skip


def test_a_supervisor_exports_what_they_may_read_and_each_case_is_audited(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    boss = headers_for("supervisor1", "bp2mi", "case_supervisor")
    ids = [client.post("/api/v1/cases", headers=worker, json=REPORT).json()["id"] for _ in "ab"]
    assert client.get("/api/v1/cases/export", headers=worker,
                      params={"purpose": "laporan"}).status_code == 403  # fmt: skip
    no_purpose = client.get("/api/v1/cases/export", headers=boss)
    assert no_purpose.status_code == 422
    made = client.get("/api/v1/cases/export", headers=boss,
                      params={"purpose": "laporan bulanan", "reveal": ["identity"]})  # fmt: skip
    assert made.status_code == 200, made.text
    assert made.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(made.text)))
    assert [int(r["id"]) for r in rows] == ids
    assert rows[0]["full_name"] == "Dewi Anggraini"
    assert "health" not in rows[0]
    assert "narrative" not in rows[0]
    assert rows[0]["summary"].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    session.expire_all()
    exported = [
        parse_entry(r.entry) for r in session.scalars(
            select(AuditEntryRow).where(AuditEntryRow.action == "export")
            .order_by(AuditEntryRow.seq)
        )
    ]  # fmt: skip
    assert [e.resource_id for e in exported] == [str(i) for i in ids]
    assert "full_name" in exported[0].fields
    assert exported[0].purpose == "laporan bulanan"
    bad = client.get("/api/v1/cases/export", headers=boss,
                     params={"purpose": "x y z", "reveal": ["bank"]})  # fmt: skip
    assert bad.status_code == 422
    assert "unknown field group 'bank'" in bad.json()["detail"]


def test_the_queue_shows_open_fields_oldest_in_stage_first(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    first, second = (client.post("/api/v1/cases", headers=worker, json=REPORT).json()["id"]
                     for _ in "ab")  # fmt: skip
    session.execute(update(Case).where(Case.id == second)
                    .values(state_since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))  # fmt: skip
    session.commit()
    listed = client.get("/api/v1/cases", headers=worker, params={"state": "reported"}).json()
    assert [c["id"] for c in listed] == [second, first]
    assert all(c["full_name"] is None and c["revealed"] == [] for c in listed)
    assert client.get("/api/v1/cases", headers=worker, params={"state": "exploded"}
                      ).status_code == 422  # fmt: skip


def test_escalations_are_listed_for_the_agency_and_acknowledged(
    client: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    consul = headers_for("konsuler1", "kemlu", "consular")
    cid = client.post("/api/v1/cases", headers=worker, json=REPORT).json()["id"]
    session.execute(update(Case).where(Case.id == cid)
                    .values(state_since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))  # fmt: skip
    escalate(session, dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC))
    session.commit()
    listed = client.get("/api/v1/case-escalations", headers=worker).json()
    assert [(e["case_id"], e["level"], e["notify"]) for e in listed] == [(cid, 1, "supervisor")]
    assert client.get("/api/v1/case-escalations", headers=consul).json() == []
    eid = listed[0]["id"]
    other = client.post(f"/api/v1/case-escalations/{eid}/acknowledge", headers=consul)
    assert other.status_code == 403
    done = client.post(f"/api/v1/case-escalations/{eid}/acknowledge", headers=worker)
    assert done.json()["acknowledged_by"] == "pendamping1"
    again = client.post(f"/api/v1/case-escalations/{eid}/acknowledge", headers=worker)
    assert again.status_code == 409
    assert client.post("/api/v1/case-escalations/99999/acknowledge",
                       headers=worker).status_code == 404  # fmt: skip


def test_figures_are_served_with_their_definitions_to_who_may_see_them(
    client: TestClient, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    analyst = headers_for("analis1", "bp2mi", "analyst")
    officer = headers_for("petugas1", "imigrasi", "officer")
    cid = client.post("/api/v1/cases", headers=worker, json=REPORT).json()["id"]
    client.post(f"/api/v1/cases/{cid}/moves", headers=worker,
                json={"action": "verify", "reason": "diverifikasi"})  # fmt: skip
    got = client.get("/api/v1/cases/figures", headers=analyst)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["figures"]["cases"] == 1
    assert body["figures"]["verified"] == 1
    assert body["figures"]["by_channel"]["hotline"] == 1
    assert body["definitions"]["screened_share"].startswith("Screened cases divided by")
    assert "full_name" not in got.text
    assert client.get("/api/v1/cases/figures", headers=officer).status_code == 403
    past = client.get("/api/v1/cases/figures", headers=analyst,
                      params={"start": "2020-01-01", "end": "2020-02-01"})  # fmt: skip
    assert past.json()["figures"]["cases"] == 0
    backwards = client.get("/api/v1/cases/figures", headers=analyst,
                           params={"start": "2020-02-01", "end": "2020-01-01"})  # fmt: skip
    assert backwards.status_code == 422
    assert "must come after start" in backwards.json()["detail"]
