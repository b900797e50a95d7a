"""``lindungi exchange htcds``: the anonymised HTCDS v2.0 export as a CSV file, written
whole or not at all, with the anonymisation report on stderr (and as JSON on request).
The export is recorded once in the audit log, as the command-line operator's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.clitools import (
    DbOption,
    fail,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)
from lindungi.exchange.htcds_fields import COLUMNS
from lindungi.exchange.htcds_service import export_htcds
from lindungi.exchange.kanon import Report


def _day(option: str, text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise fail(f"{option} {text!r}: expected a date like 2026-11-01") from None


def summary_lines(report: Report) -> list[str]:
    """The report as a user reads it on a terminal."""
    share = report.suppressed / report.population if report.population else 0.0
    lines = [
        f"k={report.k}: {report.exported:,} of {report.population:,} cases exported in "
        f"{len(report.classes):,} groups of at least {report.k} "
        f"(smallest {report.smallest_class:,})",
        f"suppressed: {report.suppressed:,} cases ({share:.1%}; at most "
        f"{report.max_suppression:.1%} allowed)",
    ]
    for chosen in report.levels:
        lines.append(
            f"  {chosen.name:<22} → {chosen.level_name:<12} "
            f"({chosen.distinct_before:,} distinct → {chosen.distinct_after:,})"
        )
    return lines


@friendly_errors
def htcds_command(
    out: Annotated[Path, typer.Option(help="The CSV file to write (replaced atomically).")],
    k: Annotated[
        int, typer.Option("--k", help="Every combination of quasi-identifiers occurs ≥ k times.")
    ] = 11,
    max_suppression: Annotated[
        float, typer.Option(help="The largest share of cases that may be left out (0–1).")
    ] = 0.05,
    report: Annotated[
        Path | None, typer.Option(help="Also write the whole report (JSON) here.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Cases opened on or after this day (YYYY-MM-DD, UTC).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Cases opened on or before this day (YYYY-MM-DD, UTC).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export the cases in the Human Trafficking Case Data Standard v2.0, k-anonymous
    over gender, age, citizenship, place of exploitation, recruitment and month; names,
    NIK, passports, contacts and narratives never leave."""
    if k < 2:
        raise fail(f"--k {k}: k must be at least 2 (k=1 hides nobody)")
    if not 0 <= max_suppression < 1:
        raise fail(f"--max-suppression {max_suppression}: expected a share from 0 up to 1")
    first, last = _day("--since", since), _day("--until", until)
    if first is not None and last is not None and last < first:
        raise fail(f"--until {until} comes before --since {since}")
    for path in (out, report):
        if path is not None and not path.parent.is_dir():
            raise fail(f"the folder of {path} does not exist")
    with unit_of_work(settings_for(db)) as session:
        made = export_htcds(session, k, max_suppression, first, last)
        audit.record(
            session,
            Actor.cli(),
            Action.EXPORT,
            "cases",
            f"htcds:k={k},since={first or ''},until={last or ''}",
            fields=COLUMNS,
            purpose="anonymised HTCDS v2.0 export",
        )
        write_atomically(out, made.write)
        if report is not None:
            text = json.dumps(made.report.to_dict(), indent=2, ensure_ascii=False)
            write_atomically(report, lambda path: path.write_text(text + "\n", encoding="utf-8"))
    for line in summary_lines(made.report):
        typer.echo(line, err=True)
    typer.echo(f"{made.report.exported:,} cases → {out}", err=True)
