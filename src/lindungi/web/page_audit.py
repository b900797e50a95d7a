"""The pages write the audit log exactly as the API routes do: the same actions,
resources and fields, by the logged-in user, in the request's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from sqlalchemy.orm import Session

from lindungi.api.deps import request_id
from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal


def record(
    request: Request,
    session: Session,
    user: Principal,
    action: Action,
    resource_type: str,
    resource_id: str | int,
    fields: Sequence[str] = (),
    *,
    purpose: str = "",
) -> None:
    """Append one entry for what ``user`` read or changed through a page."""
    audit.record(
        session,
        audit.Actor(user.username, user.agency),
        action,
        resource_type,
        str(resource_id),
        fields=fields,
        purpose=purpose,
        request_id=request_id(request),
    )
