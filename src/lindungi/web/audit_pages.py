"""The audit log for auditors: its entries (filtered by actor, resource type and id,
paged in log order), the latest signed checkpoint, and whether the stored log verifies.

Permissions and audit entries follow ``audit/api.py``: the page needs ``audit:read`` and
records a read of the entries it showed, named by the search (as ``GET
/audit/entries`` does)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lindungi.api.deps import SessionDep, request_id
from lindungi.audit import service
from lindungi.audit.entry import Action, EntryFormatError, parse_entry
from lindungi.audit.models import AuditEntryRow
from lindungi.audit.signing import Checkpoint
from lindungi.audit.verify import Verification, verify_log
from lindungi.auth.permissions import Permission
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import require
from lindungi.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

READ = Permission("audit", "read")
PAGE = 50
#: The longest value each filter takes (the columns' lengths, as the API allows).
LIMITS = {"actor": 100, "resource_type": 64, "resource_id": 200}
ACTIONS = {
    "read": N_("read"),
    "create": N_("create"),
    "update": N_("update"),
    "transition": N_("transition"),
    "export": N_("export"),
    "denied": N_("denied"),
}
ERRORS = {"long": N_("Too long."), "start": N_("Give an entry number: a whole number, 0 or more.")}

# Verifying on a page, bounded so that the page stays fast. `verify_log` is the very check
# `lindungi audit verify` runs (every entry, every stored subtree hash, every checkpoint
# against the hub's own signing key), but it reads the whole log, so:
#  1. the page runs it only while the log holds at most VERIFY_LIMIT entries (it streams
#     about 60,000 entries a second on SQLite, so under a second); a larger log is left to
#     `lindungi audit verify` on the server, and the page says so instead of hanging;
#  2. a result is reused for VERIFY_TTL for the same database and the same latest signed
#     checkpoint, so paging through the entries does not check the log again each time
#     (a new checkpoint is verified as soon as the page is next opened; without any
#     checkpoint nothing is reused);
#  3. on PostgreSQL it reads one REPEATABLE READ snapshot on a connection of its own, so
#     entries appended meanwhile by other requests cannot look like a missing hash.
VERIFY_LIMIT = 50_000
VERIFY_TTL = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Verified:
    """A verification as the page shows it: its outcome (``None`` when the log was too
    large to verify here), when it ran, and the log's size at the time."""

    outcome: Verification | None
    at: dt.datetime
    size: int


_LOCK = threading.Lock()
_RESULTS: dict[tuple[str, Any], Verified] = {}


def _snapshot_verify(session: Session, keys: list[Ed25519PublicKey]) -> Verification:
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        with bind.connect() as conn:
            snapshot = conn.execution_options(isolation_level="REPEATABLE READ")
            with Session(snapshot) as reader:
                return verify_log(reader, keys)
    return verify_log(session, keys)


def verification(
    session: Session, key: Ed25519PublicKey, latest: Checkpoint | None, now: dt.datetime
) -> Verified:
    """Whether the stored log verifies, bounded as the comment above says."""
    size = service.log_size(session)
    mark = None if latest is None else (latest.size, latest.root_hash, latest.timestamp)
    cache_key = (str(session.get_bind().engine.url), mark)
    with _LOCK:
        kept = _RESULTS.get(cache_key)
    if kept is not None and now - kept.at < VERIFY_TTL:
        return kept
    if size > VERIFY_LIMIT:
        return Verified(None, now, size)
    found = Verified(_snapshot_verify(session, [key]), now, size)
    if latest is not None:  # a result is anchored to the checkpoint it was checked with
        with _LOCK:
            _RESULTS.clear()  # one result per hub is all the page needs
            _RESULTS[cache_key] = found
    return found


@dataclass(frozen=True)
class EntryRow:
    """An entry with the field names its hashed bytes hold."""

    row: AuditEntryRow
    fields: tuple[str, ...] | None


def _with_fields(rows: list[AuditEntryRow]) -> list[EntryRow]:
    shown = []
    for row in rows:
        try:
            fields: tuple[str, ...] | None = parse_entry(row.entry, canonical=False).fields
        except EntryFormatError:
            fields = None  # verification names it; the page still lists the row
        shown.append(EntryRow(row, fields))
    return shown


@router.get("/console/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    actor: str = "",
    resource_type: str = "",
    resource_id: str = "",
    start: str = "",
) -> Response:
    user = require(request, session, READ)
    typed = {"actor": actor.strip(), "resource_type": resource_type.strip(),
             "resource_id": resource_id.strip(), "start": start.strip()}  # fmt: skip
    errors = {name: ERRORS["long"] for name, most in LIMITS.items() if len(typed[name]) > most}
    after = -1  # the entries after this one (as the API's ``after``)
    if typed["start"]:
        if re.fullmatch(r"[0-9]{1,18}", typed["start"]):
            after = int(typed["start"]) - 1
        else:
            errors["start"] = ERRORS["start"]
    latest = service.latest_checkpoint(session)
    now = dt.datetime.now(dt.UTC)
    checked = verification(session, request.app.state.audit_key.public_key(), latest, now)
    rows: list[EntryRow] = []
    if not errors:
        filters = {k: typed[k] or None for k in LIMITS}
        rows = _with_fields(service.list_entries(session, after=after, limit=PAGE, **filters))
        searched = {"after": after, "actor": filters["actor"],
                    "type": filters["resource_type"], "id": filters["resource_id"]}  # fmt: skip
        query = "&".join(f"{k}={v}" for k, v in searched.items() if v is not None)
        service.record(session, service.Actor(user.username, user.agency), Action.READ, "audit",
                       query, fields=["entries"], request_id=request_id(request))  # fmt: skip
    size = service.log_size(session)
    filtered = any(typed[k] for k in LIMITS)
    return render(request, "audit/log.html", status_code=422 if errors else 200, user=user,
                  typed=typed, errors=errors, rows=rows, page=PAGE, latest=latest,
                  checked=checked, size=size, filtered=filtered, actions=ACTIONS,
                  limit=VERIFY_LIMIT, newest=max(size - PAGE, 0))  # fmt: skip
