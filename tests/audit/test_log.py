"""The stored log on both databases: appends, proofs, checkpoints, and tampering caught."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from lindungi.audit import merkle, service
from lindungi.audit.entry import Action
from lindungi.audit.models import AuditEntryRow
from lindungi.audit.service import Actor
from lindungi.audit.signing import verify_checkpoint
from lindungi.audit.verify import verify_log
from lindungi.audit.witness import WitnessRejection, WitnessState, observe

OFFICER = Actor("bp2mi.siti", "bp2mi")
T0 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def fill(session: Session, n: int, start: int = 0) -> list[bytes]:
    """Append ``n`` entries; return their canonical bytes."""
    return [
        service.record(
            session,
            OFFICER,
            Action.READ,
            "cases",
            f"CASE-{i}",
            fields=["narrative", "contact"],
            purpose="triage",
            request_id=f"req-{i}",
            now=T0 + dt.timedelta(seconds=i),
        ).canonical()
        for i in range(start, start + n)
    ]


def bypass_triggers(session: Session) -> None:
    """What an administrator with database access can do; rolled back with the test."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))
        return
    for table in ("audit_entries", "audit_nodes", "audit_checkpoints"):
        for event in ("update", "delete"):
            session.execute(text(f"DROP TRIGGER {table}_no_{event}"))


def test_stored_roots_and_proofs_agree_with_the_list_api(
    session: Session, key: Ed25519PrivateKey
) -> None:
    entries = fill(session, 37)
    assert service.log_size(session) == 37
    for size in (1, 2, 3, 16, 17, 37):
        assert service.tree_root(session, size) == merkle.tree_hash(entries[:size])
    checkpoint = service.create_checkpoint(session, key)
    assert (checkpoint.size, checkpoint.root_hash) == (37, merkle.tree_hash(entries))
    assert verify_checkpoint(key.public_key(), checkpoint)
    for seq in (0, 5, 31, 36):
        proof = service.prove_inclusion(session, seq)
        assert proof.proof == merkle.inclusion_proof(seq, entries)
        assert merkle.verify_inclusion(entries[seq], seq, 37, proof.proof, checkpoint.root_hash)
    for old in (0, 1, 7, 16, 36, 37):
        assert service.prove_consistency(session, old, 37) == merkle.consistency_proof(old, entries)


def test_entries_hold_field_names_not_values(session: Session) -> None:
    entry = service.record(
        session, OFFICER, Action.UPDATE, "cases", "CASE-9", fields=["address", "address", "phone"]
    )
    row = session.get(AuditEntryRow, entry.seq)
    assert row is not None
    assert row.entry.startswith(b'{"action":"update","actor":"bp2mi.siti","agency":"bp2mi",')
    assert b'"fields":["address","phone"]' in row.entry


def test_checkpoint_only_if_grown_reuses_an_unchanged_head(
    session: Session, key: Ed25519PrivateKey
) -> None:
    fill(session, 3)
    first = service.create_checkpoint(session, key)
    assert service.create_checkpoint(session, key, only_if_grown=True) == first
    fill(session, 1, start=3)
    assert service.create_checkpoint(session, key, only_if_grown=True).size == 4


def test_an_entry_not_yet_checkpointed_cannot_be_proven(
    session: Session, key: Ed25519PrivateKey
) -> None:
    fill(session, 2)
    service.create_checkpoint(session, key)
    fill(session, 1, start=2)
    with pytest.raises(Exception, match="audit entry 2 is not yet covered by a checkpoint"):
        service.prove_inclusion(session, 2)


def test_an_intact_log_verifies(session: Session, key: Ed25519PrivateKey) -> None:
    fill(session, 5)
    service.create_checkpoint(session, key)
    fill(session, 6, start=5)
    service.create_checkpoint(session, key)
    result = verify_log(session, [key.public_key()])
    assert (result.ok, result.entries, result.checkpoints, result.problem) == (True, 11, 2, None)


