"""``lindungi demo`` and ``lindungi serve`` as real processes over real HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from tests_support import free_port

LINDUNGI = [sys.executable, "-m", "lindungi"]


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")}
    env["LINDUNGI_DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.db'}"
    env["LINDUNGI_AUDIT_KEY_FILE"] = str(tmp_path / "audit-ed25519.pem")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # nothing lands in the real home
    return env


def test_demo_loads_idempotently_and_prints_a_login_per_agency(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    first = subprocess.run(
        [*LINDUNGI, "demo", "--no-serve", "--people", "25"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("SYNTHETIC DEMO DATA — not real people (seed 20231)\n")
    assert (
        ": 25 people, 13 users and 22 recruiters added, 0 people and users already there"
        in first.stdout
    )
    assert "hub: http://127.0.0.1:8000" in first.stdout
    events = re.search(r"^exchange: (\d+) agency events in the outbox \(", first.stdout, re.M)
    assert events is not None, first.stdout
    assert int(events[1]) > 0
    for agency in ("imigrasi", "kemnaker", "bp2mi", "kemlu", "polri"):
        assert re.search(
            rf"^  {agency} +{agency}\.admin +admin +password demo-", first.stdout, re.M
        )
    second = subprocess.run(
        [*LINDUNGI, "demo", "--no-serve", "--people", "25"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert (
        ": 0 people, 0 users and 0 recruiters added, 38 people and users already there"
        in second.stdout
    )
    # Loading again changes nothing, so it tells the agencies nothing new.
    assert f"exchange: {events[1]} agency events in the outbox (" in second.stdout


def test_demo_refuses_production(tmp_path: Path) -> None:
    env = env_for(tmp_path) | {
        "LINDUNGI_ENVIRONMENT": "production",
        "LINDUNGI_SECRET_KEY": "p" * 40,
    }
    result = subprocess.run(
        [*LINDUNGI, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        "error: the demo loads synthetic users with published passwords; not in production\n"
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A real ``lindungi demo`` server on a free port; yields (base URL, an admin token)."""
    port = free_port()
    proc = subprocess.Popen(
        [*LINDUNGI, "demo", "--people", "5", "--port", str(port)],
        env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    token = ""
    try:
        for line in proc.stdout:
            if line.startswith("  imigrasi  imigrasi.admin"):
                token = line.split("token ")[1].strip()
                break
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, token
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_served_hub_answers_with_auth_and_agency_scopes(served: tuple[str, str]) -> None:
    base, token = served
    assert token.startswith("lgi_")
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/readyz").json() == {"status": "ready"}
    assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "Lindungi"
    unauthenticated = httpx.get(f"{base}/api/v1/me")
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["content-type"] == "application/problem+json"
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}/api/v1/me", headers=auth).json()["username"] == "imigrasi.admin"
    own = httpx.get(f"{base}/api/v1/agencies/imigrasi/users", headers=auth)
    assert [u["username"] for u in own.json()] == ["imigrasi.admin", "imigrasi.officer"]
    assert httpx.get(f"{base}/api/v1/agencies/bp2mi/users", headers=auth).status_code == 403
