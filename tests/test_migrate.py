"""Migrations: they match the models, and ``init`` is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from lindungi.auth.agencies import AGENCIES
from lindungi.db import make_engine
from lindungi.demo.generator import AGENCY_CODES
from lindungi.errors import DatabaseError, NotInitialisedError
from lindungi.migrate import current_revision, head_revision, init_db, require_current
from lindungi.models import Base


def test_migrations_produce_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_agencies_of_contract_7_are_seeded(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT code, name_id, name_en FROM agencies ORDER BY code")).all()
    assert [r[0] for r in rows] == ["bp2mi", "imigrasi", "kemlu", "kemnaker", "polri"]
    # The migration's frozen copy, the catalogue in code and the demo agree.
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        a.code: (a.name_id, a.name_en) for a in AGENCIES.values()
    }
    assert set(AGENCY_CODES) == set(AGENCIES)


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
        f"there is no database at {tmp_path / 'empty.db'}; "
        "run `lindungi init` first (or check --db)"
    )
    with engine.connect():
        pass  # now the file exists, with no schema
    with pytest.raises(NotInitialisedError) as err:
        require_current(engine)
    assert str(err.value) == (
        f"the database sqlite:///{tmp_path / 'empty.db'} is empty; run `lindungi init` first"
    )
    init_db(engine)
    require_current(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_database_newer_than_the_code_is_refused_not_migrated(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'newer.db'}")
    init_db(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    for attempt in (init_db, require_current):
        with pytest.raises(DatabaseError) as err:
            attempt(engine)
        assert str(err.value) == (
            f"the database sqlite:///{tmp_path / 'newer.db'} is at revision 9999, which this "
            f"version of Lindungi (schema {head_revision()}) does not know: upgrade Lindungi"
        )
    engine.dispose()
