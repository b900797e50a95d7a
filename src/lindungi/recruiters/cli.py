"""``lindungi recruiters``: import the registry (contract 1) and verify a recruiter."""

from __future__ import annotations

import json
import sys
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
    progress,
    settings_for,
    unit_of_work,
)
from lindungi.recruiters import service
from lindungi.recruiters.importer import COLUMNS as IMPORT_COLUMNS
from lindungi.recruiters.importer import HeaderError, read_registry
from lindungi.recruiters.messages import VERDICTS
from lindungi.recruiters.standing import recruiter_standing

recruiters_app = typer.Typer(help="The recruiter registry: import, verification, standing.")


@recruiters_app.command("import")
@friendly_errors
def import_(
    file: Annotated[
        str,
        typer.Argument(
            help="CSV: licence_no,name,status,valid_until,bond_idr,phone,address ('-' = stdin)."
        ),
    ],
    db: DbOption = None,
) -> None:
    """Upsert recruiters by licence number; bad lines are reported, the rest imported."""
    name = "<stdin>" if file == "-" else file
    try:
        # Closed by the `with` below, which also holds the unit of work.
        handle = sys.stdin if file == "-" else Path(file).open(encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as err:
        raise fail(f"{file}: {err.strerror}") from None
    actor = Actor.cli()
    with handle, unit_of_work(settings_for(db)) as session:
        try:
            report = service.import_registry(
                session,
                progress(read_registry(handle), "importing"),
                actor=actor.name,
                source=Path(name).name,
            )
        except HeaderError as err:
            raise fail(f"{name}: {err}") from None
        for action, numbers in (
            (Action.CREATE, report.created_licences),
            (Action.UPDATE, report.changed_licences),
        ):
            for number in numbers:
                audit.record(
                    session, actor, action, "licences", number,
                    fields=list(IMPORT_COLUMNS), purpose=f"registry import {Path(name).name}",
                )  # fmt: skip
    for flag in report.flagged:
        typer.echo(f"{name}: {flag}", err=True)
    for error in report.errors:
        typer.echo(f"{name}: {error}", err=True)
    typer.echo(
        f"{name}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} refused"
    )
    if report.errors:
        raise typer.Exit(1)


@recruiters_app.command()
@friendly_errors
def verify(
    licence_no: Annotated[str | None, typer.Option("--licence", help="Licence number.")] = None,
    name: Annotated[str | None, typer.Option(help="Company or agent name.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number the recruiter uses.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full standing as JSON.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Say whether a recruiter is licensed, and what is found behind the name."""
    if not (licence_no or name or phone):
        raise fail("give --licence, --name or --phone")
    with unit_of_work(settings_for(db)) as session:
        standing = recruiter_standing(session, name=name, licence_no=licence_no, phone=phone)
        for match in standing.matches:
            audit.record(
                session, Actor.cli(), Action.READ, "recruiters", str(match.recruiter_id),
                fields=["standing", "fronts"],
            )  # fmt: skip
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "verdict": standing.verdict,
                    "matches": [m.__dict__ for m in standing.matches],
                    "similar": [m.__dict__ for m in standing.similar],
                    "findings": [f.__dict__ for f in standing.findings],
                },
                default=str,
            )
        )
        return
    text_id, text_en = VERDICTS[standing.verdict]
    typer.echo(f"{standing.verdict.upper()}")
    for match in standing.matches:
        shows_until = match.valid_until and match.status in ("active", "expired")
        until = f" until {match.valid_until}" if shows_until else ""
        licence = f"licence {match.licence_no}" if match.licence_no else "no licence"
        typer.echo(f"  {match.name} — {licence}: {match.status}{until} ({match.matched_by})")
    for match in standing.similar:
        typer.echo(f"  similar: {match.name} ({match.status}, {match.score:.0f}%)")
    names = {m.recruiter_id: m.name for m in standing.matches}
    for finding in standing.findings:
        typer.echo(f"  ! {names.get(finding.recruiter_id, '?')}: {finding.explanation}")
    typer.echo(f"ID: {text_id}")
    typer.echo(f"EN: {text_en}")
