"""``lindungi screen`` (contract 2), ``lindungi check-offer`` (contract 3) and
``lindungi screening rulebook`` (the SOP document)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from pathlib import Path
from typing import Annotated, BinaryIO, Literal

import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.clitools import (
    DbOption,
    Progress,
    fail,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)
from lindungi.db import make_engine, session_factory
from lindungi.migrate import require_current
from lindungi.screening.batch import Job, Tally, run
from lindungi.screening.lookups import Lookups
from lindungi.screening.offer_text import DEFAULT_RATES_IDR
from lindungi.screening.rulebook import default_rulebook
from lindungi.screening.sopdoc import rulebook_json, rulebook_markdown

screening_app = typer.Typer(help="The screening SOP rulebook.", no_args_is_help=True)

OutOption = Annotated[
    str, typer.Option("--out", help="Output JSON Lines file ('-': standard output).")
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of indicator labels: en or id.")]
RateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rate",
        metavar="CUR=IDR",
        help="Rupiah per unit of a currency, e.g. --rate USD=16250 (repeatable).",
    ),
]
#: Processes for a large batch (one per CPU, at most 8); small inputs stay in-process.
DEFAULT_WORKERS = min(os.cpu_count() or 1, 8)
WorkersOption = Annotated[
    int,
    typer.Option(
        min=1, max=64, help="Processes for a large input (default: one per CPU, at most 8)."
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(help="Screen as of this date (YYYY-MM-DD; default today), for ages."),
]


def _rates(specs: list[str] | None, db: str | None = None) -> dict[str, float]:
    rates = {**DEFAULT_RATES_IDR, **settings_for(db).currency_rates_idr}
    for spec in specs or []:
        code, sep, value = spec.partition("=")
        try:
            amount = float(value)
        except ValueError:
            amount = 0.0
        if not sep or len(code.strip()) != 3 or not code.strip().isalpha() or amount <= 0:
            raise fail(f"--rate {spec!r}: expected CUR=IDR, e.g. USD=16250")
        rates[code.strip().upper()] = amount
    return rates


def _lang(value: str) -> str:
    if value not in ("en", "id"):
        raise fail(f"--lang {value!r}: expected en or id")
    return value


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"--today {value!r}: expected YYYY-MM-DD") from None


def _open(path: str) -> AbstractContextManager[BinaryIO]:
    if path == "-":
        return nullcontext(sys.stdin.buffer)  # standard input is not closed
    try:
        return Path(path).open("rb")
    except OSError as error:
        raise fail(f"{path}: {error.strerror}") from None


def _counted(lines: Iterable[bytes], bar: Progress) -> Iterator[bytes]:
    for n, line in enumerate(lines, 1):
        if n % 1000 == 0:
            bar.update(n)
        yield line


def _emit(out: str, produce: Callable[[], Iterator[str]]) -> None:
    if out == "-":
        for line in produce():
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
        return

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8") as handle:
            for line in produce():
                handle.write(line + "\n")

    write_atomically(Path(out), write)


def _batch(
    kind: Literal["screen", "check-offer"],
    source: Iterable[bytes],
    out: str,
    db: str | None,
    options: tuple[str, dict[str, float], dt.date, int],
) -> None:
    lang, rates, today, workers = options
    settings = settings_for(db)
    tally = Tally()
    bar = Progress(kind)
    # The run reads through a read-only engine (no write lock held for its length); its
    # audit entry is written afterwards in a short transaction of its own.
    reader = make_engine(settings.database_url, read_only=True)
    try:
        require_current(reader)
        with session_factory(reader)() as session:
            job = Job(kind, settings.database_url, today, lang, rates)
            lookups = Lookups(session, today, batch=True)
            _emit(
                out,
                lambda: run(job, _counted(source, bar), lookups, tally, workers=workers),
            )
    finally:
        bar.close()
        reader.dispose()
    with unit_of_work(settings) as session:
        audit.record(
            session, Actor.cli(), Action.READ, "screenings", f"batch:{kind}",
            fields=("recruiter_standing", "person_signals"),
            purpose=f"{kind}: {tally.lines} lines",
        )  # fmt: skip
    typer.echo(f"{kind}: {tally.summary()}", err=True)
    if tally.errors:
        raise typer.Exit(1)


@friendly_errors
def screen_command(
    input: Annotated[str, typer.Argument(help="JSON Lines of travellers ('-': stdin).")],
    out: OutOption = "-",
    lang: LangOption = "en",
    rate: RateOption = None,
    today: TodayOption = None,
    workers: WorkersOption = DEFAULT_WORKERS,
    db: DbOption = None,
) -> None:
    """Screen departures or passport applications (contract 2): one result per line, in
    input order; a line that cannot be read gets {"line", "id", "error"} and exit status 1.
    """
    options = (_lang(lang), _rates(rate, db), _today(today), workers)
    with _open(input) as source:
        _batch("screen", source, out, db, options)


@friendly_errors
def check_offer_command(
    input: Annotated[
        str | None, typer.Argument(help="JSON Lines of {id, text, channel?} ('-': stdin).")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="Check this one offer.")] = None,
    out: OutOption = "-",
    lang: LangOption = "en",
    rate: RateOption = None,
    workers: WorkersOption = DEFAULT_WORKERS,
    db: DbOption = None,
) -> None:
    """Check job offers for trafficking indicators (contract 3)."""
    if (input is None) == (text is None):
        raise fail("give either INPUT (a JSON Lines file, or - for stdin) or --text")
    options = (_lang(lang), _rates(rate, db), dt.date.today(), workers)
    with ExitStack() as stack:
        source: Iterable[bytes] = (
            [json.dumps({"id": "text", "text": text}).encode()]
            if text is not None
            else stack.enter_context(_open(input or "-"))
        )
        _batch("check-offer", source, out, db, options)


@screening_app.command("rulebook")
@friendly_errors
def rulebook_command(
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")] = None,
    format: Annotated[str, typer.Option(help="md (the SOP document) or json.")] = "md",
) -> None:
    """Print the SOP rulebook: every indicator in both languages with its basis and weight."""
    if format not in ("md", "json"):
        raise fail(f"--format {format!r}: expected md or json")
    book = default_rulebook()
    text = rulebook_markdown(book) if format == "md" else rulebook_json(book)
    if out is None:
        typer.echo(text, nl=False)
        return
    write_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    typer.echo(f"{out}: rulebook {book.version}, {len(book.indicators)} indicators", err=True)
