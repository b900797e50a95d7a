"""A witness: an agency keeps the checkpoints it has seen and accepts a new one only
if it is signed by the hub's key and extends the old one (a consistency proof).
A history rewritten behind the agency's back is rejected. Pure: the command does I/O."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lindungi.audit import merkle
from lindungi.audit.signing import (
    Checkpoint,
    checkpoint_from_json,
    key_id,
    load_public_key,
    public_pem,
    verify_checkpoint,
)
from lindungi.errors import ConflictError, InvalidInputError


class WitnessRejection(ConflictError):
    """A checkpoint the witness refuses: the hub's log cannot be trusted past it."""

    slug = "audit-log-rewritten"
    title = "Checkpoint rejected by witness"


@dataclass(frozen=True)
class WitnessState:
    """What a witness remembers: the hub's public key and the last checkpoint it accepted."""

    public_key: Ed25519PublicKey
    checkpoint: Checkpoint | None = None

    def to_json(self) -> dict[str, Any]:
        """The state file's content."""
        return {
            "public_key": public_pem(self.public_key),
            "key_id": key_id(self.public_key),
            "checkpoint": None if self.checkpoint is None else self.checkpoint.to_json(),
        }

    @classmethod
    def from_json(cls, obj: Any) -> WitnessState:
        """Read a state file's content, naming what is wrong with it."""
        if not isinstance(obj, dict) or "public_key" not in obj:
            raise InvalidInputError("witness state: expected an object with a public_key")
        seen = obj.get("checkpoint")
        return cls(
            load_public_key(str(obj["public_key"])),
            None if seen is None else checkpoint_from_json(seen),
        )

    def dumps(self) -> str:
        """The state as pretty JSON text."""
        return json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"


def observe(state: WitnessState, new: Checkpoint, proof: Sequence[bytes]) -> WitnessState:
    """Accept ``new`` if it is genuine and extends what was seen; else raise a rejection.

    ``proof`` is the consistency proof from the last accepted size to ``new.size``.
    """
    if not verify_checkpoint(state.public_key, new):
        raise WitnessRejection(
            f"checkpoint of size {new.size} is not signed by the hub's key "
            f"{key_id(state.public_key)} (key id given: {new.key_id})"
        )
    old = state.checkpoint
    if old is None:
        return WitnessState(state.public_key, new)
    if new.size < old.size:
        raise WitnessRejection(
            f"the log shrank from {old.size} entries to {new.size}: its history was rewritten"
        )
    if new.timestamp < old.timestamp:
        raise WitnessRejection("the new checkpoint is dated before the one already seen")
    if not merkle.verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof):
        raise WitnessRejection(
            f"checkpoint of size {new.size} (root {new.root_hash.hex()[:16]}…) is not "
            f"consistent with the one of size {old.size} (root {old.root_hash.hex()[:16]}…) "
            "seen before: the log's history was rewritten"
        )
    return WitnessState(state.public_key, new)
