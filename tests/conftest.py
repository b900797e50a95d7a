"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL, rolled back.

PostgreSQL comes from ``LINDUNGI_TEST_POSTGRES_URL`` (default: the local server,
database ``lindungi_test``, recreated at the start of the run). ``.ci/run`` makes sure
the server is up; without it the PostgreSQL half of the suite fails loudly rather
than being skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.db import make_engine
from lindungi.migrate import init_db
from lindungi.settings import Settings
from tests_support import POSTGRES_URL, fresh_postgres_database, make_settings


@pytest.fixture(scope="session", autouse=True)
def _no_writes_to_the_real_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Default paths (database, audit key) resolve under a temporary folder in tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        for name in [
            n for n in os.environ if n.startswith("LINDUNGI_") and n != "LINDUNGI_TEST_POSTGRES_URL"
        ]:
            patch.delenv(name)
        yield


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the run's tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'lindungi.db'}"
    else:
        url = fresh_postgres_database(POSTGRES_URL)
    eng = make_engine(url)
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits become savepoints of the test's transaction."""
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session for service tests."""
    with sessions() as s:
        yield s


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Test settings (the database comes from the ``engine`` fixture instead)."""
    return make_settings(tmp_path)


@pytest.fixture
def client(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """The real app on the test's database, errors rendered as a user would see them."""
    app = create_app(settings, sessions=sessions)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
