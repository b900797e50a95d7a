"""What crosses the API about the audit log."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class AuditEntryOut(BaseModel):
    """One entry, with the exact bytes that are hashed into the log (as text)."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    ts: dt.datetime
    actor: str
    agency: str
    action: str
    resource_type: str
    resource_id: str
    purpose: str
    request_id: str
    entry: str = Field(description="The canonical RFC 8785 JSON that is the Merkle leaf.")


class CheckpointOut(BaseModel):
    """A signed tree head (contract 6)."""

    size: int
    root_hash: str
    timestamp: str
    signature: str
    key_id: str


class InclusionProofOut(BaseModel):
    """An entry's audit path against a checkpoint."""

    seq: int
    leaf_hash: str
    tree_size: int
    root_hash: str
    proof: list[str]
    checkpoint: CheckpointOut


class ConsistencyProofOut(BaseModel):
    """PROOF(first, D[second])."""

    first: int
    second: int
    proof: list[str]


class PublicKeyOut(BaseModel):
    """The key that signs checkpoints."""

    key_id: str
    public_key_pem: str
