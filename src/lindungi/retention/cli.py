"""``lindungi retention``: the daily purge across the hub, and legal holds."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.auth import service as auth
from lindungi.auth.permissions import Permission, Principal
from lindungi.clitools import (
    DbOption,
    fail,
    friendly_errors,
    moment_option,
    settings_for,
    unit_of_work,
)
from lindungi.retention import holds as holds_service
from lindungi.retention.purge import Policy, purge
from lindungi.retention.schemas import hold_view

retention_app = typer.Typer(
    help="Retention: the daily purge, and legal holds that stop it.", no_args_is_help=True
)
hold_app = typer.Typer(help="Legal holds on a case or a monitored worker.", no_args_is_help=True)
retention_app.add_typer(hold_app, name="hold")
AsOption = Annotated[str, typer.Option("--as", help="The user acting (their roles apply).")]
MANAGE = Permission("legal_holds", "manage")


def _principal(session: Session, username: str, permission: Permission) -> Principal:
    principal = auth.acting_as(session, username)
    principal.require(permission)
    return principal


@retention_app.command("purge")
@friendly_errors
def purge_command(
    now: Annotated[str | None, typer.Option(help="As of (ISO 8601 with offset).")] = None,
    dry_run: Annotated[bool, typer.Option(help="Count what would go; change nothing.")] = False,
    db: DbOption = None,
) -> None:
    """Delete or erase what has passed its retention, everywhere, except what is under a
    legal hold (run it daily). Prints what it did as JSON."""
    moment = moment_option(now)
    settings = settings_for(db)
    with unit_of_work(settings) as session:
        report = purge(session, moment, Policy.of(settings))
        if dry_run:
            session.rollback()
        else:
            audit.record(session, audit.SYSTEM, Action.UPDATE, "retention", "purge",
                         fields=[k for k, v in report.as_dict().items() if v],
                         purpose="retention")  # fmt: skip
    typer.echo(json.dumps({"dry_run": dry_run, **report.as_dict()}))


@hold_app.command("place")
@friendly_errors
def place_command(
    as_user: AsOption,
    reason: Annotated[str, typer.Option(help="Why the record must be kept.")],
    reference: Annotated[str, typer.Option(help="The authority: LP number, letter, order.")],
    case: Annotated[int | None, typer.Option(help="The case to hold.")] = None,
    enrolment: Annotated[int | None, typer.Option(help="The monitored worker to hold.")] = None,
    db: DbOption = None,
) -> None:
    """Place a legal hold on a case or an enrolment; prints the hold's id."""
    if (case is None) == (enrolment is None):
        raise fail("give exactly one of --case and --enrolment")
    target, target_id = ("case", case) if case is not None else ("enrolment", enrolment)
    assert target_id is not None
    with unit_of_work(settings_for(db)) as session:
        principal = _principal(session, as_user, MANAGE)
        hold = holds_service.place(session, target, target_id, reason, reference,
                                   principal.username, principal.agency)  # fmt: skip
        audit.record(session, audit.Actor(principal.username, principal.agency),
                     Action.CREATE, "legal_holds", str(hold.id),
                     fields=["target", "reason", "reference"], purpose="legal hold")  # fmt: skip
        typer.echo(f"legal hold {hold.id} placed on {target} {target_id}")


@hold_app.command("release")
@friendly_errors
def release_command(
    hold_id: Annotated[int, typer.Argument(help="The hold's id.")],
    as_user: AsOption,
    reason: Annotated[str, typer.Option(help="Why the hold ends.")],
    db: DbOption = None,
) -> None:
    """Release a legal hold; the record falls back under the ordinary retention rules."""
    with unit_of_work(settings_for(db)) as session:
        principal = _principal(session, as_user, MANAGE)
        hold = holds_service.release(session, hold_id, reason, principal.username,
                                     principal.agency)  # fmt: skip
        audit.record(session, audit.Actor(principal.username, principal.agency),
                     Action.UPDATE, "legal_holds", str(hold.id),
                     fields=["released_at", "release_reason"], purpose="legal hold")  # fmt: skip
        typer.echo(f"legal hold {hold.id} released")


@hold_app.command("list")
@friendly_errors
def list_command(
    all_holds: Annotated[bool, typer.Option("--all", help="Released holds too.")] = False,
    db: DbOption = None,
) -> None:
    """The legal holds (those standing, or all with --all) as JSON Lines."""
    with unit_of_work(settings_for(db)) as session:
        for hold in holds_service.holds(session, active_only=not all_holds):
            typer.echo(json.dumps(hold_view(hold).model_dump(mode="json")))
