"""``lindungi persons``: a data subject's own data, on their request (UU 27/2022)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lindungi.audit import service as audit
from lindungi.clitools import (
    DbOption,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)
from lindungi.people.subject_export import PURPOSE, dumps, export_subject, find_subject

persons_app = typer.Typer(help="A person's own data: the data subject's access request.")


@persons_app.command("export")
@friendly_errors
def export_command(
    out: Annotated[Path, typer.Option(help="Where to write the JSON file.")],
    nik: Annotated[str | None, typer.Option(help="The person's NIK.")] = None,
    passport: Annotated[str | None, typer.Option(help="The person's passport number.")] = None,
    person_id: Annotated[
        int | None, typer.Option("--person-id", help="The person's id in the person index.")
    ] = None,
    purpose: Annotated[
        str, typer.Option(help="Why, for the audit log (e.g. the request's reference).")
    ] = PURPOSE,
    db: DbOption = None,
) -> None:
    """Write everything held about a person, and its processing history, as JSON.

    Give exactly one of --nik, --passport, --person-id. The file holds the person's
    records with their provenance, the cases where they are the subject (protected
    fields included), screenings naming them, monitoring enrolments with consents and
    check-ins still held, and every audit entry naming those records. The export
    is recorded in the audit log.
    """
    with unit_of_work(settings_for(db)) as session:
        subject = find_subject(session, nik=nik, passport=passport, person_id=person_id)
        made = export_subject(session, subject, audit.Actor.cli(), purpose=purpose)
        text = dumps(made)
        write_atomically(out, lambda path: path.write_text(text, encoding="utf-8"))
    counts = ", ".join(
        f"{len(made[k])} {k.replace('_', ' ')}"
        for k in ("person_records", "cases", "screenings", "monitoring", "processing_history")
    )
    typer.echo(f"wrote {out}: {counts}", err=True)
