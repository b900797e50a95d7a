"""``lindungi monitoring``: the timer's tick (missed check-ins and the alert ladders)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.clitools import (
    DbOption,
    engine_for,
    fail,
    friendly_errors,
    moment_option,
    settings_for,
    unit_of_work,
)
from lindungi.db import session_factory, transaction
from lindungi.migrate import require_current
from lindungi.monitoring import alerts, outbox, places, retention, service, stream
from lindungi.monitoring.ladder import configured
from lindungi.retention.purge import standing_holds
from lindungi.settings import Settings

monitoring_app = typer.Typer(help="Monitoring: check-ins, alerts.", no_args_is_help=True)


def routing(settings: Settings) -> alerts.Routing:
    """Where notifications go, from the settings."""
    return alerts.Routing(
        worker_webhook=settings.notify_worker_webhook,
        sms_webhook=settings.notify_sms_webhook,
        embassy_emails=settings.embassy_emails,
        command_centre_email=settings.command_centre_email,
    )


@monitoring_app.command("tick")
@friendly_errors
def tick_command(
    now: Annotated[str | None, typer.Option(help="As of (ISO 8601 with offset).")] = None,
    db: DbOption = None,
) -> None:
    """Open alerts for missed check-ins and take the ladder steps that have fallen due
    (run it from a timer, e.g. every minute; running it again changes nothing)."""
    moment = moment_option(now)
    settings = settings_for(db)
    with unit_of_work(settings) as session:
        ladders = configured(settings.alert_ladders)
        opened, steps = alerts.tick(session, moment, routing(settings), ladders)
        if opened or steps:
            audit.record(session, audit.SYSTEM, Action.UPDATE, "monitoring_alerts", "tick",
                         fields=["status", "steps_taken"], purpose="alert ladder")  # fmt: skip
    typer.echo(f"{opened} alerts opened, {steps} ladder steps taken")


def senders(settings: Settings) -> dict[str, outbox.Send]:
    """The delivery adapters the settings allow (email only with an SMTP host)."""
    found: dict[str, outbox.Send] = {"webhook": outbox.webhook()}
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        found["email"] = outbox.email(outbox.SmtpServer(
            settings.smtp_host, settings.smtp_port, settings.smtp_from,
            settings.smtp_starttls, settings.smtp_username, password,
        ))  # fmt: skip
    return found


@monitoring_app.command("deliver")
@friendly_errors
def deliver_command(
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    db: DbOption = None,
) -> None:
    """Send the notifications that are due, each in its own transaction (run it from a
    timer, or beside ``tick``); failures are retried later, then marked failed."""
    settings = settings_for(db)
    adapters = senders(settings)
    now = dt.datetime.now(dt.UTC)
    with unit_of_work(settings) as session:
        pending = outbox.due(session, now, limit)
    tally: dict[str, int] = {}
    for notification_id in pending:
        with unit_of_work(settings) as session:
            outcome = outbox.deliver(session, notification_id, adapters, now)
        tally[outcome] = tally.get(outcome, 0) + 1
    typer.echo(", ".join(f"{n} {what}" for what, n in sorted(tally.items())) or "nothing due")


@monitoring_app.command("purge")
@friendly_errors
def purge_command(
    now: Annotated[str | None, typer.Option(help="As of (ISO 8601 with offset).")] = None,
    db: DbOption = None,
) -> None:
    """Delete raw check-ins past the retention each worker agreed to, and all of those
    who withdrew their consent, except a held worker's (``lindungi retention purge`` runs
    this and every other purge)."""
    moment = moment_option(now)
    with unit_of_work(settings_for(db)) as session:
        done = retention.purge(session, moment, standing_holds(session).enrolments)
        audit.record(session, audit.SYSTEM, Action.UPDATE, "monitoring_checkins", "purge",
                     fields=["deleted"], purpose="retention")  # fmt: skip
    typer.echo(f"{done.checkins} check-ins past retention and {done.withdrawn_checkins} of "
               f"withdrawn consents deleted; {done.batches} old batch records")  # fmt: skip


@monitoring_app.command("consume")
@friendly_errors
def consume_command(
    limit: Annotated[int, typer.Option(min=1, help="Stop after this many batches.")] = 10_000,
    wait: Annotated[float, typer.Option(help="Seconds to wait for more before stopping.")] = 2.0,
    db: DbOption = None,
) -> None:
    """Record the check-in batches waiting on the NATS stream (LINDUNGI_NATS_URL), each in
    its own transaction, acknowledged after it commits. Run several for more throughput."""
    settings = settings_for(db)
    if not settings.nats_url:
        raise fail("LINDUNGI_NATS_URL is not set: batches are recorded in-process")

    engine = engine_for(settings)
    require_current(engine)
    factory = session_factory(engine)

    def handle(source: str, key: str, records: list[dict[str, Any]]) -> None:
        with transaction(factory) as session:  # one engine for the run, a commit per batch
            service.ingest(session, source, key, records)

    refused: list[str] = []
    where = stream.Stream(settings.nats_url, settings.nats_stream)
    try:
        done = stream.consume(where, handle, limit, wait, refused)
    finally:
        engine.dispose()
    for line in refused:
        typer.echo(f"refused {line}", err=True)
    typer.echo(f"{done} batches recorded, {len(refused)} refused")


@monitoring_app.command("zones-import")
@friendly_errors
def zones_import_command(
    path: Annotated[Path, typer.Argument(help="A GeoJSON FeatureCollection.")],
    work_of: Annotated[
        int | None, typer.Option(help="The enrolment whose work zones these are.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add or update zones (one bad zone refuses the file, naming every bad one)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise fail(f"{path}: {error}") from None
    with unit_of_work(settings_for(db)) as session:
        made = places.import_zones(session, document, audit.Actor.cli().name, str(path),
                                   work_of=work_of)  # fmt: skip
        audit.record(session, audit.Actor.cli(), Action.UPDATE, "monitoring_zones", "import",
                     fields=["geometry", "kind"], purpose=str(path))  # fmt: skip
    for line in made.repairs:
        typer.echo(f"repaired {line}", err=True)
    typer.echo(f"{made.added} zones added, {made.updated} updated")


@monitoring_app.command("zones-export")
@friendly_errors
def zones_export_command(
    out: Annotated[Path, typer.Argument(help="Where to write the GeoJSON.")],
    kind: Annotated[str | None, typer.Option(help="work, high_risk or other.")] = None,
    db: DbOption = None,
) -> None:
    """Write the active zones as GeoJSON."""
    with unit_of_work(settings_for(db)) as session:
        document = places.export_zones(session, kind)
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    typer.echo(f"{len(document['features'])} zones → {out}")


@monitoring_app.command("zones-seed")
@friendly_errors
def zones_seed_command(
    points: Annotated[Path, typer.Option(help="Reference points CSV (name, country, lat, lon).")],
    radius_km: Annotated[float, typer.Option(help="The approximate radius around each.")] = 3.0,
    db: DbOption = None,
) -> None:
    """Seed high-risk zones as approximate circles around reference points (rows without a
    point are named and skipped)."""
    document, skipped = places.reference_zones(points, radius_km)
    for line in skipped:
        typer.echo(f"skipped {line}", err=True)
    with unit_of_work(settings_for(db)) as session:
        made = places.import_zones(session, document, audit.Actor.cli().name, str(points))
        audit.record(session, audit.Actor.cli(), Action.UPDATE, "monitoring_zones", "seed",
                     fields=["geometry"], purpose=f"reference points {points.name}")  # fmt: skip
    typer.echo(f"{made.added} high-risk zones added, {made.updated} updated (approximate)")
