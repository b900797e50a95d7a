"""``lindungi cases``: open, show, move and identify cases, and list overdue ones, acting
as a named user (``--as``) so that the audit log names the person, as the API does."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy import select

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.auth import service as auth
from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import escalation, handoffs, service
from lindungi.cases.access import FIELD_GROUPS
from lindungi.cases.deadlines import configured, overdue
from lindungi.cases.export import export_cases
from lindungi.cases.figures import DEFINITIONS, case_figures
from lindungi.cases.identification import UnknownTermError, facts
from lindungi.cases.legal import BY_ACTION
from lindungi.cases.models import CHANNELS, SERVICES, Case
from lindungi.cases.workflow import CloseReason, Determination, State
from lindungi.clitools import (
    DbOption,
    fail,
    friendly_errors,
    moment_option,
    settings_for,
    unit_of_work,
)

E = TypeVar("E", bound=StrEnum)
cases_app = typer.Typer(help="Cases: intake, the workflow, identification.", no_args_is_help=True)
AsOption = Annotated[str, typer.Option("--as", help="The user acting (their roles apply).")]
ReasonOption = Annotated[str, typer.Option(help="Why (goes into the timeline and audit log).")]


def _actor(principal: Principal) -> Actor:
    return Actor(principal.username, principal.agency)


def _choice(kind: type[E], value: str | None, option: str) -> E | None:
    """``value`` as one of ``kind``, or a one-line refusal naming the choices."""
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(k.value for k in kind)
        raise fail(f"{option} {value!r}: expected one of {choices}") from None


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
        principal = auth.acting_as(session, as_user)
        principal.require(Permission("cases", "create"))
        fields = {"channel": channel, "summary": summary, "country": country, "city": city}
        made = service.report(session, fields, principal)
        audit.record(session, _actor(principal), Action.CREATE, "cases", str(made.case.id),
                     fields=list(fields))  # fmt: skip
        typer.echo(f"case {made.case.id}: tracking {made.case.tracking_no}, secret {made.secret}")


RevealOption = Annotated[
    list[str] | None,
    typer.Option(help="A protected field group to show: " + ", ".join(FIELD_GROUPS) + "."),
]
PurposeOption = Annotated[
    str | None, typer.Option(help="Why you read protected fields (audited; required with them).")
]


@cases_app.command("show")
@friendly_errors
def show_command(
    case_id: int,
    as_user: AsOption,
    reveal: RevealOption = None,
    purpose: PurposeOption = None,
    db: DbOption = None,
) -> None:
    """A case's stage, the moves allowed next, its timeline, and the protected fields
    asked for with --reveal and a --purpose."""
    if reveal and not purpose:
        raise fail("--purpose: say why you reveal protected fields (it is audited)")
    with unit_of_work(settings_for(db)) as session:
        principal = auth.acting_as(session, as_user)
        case = service.get_case(session, case_id, principal)
        fields = handoffs.reveal(session, case, reveal or [], principal)
        read = ["state", "summary", "timeline", *fields]
        audit.record(session, _actor(principal), Action.READ, "cases", str(case_id),
                     fields=read, purpose=purpose or "")  # fmt: skip
        for field in fields:
            typer.echo(f"{field}: {getattr(case, field) or '—'}")
        typer.echo(f"case {case.id} ({case.tracking_no}) · {case.state} since "
                   f"{case.state_since:%Y-%m-%d %H:%M} · identification: "
                   f"{case.determination or 'not recorded'}")  # fmt: skip
        typer.echo(f"summary: {case.summary}")
        typer.echo(f"allowed next: {', '.join(service.allowed_moves(case)) or 'nothing'}")
        for event in service.timeline(session, case_id):
            typer.echo(f"  {event.at:%Y-%m-%d %H:%M} {event.actor:<16} {event.action:<22} "
                       f"→ {event.to_state}: {event.reason}")  # fmt: skip


@cases_app.command("list")
@friendly_errors
def list_command(
    as_user: AsOption,
    state: Annotated[str | None, typer.Option(help="Only cases in this stage.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 100,
    db: DbOption = None,
) -> None:
    """The case queue, the longest in their stage first (open fields only)."""
    stage = _choice(State, state, "--state")
    with unit_of_work(settings_for(db)) as session:
        principal = auth.acting_as(session, as_user)
        principal.require(Permission("cases", "read"))
        found = service.queue(session, stage, None, limit)
        audit.record(session, _actor(principal), Action.READ, "cases", "queue",
                     fields=["state", "summary"])  # fmt: skip
        for case in found:
            typer.echo(f"{case.id:>5} {case.tracking_no} {case.state:<22} {case.agency:<8} "
                       f"{case.channel:<18} {case.summary[:60]}")  # fmt: skip


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
    why = _choice(CloseReason, close_reason, "--close-reason")
    with unit_of_work(settings_for(db)) as session:
        principal = auth.acting_as(session, as_user)
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
        principal = auth.acting_as(session, as_user)
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
    moment = moment_option(now)
    limits = _deadlines(db)
    with unit_of_work(settings_for(db)) as session:
        late = []
        for case in session.scalars(select(Case).where(Case.state != State.CLOSED.value)):
            found = overdue(State(case.state), case.state_since, moment, limits)
            if found is not None:
                late.append((found, case))
        for found, case in sorted(late, key=lambda x: (-x[0].level, -x[0].late_by)):
            typer.echo(
                f"case {case.id} ({case.agency}) {case.state}: due {found.due:%Y-%m-%d %H:%M}, "
                f"late {found.late_by}, escalate to {found.notify}"
            )
        typer.echo(f"{len(late)} overdue", err=True)


@cases_app.command("refer")
@friendly_errors
def refer_command(
    case_id: int,
    as_user: AsOption,
    service_name: Annotated[str, typer.Option("--service", help=", ".join(SERVICES[:-1]))],
    note: ReasonOption,
    to_agency: Annotated[str | None, typer.Option(help="A hub agency (code).")] = None,
    to_organisation: Annotated[str | None, typer.Option(help="An NGO, by name.")] = None,
    consent: Annotated[bool, typer.Option(help="The person consented (recorded).")] = False,
    consent_note: Annotated[str | None, typer.Option(help="How consent was given.")] = None,
    override_reason: Annotated[
        str | None, typer.Option(help="Why consent could not wait (needs cases:override).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Refer a case for a service, with the person's consent or an override."""
    if service_name not in SERVICES or service_name == "police":
        raise fail(f"--service {service_name!r}: expected one of {', '.join(SERVICES[:-1])}")
    if (to_agency is None) == (to_organisation is None):
        raise fail("give either --to-agency or --to-organisation")
    fields = {"service": service_name, "to_agency": to_agency, "to_organisation": to_organisation,
              "consent": consent, "consent_note": consent_note,
              "override_reason": override_reason, "note": note}  # fmt: skip
    with unit_of_work(settings_for(db)) as session:
        principal = auth.acting_as(session, as_user)
        row = handoffs.refer(session, case_id, fields, principal)
        audit.record(session, _actor(principal), Action.CREATE, "case_referrals", str(row.id),
                     fields=["service", "basis"], purpose=override_reason or note)  # fmt: skip
        typer.echo(f"referral {row.id}: {row.service} to {to_agency or to_organisation} "
                   f"({row.basis})")  # fmt: skip


