"""Recording into the log, checkpoints and proofs. Each function flushes; the caller
commits, so an access and its audit entry land in one transaction (fail closed)."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Table, and_, func, insert, or_, select, text
from sqlalchemy.orm import Session

from lindungi.audit import merkle
from lindungi.audit.entry import Action, AuditEntry
from lindungi.audit.models import AuditCheckpoint, AuditEntryRow, AuditNode
from lindungi.audit.signing import Checkpoint, sign_checkpoint
from lindungi.db import utcnow
from lindungi.errors import ConflictError, InvalidInputError, NotFoundError

# Serialises appends on PostgreSQL (a transaction-scoped advisory lock); SQLite
# transactions already begin IMMEDIATE, one writer at a time.
_APPEND_LOCK = 0x4C_49_4E_44  # "LIND"
_PLACEHOLDER = b"\x00" * merkle.HASH_SIZE
ENTRIES: Table = AuditEntryRow.__table__  # type: ignore[assignment]
NODES: Table = AuditNode.__table__  # type: ignore[assignment]
T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (``username`` of ``agency``), a command-line operator, or the hub."""

    name: str
    agency: str = ""

    @classmethod
    def cli(cls) -> Actor:
        """The operating-system user running a ``lindungi`` command on the server."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return cls(f"cli:{who}")


SYSTEM = Actor("system")


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK})


def log_size(session: Session) -> int:
    """How many entries the log holds."""
    last = session.connection().scalar(select(func.max(ENTRIES.c.seq)))
    return 0 if last is None else int(last) + 1


def _nodes(session: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    wanted = sorted(set(keys))
    found: dict[tuple[int, int], bytes] = {}
    by_level: dict[int, list[int]] = {}
    for level, idx in wanted:
        by_level.setdefault(level, []).append(idx)
    if by_level:
        # One (level = ? AND idx IN (...)) term per level: both databases answer it from
        # the primary key. (A row-value IN made SQLite scan the whole table.)
        rows = session.connection().execute(
            select(NODES.c.level, NODES.c.idx, NODES.c.hash).where(
                or_(
                    *(and_(NODES.c.level == lv, NODES.c.idx.in_(ix)) for lv, ix in by_level.items())
                )
            )
        )
        found.update({(level, idx): digest for level, idx, digest in rows})
    if len(found) != len(wanted):
        missing = next(k for k in wanted if k not in found)
        raise ConflictError(
            f"the audit log lacks the subtree hash at level {missing[0]} index {missing[1]}; "
            "run `lindungi audit verify`"
        )
    return found


def _over_stored_nodes(session: Session, compute: Callable[[merkle.NodeGetter], T]) -> T:
    """Run a Merkle computation over stored nodes, fetching all it needs in one go."""
    needed: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        needed.add((level, index))
        return _PLACEHOLDER

    compute(record)  # the shape of the recursion does not depend on the hashes
    nodes = _nodes(session, needed)
    return compute(lambda level, index: nodes[(level, index)])


def record(
    session: Session,
    actor: Actor,
    action: Action,
    resource_type: str,
    resource_id: str,
    *,
    fields: Sequence[str] = (),
    purpose: str = "",
    request_id: str = "",
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Append one entry, with the subtree hashes it completes, in the caller's transaction.

    If this fails, the caller's transaction fails with it: no access without its entry.
    """
    _lock(session)
    seq = log_size(session)
    entry = AuditEntry(
        seq=seq,
        ts=now or utcnow(),
        actor=actor.name,
        agency=actor.agency,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id)[:200],
        fields=tuple(fields),
        purpose=purpose[:300],
        request_id=request_id[:64],
    )
    data = entry.canonical()
    siblings = _nodes(session, merkle.left_siblings(seq))
    completed = merkle.appended_nodes(
        seq, merkle.leaf_hash(data), lambda level, idx: siblings[(level, idx)]
    )
    # Core statements on the session's connection: the log is written, never loaded
    # back as objects here, so the ORM's bookkeeping would only cost time.
    conn = session.connection()
    conn.execute(insert(ENTRIES), {**entry.columns(), "entry": data})
    conn.execute(insert(NODES), [{"level": lv, "idx": ix, "hash": h} for lv, ix, h in completed])
    return entry


