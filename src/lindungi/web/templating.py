"""Rendering pages: one Jinja2 environment over the package's templates, autoescaped,
with each request's language, user, CSRF token and navigation in the context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lindungi.auth.permissions import Permission, Principal
from lindungi.web import i18n, labels
from lindungi.web.i18n import N_
from lindungi.web.security import csrf_token

TEMPLATES = Path(__file__).parent / "templates"

ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class NavItem:
    """A console link, shown to who holds its permission."""

    path: str
    label: str  # an English message id
    permission: Permission | None


NAV = (
    NavItem("/console", N_("Dashboard"), None),
    NavItem("/console/screening", N_("Screening desk"), Permission("screenings", "create")),
    NavItem("/console/cases", N_("Cases"), Permission("cases", "read")),
    NavItem("/console/alerts", N_("Alerts"), Permission("monitoring", "read")),
    NavItem("/console/recruiters", N_("Recruiters"), Permission("recruiters", "read")),
    NavItem("/console/persons", N_("People"), Permission("persons", "read")),
    NavItem("/console/audit", N_("Audit log"), Permission("audit", "read")),
)


def language(request: Request) -> str:
    """This request's language (and remember a ``?lang=`` choice in the session)."""
    asked = request.query_params.get("lang")
    chosen = i18n.pick(asked, request.session.get("lang"))
    if asked in i18n.LANGUAGES:
        request.session["lang"] = chosen
    return chosen


def can(user: Principal | None, resource: str, action: str) -> bool:
    """Whether ``user`` holds ``resource:action`` at any scope."""
    return user is not None and user.scope_for(Permission(resource, action)) is not None


def render(
    request: Request,
    template: str,
    *,
    user: Principal | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page ``template`` in the request's language."""
    lang = language(request)
    gettext = i18n.gettext_for(lang)
    page = ENV.get_template(template).render(
        _=gettext,
        lang=lang,
        languages=i18n.NAMES,
        user=user,
        csrf=csrf_token(request),
        path=request.url.path,
        nav=[item for item in NAV if item.permission is None or can(user, *_pair(item))],
        can=lambda resource, action: can(user, resource, action),
        labels=labels,
        form_expired=request.query_params.get("form") == "expired",
        **context,
    )
    return HTMLResponse(page, status_code=status_code)


def _pair(item: NavItem) -> tuple[str, str]:
    assert item.permission is not None
    return item.permission.resource, item.permission.action