@cases_app.command("legal")
@friendly_errors
def legal_command(
    case_id: int,
    action: Annotated[str, typer.Argument(help=", ".join(BY_ACTION))],
    as_user: AsOption,
    reason: ReasonOption,
    amount: Annotated[int | None, typer.Option(help="Rupiah, for restitution.")] = None,
    consent: Annotated[bool, typer.Option(help="For refer_to_police.")] = False,
    override_reason: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
) -> None:
    """One step of the legal track (refused with what is allowed, status 1)."""
    if action not in BY_ACTION:
        raise fail(f"unknown legal action {action!r}; the actions are {', '.join(BY_ACTION)}")
    fields = {"action": action, "reason": reason, "amount_idr": amount, "consent": consent,
              "consent_note": None, "override_reason": override_reason}  # fmt: skip
    with unit_of_work(settings_for(db)) as session:
        principal = auth.acting_as(session, as_user)
        case = handoffs.legal_move(session, case_id, fields, principal)
        audit.record(session, _actor(principal), Action.TRANSITION, "cases", str(case_id),
                     fields=["legal_stage", "restitution"], purpose=reason)  # fmt: skip
        paid = f", restitution {case.restitution}" if case.restitution else ""
        typer.echo(f"case {case_id}: legal stage {case.legal_stage}{paid}")


