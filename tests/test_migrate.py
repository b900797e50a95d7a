"""Migrations: they match the models, and ``init`` is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from lindungi.db import make_engine
from lindungi.errors import NotInitialisedError
from lindungi.migrate import current_revision, head_revision, init_db, require_current
from lindungi.models import Base


def test_migrations_produce_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_agencies_of_contract_7_are_seeded(engine: Engine) -> None:
    with engine.connect() as conn:
        codes = conn.execute(text("SELECT code FROM agencies ORDER BY code")).scalars().all()
    assert codes == ["bp2mi", "imigrasi", "kemlu", "kemnaker", "polri"]


def _snapshot(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        inspector = inspect(conn)
        return {
            table: (
                [c["name"] for c in inspector.get_columns(table)],
                conn.execute(text(f"SELECT * FROM {table}")).all(),  # noqa: S608 - table names from the inspector
            )
            for table in sorted(inspector.get_table_names())
        }


def test_init_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    first = init_db(engine)
    assert (first.before, first.after, first.changed) == (None, head_revision(), True)
    before = _snapshot(engine)
    second = init_db(engine)
    assert (second.before, second.changed) == (head_revision(), False)
    assert _snapshot(engine) == before
    engine.dispose()


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(NotInitialisedError) as err:
        require_current(engine)
    assert str(err.value) == (
        f"the database sqlite:///{tmp_path / 'empty.db'} is empty; run `lindungi init` first"
    )
    init_db(engine)
    require_current(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
