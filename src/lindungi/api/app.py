"""The FastAPI app factory."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from alembic.runtime.migration import MigrationContext
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from sqlalchemy.orm import Session, sessionmaker

import lindungi
from lindungi import logsafe
from lindungi.analytics.api import router as analytics_router
from lindungi.api import hardening, problems
from lindungi.api.deps import Router, SessionDep, public
from lindungi.audit import service as audit_service
from lindungi.audit.api import router as audit_router
from lindungi.audit.signing import load_private_key
from lindungi.auth.api import router as auth_router
from lindungi.cases.api import public_router as public_cases_router
from lindungi.cases.api import router as cases_router
from lindungi.cases.handoffs_api import router as handoffs_router
from lindungi.db import make_engine, session_factory, transaction
from lindungi.errors import NotInitialisedError
from lindungi.exchange.api import router as exchange_router
from lindungi.exchange.htcds_api import router as htcds_router
from lindungi.identity.api import router as identity_router
from lindungi.migrate import head_revision
from lindungi.monitoring.api import public_router as public_monitoring_router
from lindungi.monitoring.api import router as monitoring_router
from lindungi.network.api import router as network_router
from lindungi.recruiters.api import router as recruiters_router
from lindungi.recruiters.public_api import PublicLimiter
from lindungi.recruiters.public_api import router as public_router
from lindungi.retention.api import router as retention_router
from lindungi.screening.api import public_router as public_screening_router
from lindungi.screening.api import router as screening_router
from lindungi.settings import Settings, load_settings
from lindungi.web.app import install as install_web
from lindungi.web.pages import routers as web_routers

API_PREFIX = "/api/v1"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
log = logging.getLogger(__name__)


def checkpoint_once(sessions: sessionmaker[Session], key: Ed25519PrivateKey) -> None:
    """Sign a new checkpoint if the log grew since the last one."""
    with transaction(sessions) as session:
        audit_service.create_checkpoint(session, key, only_if_grown=True)


async def _periodic_checkpoints(app: FastAPI, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_in_threadpool(checkpoint_once, app.state.sessions, app.state.audit_key)
        except Exception:  # keep signing later; the failure is logged, not fatal
            log.exception("periodic audit checkpoint failed")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    task = None
    if settings.audit_checkpoint_interval_seconds > 0:
        task = asyncio.create_task(
            _periodic_checkpoints(app, settings.audit_checkpoint_interval_seconds)
        )
    try:
        yield
    finally:
        if task is not None:
            task.cancel()


def create_app(
    settings: Settings | None = None, *, sessions: sessionmaker[Session] | None = None
) -> FastAPI:
    """Build the hub's HTTP app.

    ``sessions`` lets a caller (a test) supply the session factory; otherwise an
    engine is made from ``settings.database_url``. The audit signing key is loaded
    (and, outside production, created) now, so a misconfiguration shows at start.
    """
    settings = settings or load_settings()
    logsafe.install()
    app = FastAPI(
        title="Lindungi",
        version=lindungi.__version__,
        summary="Digital Migrant Protection Hub for Indonesia — agency API",
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.sessions = sessions or session_factory(make_engine(settings.database_url))
    app.state.audit_key = load_private_key(
        settings.audit_key_file, create=settings.environment != "production"
    )
    app.state.public_limiter = PublicLimiter(
        settings.public_rate_limit, settings.rate_limit_storage
    )
    app.state.login_limiter = PublicLimiter(settings.login_rate_limit, settings.rate_limit_storage)
    problems.install(app)
    hardening.install(app, settings.max_request_bytes)

    @app.middleware("http")
    async def request_ids(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        given = request.headers.get("x-request-id", "")
        request.state.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        return response

    @app.get("/healthz", tags=["service"], summary="Liveness: the process answers")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["service"],
        summary="Readiness: the database answers, at this schema",
        responses={503: {"model": problems.Problem, "description": "The database is "
                         "unreachable, or not at this hub's schema (`lindungi init`)."}},
    )  # fmt: skip
    def readyz(session: SessionDep) -> dict[str, str]:
        found = MigrationContext.configure(session.connection()).get_current_revision()
        if found != head_revision():
            raise NotInitialisedError(
                f"the database is at revision {found or 'none'}, this hub needs "
                f"{head_revision()}: run `lindungi init`"
            )
        return {"status": "ready"}

    api = Router(prefix=API_PREFIX)

    @api.get("", tags=["service"], summary="What this API is")
    def index(_: Annotated[None, Depends(public)]) -> dict[str, str]:
        return {
            "name": "Lindungi",
            "version": lindungi.__version__,
            "api": "v1",
            "openapi": "/openapi.json",
        }

    api.include_router(auth_router)
    api.include_router(audit_router)
    api.include_router(recruiters_router)
    api.include_router(public_router)
    api.include_router(network_router)
    api.include_router(identity_router)
    api.include_router(screening_router)
    api.include_router(public_screening_router)
    api.include_router(cases_router)
    api.include_router(handoffs_router)
    api.include_router(public_cases_router)
    api.include_router(monitoring_router)
    api.include_router(public_monitoring_router)
    api.include_router(exchange_router)
    api.include_router(htcds_router)
    api.include_router(analytics_router)
    api.include_router(retention_router)
    app.include_router(api)
    install_web(app, settings, web_routers())

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems.problem_media_types(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
