"""``lindungi audit accessed``: the people whose data was read or exported in a window
(the breach-response runbook, ``docs/breach-response.md``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Annotated

import typer

from lindungi.audit import service as audit
from lindungi.audit.accessed import COLUMNS, accessed
from lindungi.audit.entry import Action
from lindungi.clitools import (
    DbOption,
    fail,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)


def parse_moment(text: str, option: str) -> dt.datetime:
    """An ISO 8601 date or time; without a zone it is UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: {text!r} is not an ISO 8601 date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@friendly_errors
def accessed_command(
    start: Annotated[
        str, typer.Option("--from", help="Start of the window (ISO 8601; UTC without a zone).")
    ],
    end: Annotated[str, typer.Option("--to", help="End of the window, excluded (ISO 8601).")],
    actor: Annotated[
        str | None, typer.Option(help="Only accesses by this actor (a username).")
    ] = None,
    agency: Annotated[str | None, typer.Option(help="Only accesses by this agency.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the CSV here (default: standard output).")
    ] = None,
    db: DbOption = None,
) -> None:
    """List the people whose data was read or exported in a window, for notifying them.

    One CSV row per person: subject, name, contact route and contact, how many
    accesses, first and last, by whom, which records and fields. No NIK or passport
    number is printed. Accesses to collections (a queue, a list) are summarised on
    stderr: they cannot be resolved to people. The listing is itself audited.
    """
    since, until = parse_moment(start, "--from"), parse_moment(end, "--to")
    if since >= until:
        raise fail("--from must be before --to")
    with unit_of_work(settings_for(db)) as session:
        found = accessed(session, since, until, actor=actor, agency=agency)
        window = f"accessed:{since.isoformat()}/{until.isoformat()}"
        filters = "".join(f" {k}={v}" for k, v in (("actor", actor), ("agency", agency)) if v)
        audit.record(session, audit.Actor.cli(), Action.EXPORT, "audit", window + filters,
                     fields=COLUMNS, purpose="breach response: people affected")  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(person.row() for person in found.people)
    if out is None:
        sys.stdout.write(buffer.getvalue())
    else:
        text = buffer.getvalue()
        write_atomically(out, lambda path: path.write_text(text, encoding="utf-8"))
    typer.echo(
        f"{found.entries} reads/exports of personal data in the window; "
        f"{len(found.people)} people affected", err=True,
    )  # fmt: skip
    for ref, count in sorted(found.collections.items()):
        typer.echo(f"collection {ref}: {count} accesses (cannot be resolved to people)", err=True)
    for ref, count in sorted(found.unresolved.items()):
        typer.echo(f"record {ref}: {count} accesses, the record no longer exists", err=True)
