"""Regressions of what the API fuzzing campaign (test_api_fuzz.py) found, one test per
bug, on both databases: each answer is a documented 4xx problem, never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.api.deps import MAX_RECORD_ID
from lindungi.auth.permissions import ROLES, Permission
from tests_support import make_settings

PROBLEM = "application/problem+json"
MakeHeaders = Callable[..., dict[str, str]]


@pytest.fixture
def spec(client: TestClient) -> schemathesis.BaseSchema:
    """The app's own OpenAPI document, for checking answers against it."""
    return schemathesis.openapi.from_dict(client.get("/openapi.json").json())


def conforms(spec: schemathesis.BaseSchema, path: str, method: str, response: Any) -> None:
    """The answer's status and media type are documented, and its body matches."""
    operation = spec[path][method]
    documented = operation.definition.raw["responses"]
    assert str(response.status_code) in documented, (response.status_code, response.text)
    media = response.headers["content-type"].split(";")[0]
    assert media in documented[str(response.status_code)].get("content", {}), media
    operation.validate_response(response)


def test_integer_ids_past_what_a_database_stores_are_refused_by_every_route(
    client: TestClient, spec: schemathesis.BaseSchema, headers_for: MakeHeaders
) -> None:
    """Before: 2**70 in a path reached SQLite, which raised OverflowError (a 500)."""
    users = {  # between them, every permission of a route with an id in its path
        ("bp2mi", ("case_supervisor", "admin", "auditor", "analyst", "agency_system")): "bp2mi.all",
        ("kemnaker", ("licensing",)): "kemnaker.lic",
        ("imigrasi", ("officer",)): "imigrasi.off",
        ("polri", ("investigator",)): "polri.inv",
    }
    callers = [
        (roles, headers_for(name, agency, *roles)) for (agency, roles), name in users.items()
    ]

    def caller(permission: str) -> dict[str, str]:
        wanted = Permission(*permission.split(":"))
        return next(h for roles, h in callers if any(wanted in ROLES[r].grants for r in roles))

    routes = 0
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            ids = [p["name"] for p in operation.get("parameters", [])
                   if p["in"] == "path" and p["schema"].get("type") == "integer"]  # fmt: skip
            if not ids:
                continue
            routes += 1
            # Audit sequence numbers are 64-bit and start at 0; record ids are 32-bit from 1.
            values = (2**70, -(2**70)) if ids == ["seq"] else (2**70, -1, MAX_RECORD_ID + 1, 0)
            for value in values:
                url = path
                for name in ids:
                    url = url.replace("{" + name + "}", str(value))
                url = url.replace("{code}", "bp2mi").replace("{username}", "bp2mi.all")
                answer = client.request(
                    method, url, headers=caller(operation["x-permission"]), json={}
                )
                assert answer.status_code == 422, (method, url, answer.text)
                assert answer.headers["content-type"] == PROBLEM
                assert {e["field"] for e in answer.json()["errors"]} >= {f"path.{n}" for n in ids}
                conforms(spec, path, method, answer)
    assert routes >= 30


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/audit/entries?after=9223372036854775808",
        "/api/v1/audit/consistency?first=1&second=9223372036854775808",
        "/api/v1/audit/consistency?first=9223372036854775808&second=1",
        "/api/v1/cases?offset=9223372036854775808",
        "/api/v1/audit/entries/9223372036854775808/proof",
    ],
)
def test_integer_queries_past_64_bits_are_refused(
    client: TestClient, headers_for: MakeHeaders, url: str
) -> None:
    headers = headers_for("bp2mi.sup", "bp2mi", "case_supervisor", "auditor")
    answer = client.get(url, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["type"] == "urn:lindungi:problem:validation"


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", "/api/v1/recruiters/1/complaints", {"channel": "other", "summary": "a\x00bcd"},
         "body.summary"),
        ("POST", "/api/v1/recruiters", {"name": "PT \x00", "licence_no": "KEP.1/X/2020",
                                        "reason": "registry"}, "body.name"),
        ("GET", "/api/v1/licences?number=KEP%00", None, "query.number"),
        ("GET", "/api/v1/users/bp2mi%00x", None, "path.username"),
        ("POST", "/api/v1/public/monitoring/mine", {"subject": "k\x00" * 10}, "body.subject"),
        ("POST", "/api/v1/public/check-offer", {"text": "gaji", "\x00": 1}, "body"),
    ],
)  # fmt: skip
def test_a_nul_character_is_refused_naming_the_field_on_both_databases(
    client: TestClient,
    spec: schemathesis.BaseSchema,
    headers_for: MakeHeaders,
    method: str,
    url: str,
    body: dict[str, Any] | None,
    field: str,
) -> None:
    """Before: stored on SQLite, and a 500 on PostgreSQL (text cannot hold NUL)."""
    headers = headers_for("kemnaker.lic", "kemnaker", "licensing", "admin")
    answer = client.request(method, url, headers=headers, json=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["errors"] == [
        {"field": field, "message": "must not contain a NUL character (U+0000)"}
    ]
    assert problem["detail"] == f"{field}: must not contain a NUL character (U+0000)"
    path = url.split("?")[0].replace("/1/", "/{recruiter_id}/").replace("bp2mi%00x", "{username}")
    conforms(spec, path, method, answer)


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(client: TestClient) -> None:
    answer = client.post("/api/v1/public/check-offer", json={"text": "gaji \\u0000 15jt"})
    assert answer.status_code == 200, answer.text


def test_a_body_that_is_not_utf8_is_a_documented_400(
    client: TestClient, spec: schemathesis.BaseSchema, headers_for: MakeHeaders
) -> None:
    """Before: FastAPI's 400 was answered but documented nowhere."""
    headers = {
        **headers_for("bp2mi.kw", "bp2mi", "case_worker"),
        "content-type": "application/json",
    }
    for path in ("/api/v1/public/check-offer", "/api/v1/cases"):
        answer = client.post(path, content=b'{"text": "\xff\xfe"}', headers=headers)
        assert answer.status_code == 400, answer.text
        assert answer.json()["detail"] == "There was an error parsing the body"
        conforms(spec, path, "POST", answer)


def test_errors_of_routes_that_answer_files_are_documented_as_problem_json(
    client: TestClient, spec: schemathesis.BaseSchema, headers_for: MakeHeaders
) -> None:
    """Before: their 4xx were documented as text/plain, the route's own media type."""
    document = client.get("/openapi.json").json()
    for path in ("/api/v1/cases/export", "/api/v1/exchange/htcds", "/api/v1/analytics/report"):
        for code, response in document["paths"][path]["get"]["responses"].items():
            if code[0] in "45":
                assert list(response["content"]) == [PROBLEM], (path, code)
    analyst = headers_for("kemnaker.an", "kemnaker", "analyst")
    for url in ("/api/v1/cases/export?purpose=x", "/api/v1/exchange/htcds?k=1"):
        answer = client.get(url, headers=analyst)
        assert answer.status_code in (403, 422), answer.text
        conforms(spec, url.split("?")[0], "GET", answer)


def test_the_rate_limited_answer_of_every_public_route_is_documented(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    """Before: a 429 from a public route was not in the document."""
    app = create_app(make_settings(tmp_path, public_rate_limit="1/minute"), sessions=sessions)
    with TestClient(app, raise_server_exceptions=False) as client:
        spec = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
        calls = [
            ("GET", "/api/v1/public/verify", {"params": {"name": "PT Maju"}}),
            ("POST", "/api/v1/public/check-offer", {"json": {"text": "gaji 15jt"}}),
            ("POST", "/api/v1/public/case-status",
             {"json": {"tracking_no": "LD-2026-000001", "secret": "x" * 12}}),
            ("POST", "/api/v1/public/monitoring/mine", {"json": {"subject": "k" * 20}}),
            ("POST", "/api/v1/public/monitoring/withdrawal", {"json": {"subject": "k" * 20}}),
        ]  # fmt: skip
        for method, path, kwargs in calls:
            client.request(method, path, **kwargs)
        for method, path, kwargs in calls:
            answer = client.request(method, path, **kwargs)
            assert answer.status_code == 429, (path, answer.text)
            assert int(answer.headers["retry-after"]) >= 1
            conforms(spec, path, method, answer)


def test_enrolling_with_a_recruiter_not_in_the_registry_is_refused_naming_the_field(
    client: TestClient, headers_for: MakeHeaders
) -> None:
    """Before: the foreign key failed at flush, a 500."""
    given = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    body = {
        "full_name": "Siti Rahmawati", "country": "MY", "visa": "digital_work",
        "sponsor": "Syarikat Contoh", "embassy": "KBRI Kuala Lumpur", "recruiter_id": 424242,
        "emergency_contacts": [{"name": "Ibu", "relation": "ibu", "phone": "+6281200001"}],
        "every_minutes": 1440, "grace_minutes": 180,
        "consent": {"version": "2026.12", "purpose": "keselamatan pekerja", "collected": ["sos"],
                    "retention_days": 30, "withdrawal": "hubungi hotline", "language": "id",
                    "given_at": given},
    }  # fmt: skip
    worker = headers_for("bp2mi.kw", "bp2mi", "case_worker")
    answer = client.post("/api/v1/monitoring/enrolments", headers=worker, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "recruiter_id: no recruiter 424242 in the registry"
    too_big = client.post("/api/v1/monitoring/enrolments", headers=worker,
                          json={**body, "recruiter_id": 2**40})  # fmt: skip
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "body.recruiter_id"


def test_a_body_past_the_size_limit_is_a_documented_413(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    """The hardening middleware's 413 (api/hardening.py) was not in the document."""
    settings = make_settings(tmp_path, max_request_bytes=1024)
    with TestClient(create_app(settings, sessions=sessions)) as client:
        spec = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
        answer = client.post("/api/v1/public/check-offer", json={"text": "gaji " * 400})
        assert answer.status_code == 413, answer.text
        conforms(spec, "/api/v1/public/check-offer", "POST", answer)
