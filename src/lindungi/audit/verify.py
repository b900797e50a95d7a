"""``audit verify``: recompute the whole log from its entries and check every stored
hash and every checkpoint, naming the first thing that does not hold."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import ColumnElement, Row, literal_column, select
from sqlalchemy.orm import Session

from lindungi.audit import merkle
from lindungi.audit.entry import EntryFormatError, parse_entry
from lindungi.audit.models import AuditCheckpoint, AuditEntryRow, AuditNode
from lindungi.audit.signing import Checkpoint, key_id, verify_checkpoint

_COLUMNS = (
    "ts",
    "actor",
    "agency",
    "action",
    "resource_type",
    "resource_id",
    "purpose",
    "request_id",
)


@dataclass(frozen=True)
class Verification:
    """The outcome: how much was checked, and the first problem found (if any)."""

    entries: int
    checkpoints: int
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole log and every checkpoint verified."""
        return self.problem is None


class _Failed(Exception):
    pass


def _check_signatures(rows: Sequence[AuditCheckpoint], keys: dict[str, Ed25519PublicKey]) -> None:
    previous: AuditCheckpoint | None = None
    for row in rows:
        name = f"checkpoint {row.id} (size {row.size})"
        key = keys.get(row.key_id)
        if key is None:
            raise _Failed(f"{name}: signed by unknown key {row.key_id}")
        checkpoint = Checkpoint(row.size, row.root_hash, row.timestamp, row.key_id, row.signature)
        if not verify_checkpoint(key, checkpoint):
            raise _Failed(f"{name}: the signature does not verify (the checkpoint was altered)")
        if previous is not None and row.size < previous.size:
            raise _Failed(
                f"{name}: smaller than checkpoint {previous.id} (size {previous.size}): "
                "the log shrank"
            )
        if previous is not None and row.timestamp < previous.timestamp:
            raise _Failed(f"{name}: dated before checkpoint {previous.id}")
        previous = row


def _stored_nodes(session: Session) -> Iterator[Row[Any, Any, Any]]:
    # Completion order: by the right edge of the subtree, then upwards.
    right_edge: ColumnElement[int] = literal_column("((idx + 1) << level)")
    nodes = AuditNode.__table__
    query = select(nodes.c.level, nodes.c.idx, nodes.c.hash).order_by(right_edge, nodes.c.level)
    # Per statement: Connection.execution_options() would change the connection itself.
    yield from session.connection().execute(query.execution_options(yield_per=5000))


def _check_entry(row: Row[Any]) -> None:
    try:
        entry = parse_entry(row.entry, canonical=False)  # the leaf hash binds these bytes
    except EntryFormatError as err:
        raise _Failed(f"entry {row.seq}: {err}") from None
    if entry.seq != row.seq:
        raise _Failed(f"entry {row.seq}: its content is numbered {entry.seq} (entries were moved)")
    hashed = entry.columns()
    for column in _COLUMNS:
        if getattr(row, column) != hashed[column]:
            raise _Failed(
                f"entry {row.seq}: column {column} says {getattr(row, column)!r} "
                f"but the hashed entry says {hashed[column]!r}"
            )


def verify_log(session: Session, public_keys: Sequence[Ed25519PublicKey]) -> Verification:
    """Check every entry, every stored subtree hash and every checkpoint, in one pass."""
    keys = {key_id(k): k for k in public_keys}
    checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    pending = sorted(checkpoints, key=lambda c: (c.size, c.id))
    count = 0
    try:
        _check_signatures(checkpoints, keys)
        nodes = _stored_nodes(session)
        frontier: list[tuple[int, bytes]] = []

        def check_roots() -> None:
            while pending and pending[0].size == count:
                row = pending.pop(0)
                root = merkle.root_from_frontier([digest for _, digest in frontier])
                if row.root_hash != root:
                    raise _Failed(
                        f"checkpoint {row.id} (size {row.size}): root {row.root_hash.hex()[:16]}… "
                        f"does not match the log's {root.hex()[:16]}…: entries before "
                        f"{row.size} were altered after it was signed"
                    )

        check_roots()
        table = AuditEntryRow.__table__
        entries = select(table).order_by(table.c.seq)  # plain rows: no ORM objects to build
        for row in session.connection().execute(entries.execution_options(yield_per=5000)):
            if row.seq != count:
                raise _Failed(f"entry {count} is missing (the log jumps to {row.seq})")
            _check_entry(row)
            level, position, digest = 0, count, merkle.leaf_hash(row.entry)
            completed = [(0, count, digest)]
            while frontier and frontier[-1][0] == level:
                digest = merkle.node_hash(frontier.pop()[1], digest)
                level, position = level + 1, position >> 1
                completed.append((level, position, digest))
            frontier.append((level, digest))
            for lv, ix, expected in completed:
                stored = next(nodes, None)
                if stored is None or (stored.level, stored.idx) != (lv, ix):
                    raise _Failed(f"entry {count}: the subtree hash ({lv}, {ix}) is missing")
                if stored.hash != expected:
                    if lv == 0:
                        raise _Failed(
                            f"entry {count}: its content does not match its leaf hash "
                            "(the entry was changed after it was written)"
                        )
                    raise _Failed(
                        f"entry {count}: the stored subtree hash at level {lv} index {ix} "
                        "does not match the entries"
                    )
            count += 1
            check_roots()
        if pending:
            beyond = pending[0]
            raise _Failed(
                f"checkpoint {beyond.id} covers {beyond.size} entries but the log holds {count}: "
                "entries were removed"
            )
        extra = next(nodes, None)
        if extra is not None:
            raise _Failed(
                f"subtree hash ({extra.level}, {extra.idx}) lies beyond the log's {count} entries"
            )
    except _Failed as failure:
        return Verification(count, len(checkpoints), str(failure))
    return Verification(count, len(checkpoints))
