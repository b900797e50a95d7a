"""``lindungi cases``: open, show, move and identify cases, and list overdue ones, acting
as a named user (``--as``) so that the audit log names the person, as the API does."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.auth import service as auth
from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import service
from lindungi.cases.deadlines import overdue
from lindungi.cases.identification import UnknownTermError, facts
from lindungi.cases.models import CHANNELS, Case
from lindungi.cases.workflow import CloseReason, Determination, State
from lindungi.clitools import DbOption, fail, friendly_errors, settings_for, unit_of_work

cases_app = typer.Typer(help="Cases: intake, the workflow, identification.", no_args_is_help=True)
AsOption = Annotated[str, typer.Option("--as", help="The user acting (their roles apply).")]
ReasonOption = Annotated[str, typer.Option(help="Why (goes into the timeline and audit log).")]


def _principal(session: Session, username: str) -> Principal:
    user = auth.get_user(session, username)
    if not user.is_active:
        raise fail(f"user {username!r} is deactivated")
    return Principal.of(user.id, user.username, user.agency_code, user.role_codes, None)


def _actor(principal: Principal) -> Actor:
    return Actor(principal.username, principal.agency)


@cases_app.command("report")
@friendly_errors
def report_command(
    as_user: AsOption,
    channel: Annotated[str, typer.Option(help=f"One of: {', '.join(CHANNELS)}.")],
    summary: Annotated[str, typer.Option(help="What anyone on the case may read.")],
    country: Annotated[str | None, typer.Option(help="Where the person is (ISO2).")] = None,
    city: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
) -> None:
    """Open a case; prints its id, tracking number and the reporter's secret (once)."""
    if channel not in CHANNELS:
        raise fail(f"--channel {channel!r}: expected one of {', '.join(CHANNELS)}")
    with unit_of_work(settings_for(db)) as session:
        principal = _principal(session, as_user)
        principal.require(Permission("cases", "create"))
        fields = {"channel": channel, "summary": summary, "country": country, "city": city}
        made = service.report(session, fields, principal)
        audit.record(session, _actor(principal), Action.CREATE, "cases", str(made.case.id),
                     fields=list(fields))  # fmt: skip
        typer.echo(f"case {made.case.id}: tracking {made.case.tracking_no}, secret {made.secret}")


@cases_app.command("show")
@friendly_errors
def show_command(case_id: int, as_user: AsOption, db: DbOption = None) -> None:
    """A case's stage, the moves allowed next, and its timeline (no protected fields)."""
    with unit_of_work(settings_for(db)) as session:
        principal = _principal(session, as_user)
        case = service.get_case(session, case_id, principal)
        audit.record(session, _actor(principal), Action.READ, "cases", str(case_id),
                     fields=["state", "summary", "timeline"])  # fmt: skip
        typer.echo(f"case {case.id} ({case.tracking_no}) · {case.state} since "
                   f"{case.state_since:%Y-%m-%d %H:%M} · identification: "
                   f"{case.determination or 'not recorded'}")  # fmt: skip
        typer.echo(f"summary: {case.summary}")
        typer.echo(f"allowed next: {', '.join(service.allowed_moves(case)) or 'nothing'}")
        for event in service.timeline(session, case_id):
            typer.echo(f"  {event.at:%Y-%m-%d %H:%M} {event.actor:<16} {event.action:<22} "
                       f"→ {event.to_state}: {event.reason}")  # fmt: skip


@cases_app.command("move")
@friendly_errors
def move_command(
    case_id: int,
    action: str,
    as_user: AsOption,
    reason: ReasonOption,
    close_reason: Annotated[
        str | None, typer.Option(help="For close: " + ", ".join(r.value for r in CloseReason))
    ] = None,
    db: DbOption = None,
) -> None:
    """Take one step of the workflow (refused with the allowed moves, status 1)."""
    try:
        why = CloseReason(close_reason) if close_reason else None
    except ValueError:
        raise fail(f"--close-reason {close_reason!r}: expected one of "
                   + ", ".join(r.value for r in CloseReason)) from None  # fmt: skip
    with unit_of_work(settings_for(db)) as session:
        principal = _principal(session, as_user)
        case = service.move(session, case_id, action, reason, principal, why)
        audit.record(session, _actor(principal), Action.TRANSITION, "cases", str(case_id),
                     fields=["state"], purpose=reason)  # fmt: skip
        typer.echo(f"case {case_id}: {case.state}")


@cases_app.command("identify")
@friendly_errors
def identify_command(
    case_id: int,
    as_user: AsOption,
    determination: Annotated[
        str, typer.Option(help="potential_victim, not_victim or undetermined.")
    ],
    reason: ReasonOption,
    indicator: Annotated[
        list[str] | None, typer.Option(help="An ILO indicator (repeatable).")
    ] = None,
    act: Annotated[list[str] | None, typer.Option()] = None,
    means: Annotated[list[str] | None, typer.Option()] = None,
    purpose: Annotated[list[str] | None, typer.Option()] = None,
    child: Annotated[bool, typer.Option(help="The person is under 18.")] = False,
    db: DbOption = None,
) -> None:
    """Record victim identification; prints what the facts suggested beside it."""
    try:
        decided = Determination(determination)
        observed = facts(indicator or [], act or [], means or [], purpose or [], child=child)
    except ValueError as error:
        raise fail(str(error) if isinstance(error, UnknownTermError) else
                   f"--determination {determination!r}: expected one of "
                   + ", ".join(d.value for d in Determination)) from None  # fmt: skip
    with unit_of_work(settings_for(db)) as session:
        principal = _principal(session, as_user)
        row, suggestion = service.identify(session, case_id, observed, decided, reason, principal)
        audit.record(session, _actor(principal), Action.CREATE, "case_determinations",
                     str(row.id), fields=["determination"], purpose=reason)  # fmt: skip
        why = "; ".join(suggestion.reasons)
        typer.echo(
            f"case {case_id}: recorded {decided.value}; the facts suggest "
            f"{suggestion.determination.value} ({why})"
        )


@cases_app.command("overdue")
@friendly_errors
def overdue_command(
    now: Annotated[str | None, typer.Option(help="As of (ISO 8601, UTC; default now).")] = None,
    db: DbOption = None,
) -> None:
    """Cases past their stage's deadline, most escalated first."""
    moment = dt.datetime.now(dt.UTC)
    if now is not None:
        try:
            moment = dt.datetime.fromisoformat(now).astimezone(dt.UTC)
        except ValueError:
            raise fail(f"--now {now!r}: expected an ISO 8601 time") from None
    with unit_of_work(settings_for(db)) as session:
        late = []
        for case in session.scalars(select(Case).where(Case.state != State.CLOSED.value)):
            found = overdue(State(case.state), case.state_since, moment)
            if found is not None:
                late.append((found, case))
        for found, case in sorted(late, key=lambda x: (-x[0].level, -x[0].late_by)):
            typer.echo(
                f"case {case.id} ({case.agency}) {case.state}: due {found.due:%Y-%m-%d %H:%M}, "
                f"late {found.late_by}, escalate to {found.notify}"
            )
        typer.echo(f"{len(late)} overdue", err=True)
