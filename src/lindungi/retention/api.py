"""HTTP routes of legal holds: list them, place one on a case or a monitored worker, and
release it (every call audited; the purge itself runs on the server, daily)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.retention import holds
from lindungi.retention.schemas import HoldIn, HoldOut, ReleaseIn, hold_view

router = Router(tags=["retention"])


@router.get(
    "/legal-holds",
    response_model=list[HoldOut],
    summary="The legal holds standing (or all of them), newest first",
)
def list_holds(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("legal_holds", "read"))],
    all_holds: Annotated[bool, Query(alias="all", description="Released holds too.")] = False,
) -> list[HoldOut]:
    found = holds.holds(session, active_only=not all_holds)
    auditor.record(Action.READ, "legal_holds", "list", ("reason", "reference"))
    return [hold_view(h) for h in found]


@router.post(
    "/legal-holds",
    response_model=HoldOut,
    status_code=status.HTTP_201_CREATED,
    summary="Hold a case or a monitored worker against every retention purge",
)
def place_hold(
    body: HoldIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("legal_holds", "manage"))],
) -> HoldOut:
    hold = holds.place(session, body.target, body.target_id, body.reason, body.reference,
                       principal.username, principal.agency)  # fmt: skip
    auditor.record(Action.CREATE, "legal_holds", hold.id, ("target", "reason", "reference"),
                   purpose="legal hold")  # fmt: skip
    return hold_view(hold)


@router.post(
    "/legal-holds/{hold_id}/release",
    response_model=HoldOut,
    summary="Release a legal hold your agency placed (409 when it already was); the record "
    "falls back under the ordinary retention rules",
)
def release_hold(
    hold_id: RecordId,
    body: ReleaseIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("legal_holds", "manage"))],
) -> HoldOut:
    hold = holds.release(session, hold_id, body.reason, principal.username, principal.agency)
    auditor.record(Action.UPDATE, "legal_holds", hold.id, ("released_at", "release_reason"),
                   purpose="legal hold")  # fmt: skip
    return hold_view(hold)
