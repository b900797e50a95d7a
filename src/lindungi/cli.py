"""The ``lindungi`` command (contract 7): init, serve, demo, users, tokens."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated

import typer

from lindungi.analytics.cli import report_command
from lindungi.audit.cli import audit_app
from lindungi.auth.cli import tokens_app, users_app
from lindungi.cases.cli import cases_app
from lindungi.clitools import DbOption, engine_for, fail, friendly_errors, settings_for
from lindungi.db import check_durability, safe_url, session_factory, transaction
from lindungi.demo.monitoring import load_monitoring
from lindungi.exchange.cli import exchange_app
from lindungi.exchange.service import event_counts
from lindungi.identity.cli import identity_app, link_command
from lindungi.migrate import init_db, require_current
from lindungi.monitoring.cli import monitoring_app
from lindungi.monitoring.geofence_cli import geofence_command
from lindungi.network.cli import network_app
from lindungi.people.cli import persons_app
from lindungi.recruiters.cli import recruiters_app
from lindungi.retention.cli import retention_app
from lindungi.screening.cli import check_offer_command, screen_command, screening_app
from lindungi.settings import Settings

app = typer.Typer(
    name="lindungi",
    help="Lindungi — Digital Migrant Protection Hub for Indonesia.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
app.add_typer(recruiters_app, name="recruiters")
app.add_typer(network_app, name="network")
app.command("link")(link_command)
app.add_typer(identity_app, name="identity")
app.add_typer(persons_app, name="persons")
app.command("screen")(screen_command)
app.command("check-offer")(check_offer_command)
app.add_typer(screening_app, name="screening")
app.add_typer(cases_app, name="cases")
app.command("geofence")(geofence_command)
app.add_typer(monitoring_app, name="monitoring")
app.add_typer(exchange_app, name="exchange")
app.add_typer(retention_app, name="retention")
app.command("report")(report_command)

HostOption = Annotated[
    str | None, typer.Option(help="Address to listen on (default: LINDUNGI_HOST or 127.0.0.1).")
]
PortOption = Annotated[
    int | None,
    typer.Option(min=1, max=65535, help="Port to listen on (default: LINDUNGI_PORT or 8000)."),
]


@app.command()
@friendly_errors
def init(db: DbOption = None) -> None:
    """Create the database or upgrade it to this version's schema (idempotent)."""
    settings = settings_for(db)
    engine = engine_for(settings)
    try:
        result = init_db(engine)
    finally:
        engine.dispose()
    where = safe_url(settings.database_url)
    if result.changed:
        typer.echo(f"{where}: upgraded from {result.before or 'empty'} to {result.after}")
    else:
        typer.echo(f"{where}: up to date at {result.after}; nothing changed")


def _serve(
    settings: Settings, host: str | None, port: int | None, workers: int | None = None
) -> None:
    import uvicorn

    from lindungi.api.app import create_app
    from lindungi.logsafe import uvicorn_log_config

    bind_host = host or settings.host
    bind_port = port or settings.port
    processes = workers or settings.workers
    if processes > 1 and settings.rate_limit_storage == "memory://":
        raise fail(
            f"--workers {processes}: each process would count the public rate limits on "
            "its own; set LINDUNGI_RATE_LIMIT_STORAGE to a Redis URL they share"
        )
    hub = create_app(settings)  # fails here, before any message, on a bad key or setting
    typer.echo(f"Lindungi serving on http://{bind_host}:{bind_port} with {processes} "
               f"process{'es' if processes > 1 else ''} (Ctrl+C to stop)", err=True)  # fmt: skip
    if processes == 1:
        uvicorn.run(hub, host=bind_host, port=bind_port, log_level="info",
                    log_config=uvicorn_log_config())  # fmt: skip
        return
    # Several processes: each builds its own app from the environment, so what the
    # command line chose (the database) goes into the environment they inherit.
    os.environ["LINDUNGI_DATABASE_URL"] = settings.database_url
    uvicorn.run("lindungi.api.app:create_app", factory=True, workers=processes,
                host=bind_host, port=bind_port, log_level="info",
                log_config=uvicorn_log_config())  # fmt: skip


