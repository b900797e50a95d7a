"""Engines, durability settings, URLs and timestamps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.engine import Connection, Engine

from lindungi.db import UtcDateTime, check_connection, make_engine, parse_database_url
from lindungi.errors import DatabaseError
from lindungi.migrate import init_db


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'hub.db'}")
    init_db(engine)  # creates the folder; nothing else does
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "nested" / "hub.db").exists()
    engine.dispose()


def test_sqlite_savepoints_roll_back_only_the_inner_work(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sp.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        inner = conn.begin_nested()
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        inner.rollback()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT x FROM t").scalars().all() == [1]
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://hub@db/lindungi", "postgresql+psycopg://hub@db/lindungi"),
        ("postgres://hub@db/lindungi", "postgresql+psycopg://hub@db/lindungi"),
        ("postgresql+psycopg2://hub@db/lindungi", "postgresql+psycopg://hub@db/lindungi"),
        ("sqlite:///hub.db", "sqlite:///hub.db"),
    ],
)
def test_database_urls_are_normalised_to_the_supported_drivers(given: str, expected: str) -> None:
    assert parse_database_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "not a url",
            "bad database URL 'not a url': expected e.g. sqlite:///path/to/lindungi.db "
            "or postgresql://user@host/dbname",
        ),
        (
            "mysql://root:pw@db/hub",
            "unsupported database 'mysql' in mysql://root:***@db/hub: use sqlite or postgresql",
        ),
    ],
)
def test_bad_database_urls_are_explained(url: str, message: str) -> None:
    with pytest.raises(DatabaseError) as err:
        parse_database_url(url)
    assert str(err.value) == message


def test_unreachable_database_is_one_line_without_the_password() -> None:
    engine = make_engine("postgresql://hub:s3cret@127.0.0.1:1/lindungi")
    with pytest.raises(DatabaseError) as err:
        check_connection(engine)
    message = str(err.value)
    assert message.startswith(
        "cannot connect to postgresql+psycopg://hub:***@127.0.0.1:1/lindungi: "
    )
    assert "s3cret" not in message
    assert "\n" not in message


@pytest.fixture
def stamps(connection: Connection) -> Table:
    table = Table(
        "stamps_test",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", UtcDateTime),
    )
    table.create(connection)
    return table


def test_timestamps_are_stored_and_read_as_utc(connection: Connection, stamps: Table) -> None:
    jakarta = dt.timezone(dt.timedelta(hours=7))
    moment = dt.datetime(2026, 3, 1, 9, 30, tzinfo=jakarta)
    connection.execute(insert(stamps).values(id=1, at=moment))
    read = connection.scalar(select(stamps.c.at))
    assert read == moment
    assert read is not None
    assert read.utcoffset() == dt.timedelta(0)
    assert read.hour == 2


def test_naive_timestamps_are_refused(connection: Connection, stamps: Table) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        connection.execute(insert(stamps).values(id=2, at=dt.datetime(2026, 3, 1, 9, 30)))


def test_both_databases_answer(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_a_long_read_does_not_stop_writers_and_cannot_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    writer = make_engine(url)
    with writer.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    reader = make_engine(url, read_only=True, connect_args={"timeout": 1})
    with reader.connect() as long_read:
        long_read.begin()
        assert long_read.execute(text("SELECT count(*) FROM notes")).scalar() == 0
        with writer.begin() as conn:  # a batch reading for an hour must not lock the hub
            conn.execute(text("INSERT INTO notes (body) VALUES ('written meanwhile')"))
        with pytest.raises(Exception, match=r"readonly|read-only|attempt to write"):
            long_read.execute(text("INSERT INTO notes (body) VALUES ('through the reader')"))
    with writer.connect() as conn:
        assert conn.execute(text("SELECT body FROM notes")).scalars().all() == ["written meanwhile"]
    reader.dispose()
    writer.dispose()