def test_the_database_refuses_to_change_the_log(session: Session) -> None:
    fill(session, 2)
    for statement in (
        "UPDATE audit_entries SET actor = 'someone' WHERE seq = 0",
        "DELETE FROM audit_entries WHERE seq = 1",
        "DELETE FROM audit_nodes",
    ):
        nested = session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
        nested.rollback()


def _tamper_and_verify(
    session: Session, key: Ed25519PrivateKey, *statements: str, **params: object
) -> str:
    fill(session, 10)
    service.create_checkpoint(session, key)
    bypass_triggers(session)
    for statement in statements:
        session.execute(text(statement), params)
    result = verify_log(session, [key.public_key()])
    assert not result.ok
    assert result.problem is not None
    return result.problem


def _change_entry(session: Session, seq: int, old: bytes, new: bytes, *, columns: bool) -> None:
    row = session.get(AuditEntryRow, seq)
    assert row is not None
    changed = row.entry.replace(old, new)
    bypass_triggers(session)
    statement = "UPDATE audit_entries SET entry = :d"
    statement += ", resource_id = :r WHERE seq = :s" if columns else " WHERE seq = :s"
    session.execute(text(statement), {"d": changed, "r": new.decode(), "s": seq})
    session.expire_all()


def test_one_changed_byte_is_named(session: Session, key: Ed25519PrivateKey) -> None:
    fill(session, 10)
    service.create_checkpoint(session, key)
    _change_entry(session, 4, b"CASE-4", b"CASE-7", columns=False)  # one byte: 4 -> 7
    assert verify_log(session, [key.public_key()]).problem == (
        "entry 4: column resource_id says 'CASE-4' but the hashed entry says 'CASE-7'"
    )


def test_a_changed_entry_with_its_columns_is_caught_by_its_leaf_hash(
    session: Session, key: Ed25519PrivateKey
) -> None:
    fill(session, 10)
    service.create_checkpoint(session, key)
    _change_entry(session, 4, b"CASE-4", b"CASE-7", columns=True)
    assert verify_log(session, [key.public_key()]).problem == (
        "entry 4: its content does not match its leaf hash "
        "(the entry was changed after it was written)"
    )


def test_a_forger_who_rehashes_everything_is_caught_by_the_checkpoint(
    session: Session, key: Ed25519PrivateKey
) -> None:
    entries = fill(session, 10)
    service.create_checkpoint(session, key)
    forged = entries[3].replace(b"CASE-3", b"CASE-X")
    store = {}
    for i, data in enumerate([*entries[:3], forged, *entries[4:]]):
        for level, idx, digest in merkle.appended_nodes(
            i, merkle.leaf_hash(data), lambda lv, ix: store[(lv, ix)]
        ):
            store[(level, idx)] = digest
    bypass_triggers(session)
    session.execute(
        text("UPDATE audit_entries SET entry = :d, resource_id = 'CASE-X' WHERE seq = 3"),
        {"d": forged},
    )
    for (level, idx), digest in store.items():
        session.execute(
            text("UPDATE audit_nodes SET hash = :h WHERE level = :l AND idx = :i"),
            {"h": digest, "l": level, "i": idx},
        )
    session.expire_all()
    problem = verify_log(session, [key.public_key()]).problem
    assert problem is not None
    assert re.match(r"checkpoint \d+ \(size 10\): root ", problem)
    assert problem.endswith("entries before 10 were altered after it was signed")


def test_a_deleted_entry_is_named(session: Session, key: Ed25519PrivateKey) -> None:
    problem = _tamper_and_verify(session, key, "DELETE FROM audit_entries WHERE seq = 6")
    assert problem == "entry 6 is missing (the log jumps to 7)"


def test_two_swapped_entries_are_named(session: Session, key: Ed25519PrivateKey) -> None:
    problem = _tamper_and_verify(
        session, key,
        "UPDATE audit_entries SET seq = -1 WHERE seq = 2",
        "UPDATE audit_entries SET seq = 2 WHERE seq = 3",
        "UPDATE audit_entries SET seq = 3 WHERE seq = -1",
    )  # fmt: skip
    assert problem == "entry 2: its content is numbered 3 (entries were moved)"


