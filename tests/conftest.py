"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL, rolled back.

PostgreSQL comes from ``LINDUNGI_TEST_POSTGRES_URL`` (default: the local server,
database ``lindungi_test``, recreated at the start of the run). ``.ci/run`` makes sure
the server is up; without it the PostgreSQL half of the suite fails loudly rather
than being skipped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.auth import service as auth_service
from lindungi.db import make_engine
from lindungi.migrate import init_db
from lindungi.recruiters import service as recruiters
from lindungi.recruiters.models import Recruiter
from lindungi.settings import Settings
from tests_support import POSTGRES_URL, fresh_postgres_database, make_settings

# Property tests draw the same examples on every run, so a failure in CI reproduces
# on a laptop; widen them locally with --hypothesis-seed or a larger max_examples.
hypothesis_settings.register_profile("lindungi", derandomize=True, deadline=None)
hypothesis_settings.load_profile("lindungi")


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


@pytest.fixture
def registry(session: Session) -> dict[str, Recruiter]:
    """A small registry: a licensed company, a revoked one, a front behind a new name
    sharing its phone and director, a lapsed licence, and an unlicensed agent."""

    def company(name: str, number: str, status: str, until: str | None) -> Recruiter:
        licence = recruiters.create_licensed_recruiter(
            session,
            name=name,
            licence_no=number,
            status=status,
            valid_until=dt.date.fromisoformat(until) if until else None,
            actor="kemnaker.lisa",
            reason="test registry",
        )
        return licence.recruiter

    good = company("PT Maju Jaya Abadi", "KEP.101/PPTKLN/2020", "active", "2027-06-30")
    old = company("PT Cahaya Timur", "KEP.102/PPTKLN/2020", "active", "2027-01-01")
    recruiters.set_licence_status(
        session, old.licences[0], "revoked", reason="sent workers on tourist visas",
        actor="kemnaker.lisa",
    )  # fmt: skip
    front = company("PT Cahaya Timur Baru", "KEP.201/PPTKLN/2025", "active", "2028-01-01")
    lapsed = company("CV Lama Sekali", "KEP.050/PPTKLN/2015", "active", "2020-01-01")
    agent = Recruiter(kind="agent", name="Pak Budi", name_key="budi pak")
    session.add(agent)
    session.flush()
    for recruiter, phone in ((good, "0812-1111-2222"), (old, "0813-2222-3333"),
                             (front, "+62 813 2222 3333"), (agent, "081322223333")):  # fmt: skip
        recruiters.add_identifier(session, recruiter, "phone", phone, "test")
    recruiters.add_identifier(session, old, "director", "Hendra Wijaya", "test")
    recruiters.add_identifier(session, front, "director", "HENDRA WIJAYA", "test")
    return {"good": good, "old": old, "front": front, "lapsed": lapsed, "agent": agent}


@pytest.fixture
def headers_for(session: Session) -> Callable[..., dict[str, str]]:
    """Create a user with roles; answer the Authorization header of a fresh token."""

    def make(username: str, agency: str, *roles: str) -> dict[str, str]:
        user = auth_service.add_user(session, username, agency=agency, roles=list(roles))
        secret = auth_service.issue_token(session, user, ttl=dt.timedelta(days=1)).secret
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make
