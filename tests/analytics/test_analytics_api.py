"""The analytics routes on both databases: the indicators with their definitions for who
holds analytics:read (and a 403 for who does not), a bad period as a problem, the report
as a file, and every answer in the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.analytics.catalogue import CATALOGUE
from lindungi.audit.models import AuditEntryRow

MakeHeaders = Callable[..., dict[str, str]]


@pytest.fixture
def api(client: TestClient) -> TestClient:
    """The real app (which registers the analytics routes)."""
    return client


def test_an_analyst_gets_the_indicators_with_their_definitions(
    api: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    analyst = headers_for("analis1", "bp2mi", "analyst")
    got = api.get("/api/v1/analytics/indicators", params={"period": "2026-01"},
                  headers={**analyst, "X-Purpose": "laporan bulanan"})  # fmt: skip
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["period"] == {"label": "2026-01", "kind": "month",
                              "start": "2026-01-01T00:00:00Z", "end": "2026-02-01T00:00:00Z"}  # fmt: skip
    assert [i["id"] for i in body["indicators"]] == list(CATALOGUE)
    cases = body["indicators"][0]
    assert (cases["id"], cases["value"], cases["unit"]) == ("cases", 0, "count")
    assert cases["definition"] == CATALOGUE["cases"].definition
    assert body["sections"]["alerts"] == {"id": "Peringatan dan waktu tanggap",
                                          "en": "Alerts and response time"}  # fmt: skip
    assert len(body["tables"]["trend"]["rows"]) == 6
    entry = session.scalars(
        select(AuditEntryRow).where(AuditEntryRow.resource_type == "analytics")
    ).one()
    assert (entry.actor, entry.action, entry.resource_id, entry.purpose) == (
        "analis1", "read", "2026-01", "laporan bulanan")  # fmt: skip


def test_a_supervisor_downloads_the_report_and_others_are_refused(
    api: TestClient, headers_for: MakeHeaders
) -> None:
    supervisor = headers_for("kepala1", "bp2mi", "case_supervisor")
    pdf = api.get("/api/v1/analytics/report", params={"period": "2026-Q1"}, headers=supervisor)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="lindungi-report-2026-Q1.pdf"' in pdf.headers["content-disposition"]
    html = api.get("/api/v1/analytics/report", params={"period": "2026", "format": "html"},
                   headers=supervisor)  # fmt: skip
    assert "Kasus WNI bermasalah" in html.text
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    for path in ("/api/v1/analytics/indicators", "/api/v1/analytics/report"):
        refused = api.get(path, params={"period": "2026-01"}, headers=worker)
        assert refused.status_code == 403
    assert api.get("/api/v1/analytics/indicators", params={"period": "2026-01"}).status_code == 401


def test_a_bad_period_is_a_problem_naming_it(api: TestClient, headers_for: MakeHeaders) -> None:
    analyst = headers_for("analis1", "bp2mi", "analyst")
    got = api.get("/api/v1/analytics/indicators", params={"period": "2026-13"}, headers=analyst)
    assert got.status_code == 422
    assert got.headers["content-type"].startswith("application/problem+json")
    assert got.json()["detail"] == "period '2026-13': the month must be 01 to 12"
