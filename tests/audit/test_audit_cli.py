"""``lindungi audit`` commands on a real database, and a witness against a served hub."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from lindungi.audit.signing import checkpoint_from_json
from lindungi.cli import app
from lindungi.db import make_engine

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "LINDUNGI_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
        "LINDUNGI_AUDIT_KEY_FILE": str(tmp_path / "audit.pem"),
    }


def run(env: dict[str, str], *args: str) -> Result:
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def hub(env: dict[str, str]) -> dict[str, str]:
    assert run(env, "init").exit_code == 0
    for name in ("a", "b", "c"):
        assert (
            run(
                env, "users", "add", f"bp2mi.{name}", "--agency", "bp2mi", "--role", "case_worker"
            ).exit_code
            == 0
        )
    return env


def test_checkpoint_prints_the_contract_json(hub: dict[str, str]) -> None:
    result = run(hub, "audit", "checkpoint")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert sorted(body) == ["key_id", "root_hash", "signature", "size", "timestamp"]
    assert body["size"] == 3
    assert re.fullmatch(r"[0-9a-f]{64}", body["root_hash"])
    assert checkpoint_from_json(body).size == 3


def test_verify_passes_then_names_the_tampered_entry(hub: dict[str, str]) -> None:
    run(hub, "audit", "checkpoint")
    ok = run(hub, "audit", "verify")
    assert ok.exit_code == 0
    assert ok.stdout == "audit log verified: 3 entries, 1 checkpoints\n"
    engine = make_engine(hub["LINDUNGI_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        conn.execute(text("UPDATE audit_entries SET actor = 'nobody' WHERE seq = 1"))
    engine.dispose()
    bad = run(hub, "audit", "verify")
    assert bad.exit_code == 1
    assert bad.stderr == (
        "error: audit log verification FAILED: entry 1: column actor says 'nobody' but "
        f"the hashed entry says {bad.stderr.split('says ')[-1].strip()}\n"
    )
    assert "the hashed entry says 'cli:" in bad.stderr


def test_verify_with_an_outside_public_key(hub: dict[str, str], tmp_path: Path) -> None:
    run(hub, "audit", "checkpoint")
    pem = run(hub, "audit", "public-key")
    assert pem.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "hub.pub").write_text(pem.stdout)
    result = run(hub, "audit", "verify", "--public-key", str(tmp_path / "hub.pub"))
    assert result.exit_code == 0
    run(hub, "audit", "keygen", "--out", str(tmp_path / "other.pem"))
    other = dict(hub, LINDUNGI_AUDIT_KEY_FILE=str(tmp_path / "other.pem"))
    (tmp_path / "other.pub").write_text(run(other, "audit", "public-key").stdout)
    refused = run(hub, "audit", "verify", "--public-key", str(tmp_path / "other.pub"))
    assert refused.exit_code == 1
    assert "signed by unknown key" in refused.stderr


def test_prove_prints_a_proof_that_verifies(hub: dict[str, str]) -> None:
    from lindungi.audit import merkle

    run(hub, "audit", "checkpoint")
    proof = json.loads(run(hub, "audit", "prove", "1").stdout)
    assert (proof["seq"], proof["tree_size"]) == (1, 3)
    assert merkle.verify_inclusion_hash(
        bytes.fromhex(proof["leaf_hash"]), 1, 3, [bytes.fromhex(p) for p in proof["proof"]],
        bytes.fromhex(proof["root_hash"]),
    )  # fmt: skip
    missing = run(hub, "audit", "prove", "99")
    assert (missing.exit_code, missing.stderr) == (1, "error: no audit entry 99\n")


def test_keygen_never_overwrites(tmp_path: Path, env: dict[str, str]) -> None:
    first = run(env, "audit", "keygen", "--out", str(tmp_path / "k.pem"))
    assert first.exit_code == 0
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    second = run(env, "audit", "keygen", "--out", str(tmp_path / "k.pem"))
    assert second.exit_code == 1
    assert "already exists; not overwriting a signing key" in second.stderr


def test_production_refuses_a_missing_signing_key(hub: dict[str, str], tmp_path: Path) -> None:
    prod = dict(hub, LINDUNGI_ENVIRONMENT="production", LINDUNGI_SECRET_KEY="s" * 40,
                LINDUNGI_AUDIT_KEY_FILE=str(tmp_path / "absent.pem"))  # fmt: skip
    result = run(prod, "audit", "checkpoint")
    assert result.exit_code == 1
    assert "does not exist; create it with `lindungi audit keygen --out FILE`" in result.stderr


def test_witness_from_the_database_accepts_growth_and_rejects_a_rewrite(
    hub: dict[str, str], tmp_path: Path
) -> None:
    state = tmp_path / "witness.json"
    (tmp_path / "hub.pub").write_text(run(hub, "audit", "public-key").stdout)
    witness = ["audit", "witness", "--state", str(state), "--public-key", str(tmp_path / "hub.pub")]
    run(hub, "audit", "checkpoint")
    first = run(hub, *witness)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("witnessed checkpoint size 3 root ")
    run(hub, "users", "add", "bp2mi.d", "--agency", "bp2mi", "--role", "case_worker")
    run(hub, "audit", "checkpoint")
    second = run(hub, *witness)
    assert second.exit_code == 0
    assert second.stdout.endswith("(consistent with size 3)\n")
    remembered = state.read_text()

    engine = make_engine(hub["LINDUNGI_DATABASE_URL"])
    with engine.begin() as conn:
        for event in ("update", "delete"):
            for table in ("audit_entries", "audit_nodes", "audit_checkpoints"):
                conn.execute(text(f"DROP TRIGGER {table}_no_{event}"))
        for table in ("audit_entries", "audit_nodes", "audit_checkpoints"):
            conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names
    engine.dispose()
    for name in ("x", "y", "z", "w", "v"):
        run(hub, "users", "add", f"kemlu.{name}", "--agency", "kemlu", "--role", "consular")
    run(hub, "audit", "checkpoint")
    assert run(hub, "audit", "verify").exit_code == 0  # the forger re-signed a tidy history
    rejected = run(hub, *witness)
    assert rejected.exit_code == 1
    assert rejected.stderr.startswith("REJECTED: checkpoint of size 5 ")
    assert rejected.stderr.endswith("the log's history was rewritten\n")
    assert state.read_text() == remembered


@pytest.fixture
def served_hub(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    import os

    from tests_support import free_port

    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")}
    env |= {
        "LINDUNGI_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "LINDUNGI_AUDIT_KEY_FILE": str(tmp_path / "served.pem"),
        "LINDUNGI_AUDIT_CHECKPOINT_INTERVAL_SECONDS": "1",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lindungi", "demo", "--people", "3", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    token = ""
    for line in proc.stdout:
        if line.startswith("  bp2mi     bp2mi.analyst"):
            token = line.split("token ")[1].strip()
            break
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    try:
        yield base, token, env
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_witness_follows_a_served_hub_over_http(
    served_hub: tuple[str, str, dict[str, str]], tmp_path: Path
) -> None:
    base, token, env = served_hub
    auth = {"Authorization": f"Bearer {token}"}
    latest = None
    for _ in range(100):  # the periodic signer runs every second
        response = httpx.get(f"{base}/api/v1/audit/checkpoints/latest", headers=auth)
        if response.status_code == 200:
            latest = response.json()
            break
        time.sleep(0.1)
    assert latest is not None
    # the demo's people, index, users, recruiters, screenings, cases, monitoring, 13 tokens
    assert latest["size"] == 20
    state = tmp_path / "w.json"
    cmd = ["audit", "witness", "--state", str(state), "--hub", base, "--token", token]
    first = runner.invoke(app, cmd, env={"LINDUNGI_DATABASE_URL": env["LINDUNGI_DATABASE_URL"]})
    assert first.exit_code == 0, first.output
    assert "first run: trusting the hub's key" in first.stderr
    assert first.stdout.startswith("witnessed checkpoint size 20 ")
    httpx.get(f"{base}/api/v1/users/bp2mi.admin", headers=auth)  # a denied read: logged
    for _ in range(100):
        size = httpx.get(f"{base}/api/v1/audit/checkpoints/latest", headers=auth).json()["size"]
        if size > 20:
            break
        time.sleep(0.1)
    second = runner.invoke(app, cmd)
    assert second.exit_code == 0, second.output
    assert second.stdout.endswith("(consistent with size 20)\n")
    bad_token = runner.invoke(app, [*cmd[:-1], "lgi_wrong"])
    assert bad_token.exit_code == 1
    assert "HTTP 401 unknown bearer token" in bad_token.stderr


def test_witness_refuses_a_broken_state_file_and_a_changed_key(
    hub: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "hub.pub").write_text(run(hub, "audit", "public-key").stdout)
    run(hub, "audit", "checkpoint")
    state = tmp_path / "w.json"
    base = ["audit", "witness", "--state"]
    lost = run(
        hub, *base, str(tmp_path / "missing" / "w.json"), "--public-key", str(tmp_path / "hub.pub")
    )
    assert (lost.exit_code, lost.stderr) == (
        1,
        f"error: the folder of the state file {tmp_path / 'missing' / 'w.json'} does not exist\n",
    )
    state.write_text("{not json")
    broken = run(hub, *base, str(state), "--public-key", str(tmp_path / "hub.pub"))
    assert broken.exit_code == 1
    assert broken.stderr.startswith(f"error: {state} is not a witness state file: ")
    state.unlink()
    assert run(hub, *base, str(state), "--public-key", str(tmp_path / "hub.pub")).exit_code == 0
    run(hub, "audit", "keygen", "--out", str(tmp_path / "other.pem"))
    other = dict(hub, LINDUNGI_AUDIT_KEY_FILE=str(tmp_path / "other.pem"))
    (tmp_path / "other.pub").write_text(run(other, "audit", "public-key").stdout)
    switched = run(hub, *base, str(state), "--public-key", str(tmp_path / "other.pub"))
    assert switched.exit_code == 1
    assert "a witness never changes keys silently" in switched.stderr
