"""Logging in and out of the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from lindungi.api.deps import SessionDep
from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.errors import AuthenticationError, TooManyRequestsError
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import check_csrf, log_in, log_out, safe_next, viewer
from lindungi.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: Why the login page is shown again, as the user reads it (English message ids).
REASONS = {
    "expired": N_("Your session has ended. Please log in again."),
    "csrf": N_(
        "The form had expired or did not come from this site. Please log in again; "
        "nothing was saved."
    ),
    "logged_out": N_("You are logged out."),
}


@router.get("/login")
def login_page(
    request: Request, session: SessionDep, next: str = "/console", reason: str = ""
) -> Response:
    if viewer(request, session) is not None and reason != "csrf":
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), notice=REASONS.get(reason),
                  error=None, username="")  # fmt: skip


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/console",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        # A budget of its own per address (browsing the public pages locks nobody out of
        # the console), and one per username, so guessing one officer's password from
        # many addresses is slowed as well.
        request.app.state.public_limiter.check(request, "login")
        request.app.state.login_limiter.count("login-user", username.strip().lower()[:64],
                                              "this username")  # fmt: skip
        user = log_in(request, session, username, password)
    except (AuthenticationError, TooManyRequestsError) as refused:
        message = (
            N_("Unknown username or wrong password.")
            if isinstance(refused, AuthenticationError)
            else N_("Too many attempts. Please wait a minute and try again.")
        )
        return render(request, "login.html", status_code=refused.status, next=safe_next(next),
                      notice=None, error=message, username=username)  # fmt: skip
    audit.record(session, audit.Actor(user.username, user.agency), Action.CREATE, "web_sessions",
                 str(user.token_id), purpose="logged in to the console")  # fmt: skip
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    log_out(request, session)
    return RedirectResponse("/login?reason=logged_out", status_code=303)