@app.command()
@friendly_errors
def serve(
    host: HostOption = None,
    port: PortOption = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Hub processes (default: LINDUNGI_WORKERS or 1)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API and the pages on an initialised database."""
    settings = settings_for(db)
    engine = engine_for(settings)
    try:
        require_current(engine)
        check_durability(engine)  # refuse to acknowledge writes a crash could lose
    finally:
        engine.dispose()
    _serve(settings, host, port, workers)


@app.command()
@friendly_errors
def demo(
    host: HostOption = None,
    port: PortOption = None,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic scenario.")] = 20231,
    people: Annotated[int, typer.Option(min=0, help="How many synthetic people.")] = 200,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load, print, and exit.")] = False,
    db: DbOption = None,
) -> None:
    """Load the SYNTHETIC demonstration scenario (idempotent) and serve the hub."""
    from lindungi.demo import service as demo_service
    from lindungi.demo.generator import generate

    settings = settings_for(db)
    if settings.environment == "production":
        raise fail("the demo loads synthetic users with published passwords; not in production")
    engine = engine_for(settings)
    try:
        init_db(engine)
        check_durability(engine)  # refuse a database where a crash could lose writes
        scenario = generate(seed=seed, people=people)
        with transaction(session_factory(engine)) as session:
            report = demo_service.load(session, scenario)
            index = demo_service.load_identities(session, seed=seed, people=people)
            screened = demo_service.load_screenings(session, scenario, min(people, 60))
            opened = demo_service.load_cases(session, scenario)
            watched = load_monitoring(session, scenario, dt.datetime.now(dt.UTC))
            events = event_counts(session)
            logins = demo_service.issue_logins(
                session, scenario, dt.timedelta(days=settings.token_ttl_days)
            )
    finally:
        engine.dispose()
    url = f"http://{host or settings.host}:{port or settings.port}"
    typer.echo(f"{scenario.label} (seed {seed})")
    typer.echo(
        f"database {safe_url(settings.database_url)}: {report.people_added} people, "
        f"{report.users_added} users and {report.recruiters_added} recruiters added, "
        f"{report.people_kept + report.users_kept} people and users already there"
    )
    typer.echo(
        f"person index: {index.records_added} agency records added; {index.records} records "
        f"of {index.persons} people linked across imigrasi, kemnaker, bp2mi and kemlu"
    )
    bands = ", ".join(f"{screened.bands.get(b, 0)} {b}" for b in ("low", "medium", "high"))
    typer.echo(
        f"screening: {screened.added} departures screened at the imigrasi desk; "
        f"{bands}; {screened.referrals} referred to BP2MI"
    )
    typer.echo(
        f"cases: {opened.added} synthetic cases opened; "
        f"{sum(opened.by_state.values())} in {len(opened.by_state)} stages; referrals "
        f"{_counts(opened.referrals)}; legal track {_counts(opened.legal)}; bond claims "
        f"{_counts(opened.bond_claims)}"
    )
    typer.echo(
        f"monitoring: {watched.enrolled} workers enrolled with consent, {watched.checkins} "
        f"check-ins held; alerts {_counts(watched.alerts)}; {watched.cases} cases opened by "
        "the alert ladder"
    )
    typer.echo(
        f"exchange: {sum(events.values())} agency events in the outbox ({_counts(events)}); "
        f"report: lindungi report --period {dt.datetime.now(dt.UTC):%Y-%m} --out report.pdf"
    )
    typer.echo(f"hub: {url}   API: {url}/api/v1   OpenAPI: {url}/openapi.json")
    typer.echo("demo logins (synthetic; for this demo only):")
    for login in logins:
        typer.echo(
            f"  {login.agency:<9} {login.username:<22} {','.join(login.roles):<13} "
            f"password {login.password}  token {login.token}"
        )
    if not no_serve:
        _serve(settings, host, port)


def main() -> None:
    """Console-script entry point."""
    app()


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items()) or "none"
