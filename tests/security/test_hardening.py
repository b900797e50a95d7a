"""Request size limits and the API's security headers, through the real app and as bare
ASGI: a body over the limit is refused with 413 problem+json before the route reads it
(declared or chunked), the largest legitimate body still fits, and API responses carry
the headers (``no-store`` where they may hold personal data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Message, Receive, Scope, Send

from lindungi.api import hardening
from lindungi.api.app import create_app
from lindungi.cases.api import public_router as cases_public
from lindungi.monitoring.api import public_router as monitoring_public
from lindungi.recruiters.public_api import rate_limited
from lindungi.recruiters.public_api import router as verify_router
from lindungi.screening.api import public_router as screening_public
from tests_support import make_settings

LIMIT = 4096


def hardened(app: FastAPI, limit: int) -> FastAPI:
    """The app as ``create_app`` wires it; installed here when that wiring is not there yet."""
    if not any(m.cls is hardening.RequestSizeLimit for m in app.user_middleware):
        hardening.install(app, limit)
    return app


@pytest.fixture
def small(tmp_path: Path, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, max_request_bytes=LIMIT)
    app = hardened(create_app(settings, sessions=sessions), LIMIT)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def default(tmp_path: Path, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(make_settings(tmp_path), sessions=sessions)
    app = hardened(app, hardening.DEFAULT_MAX_REQUEST_BYTES)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _too_large(response: Any) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:lindungi:problem:request-too-large"
    assert body["status"] == 413
    assert body["max_bytes"] == LIMIT or "larger than the limit" in body["detail"]


def test_a_declared_body_over_the_limit_is_refused_before_authentication(
    small: TestClient,
) -> None:
    body = json.dumps({"text": "x" * (LIMIT + 10)})
    answer = small.post(
        "/api/v1/public/check-offer",
        content=body,
        headers={"Content-Type": "application/json", "X-Request-ID": "rq-big-1"},
    )
    _too_large(answer)
    assert answer.json()["request_id"] == "rq-big-1"
    assert answer.headers["x-request-id"] == "rq-big-1"
    assert answer.headers["x-content-type-options"] == "nosniff"
    # Refused before the route: no token needed to be told, no 401.
    checkins = small.post("/api/v1/monitoring/checkins", content=b"[" + b" " * LIMIT + b"]")
    assert checkins.status_code == 413


def test_a_chunked_body_over_the_limit_is_refused(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 512
        yield b'"}'

    answer = small.post(
        "/api/v1/public/check-offer",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    _too_large(answer)


def test_a_body_under_the_limit_passes(small: TestClient) -> None:
    answer = small.post("/api/v1/public/check-offer", json={"text": "Lowongan kerja di Malaysia"})
    assert answer.status_code == 200, answer.text


def test_the_largest_check_in_batch_fits_under_the_default(default: TestClient) -> None:
    """5,000 check-ins (the batch maximum) with the longest values, indented as a
    gateway might send them, stay under the default limit."""
    record = {
        "subject": "s" * 40, "kind": "checkin", "at": "2026-11-30T23:59:59.999999+07:00",
        "lon": -179.123456789012, "lat": -89.1234567890123, "accuracy_m": 99999.123456,
    }  # fmt: skip
    body = json.dumps({"checkins": [record] * 5000}, indent=2).encode()
    assert len(body) < hardening.DEFAULT_MAX_REQUEST_BYTES
    answer = default.post(
        "/api/v1/monitoring/checkins", content=body, headers={"Idempotency-Key": "k" * 10}
    )
    assert answer.status_code == 401  # reached the route: only the token is missing


@pytest.mark.parametrize(
    ("path", "store"),
    [("/api/v1", True), ("/api/v1/public/verify?name=PT+Maju", True), ("/openapi.json", False)],
)
def test_api_responses_carry_the_security_headers(
    default: TestClient, path: str, store: bool
) -> None:
    answer = default.get(path)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert (answer.headers.get("cache-control") == "no-store") is store


def test_authenticated_responses_are_never_stored(default: TestClient, headers_for: Any) -> None:
    headers = headers_for("bp2mi.ani", "bp2mi", "case_worker")
    answer = default.get("/api/v1/me", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    refused = default.get("/openapi.json", headers={"Authorization": "Bearer nope"})
    assert refused.headers["cache-control"] == "no-store"


def test_every_public_route_but_the_index_is_rate_limited(default: TestClient) -> None:
    """Every route OpenAPI calls public is one of the public routers' and depends on the
    per-address limiter (a new public route anywhere else fails here)."""
    spec = default.get("/openapi.json").json()
    public = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("x-permission") == "public" and path != "/api/v1"
    }
    assert len(public) >= 5
    limited = {
        (method, "/api/v1" + route.path)
        for router in (verify_router, screening_public, cases_public, monitoring_public)
        for route in router.routes
        if isinstance(route, APIRoute) and _depends_on(route, rate_limited)
        for method in route.methods
    }
    assert sorted(public - limited) == []


def _depends_on(route: Any, target: Any) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        dep = pending.pop()
        if dep.call is target:
            return True
        pending.extend(dep.dependencies)
    return False


# --- bare ASGI: the route never reads past the limit ---------------------------------


def _receiver(chunks: list[bytes]) -> Receive:
    messages: list[Message] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return receive


async def _run(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "path": "/api/v1/x", "headers": headers, "method": "POST"}
    await app(scope, _receiver(chunks), send)
    return sent


@pytest.mark.anyio
@pytest.mark.parametrize("declared", [True, False])
async def test_the_app_behind_never_gets_more_than_the_limit(declared: bool) -> None:
    seen: list[int] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            seen.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guard = hardening.RequestSizeLimit(inner, max_bytes=100)
    chunks = [b"a" * 60, b"b" * 60, b"c" * 60]
    headers = [(b"content-length", b"180")] if declared else []
    sent = await _run(guard, headers, chunks)
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["max_bytes"] == 100
    assert sum(seen) == (0 if declared else 60)  # declared: nothing read; chunked: what fitted


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
