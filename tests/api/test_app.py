"""The HTTP API end to end on a real database: auth, scopes, problem+json."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from lindungi.api.app import API_PREFIX, create_app
from lindungi.api.deps import Requires, Router, public
from lindungi.auth import service
from lindungi.auth.permissions import Principal
from lindungi.db import make_engine, session_factory
from lindungi.migrate import head_revision
from lindungi.settings import Settings

PROBLEM = "application/problem+json"
MakeToken = Callable[..., str]


@pytest.fixture
def token_for(session: Session) -> MakeToken:
    """Create a user and return a bearer token for them."""

    def make(username: str, agency: str, *roles: str, days: int = 1) -> str:
        user = service.add_user(session, username, agency=agency, roles=list(roles))
        secret = service.issue_token(session, user, ttl=dt.timedelta(days=days)).secret
        session.commit()
        return secret

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: Any, status: int, detail: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "instance"} <= set(body)
    if detail is not None:
        assert body["detail"] == detail
    return dict(body)


def test_healthz_and_index_are_public(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    index = client.get("/api/v1").json()
    assert index["name"] == "Lindungi"
    assert index["api"] == "v1"


def test_unauthenticated_request_gets_401_problem(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    body = assert_problem(
        response, 401, "missing bearer token: send 'Authorization: Bearer <token>'"
    )
    assert body["type"] == "urn:lindungi:problem:unauthenticated"
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_gets_401(client: TestClient) -> None:
    assert_problem(
        client.get("/api/v1/me", headers=bearer("lgi_nope")), 401, "unknown bearer token"
    )


def test_expired_and_revoked_tokens_get_401(
    client: TestClient, token_for: MakeToken, session: Session
) -> None:
    token = token_for("bp2mi.kasih", "bp2mi", "case_worker")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    user = service.get_user(session, "bp2mi.kasih")
    (row,) = service.list_tokens(session, user)
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    session.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(token)), 401, "bearer token expired")
    row.expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    service.revoke_token(session, row)
    session.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(token)), 401, "bearer token revoked")


def test_me_returns_the_callers_account(client: TestClient, token_for: MakeToken) -> None:
    token = token_for("kemlu.ayu", "kemlu", "consular", "case_worker")
    body = client.get("/api/v1/me", headers=bearer(token)).json()
    assert (body["username"], body["agency"], body["roles"]) == (
        "kemlu.ayu",
        "kemlu",
        ["case_worker", "consular"],
    )
    assert "password_hash" not in body


def test_agency_scoped_users_403_for_another_agency_200_for_own(
    client: TestClient, token_for: MakeToken
) -> None:
    admin = token_for("imigrasi.admin", "imigrasi", "admin")
    token_for("bp2mi.worker", "bp2mi", "case_worker")
    own = client.get("/api/v1/agencies/imigrasi/users", headers=bearer(admin))
    assert [u["username"] for u in own.json()] == ["imigrasi.admin"]
    assert_problem(
        client.get("/api/v1/agencies/bp2mi/users", headers=bearer(admin)),
        403,
        "imigrasi.admin (imigrasi) may not read users of agency bp2mi",
    )
    assert_problem(
        client.get("/api/v1/users/bp2mi.worker", headers=bearer(admin)),
        403,
        "imigrasi.admin (imigrasi) may not read users of agency bp2mi",
    )


def test_a_non_admin_sees_only_their_own_record(client: TestClient, token_for: MakeToken) -> None:
    worker = token_for("bp2mi.a", "bp2mi", "case_worker")
    token_for("bp2mi.b", "bp2mi", "case_worker")
    assert client.get("/api/v1/users/bp2mi.a", headers=bearer(worker)).status_code == 200
    assert_problem(client.get("/api/v1/users/bp2mi.b", headers=bearer(worker)), 403)
    assert_problem(client.get("/api/v1/agencies/bp2mi/users", headers=bearer(worker)), 403)


def test_admin_creates_users_in_own_agency_only(client: TestClient, token_for: MakeToken) -> None:
    admin = token_for("kemnaker.admin", "kemnaker", "admin")
    body = {"username": "kemnaker.joko", "full_name": "Joko", "roles": ["licensing"]}
    created = client.post("/api/v1/agencies/kemnaker/users", json=body, headers=bearer(admin))
    assert created.status_code == 201
    assert created.json()["roles"] == ["licensing"]
    again = client.post("/api/v1/agencies/kemnaker/users", json=body, headers=bearer(admin))
    assert_problem(again, 409, "user 'kemnaker.joko' already exists")
    elsewhere = client.post("/api/v1/agencies/polri/users", json=body, headers=bearer(admin))
    assert_problem(elsewhere, 403)
    wrong_role = {**body, "username": "kemnaker.x", "roles": ["investigator"]}
    assert_problem(
        client.post("/api/v1/agencies/kemnaker/users", json=wrong_role, headers=bearer(admin)),
        422,
        "role 'investigator' is not available to agency 'kemnaker'; "
        "roles for kemnaker: admin, agency_system, analyst, auditor, licensing",
    )


def test_bad_payload_names_the_field(client: TestClient, token_for: MakeToken) -> None:
    admin = token_for("polri.admin", "polri", "admin")
    response = client.post(
        "/api/v1/agencies/polri/users",
        json={"username": "Bad Name!", "full_name": "x", "roles": ["investigator"]},
        headers=bearer(admin),
    )
    body = assert_problem(response, 422)
    assert body["type"] == "urn:lindungi:problem:validation"
    assert [e["field"] for e in body["errors"]] == ["body.username"]  # type: ignore[attr-defined]


def test_unknown_agency_and_route_are_404_problems(
    client: TestClient, token_for: MakeToken
) -> None:
    admin = token_for("bp2mi.admin", "bp2mi", "admin")
    assert_problem(
        client.get("/api/v1/agencies/xyz/users", headers=bearer(admin)),
        404,
        "unknown agency 'xyz'; agencies: bp2mi, imigrasi, kemlu, kemnaker, polri",
    )
    assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert_problem(client.delete("/healthz"), 405)


def test_tokens_issued_over_the_api_work_and_can_be_revoked(
    client: TestClient, token_for: MakeToken
) -> None:
    admin = token_for("kemlu.admin", "kemlu", "admin")
    staff = token_for("kemlu.staff", "kemlu", "consular")
    # An admin may not mint a token that would let them act as a colleague.
    assert_problem(
        client.post("/api/v1/users/kemlu.staff/tokens", json={}, headers=bearer(admin)), 403
    )
    issued = client.post(
        "/api/v1/users/kemlu.staff/tokens", json={"name": "laptop"}, headers=bearer(staff)
    )
    assert issued.status_code == 201
    secret, token_id = issued.json()["token"], issued.json()["id"]
    assert client.get("/api/v1/me", headers=bearer(secret)).json()["username"] == "kemlu.staff"
    without_body = client.post("/api/v1/users/kemlu.staff/tokens", headers=bearer(staff))
    assert without_body.status_code == 201
    listed = client.get("/api/v1/users/kemlu.staff/tokens", headers=bearer(admin)).json()
    assert [t["name"] for t in listed] == ["", "laptop", ""]  # newest first
    assert "token" not in listed[0]
    revoked = client.delete(f"/api/v1/tokens/{token_id}", headers=bearer(admin))
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401, "bearer token revoked")


def test_an_admin_deactivates_a_user_whose_tokens_then_fail(
    client: TestClient, token_for: MakeToken
) -> None:
    admin = token_for("imigrasi.admin", "imigrasi", "admin")
    officer = token_for("imigrasi.budi", "imigrasi", "officer")
    outsider = token_for("polri.admin", "polri", "admin")
    assert_problem(
        client.post("/api/v1/users/imigrasi.budi/deactivate", headers=bearer(outsider)), 403
    )
    assert_problem(
        client.post("/api/v1/users/imigrasi.admin/deactivate", headers=bearer(admin)),
        409,
        "you cannot deactivate your own account",
    )
    done = client.post("/api/v1/users/imigrasi.budi/deactivate", headers=bearer(admin))
    assert done.status_code == 200
    assert done.json()["is_active"] is False
    assert_problem(
        client.get("/api/v1/me", headers=bearer(officer)), 401, "the token's user is deactivated"
    )


def test_a_user_cannot_issue_tokens_for_a_colleague(
    client: TestClient, token_for: MakeToken
) -> None:
    worker = token_for("bp2mi.c", "bp2mi", "case_worker")
    token_for("bp2mi.d", "bp2mi", "case_worker")
    assert_problem(
        client.post("/api/v1/users/bp2mi.d/tokens", json={}, headers=bearer(worker)), 403
    )


def test_every_api_operation_documents_its_permission(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    declared = {
        f"{method.upper()} {path}": op.get("x-permission")
        for path, methods in paths.items()
        if path.startswith(API_PREFIX)
        for method, op in methods.items()
    }
    assert len(declared) >= 8
    assert [op for op, permission in declared.items() if not permission] == []
    assert declared["GET /api/v1"] == "public"
    assert declared["POST /api/v1/agencies/{code}/users"] == "users:create"
    assert declared["DELETE /api/v1/tokens/{token_id}"] == "tokens:revoke"


def test_a_route_without_a_declared_permission_cannot_be_registered() -> None:
    router = Router(prefix=API_PREFIX)
    with pytest.raises(TypeError) as err:

        @router.get("/sneaky")
        def sneaky() -> dict[str, str]:
            return {}

    assert "route '/sneaky' (sneaky) declares no permission" in str(err.value)

    @router.get("/open", dependencies=[Depends(public)])
    def opened() -> dict[str, str]:
        return {}

    @router.get("/guarded")
    def guarded(_: Annotated[Principal, Depends(Requires("users", "read"))]) -> dict[str, str]:
        return {}

    app = FastAPI()
    app.include_router(router)
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    assert paths["/api/v1/open"]["get"]["x-permission"] == "public"
    assert paths["/api/v1/guarded"]["get"]["x-permission"] == "users:read"


def test_an_unexpected_error_is_a_500_problem_without_internals(settings: Settings) -> None:
    class Broken:
        def __call__(self) -> None:
            raise RuntimeError("secret internals")

    app = create_app(settings, sessions=Broken())  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/me", headers=bearer("lgi_x"))
    body = assert_problem(response, 500, "internal error; it has been logged")
    assert "secret internals" not in response.text
    assert response.headers["x-request-id"] == body["request_id"]
    assert body["type"] == "about:blank"


def test_a_lost_database_is_a_503_problem(settings: Settings) -> None:
    unreachable = session_factory(make_engine("postgresql://hub:pw@127.0.0.1:1/hub"))
    with TestClient(create_app(settings, sessions=unreachable)) as c:
        assert c.get("/healthz").status_code == 200  # liveness does not need the database
        ready = c.get("/readyz")
        me = c.get("/api/v1/me", headers=bearer("lgi_x"))
    for response in (ready, me):
        body = assert_problem(response, 503, "the database cannot be reached; try again shortly")
        assert body["type"] == "urn:lindungi:problem:database-unavailable"
        assert response.headers["retry-after"] == "5"


def test_readyz_refuses_an_uninitialised_database(settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    with TestClient(create_app(settings, sessions=session_factory(engine))) as c:
        response = c.get("/readyz")
        documented = c.get("/openapi.json").json()["paths"]["/readyz"]["get"]["responses"]
    assert_problem(
        response,
        503,
        f"the database is at revision none, this hub needs {head_revision()}: run `lindungi init`",
    )
    assert "application/problem+json" in documented["503"]["content"]
    engine.dispose()


def test_openapi_declares_errors_as_problem_json(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    create = doc["paths"]["/api/v1/agencies/{code}/users"]["post"]["responses"]
    assert set(create) >= {"201", "401", "403", "404", "409", "422", "503"}
    for code in ("401", "422"):
        assert list(create[code]["content"]) == ["application/problem+json"]
        assert create[code]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }
    index = doc["paths"]["/api/v1"]["get"]["responses"]
    assert "401" not in index  # public
