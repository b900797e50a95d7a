"""The FastAPI app factory."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

import lindungi
from lindungi.api import problems
from lindungi.api.deps import Router, SessionDep, public
from lindungi.auth.api import router as auth_router
from lindungi.db import make_engine, session_factory
from lindungi.settings import Settings, load_settings

API_PREFIX = "/api/v1"


def create_app(
    settings: Settings | None = None, *, sessions: sessionmaker[Session] | None = None
) -> FastAPI:
    """Build the hub's HTTP app.

    ``sessions`` lets a caller (a test) supply the session factory; otherwise an
    engine is made from ``settings.database_url``.
    """
    settings = settings or load_settings()
    app = FastAPI(
        title="Lindungi",
        version=lindungi.__version__,
        summary="Digital Migrant Protection Hub for Indonesia — agency API",
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.sessions = sessions or session_factory(make_engine(settings.database_url))
    problems.install(app)

    @app.get("/healthz", tags=["service"], summary="Liveness: the process answers")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"], summary="Readiness: the database answers")
    def readyz(session: SessionDep) -> dict[str, str]:
        session.execute(text("SELECT 1"))
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
    app.include_router(api)
    return app
