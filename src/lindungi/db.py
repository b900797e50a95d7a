"""Storage: the declarative base, the UTC timestamp type, and engines.

SQLite (the embedded default) runs with WAL, ``synchronous=FULL`` and foreign keys
on; PostgreSQL goes through psycopg 3. Both get the same models and migrations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

from lindungi.errors import DatabaseError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table, with a constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    Naive datetimes are refused on the way in (their zone is unknown); SQLite, which
    keeps no zone, gets UTC attached on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} refused: timestamps must carry a zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def parse_database_url(url: str) -> URL:
    """Parse and normalise a database URL, or explain why it cannot be used.

    ``postgresql://`` and ``postgres://`` are taken to mean psycopg 3.
    """
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise DatabaseError(
            f"bad database URL {url!r}: expected e.g. sqlite:///path/to/lindungi.db "
            "or postgresql://user@host/dbname"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"unsupported database {backend!r} in {safe_url(parsed)}: use sqlite or postgresql"
        )
    if backend == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: URL | str) -> str:
    """The URL as text with any password hidden, for messages and logs."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so
    # that SAVEPOINTs and transactional DDL behave (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    # IMMEDIATE: take the write lock at the start. Nearly every transaction writes
    # (reads are audited), and a deferred one that read first could not upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_read_only(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA query_only=ON")
    finally:
        cursor.close()


def _sqlite_on_begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")  # a reader: takes no lock that would stop a writer


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the hub's durability settings applied.

    ``read_only`` engines are for long reads (a batch screening of millions): on SQLite
    their transactions take no write lock, so the hub keeps writing meanwhile, and any
    attempt to write through them fails."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {})["check_same_thread"] = False
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        if read_only:
            event.listen(engine, "connect", _sqlite_read_only)
            event.listen(engine, "begin", _sqlite_on_begin_deferred)
        else:
            event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if read_only:
        kwargs.setdefault("execution_options", {})["postgresql_readonly"] = True
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", 10)
    return create_engine(parsed, **kwargs)


def sqlite_file(engine: Engine) -> Path | None:
    """The file of an SQLite database (``None`` for PostgreSQL or in-memory SQLite)."""
    database = engine.url.database or ""
    if engine.url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser()


def create_sqlite_folder(engine: Engine) -> None:
    """Make the folder an SQLite database file will live in (``lindungi init`` only)."""
    path = sqlite_file(engine)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise DatabaseError(f"cannot create the folder for {path}: {err.strerror}") from None


def check_connection(engine: Engine) -> None:
    """Connect once, turning driver errors into a one-line :class:`DatabaseError`."""
    try:
        with engine.connect():
            pass
    except exc.OperationalError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        raise DatabaseError(f"cannot connect to {safe_url(engine.url)}: {reason}") from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit (responses read them after)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises.

    Services only flush; the request or the command owns the commit.
    """
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
