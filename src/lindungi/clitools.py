"""What every command shares: the ``--db`` option, opening the database, and
turning a user's mistake into one line on stderr and a non-zero exit."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lindungi.db import make_engine, session_factory, transaction
from lindungi.errors import LindungiError
from lindungi.migrate import require_current
from lindungi.settings import Settings, load_settings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL (SQLAlchemy form); default: LINDUNGI_DATABASE_URL or an SQLite "
        "file in your user data folder.",
        show_default=False,
    ),
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors raised by a command into one line and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except LindungiError as err:
            raise fail(err.detail) from None

    return wrapper


def settings_for(db: str | None) -> Settings:
    """Settings from the environment, with ``--db`` taking precedence."""
    return load_settings(database_url=db)


def engine_for(settings: Settings) -> Engine:
    """An engine for the configured database (no connection made yet)."""
    return make_engine(settings.database_url)


@contextmanager
def unit_of_work(settings: Settings) -> Iterator[Session]:
    """A session on an up-to-date database, committed once when the command succeeds."""
    engine = engine_for(settings)
    try:
        require_current(engine)
        with transaction(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def progress(items: Iterable[T], label: str) -> Iterable[T]:
    """Show a progress bar on stderr when it is a terminal; otherwise pass through quietly."""
    if not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True))


class Progress:
    """A running count on stderr (rows read so far) when it is a terminal; silent otherwise.

    For loads whose total is not known up front (a streamed CSV or Parquet file)."""

    def __init__(self, label: str) -> None:
        self._live = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as RichProgress
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            self._live = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}: {task.completed:,} rows"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._live.add_task(label, total=None)
            self._live.start()

    def update(self, rows: int) -> None:
        """Show that ``rows`` rows have been read."""
        if self._live is not None:
            self._live.update(self._task, completed=rows)

    def close(self) -> None:
        """Remove the bar."""
        if self._live is not None:
            self._live.stop()


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write an output file through a unique temporary file beside it, then rename it into
    place (contracts: outputs appear whole or not at all). ``write`` fills the temporary."""
    if not path.parent.is_dir():
        raise fail(f"the folder of {path} does not exist")
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        temporary = Path(tmp.name)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def stdin_secret() -> str:
    """One line read from standard input, without its newline (for passwords)."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise fail("expected a password on standard input")
    return line


def moment_option(now: str | None) -> dt.datetime:
    """A ``--now`` option as a UTC instant (now when absent); refused without an offset."""
    if now is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(now)
    except ValueError:
        raise fail(f"--now {now!r}: expected an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise fail(f"--now {now!r}: give the offset, e.g. +00:00")
    return moment.astimezone(dt.UTC)
