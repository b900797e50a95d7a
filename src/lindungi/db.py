"""Storage: the declarative base, the UTC timestamp type, and engines.

SQLite (the embedded default) runs with WAL, ``synchronous=FULL`` and foreign keys
on; PostgreSQL goes through psycopg 3. Both get the same models and migrations.
:func:`check_durability` refuses a database whose settings could lose a write the hub
has already acknowledged.
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

from lindungi.errors import ConfigurationError, DatabaseError

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


#: SQLite ``PRAGMA synchronous`` levels by number.
SQLITE_SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
#: Journal modes that keep a committed transaction through a crash (OFF and MEMORY do not).
SQLITE_SAFE_JOURNALS = ("wal", "delete", "truncate", "persist")
#: PostgreSQL settings read by :func:`check_durability`, and the values refused.
POSTGRES_UNSAFE = {"fsync": ("off",), "synchronous_commit": ("off",), "full_page_writes": ("off",)}


def sqlite_durability_problems(
    synchronous: int, journal_mode: str, *, in_memory: bool
) -> list[str]:
    """Why SQLite settings could lose an acknowledged write (empty when they cannot).

    ``synchronous`` must be FULL (2) or EXTRA (3): at NORMAL a WAL database may lose the
    last transactions on a power cut or an operating-system crash, and at OFF even on
    an application crash at the wrong moment. An in-memory database keeps nothing
    anyway, so its journal is not judged.
    """
    problems = []
    if synchronous not in (2, 3):
        name = SQLITE_SYNCHRONOUS.get(synchronous, "unknown")
        problems.append(
            f"SQLite PRAGMA synchronous is {name} ({synchronous}); "
            "the hub needs FULL (2) or EXTRA (3)"
        )
    if not in_memory and journal_mode.lower() not in SQLITE_SAFE_JOURNALS:
        problems.append(f"SQLite PRAGMA journal_mode is {journal_mode.upper()}; the hub needs WAL")
    return problems


def postgres_durability_problems(shown: dict[str, str]) -> list[str]:
    """Why PostgreSQL settings (the answers of ``SHOW name``) could lose an acknowledged
    write (empty when they cannot).

    ``fsync=off`` and ``full_page_writes=off`` can corrupt the cluster in a crash;
    ``synchronous_commit=off`` answers a commit before its WAL is on disk, so a crash
    loses transactions already acknowledged. ``local``, ``remote_write``, ``on`` and
    ``remote_apply`` all wait until the commit is flushed to this server's disk (they
    differ only in what they also wait for from standbys), so they are accepted.
    """
    problems = []
    for name, unsafe in POSTGRES_UNSAFE.items():
        value = shown.get(name, "").strip().lower()
        if value in unsafe:
            problems.append(f"PostgreSQL {name} is {value}; it must not be {' or '.join(unsafe)}")
    return problems


def check_durability(engine: Engine) -> None:
    """Refuse (:class:`ConfigurationError`, naming each setting and its value) a database
    whose durability settings could lose a write the hub has acknowledged.

    Read on a connection of ``engine`` as the hub configures it, so a pragma set on
    connect, or a ``synchronous_commit`` set for the role or the database, is what is
    judged. Called when the server starts.
    """
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                synchronous = int(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())
                journal = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar_one())
                files = {row[1]: row[2] for row in conn.exec_driver_sql("PRAGMA database_list")}
                in_memory = not files.get("main")
                problems = sqlite_durability_problems(synchronous, journal, in_memory=in_memory)
            else:
                shown = {
                    name: str(conn.exec_driver_sql(f"SHOW {name}").scalar_one())
                    for name in POSTGRES_UNSAFE
                }
                problems = postgres_durability_problems(shown)
    except exc.OperationalError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        raise DatabaseError(f"cannot connect to {safe_url(engine.url)}: {reason}") from None
    if problems:
        raise ConfigurationError(
            f"unsafe durability settings on {safe_url(engine.url)}: {'; '.join(problems)} "
            "(an acknowledged write could be lost in a crash; see docs/reliability.md)"
        )


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
