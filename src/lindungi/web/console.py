"""The officers' dashboard: what needs attention now, by what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from lindungi.api.deps import SessionDep
from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import escalation
from lindungi.cases.figures import case_figures
from lindungi.monitoring import alerts
from lindungi.screening import service as screening
from lindungi.web.app import PageRoute
from lindungi.web.security import require
from lindungi.web.templating import can, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _panels(session: Session, user: Principal, now: dt.datetime) -> dict[str, Any]:
    """The dashboard's figures the user may see (aggregates; no person in them)."""
    found: dict[str, Any] = {}
    if can(user, "cases", "read") or can(user, "cases", "figures"):
        figures = case_figures(session)
        found["cases"] = {
            "open": figures.cases - figures.by_state.get("closed", 0),
            "by_state": {k: v for k, v in figures.by_state.items() if v},
            "identified_share": figures.identified_share,
            "rehabilitation_share": figures.rehabilitation_share,
            "screened_share": figures.screened_share,
        }
    if can(user, "cases", "escalations"):
        agency = None if can_all(user, "cases", "escalations") else user.agency
        found["overdue"] = len(escalation.open_escalations(session, agency))
    if can(user, "monitoring", "read"):
        found["alerts"] = alerts.open_counts(session)
    if can(user, "referrals", "read") or can(user, "screenings", "create"):
        found["referrals"] = len(screening.referrals(session, "open", limit=10_000))
    return found


def can_all(user: Principal, resource: str, action: str) -> bool:
    """Whether ``user`` holds ``resource:action`` for every agency."""
    from lindungi.auth.permissions import Scope

    return user.scope_for(Permission(resource, action)) is Scope.ALL


@router.get("/console")
def dashboard(request: Request, session: SessionDep) -> Response:
    user = require(request, session)
    now = dt.datetime.now(dt.UTC)
    return render(request, "dashboard.html", user=user, panels=_panels(session, user, now),
                  now=now)  # fmt: skip
