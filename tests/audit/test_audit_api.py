"""The audit hook through the real API: reads, writes and denials land in the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lindungi.audit import merkle
from lindungi.audit.models import AuditEntryRow
from lindungi.audit.signing import checkpoint_from_json, load_public_key, verify_checkpoint
from lindungi.auth import service

MakeToken = Callable[..., str]


@pytest.fixture
def token_for(session: Session) -> MakeToken:
    def make(username: str, agency: str, *roles: str) -> str:
        user = service.add_user(session, username, agency=agency, roles=list(roles))
        secret = service.issue_token(session, user, ttl=dt.timedelta(days=1)).secret
        session.commit()
        return secret

    return make


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def log(session: Session) -> list[tuple[str, str, str, str, str]]:
    session.expire_all()
    rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq))
    return [(r.actor, r.action, r.resource_type, r.resource_id, r.purpose) for r in rows]


def test_reads_writes_and_denials_are_recorded_with_request_and_purpose(
    client: TestClient, token_for: MakeToken, session: Session
) -> None:
    admin = token_for("bp2mi.admin", "bp2mi", "admin")
    outsider = token_for("polri.admin", "polri", "admin")
    listed = client.get(
        "/api/v1/agencies/bp2mi/users",
        headers=bearer(admin, **{"X-Purpose": "monthly account review", "X-Request-ID": "rq-1"}),
    )
    assert listed.status_code == 200
    assert listed.headers["x-request-id"] == "rq-1"
    created = client.post(
        "/api/v1/agencies/bp2mi/users",
        json={"username": "bp2mi.new", "full_name": "Baru", "roles": ["case_worker"]},
        headers=bearer(admin),
    )
    assert created.status_code == 201
    denied = client.get("/api/v1/agencies/bp2mi/users", headers=bearer(outsider))
    assert denied.status_code == 403
    assert denied.json()["request_id"] == denied.headers["x-request-id"]
    assert log(session) == [
        ("bp2mi.admin", "read", "users", "agency:bp2mi", "monthly account review"),
        ("bp2mi.admin", "create", "users", "bp2mi.new", ""),
        ("polri.admin", "denied", "users", "agency:bp2mi", "attempted read: "),
    ]
    first = session.scalar(select(AuditEntryRow).where(AuditEntryRow.seq == 0))
    assert first is not None
    assert first.request_id == "rq-1"
    assert b'"fields":["agency","full_name","is_active","roles","username"]' in first.entry


def test_a_failing_audit_write_fails_the_request_and_keeps_nothing(
    client: TestClient, token_for: MakeToken, session: Session
) -> None:
    admin = token_for("kemlu.admin", "kemlu", "admin")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'audit storage broken'; END $$"
            )
        )
        session.execute(
            text(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse()"
            )
        )
    else:
        session.execute(
            text(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries "
                "BEGIN SELECT RAISE(ABORT, 'audit storage broken'); END"
            )
        )
    session.commit()
    response = client.post(
        "/api/v1/agencies/kemlu/users",
        json={"username": "kemlu.ghost", "full_name": "Ghost", "roles": ["consular"]},
        headers=bearer(admin),
    )
    assert response.status_code == 500
    assert "audit storage broken" not in response.text
    session.expire_all()
    with pytest.raises(Exception, match=r"no user 'kemlu\.ghost'"):
        service.get_user(session, "kemlu.ghost")


def test_only_auditors_read_the_log_and_their_reads_are_logged(
    client: TestClient, token_for: MakeToken, session: Session
) -> None:
    auditor = token_for("kemnaker.auditor", "kemnaker", "auditor")
    officer = token_for("imigrasi.officer", "imigrasi", "officer")
    assert client.get("/api/v1/audit/entries", headers=bearer(officer)).status_code == 403
    entries = client.get("/api/v1/audit/entries", headers=bearer(auditor)).json()
    assert [(e["actor"], e["action"], e["resource_type"]) for e in entries] == [
        ("imigrasi.officer", "denied", "audit"),
    ]
    assert entries[0]["entry"].startswith('{"action":"denied","actor":"imigrasi.officer"')
    assert log(session)[-1][:4] == ("kemnaker.auditor", "read", "audit", "after=-1")
    filtered = client.get(
        "/api/v1/audit/entries", params={"actor": "kemnaker.auditor"}, headers=bearer(auditor)
    ).json()
    assert [(e["resource_type"], e["resource_id"]) for e in filtered] == [("audit", "after=-1")]
    assert log(session)[-1][3] == "after=-1&actor=kemnaker.auditor"


def test_checkpoints_and_proofs_verify_for_a_witness(
    client: TestClient, token_for: MakeToken, session: Session
) -> None:
    auditor = token_for("bp2mi.auditor", "bp2mi", "auditor")
    witness = token_for("polri.analyst", "polri", "analyst")
    assert (
        client.get("/api/v1/audit/checkpoints/latest", headers=bearer(witness)).status_code == 404
    )
    for _ in range(3):
        client.get("/api/v1/audit/entries", headers=bearer(auditor))
    assert client.post("/api/v1/audit/checkpoints", headers=bearer(witness)).status_code == 403
    signed = client.post("/api/v1/audit/checkpoints", headers=bearer(auditor))
    assert signed.status_code == 201
    checkpoint = checkpoint_from_json(signed.json())
    assert checkpoint.size == 4  # three reads and one denied attempt
    key = client.get("/api/v1/audit/public-key", headers=bearer(witness)).json()
    assert verify_checkpoint(load_public_key(key["public_key_pem"]), checkpoint)
    assert key["key_id"] == checkpoint.key_id

    proof: dict[str, Any] = client.get(
        "/api/v1/audit/entries/2/proof", headers=bearer(auditor)
    ).json()
    entry = session.get(AuditEntryRow, 2)
    assert entry is not None
    assert merkle.verify_inclusion(
        entry.entry, 2, proof["tree_size"], [bytes.fromhex(p) for p in proof["proof"]],
        bytes.fromhex(proof["root_hash"]),
    )  # fmt: skip
    consistency = client.get(
        "/api/v1/audit/consistency", params={"first": 1, "second": 4}, headers=bearer(witness)
    ).json()
    old_root = merkle.leaf_hash(session.get(AuditEntryRow, 0).entry)  # type: ignore[union-attr]
    assert merkle.verify_consistency(
        1, 4, old_root, checkpoint.root_hash, [bytes.fromhex(p) for p in consistency["proof"]]
    )
    too_far = client.get(
        "/api/v1/audit/consistency", params={"first": 1, "second": 99}, headers=bearer(witness)
    )
    assert too_far.status_code == 422
    assert too_far.json()["detail"].startswith("consistency needs 0 <= first <= second <= ")
