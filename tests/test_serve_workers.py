"""``lindungi serve --workers 2`` on PostgreSQL as real processes: two hub processes
answer on one port, and the public rate limit, counted in Redis, holds across them (with
each process counting on its own, the same requests would get through twice as often).
Without a shared store several workers are refused."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import redis

from tests_support import POSTGRES_URL, free_port, fresh_postgres_database

LINDUNGI = [sys.executable, "-m", "lindungi"]
REDIS_URL = os.environ.get("LINDUNGI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 6


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")}
    env["LINDUNGI_AUDIT_KEY_FILE"] = str(tmp_path / "audit-ed25519.pem")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    return env | extra


def test_several_workers_need_a_shared_rate_limit_store(tmp_path: Path) -> None:
    env = _env(tmp_path, LINDUNGI_DATABASE_URL=f"sqlite:///{tmp_path / 'hub.db'}")
    subprocess.run([*LINDUNGI, "init"], env=env, check=True, capture_output=True, timeout=120)
    refused = subprocess.run(
        [*LINDUNGI, "serve", "--workers", "2", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "LINDUNGI_RATE_LIMIT_STORAGE" in refused.stderr


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _workers(pid: int) -> list[int]:
    """The uvicorn worker processes under the serving process (not its helpers)."""
    return [
        child for child in _children(pid)
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
        and b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]  # fmt: skip


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """``lindungi serve --workers 2`` on a PostgreSQL database of its own, counting the
    public rate limit in a Redis database emptied first; yields (base URL, its pid)."""
    url = POSTGRES_URL.rsplit("/", 1)
    database = fresh_postgres_database(f"{url[0]}/{url[1]}_workers")
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = _env(tmp_path, LINDUNGI_DATABASE_URL=database,
               LINDUNGI_RATE_LIMIT_STORAGE=REDIS_URL,
               LINDUNGI_PUBLIC_RATE_LIMIT=f"{LIMIT}/minute")  # fmt: skip
    subprocess.run([*LINDUNGI, "init"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen(
        [*LINDUNGI, "serve", "--workers", "2", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if (httpx.get(f"{base}/readyz", timeout=1).status_code == 200
                        and len(_workers(proc.pid)) == 2):  # fmt: skip
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_two_workers_share_the_public_rate_limit(two_workers: tuple[str, int]) -> None:
    base, pid = two_workers
    assert len(_workers(pid)) == 2
    answers = []
    for _ in range(3 * LIMIT):  # a new connection each time: the kernel spreads them
        with httpx.Client() as fresh:
            answers.append(
                fresh.get(f"{base}/api/v1/public/verify", params={"name": "PT Maju Jaya"})
            )
    codes = [a.status_code for a in answers]
    assert codes.count(200) == LIMIT, codes
    assert codes.count(429) == 2 * LIMIT, codes
    assert httpx.get(f"{base}/readyz").json() == {"status": "ready"}
