"""``lindungi serve`` and ``lindungi demo`` refuse a database that could lose acknowledged
writes in a crash (PostgreSQL with ``synchronous_commit = off`` for the database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from lindungi.cli import app
from lindungi.db import make_engine
from tests_support import POSTGRES_URL, free_port, fresh_postgres_database

UNSAFE_DATABASE = "lindungi_unsafe_durability"


@pytest.fixture
def unsafe_url() -> Iterator[str]:
    """An initialised database whose sessions run with ``synchronous_commit = off``."""
    url = make_url(POSTGRES_URL).set(database=UNSAFE_DATABASE).render_as_string(False)
    fresh_postgres_database(url)
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    admin = make_engine(make_url(url).set(database="postgres").render_as_string(False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{UNSAFE_DATABASE}" SET synchronous_commit = off'))
    try:
        yield url
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{UNSAFE_DATABASE}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["serve"], ["demo", "--people", "1"]])
def test_an_unsafe_database_is_refused_before_serving(
    unsafe_url: str, tmp_path: Path, command: list[str]
) -> None:
    env = {"LINDUNGI_AUDIT_KEY_FILE": str(tmp_path / "audit.pem")}
    result = CliRunner().invoke(
        app, [*command, "--port", str(free_port()), "--db", unsafe_url], env=env
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: unsafe durability settings on {make_url(unsafe_url).render_as_string()}: "
        "PostgreSQL synchronous_commit is off; it must not be off (an acknowledged write "
        "could be lost in a crash; see docs/reliability.md)\n"
    )
