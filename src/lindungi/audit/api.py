"""HTTP routes: the log for auditors; checkpoints, proofs and the key for witnesses."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request, status

from lindungi.api.deps import MAX_BIGINT, AuditDep, Requires, Router, SessionDep
from lindungi.audit import service
from lindungi.audit.entry import Action
from lindungi.audit.schemas import (
    AuditEntryOut,
    CheckpointOut,
    ConsistencyProofOut,
    InclusionProofOut,
    PublicKeyOut,
)
from lindungi.audit.signing import Checkpoint, key_id, public_pem
from lindungi.auth.permissions import Principal
from lindungi.errors import NotFoundError

router = Router(prefix="/audit", tags=["audit log"])

CanReadLog = Annotated[Principal, Depends(Requires("audit", "read"))]
CanReadCheckpoints = Annotated[Principal, Depends(Requires("audit_checkpoints", "read"))]


def _checkpoint_out(checkpoint: Checkpoint) -> CheckpointOut:
    return CheckpointOut(**checkpoint.to_json())


@router.get("/entries", response_model=list[AuditEntryOut], summary="Read the audit log")
def entries(
    session: SessionDep,
    auditor: AuditDep,
    _: CanReadLog,
    after: Annotated[
        int, Query(ge=-1, le=MAX_BIGINT, description="Entries after this sequence number.")
    ] = -1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    resource_type: Annotated[str | None, Query(max_length=64)] = None,
    resource_id: Annotated[str | None, Query(max_length=200)] = None,
) -> list[AuditEntryOut]:
    rows = service.list_entries(
        session,
        after=after,
        limit=limit,
        actor=actor,
        resource_type=resource_type,
        resource_id=resource_id,
    )
    out = [
        AuditEntryOut.model_validate({**row.__dict__, "entry": row.entry.decode("utf-8")})
        for row in rows
    ]
    searched = {"after": after, "actor": actor, "type": resource_type, "id": resource_id}
    query = "&".join(f"{k}={v}" for k, v in searched.items() if v is not None)
    auditor.record(Action.READ, "audit", query, ["entries"])
    return out


@router.get(
    "/entries/{seq}/proof",
    response_model=InclusionProofOut,
    summary="Prove an entry is in the log (against the latest checkpoint)",
)
def entry_proof(
    seq: Annotated[int, Path(ge=0, le=MAX_BIGINT)], session: SessionDep, _: CanReadLog
) -> InclusionProofOut:
    proof = service.prove_inclusion(session, seq)
    return InclusionProofOut(
        seq=proof.seq,
        leaf_hash=proof.leaf_hash.hex(),
        tree_size=proof.checkpoint.size,
        root_hash=proof.checkpoint.root_hash.hex(),
        proof=[p.hex() for p in proof.proof],
        checkpoint=_checkpoint_out(proof.checkpoint),
    )


@router.get("/checkpoints/latest", response_model=CheckpointOut, summary="The newest checkpoint")
def latest(session: SessionDep, _: CanReadCheckpoints) -> CheckpointOut:
    checkpoint = service.latest_checkpoint(session)
    if checkpoint is None:
        raise NotFoundError("no checkpoint has been signed yet")
    return _checkpoint_out(checkpoint)


@router.get("/checkpoints", response_model=list[CheckpointOut], summary="Checkpoints, newest first")
def checkpoints(
    session: SessionDep,
    _: CanReadCheckpoints,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[CheckpointOut]:
    return [_checkpoint_out(c) for c in service.list_checkpoints(session, limit=limit)]


@router.post(
    "/checkpoints",
    response_model=CheckpointOut,
    status_code=status.HTTP_201_CREATED,
    summary="Sign a checkpoint of the log as it is now",
)
def sign_now(
    request: Request,
    session: SessionDep,
    _: Annotated[Principal, Depends(Requires("audit", "checkpoint"))],
) -> CheckpointOut:
    return _checkpoint_out(service.create_checkpoint(session, request.app.state.audit_key))


@router.get(
    "/consistency",
    response_model=ConsistencyProofOut,
    summary="Prove the log of size `second` extends the log of size `first`",
)
def consistency(
    session: SessionDep,
    _: CanReadCheckpoints,
    first: Annotated[int, Query(ge=0, le=MAX_BIGINT)],
    second: Annotated[int, Query(ge=0, le=MAX_BIGINT)],
) -> ConsistencyProofOut:
    proof = service.prove_consistency(session, first, second)
    return ConsistencyProofOut(first=first, second=second, proof=[p.hex() for p in proof])


@router.get("/public-key", response_model=PublicKeyOut, summary="The checkpoint signing key")
def public_key(request: Request, _: CanReadCheckpoints) -> PublicKeyOut:
    key = request.app.state.audit_key.public_key()
    return PublicKeyOut(key_id=key_id(key), public_key_pem=public_pem(key))
