"""Who is looking at a page, and whether a form really came from our page.

Logging in issues an ordinary API token (named ``web``, valid for the session's length)
and keeps its secret in the signed session cookie; every page authenticates it through
``auth.service.authenticate``, so a page sees exactly what the API would let the same
user see, and an expired, revoked or deactivated account is logged out at once. Logging
out revokes the token. Forms carry a CSRF token bound to the session (the synchronizer
token pattern); a form without the right one is refused and the user is sent to log in
again, with what they typed kept where possible.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

from fastapi import Request
from sqlalchemy.orm import Session

from lindungi.auth import service as auth_service
from lindungi.auth.models import ApiToken
from lindungi.auth.permissions import Permission, Principal
from lindungi.errors import AuthenticationError

SESSION_HOURS = 8
COOKIE = "lindungi_session"


class LoginRequired(Exception):
    """The page needs a logged-in user; the app redirects to the login page."""

    def __init__(self, next_path: str, reason: str = "") -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.reason = reason


class CsrfFailed(Exception):
    """A form's CSRF token is missing or wrong (an old tab, or another site's form)."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, given: str | None, keep: Mapping[str, str] | None = None) -> None:
    """Refuse a form whose token is not this session's. What the user typed (``keep``:
    never a password) is kept in the session as a draft for the page they return to."""
    expected = request.session.get("csrf")
    if not given or not isinstance(expected, str) or not secrets.compare_digest(given, expected):
        back = request.headers.get("referer", "")
        target = safe_next(urlsplit(back).path if back else None, _path_of(request))
        if keep:
            request.session["draft"] = {"path": target, "fields": {
                k: v[:5000] for k, v in keep.items() if isinstance(v, str)}}  # fmt: skip
        raise CsrfFailed(target)


def take_draft(request: Request) -> dict[str, str]:
    """The fields a refused form kept for this page, once (then they are forgotten)."""
    draft = request.session.get("draft")
    if isinstance(draft, dict) and draft.get("path") == request.url.path:
        request.session.pop("draft", None)
        fields = draft.get("fields")
        return dict(fields) if isinstance(fields, dict) else {}
    return {}


def _path_of(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


def safe_next(target: str | None, default: str = "/console") -> str:
    """Where to go after logging in: a path on this site only (never another host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def login_url(next_path: str, reason: str = "") -> str:
    """The login page, returning to ``next_path`` afterwards."""
    url = f"/login?next={quote(next_path, safe='/')}"
    return f"{url}&reason={reason}" if reason else url


def viewer(request: Request, session: Session) -> Principal | None:
    """The logged-in user of this request, or ``None`` (and a stale session is cleared)."""
    secret = request.session.get("token")
    if not isinstance(secret, str):
        return None
    try:
        return auth_service.authenticate(session, secret)
    except AuthenticationError:
        request.session.pop("token", None)
        return None


def require(request: Request, session: Session, permission: Permission | None = None) -> Principal:
    """The logged-in user, or a redirect to the login page; with ``permission``, a user
    who lacks it is refused (403, rendered by the page)."""
    found = viewer(request, session)
    if found is None:
        reason = "expired" if request.session.get("was_logged_in") else ""
        raise LoginRequired(_path_of(request), reason)
    if permission is not None:
        found.require(permission)
    return found


def log_in(request: Request, session: Session, username: str, password: str) -> Principal:
    """Check the password, issue the session's token, start a fresh session (a new CSRF
    token too: a token seen before logging in is worth nothing after)."""
    user = auth_service.check_password(session, username.strip(), password)
    issued = auth_service.issue_token(
        session, user, ttl=dt.timedelta(hours=SESSION_HOURS), name="web"
    )
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update(token=issued.secret, was_logged_in=True)
    if isinstance(lang, str):
        request.session["lang"] = lang
    csrf_token(request)
    return auth_service.authenticate(session, issued.secret)


def log_out(request: Request, session: Session) -> None:
    """Revoke the session's token and forget the session."""
    found = viewer(request, session)
    if found is not None and found.token_id is not None:
        token = session.get(ApiToken, found.token_id)
        if token is not None:
            auth_service.revoke_token(session, token)
    lang = request.session.get("lang")
    request.session.clear()
    if isinstance(lang, str):
        request.session["lang"] = lang
