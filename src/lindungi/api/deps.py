"""Request dependencies: the unit of work, the principal, and permission checks.

Every route under ``/api/v1`` declares what it needs with :class:`Requires` or
:func:`public`. :class:`Router` refuses to register a route that declares neither,
and writes the declaration into the OpenAPI document as ``x-permission``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request, Security
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
from lindungi.errors import AuthenticationError, InvalidInputError
from lindungi.settings import Settings

#: The largest stored integer: SQLite's INTEGER and PostgreSQL's BIGINT are signed
#: 64-bit. A larger number in a path or query is refused (422) before it reaches the
#: database, where SQLite cannot even bind it (an unhandled OverflowError otherwise).
MAX_BIGINT = 2**63 - 1
#: The largest record id: ids are INTEGER columns, 32-bit on PostgreSQL.
MAX_RECORD_ID = 2**31 - 1
#: A record's id in a path: a larger or non-positive number names no record.
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]


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


def _nul_fields(value: Any, where: str) -> Iterator[str]:
    """The places in decoded JSON (keys included) whose text holds a NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield where
            yield from _nul_fields(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, f"{where}.{index}")


async def storable_text(request: Request) -> None:
    """Refuse (422) a NUL character in a path, query or JSON body of any API route.

    No field of the hub means one, and PostgreSQL cannot store one in text: before
    this, such a request stored it on SQLite and failed with a 500 on PostgreSQL.
    """
    fields = [f"path.{k}" for k, v in request.path_params.items() if "\x00" in str(v)]
    fields += [f"query.{k}" for k, v in request.query_params.multi_items() if "\x00" in k + v]
    body = await request.body()
    if b"\x00" in body or b"\\u0000" in body:  # raw, or escaped in JSON
        try:
            fields += _nul_fields(json.loads(body), "body")
        except ValueError:  # not JSON: FastAPI refuses it (or ignores it) on its own
            fields.append("body")
    if fields:
        message = "must not contain a NUL character (U+0000)"
        raise InvalidInputError(
            "; ".join(f"{f}: {message}" for f in fields),
            errors=[{"field": f, "message": message} for f in fields],
        )


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
    """An ``APIRouter`` whose every route must declare its permission, and refuses
    text that no database can store (:func:`storable_text`)."""

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
        dependencies = list(kwargs.get("dependencies") or [])
        if not any(d.dependency is storable_text for d in [*self.dependencies, *dependencies]):
            kwargs["dependencies"] = [Depends(storable_text), *dependencies]
        super().add_api_route(path, endpoint, **kwargs)
