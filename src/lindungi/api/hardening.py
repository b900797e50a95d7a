"""Request size limits and security headers for the API, as plain ASGI middleware.

A body over the limit is refused with 413 ``application/problem+json`` before the
application reads it: at once when ``Content-Length`` says so, and as soon as a
chunked (or lying) body passes the limit while it streams in. API responses carry
``X-Content-Type-Options``, ``X-Frame-Options`` and ``Referrer-Policy``; responses to
a request that carried credentials, and every ``/api/`` response, are ``no-store``
so no shared cache keeps a person's data. The console's pages set their own headers
(``web.app``).
"""

from __future__ import annotations

import json
import re
from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The default limit: the largest legitimate API body (a batch of 5,000 check-ins,
#: about 1 MB as gateways send it) with room to spare.
DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024

#: Paths whose responses get the API's security headers (the console's pages, and
#: ``/healthz``, get the page headers of ``web.app`` instead).
API_PATHS = ("/api/", "/openapi.json", "/docs", "/redoc")

API_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _request_id(scope: Scope) -> str | None:
    state = scope.get("state") or {}
    given = state.get("request_id") if isinstance(state, MutableMapping) else None
    if isinstance(given, str) and given:
        return given
    raw = (_header(scope, b"x-request-id") or b"").decode("latin-1")
    return raw if _REQUEST_ID.match(raw) else None


def too_large_body(scope: Scope, limit: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The 413 problem+json body and headers for a request in ``scope``."""
    problem: dict[str, Any] = {
        "type": "urn:lindungi:problem:request-too-large",
        "title": "Request body too large",
        "status": 413,
        "instance": scope.get("path", ""),
        "detail": f"the request body is larger than the limit of {limit} bytes "
        "(LINDUNGI_MAX_REQUEST_BYTES); send smaller batches",
        "max_bytes": limit,
    }
    request_id = _request_id(scope)
    if request_id:
        problem["request_id"] = request_id
    body = json.dumps(problem).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    if request_id:
        headers.append((b"x-request-id", request_id.encode()))
    return body, headers


class RequestSizeLimit:
    """Refuse request bodies over ``max_bytes`` (413 problem+json) without reading them."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_REQUEST_BYTES) -> None:
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check ``Content-Length``, then count the body as it streams in."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length > self.max_bytes:
                await self._refuse(scope, send)
                return
        received = 0
        over = refused = False

        async def counting_receive() -> Message:
            # Past the limit the app is told the client left: it stops reading, and
            # whatever it then answers is replaced by the 413 below.
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal refused
            if not over:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(scope, send)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not refused:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body, headers = too_large_body(scope, self.max_bytes)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Add the API's security headers, and ``Cache-Control: no-store`` where data may be
    personal: every ``/api/`` response, and any response to a request with credentials."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...] = API_PATHS) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request through, adding headers to the response's start."""
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.paths):
            await self.app(scope, receive, send)
            return
        authenticated = _header(scope, b"authorization") is not None
        no_store = authenticated or str(scope.get("path", "")).startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", ())]
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in API_HEADERS if k not in present]
                if no_store:
                    if authenticated:  # a handler's own caching never applies to credentials
                        headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    if authenticated or b"cache-control" not in present:
                        headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: Any, max_bytes: int = DEFAULT_MAX_REQUEST_BYTES) -> None:
    """Add both middlewares to a Starlette/FastAPI ``app`` (call before the request-id
    middleware is added, so that one stays outside and its id reaches the 413). The
    headers are outermost of the two, so a 413 carries them too."""
    app.add_middleware(RequestSizeLimit, max_bytes=max_bytes)
    app.add_middleware(SecurityHeaders)
