"""Request dependencies: the unit of work, the principal, and permission checks.

Every route under ``/api/v1`` declares what it needs with :class:`Requires` or
:func:`public`. :class:`Router` refuses to register a route that declares neither,
and writes the declaration into the OpenAPI document as ``x-permission``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Security
from fastapi.dependencies.utils import get_dependant
from fastapi.params import Depends as DependsParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.problems import problem_responses
from lindungi.audit import service as audit_service
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.auth import service as auth_service
from lindungi.auth.permissions import Permission, Principal
from lindungi.errors import AuthenticationError
from lindungi.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed once before the response is sent."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="An API token from `lindungi tokens issue`.")


def current_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """The authenticated caller; 401 when the token is missing, unknown, expired or revoked."""
    if credentials is None:
        raise AuthenticationError("missing bearer token: send 'Authorization: Bearer <token>'")
    return auth_service.authenticate(session, credentials.credentials)


@dataclass(frozen=True)
class Requires:
    """A route's declared permission; refuses (403) a caller who holds it at no scope.

    Object-level checks (own record, own agency) follow in the handler with
    :meth:`Principal.authorize`, once the record's owner is known.
    """

    resource: str
    action: str

    @property
    def permission(self) -> Permission:
        """The permission this route needs."""
        return Permission(self.resource, self.action)

    def __call__(self, principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        principal.require(self.permission)
        return principal


def public() -> None:
    """Marks a route that anyone may call without a token."""


def request_id(request: Request) -> str:
    """The request's id (set by the app's middleware; echoed as ``X-Request-ID``)."""
    return str(getattr(request.state, "request_id", ""))


@dataclass(frozen=True)
class Auditor:
    """Records what a request reads and changes into the audit log, in its transaction.

    Routes and services of every module call this for protected resources; the
    entry commits with the access or not at all.
    """

    session: Session
    actor: Actor
    request_id: str
    purpose: str

    def record(
        self,
        action: Action,
        resource_type: str,
        resource_id: str | int,
        fields: tuple[str, ...] | list[str] = (),
        *,
        purpose: str | None = None,
    ) -> None:
        """Append one entry for this request."""
        audit_service.record(
            self.session,
            self.actor,
            action,
            resource_type,
            str(resource_id),
            fields=fields,
            purpose=purpose or self.purpose,
            request_id=self.request_id,
        )


def get_auditor(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(current_principal)],
    purpose: Annotated[
        str,
        Header(
            alias="X-Purpose",
            max_length=300,
            description="Why the caller accesses this data (recorded in the audit log).",
        ),
    ] = "",
) -> Auditor:
    """The audit recorder for an authenticated request."""
    return Auditor(
        session, Actor(principal.username, principal.agency), request_id(request), purpose
    )


AuditDep = Annotated[Auditor, Depends(get_auditor)]


def declared_permission(
    path: str, endpoint: Callable[..., Any], dependencies: Sequence[DependsParam] = ()
) -> str | None:
    """The permission an endpoint declares (``"public"`` for open ones), or ``None``."""
    pending = list(get_dependant(path=path, call=endpoint).dependencies)
    pending += [get_dependant(path=path, call=d.dependency) for d in dependencies if d.dependency]
    while pending:
        dep = pending.pop()
        if isinstance(dep.call, Requires):
            return str(dep.call.permission)
        if dep.call is public:
            return "public"
        pending.extend(dep.dependencies)
    return None


class Router(APIRouter):
    """An ``APIRouter`` whose every route must declare its permission."""

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        """Register a route, refusing one that declares no permission."""
        permission = declared_permission(
            self.prefix + path,
            endpoint,
            list(self.dependencies) + list(kwargs.get("dependencies") or []),
        )
        if permission is None:
            raise TypeError(
                f"route {path!r} ({endpoint.__name__}) declares no permission: "
                "depend on Requires(resource, action) or on public"
            )
        kwargs["openapi_extra"] = {
            **(kwargs.get("openapi_extra") or {}),
            "x-permission": permission,
        }
        kwargs["responses"] = {
            **problem_responses(authenticated=permission != "public"),
            **(kwargs.get("responses") or {}),
        }
        super().add_api_route(path, endpoint, **kwargs)
