"""The hub refuses a database whose durability settings could lose an acknowledged write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from lindungi.db import (
    check_durability,
    make_engine,
    postgres_durability_problems,
    sqlite_durability_problems,
)
from lindungi.errors import ConfigurationError, DatabaseError
from tests_support import POSTGRES_URL


def test_the_hubs_sqlite_settings_are_accepted(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    check_durability(engine)  # WAL and synchronous=FULL, as make_engine sets them
    engine.dispose()


@pytest.mark.parametrize(("level", "name"), [(0, "OFF"), (1, "NORMAL")])
def test_sqlite_below_full_is_refused_naming_the_setting(
    tmp_path: Path, level: int, name: str
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")

    @event.listens_for(engine, "connect")
    def weaken(dbapi_connection: Any, _record: Any) -> None:  # after the hub's own pragmas
        dbapi_connection.execute(f"PRAGMA synchronous={name}")

    with pytest.raises(ConfigurationError) as refused:
        check_durability(engine)
    assert refused.value.detail == (
        f"unsafe durability settings on sqlite:///{tmp_path / 'hub.db'}: SQLite PRAGMA "
        f"synchronous is {name} ({level}); the hub needs FULL (2) or EXTRA (3) (an "
        "acknowledged write could be lost in a crash; see docs/reliability.md)"
    )
    engine.dispose()


@pytest.mark.parametrize(
    ("synchronous", "journal", "in_memory", "expected"),
    [
        (2, "wal", False, []),
        (3, "wal", False, []),
        (2, "delete", False, []),
        (
            1,
            "wal",
            False,
            ["SQLite PRAGMA synchronous is NORMAL (1); the hub needs FULL (2) or EXTRA (3)"],
        ),
        (2, "off", False, ["SQLite PRAGMA journal_mode is OFF; the hub needs WAL"]),
        (2, "memory", False, ["SQLite PRAGMA journal_mode is MEMORY; the hub needs WAL"]),
        (2, "memory", True, []),  # an in-memory database keeps nothing through a crash anyway
        (
            7,
            "wal",
            False,
            ["SQLite PRAGMA synchronous is unknown (7); the hub needs FULL (2) or EXTRA (3)"],
        ),
    ],
)
def test_sqlite_decision(
    synchronous: int, journal: str, in_memory: bool, expected: list[str]
) -> None:
    assert sqlite_durability_problems(synchronous, journal, in_memory=in_memory) == expected


SAFE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


@pytest.mark.parametrize("commit", ["on", "local", "remote_write", "remote_apply", "ON"])
def test_postgres_commits_flushed_to_this_servers_disk_are_accepted(commit: str) -> None:
    assert postgres_durability_problems(SAFE | {"synchronous_commit": commit}) == []


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ({"fsync": "off"}, ["PostgreSQL fsync is off; it must not be off"]),
        (
            {"synchronous_commit": "off"},
            ["PostgreSQL synchronous_commit is off; it must not be off"],
        ),
        ({"full_page_writes": "off"}, ["PostgreSQL full_page_writes is off; it must not be off"]),
        (
            {"fsync": "off", "synchronous_commit": "off"},
            [
                "PostgreSQL fsync is off; it must not be off",
                "PostgreSQL synchronous_commit is off; it must not be off",
            ],
        ),
    ],
)
def test_postgres_unsafe_settings_are_named(setting: dict[str, str], expected: list[str]) -> None:
    assert postgres_durability_problems(SAFE | setting) == expected


@pytest.mark.postgres
def test_the_postgres_servers_current_settings_are_accepted() -> None:
    engine = make_engine(POSTGRES_URL)
    check_durability(engine)
    engine.dispose()


@pytest.mark.postgres
def test_postgres_synchronous_commit_off_for_the_role_is_refused() -> None:
    engine = make_engine(POSTGRES_URL)

    @event.listens_for(engine, "connect")
    def weaken(dbapi_connection: Any, _record: Any) -> None:  # as ALTER ROLE ... SET would
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        dbapi_connection.commit()

    with pytest.raises(ConfigurationError, match="PostgreSQL synchronous_commit is off; it"):
        check_durability(engine)
    engine.dispose()


def test_an_unreachable_database_is_a_database_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'hub.db'}")
    with pytest.raises(DatabaseError, match="cannot connect to sqlite:///"):
        check_durability(engine)
    engine.dispose()