def test_a_truncated_tail_is_caught(session: Session, key: Ed25519PrivateKey) -> None:
    problem = _tamper_and_verify(
        session, key,
        "DELETE FROM audit_entries WHERE seq >= 8",
        "DELETE FROM audit_nodes WHERE ((idx + 1) << level) > 8",
    )  # fmt: skip
    assert re.fullmatch(
        r"checkpoint \d+ covers 10 entries but the log holds 8: entries were removed", problem
    )


def test_an_altered_checkpoint_is_caught(session: Session, key: Ed25519PrivateKey) -> None:
    problem = _tamper_and_verify(session, key, "UPDATE audit_checkpoints SET size = 9")
    assert re.fullmatch(
        r"checkpoint \d+ \(size 9\): the signature does not verify \(the checkpoint was altered\)",
        problem,
    )


def test_a_checkpoint_signed_by_another_key_is_caught(
    session: Session, key: Ed25519PrivateKey
) -> None:
    fill(session, 3)
    intruder = Ed25519PrivateKey.generate()
    service.create_checkpoint(session, intruder)
    problem = verify_log(session, [key.public_key()]).problem
    assert problem is not None
    assert re.match(r"checkpoint \d+ \(size 3\): signed by unknown key ", problem)


def test_a_witness_rejects_a_replaced_and_resigned_history(
    session: Session, key: Ed25519PrivateKey
) -> None:
    fill(session, 10)
    seen = service.create_checkpoint(session, key)
    state = observe(WitnessState(key.public_key()), seen, [])
    fill(session, 2, start=10)
    grown = service.create_checkpoint(session, key)
    state = observe(state, grown, service.prove_consistency(session, seen.size, grown.size))
    assert state.checkpoint == grown

    # The whole history is replaced and re-signed with the hub's own key.
    bypass_triggers(session)
    for table in ("audit_entries", "audit_nodes", "audit_checkpoints"):
        session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names
    session.expire_all()
    for i in range(14):
        service.record(session, Actor("forger"), Action.READ, "cases", f"OTHER-{i}", now=T0)
    rewritten = service.create_checkpoint(session, key, now=T0 + dt.timedelta(days=1))
    assert verify_log(session, [key.public_key()]).ok  # locally consistent...
    with pytest.raises(WitnessRejection, match="the log's history was rewritten"):
        observe(state, rewritten, service.prove_consistency(session, grown.size, rewritten.size))

    shrunk = service.create_checkpoint(session, key)
    with pytest.raises(WitnessRejection):
        observe(
            WitnessState(
                key.public_key(),
                rewritten.__class__(
                    20,
                    rewritten.root_hash,
                    rewritten.timestamp,
                    rewritten.key_id,
                    rewritten.signature,
                ),
            ),
            shrunk,
            [],
        )


def test_a_witness_round_trips_its_state_and_refuses_foreign_signatures(
    key: Ed25519PrivateKey,
) -> None:
    from lindungi.audit.signing import sign_checkpoint

    checkpoint = sign_checkpoint(key, 0, merkle.EMPTY_ROOT, T0)
    state = observe(WitnessState(key.public_key()), checkpoint, [])
    assert WitnessState.from_json(state.to_json()) == state
    other = sign_checkpoint(Ed25519PrivateKey.generate(), 1, merkle.leaf_hash(b"x"), T0)
    with pytest.raises(WitnessRejection, match="is not signed by the hub's key"):
        observe(state, other, [])


def test_a_clock_stepped_back_never_dates_a_checkpoint_before_its_predecessor(
    session: Session, key: Ed25519PrivateKey
) -> None:
    fill(session, 2)
    first = service.create_checkpoint(session, key, now=T0 + dt.timedelta(hours=1))
    fill(session, 1, start=2)
    second = service.create_checkpoint(session, key, now=T0)  # the clock went back an hour
    assert second.timestamp == first.timestamp
    assert verify_log(session, [key.public_key()]).ok
