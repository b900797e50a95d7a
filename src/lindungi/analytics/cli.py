"""``lindungi report``: the periodic report of the indicators as PDF or HTML, or the
indicator tables as CSV or Parquet, for a month, a quarter or a year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from lindungi.analytics import service
from lindungi.clitools import (
    DbOption,
    fail,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)


@friendly_errors
def report_command(
    period: Annotated[
        str, typer.Option(help="A month (2026-11), a quarter (2026-Q4) or a year (2026), UTC.")
    ],
    out: Annotated[Path, typer.Option(help="The file to write: .pdf, .html, .csv or .parquet.")],
    format_: Annotated[
        str | None,
        typer.Option("--format", help="pdf, html, csv or parquet (default: from --out)."),
    ] = None,
    trend: Annotated[
        int, typer.Option(min=1, max=36, help="Months shown in the trend, ending with the period.")
    ] = 6,
    db: DbOption = None,
) -> None:
    """Write the report of the indicators for a period (PDF or HTML with charts, tables
    and the method note), or the indicator tables (CSV or Parquet)."""
    now = dt.datetime.now(dt.UTC)
    asked = service.period_for(period, now)
    fmt = service.format_for(out, format_)
    if not out.parent.is_dir():
        raise fail(f"--out {out}: the folder {out.parent} does not exist")
    with unit_of_work(settings_for(db)) as session:
        found = service.indicators_for(session, asked, now, trend)
    data = service.document(found, fmt)
    write_atomically(out, lambda tmp: tmp.write_bytes(data))
    note = "; SYNTHETIC demo data" if found.synthetic else ""
    typer.echo(
        f"report {found.period.label} ({found.period.start:%Y-%m-%d} to "
        f"{found.period.end:%Y-%m-%d}, UTC) → {out} ({fmt}, {len(found.indicators)} "
        f"indicators{note})"
    )
