"""What the benchmarks share: where each run's fresh database lives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from lindungi.db import make_engine


def fresh_database_url(db: str | None, folder: str, name: str) -> str:
    """An empty database for one run: ``db`` (a PostgreSQL URL, emptied!) or an SQLite
    file ``name`` in ``folder``."""
    if not db:
        return f"sqlite:///{Path(folder) / name}"
    engine = make_engine(db)
    with engine.begin() as conn:  # start from an empty database
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return db