def _deadlines(db: str | None) -> Mapping[State, dt.timedelta]:
    return configured(settings_for(db).case_deadline_hours)


@cases_app.command("escalate")
@friendly_errors
def escalate_command(
    now: Annotated[str | None, typer.Option(help="As of (ISO 8601; default now).")] = None,
    db: DbOption = None,
) -> None:
    """Record the escalations of missed deadlines (run it from a timer; idempotent)."""
    moment = moment_option(now)
    with unit_of_work(settings_for(db)) as session:
        made = escalation.escalate(session, moment, _deadlines(db))
        for row in made:
            audit.record(session, audit.SYSTEM, Action.CREATE, "case_escalations", str(row.id),
                         fields=["level", "notify"], purpose="missed stage deadline")  # fmt: skip
            typer.echo(f"case {row.case_id} {row.state}: level {row.level}, to {row.notify}")
        typer.echo(f"{len(made)} escalated", err=True)


@cases_app.command("export")
@friendly_errors
def export_command(
    as_user: AsOption,
    purpose: Annotated[str, typer.Option(help="Why (audited for every exported case).")],
    out: Annotated[Path, typer.Option(help="The CSV file to write.")],
    reveal: RevealOption = None,
    state: Annotated[str | None, typer.Option(help="Only cases in this stage.")] = None,
    db: DbOption = None,
) -> None:
    """Export cases as CSV (needs cases:export; protected groups need scope all)."""
    stage = _choice(State, state, "--state")
    with unit_of_work(settings_for(db)) as session:
        principal = auth.acting_as(session, as_user)
        made = export_cases(session, principal, reveal or [], stage)
        for case_id in made.case_ids:
            audit.record(session, _actor(principal), Action.EXPORT, "cases", str(case_id),
                         fields=list(made.columns), purpose=purpose)  # fmt: skip
        out.write_text(made.csv, encoding="utf-8")
        typer.echo(f"{len(made.case_ids)} cases → {out}")


@cases_app.command("figures")
@friendly_errors
def figures_command(
    from_: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).")
    ] = None,
    to: Annotated[str | None, typer.Option(help="Day after the last (exclusive).")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency's cases.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON with the definitions.")] = False,
    db: DbOption = None,
) -> None:
    """The figures analytics needs, for cases opened in the window."""
    bounds = []
    for name, text in (("--from", from_), ("--to", to)):
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise fail(f"{name} {text!r}: expected a date like 2026-11-01") from None
        bounds.append(None if day is None else dt.datetime.combine(day, dt.time(), dt.UTC))
    if bounds[0] and bounds[1] and bounds[1] <= bounds[0]:
        raise fail(f"--to {to} must come after --from {from_}")
    with unit_of_work(settings_for(db)) as session:
        found = case_figures(session, bounds[0], bounds[1], agency).to_dict()
    if as_json:
        typer.echo(json.dumps({"figures": found, "definitions": DEFINITIONS}, indent=2))
        return
    for name, value in found.items():
        typer.echo(f"{name:<32} {json.dumps(value, ensure_ascii=False)}")
