"""``lindungi users`` and ``lindungi tokens``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.auth import service
from lindungi.auth.permissions import ROLES
from lindungi.clitools import DbOption, friendly_errors, settings_for, stdin_secret, unit_of_work

users_app = typer.Typer(help="Users of the hub: each belongs to one agency and holds roles.")
tokens_app = typer.Typer(help="API bearer tokens (stored only as hashes).")


@users_app.command("add")
@friendly_errors
def users_add(
    username: Annotated[str, typer.Argument(help="Login name, e.g. 'bp2mi.siti'.")],
    agency: Annotated[str, typer.Option(help="Agency code, e.g. imigrasi or bp2mi.")],
    role: Annotated[
        list[str], typer.Option(help=f"Role (repeatable): {', '.join(sorted(ROLES))}.")
    ],
    full_name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password_stdin: Annotated[
        bool, typer.Option(help="Read a console password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create a user of an agency holding one or more roles."""
    password = stdin_secret() if password_stdin else None
    with unit_of_work(settings_for(db)) as session:
        user = service.add_user(
            session, username, agency=agency, roles=role, full_name=full_name, password=password
        )
        fields = ["username", "full_name", "roles"] + (["password"] if password else [])
        audit.record(session, Actor.cli(), Action.CREATE, "users", username, fields=fields)
        typer.echo(f"added {user.username} ({user.agency_code}: {', '.join(user.role_codes)})")


@users_app.command("list")
@friendly_errors
def users_list(
    agency: Annotated[str | None, typer.Option(help="Only this agency's users.")] = None,
    db: DbOption = None,
) -> None:
    """List users with their agency and roles."""
    with unit_of_work(settings_for(db)) as session:
        if agency is not None:
            service.get_agency(session, agency)
        users = service.list_users(session, agency)
        audit.record(
            session, Actor.cli(), Action.READ, "users", f"agency:{agency or '*'}",
            fields=["username", "agency", "roles", "is_active"],
        )  # fmt: skip
        for user in users:
            state = "" if user.is_active else " (deactivated)"
            typer.echo(f"{user.username}\t{user.agency_code}\t{','.join(user.role_codes)}{state}")


def _set_active(username: str, active: bool, db: str | None) -> None:
    with unit_of_work(settings_for(db)) as session:
        user = service.set_active(session, service.get_user(session, username), active)
        audit.record(session, Actor.cli(), Action.UPDATE, "users", username, fields=["is_active"])
        typer.echo(f"{'activated' if active else 'deactivated'} {user.username}")


@users_app.command("deactivate")
@friendly_errors
def users_deactivate(username: str, db: DbOption = None) -> None:
    """Deactivate a user: their tokens stop working at once; nothing is deleted."""
    _set_active(username, False, db)


@users_app.command("activate")
@friendly_errors
def users_activate(username: str, db: DbOption = None) -> None:
    """Reactivate a deactivated user."""
    _set_active(username, True, db)


@tokens_app.command("issue")
@friendly_errors
def tokens_issue(
    username: Annotated[str, typer.Argument(help="Whose token.")],
    expires_days: Annotated[
        int | None,
        typer.Option(min=1, max=365, help="Days until it expires (default: settings)."),
    ] = None,
    name: Annotated[str, typer.Option(help="A label to tell tokens apart.")] = "",
    db: DbOption = None,
) -> None:
    """Issue a bearer token and print it on stdout (it is shown only this once)."""
    settings = settings_for(db)
    with unit_of_work(settings) as session:
        user = service.get_user(session, username)
        days = expires_days or settings.token_ttl_days
        issued = service.issue_token(session, user, ttl=dt.timedelta(days=days), name=name)
        audit.record(
            session, Actor.cli(), Action.CREATE, "tokens", str(issued.token.id),
            fields=["user", "name", "expires_at"],
        )  # fmt: skip
    typer.echo(issued.secret)
    typer.echo(
        f"token {issued.token.id} for {username} expires {issued.token.expires_at:%Y-%m-%d %H:%M}Z",
        err=True,
    )


@tokens_app.command("list")
@friendly_errors
def tokens_list(username: str, db: DbOption = None) -> None:
    """List a user's tokens (id, prefix, state, expiry); never the secrets."""
    with unit_of_work(settings_for(db)) as session:
        user = service.get_user(session, username)
        now = dt.datetime.now(dt.UTC)
        tokens = service.list_tokens(session, user)
        audit.record(
            session, Actor.cli(), Action.READ, "tokens", f"user:{username}",
            fields=["prefix", "name", "expires_at", "revoked_at"],
        )  # fmt: skip
        for t in tokens:
            state = "revoked" if t.revoked_at else ("expired" if t.expires_at <= now else "active")
            typer.echo(f"{t.id}\t{t.prefix}…\t{state}\t{t.expires_at:%Y-%m-%d}\t{t.name}")


@tokens_app.command("revoke")
@friendly_errors
def tokens_revoke(token_id: int, db: DbOption = None) -> None:
    """Revoke a token by its id (from `tokens list`); it stops working at once."""
    with unit_of_work(settings_for(db)) as session:
        token = service.revoke_token(session, service.get_token(session, token_id))
        audit.record(
            session, Actor.cli(), Action.UPDATE, "tokens", str(token_id), fields=["revoked_at"]
        )
        typer.echo(f"revoked token {token.id} ({token.prefix}…)")