def tree_root(session: Session, size: int) -> bytes:
    """The Merkle root of the log's first ``size`` entries."""
    keys = merkle.frontier_keys(size)
    nodes = _nodes(session, keys)
    return merkle.root_from_frontier([nodes[key] for key in keys])


def _checkpoint(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(row.size, row.root_hash, row.timestamp, row.key_id, row.signature)


def latest_checkpoint(session: Session) -> Checkpoint | None:
    """The newest signed tree head, if any."""
    row = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    return None if row is None else _checkpoint(row)


def list_checkpoints(session: Session, *, limit: int = 100) -> list[Checkpoint]:
    """Signed tree heads, newest first."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(limit))
    return [_checkpoint(row) for row in rows]


def create_checkpoint(
    session: Session,
    key: Ed25519PrivateKey,
    *,
    only_if_grown: bool = False,
    now: dt.datetime | None = None,
) -> Checkpoint:
    """Sign the log's current size and root; with ``only_if_grown``, reuse an unchanged head."""
    _lock(session)
    size = log_size(session)
    latest = latest_checkpoint(session)
    if only_if_grown and latest is not None and latest.size == size:
        return latest
    moment = now or utcnow()
    if latest is not None and moment < latest.timestamp:
        # A clock stepped back must not date a head before its predecessor: that
        # would make every later verification and witness refuse the log.
        moment = latest.timestamp
    checkpoint = sign_checkpoint(key, size, tree_root(session, size), moment)
    session.add(
        AuditCheckpoint(
            size=checkpoint.size,
            root_hash=checkpoint.root_hash,
            timestamp=checkpoint.timestamp,
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
        )
    )
    session.flush()
    return checkpoint


def get_entry(session: Session, seq: int) -> AuditEntryRow:
    """One stored entry, or 404."""
    row = session.get(AuditEntryRow, seq)
    if row is None:
        raise NotFoundError(f"no audit entry {seq}")
    return row


def list_entries(
    session: Session,
    *,
    after: int = -1,
    limit: int = 100,
    actor: str | None = None,
    resource_type: str | None = None,
    resource_id: str | None = None,
) -> list[AuditEntryRow]:
    """Entries in log order after ``after``, optionally filtered."""
    query = select(AuditEntryRow).where(AuditEntryRow.seq > after)
    if actor is not None:
        query = query.where(AuditEntryRow.actor == actor)
    if resource_type is not None:
        query = query.where(AuditEntryRow.resource_type == resource_type)
    if resource_id is not None:
        query = query.where(AuditEntryRow.resource_id == resource_id)
    return list(session.scalars(query.order_by(AuditEntryRow.seq).limit(limit)))


@dataclass(frozen=True)
class InclusionProof:
    """Where an entry sits in a checkpointed tree, and the path that proves it."""

    seq: int
    leaf_hash: bytes
    checkpoint: Checkpoint
    proof: list[bytes]


def prove_inclusion(session: Session, seq: int) -> InclusionProof:
    """The audit path of entry ``seq`` against the latest checkpoint."""
    row = get_entry(session, seq)
    checkpoint = latest_checkpoint(session)
    if checkpoint is None or seq >= checkpoint.size:
        raise ConflictError(
            f"audit entry {seq} is not yet covered by a checkpoint; "
            "run `lindungi audit checkpoint` (or wait for the periodic one)"
        )
    size = checkpoint.size
    proof = _over_stored_nodes(session, lambda get: merkle.path(get, seq, 0, size))
    return InclusionProof(seq, merkle.leaf_hash(row.entry), checkpoint, proof)


def prove_consistency(session: Session, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[new_size]) over the stored log."""
    size = log_size(session)
    if not 0 <= old_size <= new_size <= size:
        raise InvalidInputError(
            f"consistency needs 0 <= first <= second <= {size} (the log's size); "
            f"got first={old_size}, second={new_size}"
        )
    if old_size in (0, new_size):
        return []
    return _over_stored_nodes(
        session, lambda get: merkle.subproof(get, old_size, 0, new_size, True)
    )
