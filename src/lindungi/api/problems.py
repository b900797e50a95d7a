"""Errors rendered in one place as ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from lindungi.audit import service as audit_service
from lindungi.audit.entry import Action
from lindungi.db import transaction
from lindungi.errors import (
    AuthenticationError,
    LindungiError,
    PermissionDeniedError,
    TooManyRequestsError,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    """One invalid field of a request."""

    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error leaves the API."""

    type: str
    title: str
    status: int
    instance: str
    detail: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None


_DESCRIPTIONS = {
    400: "The request cannot be read (e.g. a body that is not UTF-8 JSON).",
    401: "No valid bearer token (missing, unknown, expired or revoked).",
    403: "The caller's roles do not reach this record.",
    404: "No such record.",
    409: "The request conflicts with the current state.",
    413: "The request body is larger than the hub takes (`LINDUNGI_MAX_REQUEST_BYTES`).",
    422: "Invalid request; `errors` names each field.",
    503: "The database cannot be reached; retry later.",
}


def problem_responses(*, authenticated: bool) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors a route can give (problem+json)."""
    codes = [c for c in _DESCRIPTIONS if authenticated or c not in (401, 403)]
    return {c: {"model": Problem, "description": _DESCRIPTIONS[c]} for c in codes}


#: For a public route limited per address (``responses=TOO_MANY_REQUESTS``).
TOO_MANY_REQUESTS: dict[int | str, dict[str, Any]] = {
    429: {
        "model": Problem,
        "description": "Too many requests from this address; retry after `Retry-After` s.",
    }
}


def problem_media_types(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare error responses as ``application/problem+json`` in an OpenAPI document.

    FastAPI files an error's schema under the route's own media type: JSON for most,
    but ``text/plain`` or ``text/csv`` for a route that answers a file. Errors leave
    every route as problem+json, so that is what the document says.
    """
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code[:1] not in ("4", "5") or not content:
                    continue
                documented = content.get("application/json") or next(
                    (media for media in content.values() if "schema" in media), None
                )
                if documented is not None:
                    response["content"] = {PROBLEM_JSON: documented}
    return schema


def problem(
    request: Request,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_uri: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem details response for ``request``."""
    body: dict[str, Any] = {
        "type": type_uri,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
        # Set here too: a 500 is rendered outside the middleware that adds the header.
        headers = {**(headers or {}), "X-Request-ID": request_id}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def record_denial(request: Request, exc: PermissionDeniedError) -> None:
    """Write a refused access to the audit log, in a transaction of its own."""
    # The refused request's own transaction was rolled back: the denial is
    # recorded in a transaction of its own. If that fails, so does the response.
    with transaction(request.app.state.sessions) as session:
        audit_service.record(
            session,
            audit_service.Actor(exc.actor, exc.agency),
            Action.DENIED,
            exc.resource,
            exc.resource_id,
            purpose=f"attempted {exc.action}: {request.headers.get('x-purpose', '')}"[:300],
            request_id=str(getattr(request.state, "request_id", "")),
        )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LindungiError)
    if isinstance(exc, PermissionDeniedError) and exc.actor:
        await run_in_threadpool(record_denial, request, exc)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
    if isinstance(exc, TooManyRequestsError):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem(
        request,
        exc.status,
        title=exc.title,
        detail=exc.detail,
        type_uri=exc.type_uri,
        headers=headers,
        **exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(
        request,
        422,
        title="Invalid request",
        detail=detail,
        type_uri="urn:lindungi:problem:validation",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem(request, exc.status_code, detail=detail, headers=exc.headers)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return problem(
        request,
        503,
        title="Database unavailable",
        detail="the database cannot be reached; try again shortly",
        type_uri="urn:lindungi:problem:database-unavailable",
        headers={"Retry-After": "5"},
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception(
        "unhandled error on %s %s (request %s)",
        request.method,
        request.url.path,
        getattr(request.state, "request_id", "-"),
    )
    return problem(request, 500, detail="internal error; it has been logged")


def install(app: FastAPI) -> None:
    """Register the handlers so every error leaves the app as problem+json."""
    app.add_exception_handler(LindungiError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(sa_exc.OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
