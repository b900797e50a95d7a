"""Create or upgrade the database schema with the Alembic migrations shipped in the package."""

from __future__ import annotations

from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from lindungi.db import check_connection, create_sqlite_folder, safe_url, sqlite_file
from lindungi.errors import DatabaseError, NotInitialisedError


def alembic_config() -> Config:
    """An Alembic configuration pointing at ``lindungi/migrations``."""
    config = Config()
    config.set_main_option("script_location", "lindungi:migrations")
    return config


def head_revision() -> str:
    """The newest migration the installed code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or ``None`` for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class InitResult:
    """What ``init`` found and left."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        """Whether any migration ran."""
        return self.before != self.after


def _refuse_unknown(engine: Engine, revision: str | None) -> None:
    if revision is None:
        return
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise DatabaseError(
            f"the database {safe_url(engine.url)} is at revision {revision}, which this version "
            f"of Lindungi (schema {head_revision()}) does not know: upgrade Lindungi"
        )


def init_db(engine: Engine) -> InitResult:
    """Bring the schema to the newest revision; running it again changes nothing."""
    create_sqlite_folder(engine)
    check_connection(engine)
    before = current_revision(engine)
    _refuse_unknown(engine, before)
    head = head_revision()
    if before != head:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    return InitResult(before, head)


def require_current(engine: Engine) -> None:
    """Refuse to work on a database that ``lindungi init`` has not brought up to date."""
    path = sqlite_file(engine)
    if path is not None and not path.exists():
        raise NotInitialisedError(
            f"there is no database at {path}; run `lindungi init` first (or check --db)"
        )
    check_connection(engine)
    found = current_revision(engine)
    _refuse_unknown(engine, found)
    if found != head_revision():
        state = "is empty" if found is None else f"is at revision {found}"
        raise NotInitialisedError(
            f"the database {safe_url(engine.url)} {state}; run `lindungi init` first"
        )
