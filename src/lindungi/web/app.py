"""Mounting the pages on the hub's app: signed session cookies, the static assets (all
served by the hub itself, Leaflet from ``xstatic-leaflet``: government intranets are
closed), security headers, and errors shown as pages in the user's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from xstatic.pkg import leaflet  # type: ignore[import-untyped]

from lindungi.api.problems import record_denial
from lindungi.errors import LindungiError, PermissionDeniedError
from lindungi.settings import Settings
from lindungi.web.security import COOKIE, SESSION_HOURS, CsrfFailed, LoginRequired, login_url
from lindungi.web.templating import render

STATIC = Path(__file__).parent / "static"


class PageRoute(APIRoute):
    """A page: a domain error becomes an error page in the user's language (a refused
    access is still written to the audit log), never a JSON problem."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            # No field may hold a NUL character (PostgreSQL cannot store one): refused
            # here for every page, as the API's router refuses it for every route.
            raw = await request.body() if request.method == "POST" else b""
            if b"\x00" in raw or b"%00" in raw or "%00" in request.url.query:
                return render(request, "error.html", status_code=422, title="Invalid input",
                              detail="A field holds a NUL character (U+0000).")  # fmt: skip
            try:
                return await handler(request)
            except RequestValidationError as invalid:
                # A malformed path or query value (a page's own forms check their fields
                # and answer next to them): an error page, never a JSON problem.
                where = ", ".join(".".join(map(str, e.get("loc", ()))) for e in invalid.errors())
                return render(request, "error.html", status_code=422, title="Invalid input",
                              detail=where)  # fmt: skip
            except LindungiError as error:
                if isinstance(error, PermissionDeniedError) and error.actor:
                    await run_in_threadpool(record_denial, request, error)
                return render(request, "error.html", status_code=error.status,
                              title=error.title, detail=error.detail)  # fmt: skip

        return page


def _security_headers(settings: Settings) -> dict[str, str]:
    tiles = ""
    if settings.map_tiles_url:
        parts = urlsplit(settings.map_tiles_url)
        tiles = f" {parts.scheme}://{parts.netloc}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; img-src 'self' data:{tiles}; style-src 'self'; "
            "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }


def install(app: FastAPI, settings: Settings, routers: list[Any]) -> None:
    """Add the pages, their assets and their session handling to ``app``."""
    headers = _security_headers(settings)

    @app.middleware("http")
    async def page_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if not request.url.path.startswith(("/api/", "/openapi.json", "/docs", "/redoc")):
            for name, value in headers.items():
                response.headers.setdefault(name, value)
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=settings.environment == "production",
    )
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(login_url(exc.next_path, exc.reason), status_code=303)

    async def csrf_failed(request: Request, exc: Exception) -> Response:
        # The console's forms lead to the login page; a public form (no account to log
        # into) back to itself, saying the form had expired, with the typed text kept.
        assert isinstance(exc, CsrfFailed)
        if exc.next_path.startswith(("/console", "/login", "/logout")):
            return RedirectResponse(login_url(exc.next_path, "csrf"), status_code=303)
        joiner = "&" if "?" in exc.next_path else "?"
        return RedirectResponse(f"{exc.next_path}{joiner}form=expired", status_code=303)

    app.add_exception_handler(LoginRequired, to_login)
    app.add_exception_handler(CsrfFailed, csrf_failed)
    for router in routers:
        app.include_router(router)
