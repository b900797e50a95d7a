"""``lindungi exchange``: deliver the agency events, look at the dead letters, replay them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.clitools import DbOption, engine_for, fail, friendly_errors, settings_for
from lindungi.db import session_factory, transaction, utcnow
from lindungi.exchange import delivery, sealing, service
from lindungi.exchange.htcds_cli import htcds_command
from lindungi.exchange.models import ExchangeEvent
from lindungi.migrate import require_current
from lindungi.settings import Settings

exchange_app = typer.Typer(
    help="Agency events (webhooks, NATS), their dead letters, and anonymised exports.",
    no_args_is_help=True,
)


@contextmanager
def transports(settings: Settings) -> Iterator[dict[str, delivery.Transport]]:
    """The delivery transports the settings allow (NATS only with a NATS URL), closed after."""
    hooks = delivery.Webhooks(
        settings.exchange_webhook_timeout,
        sealing.key_from(settings.secret_key.get_secret_value()),
    )
    found: dict[str, delivery.Transport] = {"webhook": hooks}
    bus = None
    if settings.nats_url:
        bus = delivery.NatsBus(settings.nats_url, settings.nats_events_stream)
        found["nats"] = bus
    try:
        yield found
    finally:
        hooks.close()
        if bus is not None:
            bus.close()


@exchange_app.command("deliver")
@friendly_errors
def deliver_command(
    batch: Annotated[int, typer.Option(min=1, max=5_000, help="Deliveries per transaction.")] = 200,
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep delivering as events arrive (a worker).")
    ] = False,
    interval: Annotated[float, typer.Option(min=0.05, help="Seconds between polls.")] = 1.0,
    db: DbOption = None,
) -> None:
    """Send the agency events that are due, a batch per transaction, until none is due
    (or for ever with ``--follow``). Several may run at once: each claims its own batch."""
    settings = settings_for(db)
    engine = engine_for(settings)
    delivered = retrying = dead = 0
    try:
        require_current(engine)
        factory = session_factory(engine)
        with transports(settings) as ways:
            while True:
                with transaction(factory) as session:
                    done = delivery.dispatch(session, ways, utcnow(), batch)
                delivered += done.delivered
                retrying += done.retrying
                dead += done.dead
                if done.tried < batch:
                    if not follow:
                        break
                    time.sleep(interval)
    finally:
        engine.dispose()
    typer.echo(f"{delivered} delivered, {retrying} to retry, {dead} dead")


@exchange_app.command("dead-letters")
@friendly_errors
def dead_letters_command(
    agency: Annotated[str | None, typer.Option(help="Only this agency's.")] = None,
    db: DbOption = None,
) -> None:
    """List the deliveries that gave up: id, subscription, event kind, attempts, last error."""
    settings = settings_for(db)
    engine = engine_for(settings)
    try:
        require_current(engine)
        with transaction(session_factory(engine)) as session:
            rows = service.dead_letters(session, agency)
            for row in rows:
                event = session.get(ExchangeEvent, row.event_id)
                kind = event.kind if event else "?"
                typer.echo(f"{row.id}\tsubscription {row.subscription_id}\t{kind}\t"
                           f"{row.attempts} attempts\t{row.last_error or ''}")  # fmt: skip
    finally:
        engine.dispose()
    if not rows:
        typer.echo("no dead letters", err=True)


@exchange_app.command("replay")
@friendly_errors
def replay_command(
    delivery_ids: Annotated[list[int] | None, typer.Argument(help="Dead deliveries.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every dead delivery.")] = False,
    agency: Annotated[str | None, typer.Option(help="With --all: only this agency's.")] = None,
    db: DbOption = None,
) -> None:
    """Put dead deliveries back in the queue (the same event ids), audited; the next
    deliver sends them."""
    if not delivery_ids and not all_:
        raise fail("name the dead deliveries to replay, or give --all")
    settings = settings_for(db)
    engine = engine_for(settings)
    try:
        require_current(engine)
        with transaction(session_factory(engine)) as session:
            now = utcnow()
            if all_:
                count = service.replay_all(session, agency, now)
                target = f"dead:{agency or 'all'}"
            else:
                for delivery_id in delivery_ids or []:
                    service.replay(session, delivery_id, None, now)
                count = len(delivery_ids or [])
                target = ",".join(str(i) for i in delivery_ids or [])[:64]
            audit.record(session, audit.Actor.cli(), Action.UPDATE, "exchange_deliveries",
                         target, fields=["status"], purpose="replay dead letters")  # fmt: skip
    finally:
        engine.dispose()
    typer.echo(f"{count} deliveries back in the queue")


exchange_app.command("htcds")(htcds_command)
