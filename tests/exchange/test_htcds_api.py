"""``GET /api/v1/exchange/htcds`` on both databases: analysts get the k-anonymous CSV
with the report in a header (or JSON), others 403, bad parameters 422 — and one audit
entry per export."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from htcds_support import add_cases
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit.entry import parse_entry
from lindungi.audit.models import AuditEntryRow
from lindungi.exchange.htcds_api import REPORT_HEADER
from lindungi.exchange.htcds_fields import COLUMNS, QUASI_IDENTIFIER_COLUMNS

MakeHeaders = Callable[..., dict[str, str]]
URL = "/api/v1/exchange/htcds"


@pytest.fixture
def api(client: TestClient) -> TestClient:
    """The real app (which registers the HTCDS route)."""
    return client


@pytest.fixture
def analyst(session: Session, headers_for: MakeHeaders) -> dict[str, str]:
    """An analyst's token, and 60 cases to export."""
    add_cases(session, 60, seed=3)
    session.commit()
    return headers_for("analis1", "bp2mi", "analyst")


def _exports(session: Session) -> list[tuple[str, str, tuple[str, ...]]]:
    session.expire_all()
    entries = [parse_entry(r.entry) for r in session.scalars(
        select(AuditEntryRow).where(AuditEntryRow.action == "export"))]  # fmt: skip
    return [(e.actor, e.resource_id, e.fields) for e in entries]


def test_an_analyst_gets_the_k_anonymous_csv_and_the_export_is_audited_once(
    api: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    got = api.get(URL, headers=analyst, params={"k": 7})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert list(rows[0]) == list(COLUMNS)
    counts = Counter(tuple(r[c] for c in QUASI_IDENTIFIER_COLUMNS) for r in rows)
    assert min(counts.values()) >= 7
    report = json.loads(got.headers[REPORT_HEADER])
    assert (report["k"], report["population"], report["exported"]) == (7, 60, len(rows))
    assert report["classes"] == len(counts)
    assert "Dewi" not in got.text
    assert "cerita" not in got.text
    assert "X000" not in got.text
    assert _exports(session) == [("analis1", "htcds:k=7,since=,until=", tuple(sorted(COLUMNS)))]


def test_the_json_variant_carries_the_rows_and_the_whole_report(
    api: TestClient, analyst: dict[str, str]
) -> None:
    got = api.get(URL, headers=analyst, params={"k": 5, "format": "json"})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["columns"] == list(COLUMNS)
    assert body["report"]["exported"] == len(body["rows"])
    assert sum(c["records"] for c in body["report"]["classes"]) == len(body["rows"])
    assert all(c["records"] >= 5 for c in body["report"]["classes"])
    assert {lvl["quasi_identifier"] for lvl in body["report"]["levels"]} == {
        "gender", "age", "citizenship", "place of exploitation", "recruitment",
        "month reported"}  # fmt: skip


def test_who_lacks_exchange_htcds_is_refused(
    api: TestClient, session: Session, headers_for: MakeHeaders
) -> None:
    worker = headers_for("pendamping1", "bp2mi", "case_worker")
    assert api.get(URL, headers=worker).status_code == 403
    assert api.get(URL).status_code == 401
    assert _exports(session) == []


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"k": 1}, "greater than or equal to 2"),
        ({"k": "eleven"}, "valid integer"),
        ({"max_suppression": 1.5}, "less than 1"),
        ({"since": "2025-02-30"}, "valid date"),
        ({"format": "xlsx"}, "'csv' or 'json'"),
        ({"k": 61}, "k=61 is larger than the population of 60 records"),
        ({"since": "2025-06-01", "until": "2025-01-01"},
         "until 2025-01-01 comes before since 2025-06-01"),
        ({"since": "2031-01-01"}, "k=11 is larger than the population of 0 records"),
    ],
)  # fmt: skip
def test_bad_parameters_are_422_with_a_reason(
    api: TestClient,
    session: Session,
    analyst: dict[str, str],
    params: dict[str, object],
    detail: str,
) -> None:
    got = api.get(URL, headers=analyst, params=params)
    assert got.status_code == 422
    assert detail in got.text
    assert _exports(session) == []
