"""``lindungi audit``: checkpoint, verify, prove, keygen, public-key, witness."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lindungi.audit import service
from lindungi.audit.accessed_cli import accessed_command
from lindungi.audit.signing import (
    key_id,
    load_private_key,
    load_public_key,
    public_pem,
    write_private_key,
)
from lindungi.audit.sources import CheckpointSource, DatabaseSource, HubSource
from lindungi.audit.verify import verify_log
from lindungi.audit.witness import WitnessRejection, WitnessState, observe
from lindungi.clitools import (
    DbOption,
    fail,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)
from lindungi.settings import Settings

audit_app = typer.Typer(help="The tamper-evident audit log: checkpoints, verification, witnesses.")
audit_app.command("accessed")(accessed_command)


def _signing_key(settings: Settings) -> Ed25519PrivateKey:
    # Outside production a missing key is created on first use (as `serve` does).
    return load_private_key(settings.audit_key_file, create=settings.environment != "production")


@audit_app.command()
@friendly_errors
def checkpoint(db: DbOption = None) -> None:
    """Sign a checkpoint of the log as it is now and print it as JSON."""
    settings = settings_for(db)
    key = _signing_key(settings)
    with unit_of_work(settings) as session:
        signed = service.create_checkpoint(session, key)
    typer.echo(json.dumps(signed.to_json()))


@audit_app.command()
@friendly_errors
def verify(
    public_key: Annotated[
        list[Path] | None,
        typer.Option(
            help="Trust these PEM public keys (repeatable) instead of the signing key file.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Recompute the whole log and check every checkpoint; exit 1 naming the first fault."""
    settings = settings_for(db)
    if public_key:
        keys = [load_public_key(path.read_bytes()) for path in public_key]
    else:
        keys = [load_private_key(settings.audit_key_file, create=False).public_key()]
    with unit_of_work(settings) as session:
        result = verify_log(session, keys)
    if not result.ok:
        raise fail(f"audit log verification FAILED: {result.problem}")
    typer.echo(f"audit log verified: {result.entries} entries, {result.checkpoints} checkpoints")


@audit_app.command()
@friendly_errors
def prove(entry_id: int, db: DbOption = None) -> None:
    """Print the inclusion proof of an entry against the latest checkpoint, as JSON."""
    with unit_of_work(settings_for(db)) as session:
        proof = service.prove_inclusion(session, entry_id)
    typer.echo(
        json.dumps(
            {
                "seq": proof.seq,
                "leaf_hash": proof.leaf_hash.hex(),
                "tree_size": proof.checkpoint.size,
                "root_hash": proof.checkpoint.root_hash.hex(),
                "proof": [p.hex() for p in proof.proof],
                "checkpoint": proof.checkpoint.to_json(),
            }
        )
    )


@audit_app.command()
@friendly_errors
def keygen(
    out: Annotated[Path, typer.Option(help="Where to write the new Ed25519 key (mode 0600).")],
) -> None:
    """Create a checkpoint signing key; never overwrites an existing file."""
    key = write_private_key(out)
    typer.echo(f"wrote {out} (key id {key_id(key.public_key())})")


@audit_app.command("public-key")
@friendly_errors
def public_key_cmd(db: DbOption = None) -> None:
    """Print the public half of the signing key (PEM), for witnesses and auditors."""
    key = _signing_key(settings_for(db)).public_key()
    typer.echo(public_pem(key), nl=False)
    typer.echo(f"key id {key_id(key)}", err=True)


@audit_app.command()
@friendly_errors
def witness(
    state: Annotated[Path, typer.Option(help="The witness's state file (created on first run).")],
    hub: Annotated[
        str | None, typer.Option(help="The hub's base URL, e.g. https://hub.example.")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="LINDUNGI_WITNESS_TOKEN", help="Bearer token for --hub."),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(help="The hub's public key (PEM), to trust from the first run.", exists=True),
    ] = None,
    db: DbOption = None,
) -> None:
    """Check the hub's newest checkpoint against the last one this witness accepted.

    Accepts it (and remembers it) only if it is signed by the hub's key and extends
    the history seen before; a rewritten history exits 1 and leaves the state as it was.
    """
    given_pem = public_key.read_text(encoding="ascii") if public_key else None
    if not state.parent.is_dir():
        raise fail(f"the folder of the state file {state} does not exist")
    current = None
    if state.exists():
        try:
            current = WitnessState.from_json(json.loads(state.read_text(encoding="utf-8")))
        except ValueError as err:
            raise fail(f"{state} is not a witness state file: {err}") from None
        if given_pem is not None and key_id(load_public_key(given_pem)) != key_id(
            current.public_key
        ):
            raise fail(
                f"{state} trusts key {key_id(current.public_key)}, but --public-key is "
                f"{key_id(load_public_key(given_pem))}; a witness never changes keys silently"
            )
    if hub is not None:
        if not token:
            raise fail("--hub needs a token (--token or LINDUNGI_WITNESS_TOKEN)")
        _witness(HubSource(hub, token), current, given_pem, state)
        return
    with unit_of_work(settings_for(db)) as session:
        _witness(DatabaseSource(session, given_pem), current, given_pem, state)


def _witness(
    source: CheckpointSource, current: WitnessState | None, pem: str | None, state: Path
) -> None:
    if current is None:
        trusted = pem or source.public_key_pem()
        current = WitnessState(load_public_key(trusted))
        if pem is None:
            typer.echo(
                f"first run: trusting the hub's key {key_id(current.public_key)} as announced; "
                "confirm this key id with the hub's operators",
                err=True,
            )
    newest = source.latest()
    seen = current.checkpoint
    proof = source.consistency(seen.size, newest.size) if seen and newest.size >= seen.size else []
    try:
        accepted = observe(current, newest, proof)
    except WitnessRejection as rejection:
        typer.echo(f"REJECTED: {rejection.detail}", err=True)
        raise typer.Exit(1) from None
    text = accepted.dumps()
    write_atomically(state, lambda path: path.write_text(text, encoding="utf-8"))
    since = f"consistent with size {seen.size}" if seen else "first checkpoint seen"
    typer.echo(f"witnessed checkpoint size {newest.size} root {newest.root_hash.hex()} ({since})")
    sys.stdout.flush()
