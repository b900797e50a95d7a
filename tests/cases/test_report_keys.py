"""A hotline report resent after a lost answer (with the same Idempotency-Key) finds the
case it opened instead of opening a second one, with the same status secret; the same key
with other content is refused (both databases)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import service
from lindungi.cases.models import Case
from lindungi.errors import ConflictError

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
OTHER = Principal.of(2, "pendamping2", "bp2mi", ("case_worker",), None)
KEY = b"server-key-for-tests-" + b"x" * 20
REPORT = {"channel": "family", "summary": "anak saya tidak bisa dihubungi di Kamboja",
          "country": "KH", "full_name": "Rudi Hartono"}  # fmt: skip


def _cases(session: Session) -> int:
    return session.scalar(select(func.count(Case.id))) or 0


def test_a_resent_report_finds_its_case_with_the_same_secret(session: Session) -> None:
    before = _cases(session)
    first = service.report(session, dict(REPORT), WORKER, key="r-1", server_key=KEY)
    again = service.report(session, dict(REPORT), WORKER, key="r-1", server_key=KEY)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.case.id == first.case.id
    assert again.secret == first.secret
    assert _cases(session) == before + 1
    status = service.public_status(session, first.case.tracking_no, first.secret)
    assert status.stage == "reported"


def test_the_same_key_with_other_content_is_refused(session: Session) -> None:
    service.report(session, dict(REPORT), WORKER, key="r-2", server_key=KEY)
    with pytest.raises(ConflictError, match="'r-2' was already used for another report"):
        service.report(session, {**REPORT, "summary": "laporan lain"}, WORKER, key="r-2",
                       server_key=KEY)  # fmt: skip


def test_keys_belong_to_their_reporter_and_reports_without_keys_are_new(
    session: Session,
) -> None:
    before = _cases(session)
    mine = service.report(session, dict(REPORT), WORKER, key="r-3", server_key=KEY)
    theirs = service.report(session, dict(REPORT), OTHER, key="r-3", server_key=KEY)
    assert mine.case.id != theirs.case.id
    assert mine.secret != theirs.secret
    service.report(session, dict(REPORT), WORKER)
    service.report(session, dict(REPORT), WORKER)
    assert _cases(session) == before + 4


def test_over_http_a_resent_report_answers_200_with_the_same_case_and_secret(
    client: TestClient, headers_for: Callable[..., dict[str, str]]
) -> None:
    worker = headers_for("pendamping9", "bp2mi", "case_worker")
    keyed = {**worker, "Idempotency-Key": "hotline-2026-11-30-0001"}
    first = client.post("/api/v1/cases", headers=keyed, json=REPORT)
    assert first.status_code == 201, first.text
    again = client.post("/api/v1/cases", headers=keyed, json=REPORT)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["secret"] == first.json()["secret"]
    other = client.post("/api/v1/cases", headers=keyed, json={**REPORT, "summary": "lain"})
    assert other.status_code == 409
    short = client.post("/api/v1/cases", headers={**worker, "Idempotency-Key": "x"}, json=REPORT)
    assert short.status_code == 422
    plain = client.post("/api/v1/cases", headers=worker, json=REPORT)
    assert plain.status_code == 201
    assert plain.json()["id"] != first.json()["id"]
