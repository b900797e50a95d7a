"""HTTP routes for agencies, users and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Path, status

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep, SettingsDep
from lindungi.audit.entry import Action
from lindungi.auth import service
from lindungi.auth.models import ApiToken
from lindungi.auth.permissions import Permission, Principal
from lindungi.auth.schemas import (
    AgencyOut,
    IssuedToken,
    TokenCreate,
    TokenOut,
    UserCreate,
    UserOut,
)
from lindungi.errors import ConflictError

router = Router(tags=["agencies and users"])

AgencyCode = Annotated[str, Path(max_length=32, description="An agency code, e.g. `bp2mi`.")]
UsernamePath = Annotated[str, Path(max_length=64)]
USER_FIELDS = ("username", "full_name", "agency", "roles", "is_active")
TOKEN_FIELDS = ("prefix", "name", "created_at", "expires_at", "revoked_at", "last_used_at")


def _token_out(token: ApiToken, username: str) -> TokenOut:
    return TokenOut(
        id=token.id,
        username=username,
        prefix=token.prefix,
        name=token.name,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


@router.get("/me", response_model=UserOut, summary="The caller's own account")
def me(
    session: SessionDep,
    principal: Annotated[Principal, Depends(Requires("users", "read"))],
) -> UserOut:
    return UserOut.model_validate(service.get_user(session, principal.username))


@router.get("/agencies", response_model=list[AgencyOut], summary="The agencies of the hub")
def agencies(
    session: SessionDep,
    _: Annotated[Principal, Depends(Requires("agencies", "read"))],
) -> list[AgencyOut]:
    return [AgencyOut.model_validate(a) for a in service.list_agencies(session)]


@router.get("/agencies/{code}/users", response_model=list[UserOut], summary="An agency's users")
def agency_users(
    code: AgencyCode,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("users", "read"))],
) -> list[UserOut]:
    service.get_agency(session, code)
    principal.authorize(
        Permission("users", "read"), owner_agency=code, resource_id=f"agency:{code}"
    )
    users = [UserOut.model_validate(u) for u in service.list_users(session, code)]
    auditor.record(Action.READ, "users", f"agency:{code}", USER_FIELDS)
    return users


@router.post(
    "/agencies/{code}/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user in an agency",
)
def create_user(
    code: AgencyCode,
    body: UserCreate,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("users", "create"))],
) -> UserOut:
    service.get_agency(session, code)
    principal.authorize(Permission("users", "create"), owner_agency=code, resource_id=body.username)
    user = service.add_user(
        session, body.username, agency=code, roles=body.roles, full_name=body.full_name
    )
    auditor.record(Action.CREATE, "users", user.username, ("username", "full_name", "roles"))
    return UserOut.model_validate(user)


@router.get("/users/{username}", response_model=UserOut, summary="One user")
def get_user(
    username: UsernamePath,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("users", "read"))],
) -> UserOut:
    user = service.get_user(session, username)
    principal.authorize(
        Permission("users", "read"),
        owner_agency=user.agency_code,
        owner_user_id=user.id,
        resource_id=username,
    )
    if user.id != principal.user_id:
        auditor.record(Action.READ, "users", username, USER_FIELDS)
    return UserOut.model_validate(user)


@router.get(
    "/users/{username}/tokens", response_model=list[TokenOut], summary="A user's API tokens"
)
def user_tokens(
    username: UsernamePath,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("tokens", "read"))],
) -> list[TokenOut]:
    user = service.get_user(session, username)
    principal.authorize(
        Permission("tokens", "read"),
        owner_agency=user.agency_code,
        owner_user_id=user.id,
        resource_id=f"user:{username}",
    )
    tokens = [_token_out(t, user.username) for t in service.list_tokens(session, user)]
    auditor.record(Action.READ, "tokens", f"user:{username}", TOKEN_FIELDS)
    return tokens


@router.post(
    "/users/{username}/tokens",
    response_model=IssuedToken,
    status_code=status.HTTP_201_CREATED,
    summary="Issue an API token (its secret is shown once)",
)
def issue_token(
    username: UsernamePath,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("tokens", "issue"))],
    body: TokenCreate | None = None,
) -> IssuedToken:
    body = body or TokenCreate()
    user = service.get_user(session, username)
    principal.authorize(
        Permission("tokens", "issue"),
        owner_agency=user.agency_code,
        owner_user_id=user.id,
        resource_id=f"user:{username}",
    )
    days = body.expires_in_days or settings.token_ttl_days
    issued = service.issue_token(
        session,
        user,
        ttl=dt.timedelta(days=days),
        name=body.name,
        created_by=service.get_user(session, principal.username),
    )
    auditor.record(Action.CREATE, "tokens", issued.token.id, ("user", "name", "expires_at"))
    out = _token_out(issued.token, user.username)
    return IssuedToken(**out.model_dump(), token=issued.secret)


@router.post(
    "/users/{username}/deactivate",
    response_model=UserOut,
    summary="Deactivate a user: their tokens stop working at once",
)
def deactivate_user(
    username: UsernamePath,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("users", "update"))],
) -> UserOut:
    user = service.get_user(session, username)
    principal.authorize(
        Permission("users", "update"), owner_agency=user.agency_code, resource_id=username
    )
    if user.id == principal.user_id:
        raise ConflictError("you cannot deactivate your own account")
    service.set_active(session, user, False)
    auditor.record(Action.UPDATE, "users", username, ("is_active",))
    return UserOut.model_validate(user)


@router.delete("/tokens/{token_id}", response_model=TokenOut, summary="Revoke an API token")
def revoke_token(
    token_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("tokens", "revoke"))],
) -> TokenOut:
    token = service.get_token(session, token_id)
    owner = token.user
    principal.authorize(
        Permission("tokens", "revoke"),
        owner_agency=owner.agency_code,
        owner_user_id=owner.id,
        resource_id=str(token_id),
    )
    revoked = service.revoke_token(session, token)
    auditor.record(Action.UPDATE, "tokens", token_id, ("revoked_at",))
    return _token_out(revoked, owner.username)
