"""Small helpers shared by tests that start real processes."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from socketserver import BaseServer
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url

from lindungi.db import make_engine
from lindungi.settings import Settings, load_settings

S = TypeVar("S", bound=BaseServer)


@contextmanager
def serving(server: S) -> Iterator[S]:
    """Serve ``server`` (a loopback test receiver) on a thread; shut it down after."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _own_database(url: str) -> str:
    """``url``, with the pytest-xdist worker's name on the database (``lindungi_test_gw0``)
    when the suite runs on several workers, so each recreates and fills its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _own_database(
    os.environ.get(
        "LINDUNGI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/lindungi_test"
    )
)
TEST_SECRET = "test-secret-" + "x" * 40


def make_settings(key_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test: the test environment, a non-default secret, an audit key in
    ``key_dir``, and no periodic checkpoints (tests sign when they mean to)."""
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": TEST_SECRET,
        "audit_key_file": key_dir / "audit-ed25519.pem",
        "audit_checkpoint_interval_seconds": 0,
    }
    values.update(overrides)
    return load_settings(**values)


def fresh_postgres_database(url: str) -> str:
    """Drop and recreate the database named in ``url``; return ``url``."""
    parsed = make_url(url)
    name = parsed.database
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe test database name {name!r}")
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url
