"""Operations of the exchange: emitting domain events into the outbox (in the caller's
transaction), managing the agencies' subscriptions, and the dead-letter queue.

Every module calls :func:`emit` beside the change it makes; the event and one pending
delivery per matching subscription commit with that change or not at all, so an event
is never lost after its change committed, nor sent for a change that was rolled back.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Permission, Principal
from lindungi.db import utcnow
from lindungi.errors import ConflictError, InvalidInputError, NotFoundError
from lindungi.exchange import catalogue, sealing
from lindungi.exchange.models import TRANSPORTS, Delivery, ExchangeEvent, Subscription


def _plain(value: Any) -> Any:
    """JSON-friendly: dates as ISO strings, tuples as lists."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def emit(
    session: Session,
    kind: str,
    *,
    subject: str,
    source_agency: str,
    actor: str,
    data: Mapping[str, Any],
    at: dt.datetime | None = None,
) -> ExchangeEvent:
    """Write a domain event and its deliveries to the subscriptions that want it, in the
    caller's transaction (flushes, never commits)."""
    catalogue.check_data(kind, data)
    event = ExchangeEvent(
        event_id=str(uuid.uuid4()), kind=kind, subject=subject[:64],
        source_agency=source_agency, actor=actor[:64], occurred_at=at or utcnow(),
        data={k: _plain(v) for k, v in data.items() if v is not None},
    )  # fmt: skip
    session.add(event)
    session.flush()
    wanted = [s.id for s in _active(session) if kind in s.grants]
    if wanted:
        session.add_all(
            Delivery(event_id=event.id, subscription_id=sid, status="pending", attempts=0,
                     replays=0, next_attempt_at=event.occurred_at)
            for sid in wanted
        )  # fmt: skip
        session.flush()
    return event


def _active(session: Session) -> list[Subscription]:
    return list(session.scalars(select(Subscription).where(Subscription.active.is_(True))))


def new_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _check_url(url: str | None, production: bool) -> str:
    if not url:
        raise InvalidInputError("url: a webhook subscription needs the receiver's URL", field="url")
    parts = urlsplit(url)
    allowed = ("https",) if production else ("http", "https")
    if parts.scheme not in allowed or not parts.hostname:
        raise InvalidInputError(
            f"url: {url!r} is not an {' or '.join(allowed)} URL with a host"
            + (" (production takes https only)" if production else ""),
            field="url",
        )
    return url


def subscribe(
    session: Session,
    principal: Principal,
    *,
    name: str,
    transport: str,
    kinds: list[str],
    fields: Mapping[str, list[str]] | None = None,
    url: str | None = None,
    bus_configured: bool = False,
    production: bool = False,
    seal_key: bytes | None = None,
) -> Subscription:
    """Open a subscription for the principal's agency, granted within its mandate (403
    naming what lies beyond it); a webhook gets a new signing secret, sealed with
    ``seal_key`` when given (``sealing``; :func:`new_subscription` answers it in clear)."""
    return new_subscription(session, principal, name=name, transport=transport, kinds=kinds,
                            fields=fields, url=url, bus_configured=bus_configured,
                            production=production, seal_key=seal_key)[0]  # fmt: skip


def new_subscription(
    session: Session,
    principal: Principal,
    *,
    name: str,
    transport: str,
    kinds: list[str],
    fields: Mapping[str, list[str]] | None = None,
    url: str | None = None,
    bus_configured: bool = False,
    production: bool = False,
    seal_key: bytes | None = None,
) -> tuple[Subscription, str | None]:
    """:func:`subscribe`, answering also the webhook secret in clear (to be shown once)."""
    if transport not in TRANSPORTS:
        raise InvalidInputError(
            f"transport: {transport!r} is not one of {', '.join(TRANSPORTS)}", field="transport"
        )
    grants = catalogue.grant(principal.agency, kinds, fields)
    if transport == "webhook":
        url = _check_url(url, production)
    elif url:
        raise InvalidInputError("url: a NATS subscription has no URL", field="url")
    elif not bus_configured:
        raise ConflictError("no message bus is configured (LINDUNGI_NATS_URL); use a webhook")
    secret = new_secret() if transport == "webhook" else None
    stored = sealing.seal(secret, seal_key) if secret and seal_key else secret
    row = Subscription(
        agency=principal.agency, name=name.strip()[:100] or transport, transport=transport,
        url=url, secret=stored, grants={k: list(v) for k, v in grants.items()}, active=True,
        created_by=principal.username,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row, secret


def get_subscription(session: Session, subscription_id: int, principal: Principal) -> Subscription:
    """A subscription of the principal's agency (404 for another agency's: not even its
    existence is told)."""
    row = session.get(Subscription, subscription_id)
    if row is None or row.agency != principal.agency:
        raise NotFoundError(f"subscription {subscription_id} not found")
    return row


def subscriptions(session: Session, agency: str) -> list[Subscription]:
    """An agency's subscriptions, newest first."""
    query = select(Subscription).where(Subscription.agency == agency)
    return list(session.scalars(query.order_by(Subscription.id.desc())))


def end(session: Session, subscription_id: int, principal: Principal) -> Subscription:
    """End a subscription: no new deliveries; pending ones are left to finish."""
    row = get_subscription(session, subscription_id, principal)
    if row.active:
        row.active, row.ended_by, row.ended_at = False, principal.username, utcnow()
        session.flush()
    return row


def dead_letters(session: Session, agency: str | None, limit: int = 200) -> list[Delivery]:
    """Deliveries that gave up (of one agency's subscriptions, or all), oldest first."""
    query = select(Delivery).where(Delivery.status == "dead")
    if agency is not None:
        query = query.join(Subscription, Subscription.id == Delivery.subscription_id).where(
            Subscription.agency == agency
        )
    return list(session.scalars(query.order_by(Delivery.id).limit(limit)))


def replay(
    session: Session, delivery_id: int, principal: Principal | None, now: dt.datetime
) -> Delivery:
    """Put a dead delivery back in the queue (the same event id: a receiver that already
    has it recognises it). ``principal`` ``None`` is the server's operator."""
    row = session.get(Delivery, delivery_id)
    if row is not None and principal is not None:
        owner = session.get(Subscription, row.subscription_id)
        if owner is None or owner.agency != principal.agency:
            row = None
    if row is None:
        raise NotFoundError(f"delivery {delivery_id} not found")
    if principal is not None:
        principal.require(Permission("subscriptions", "replay"))
    if row.status != "dead":
        raise ConflictError(f"delivery {delivery_id} is {row.status}, not dead; nothing to replay")
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
    row.replays += 1
    session.flush()
    return row


def replay_all(session: Session, agency: str | None, now: dt.datetime) -> int:
    """Put every dead delivery (of one agency, or all) back in the queue; answers how many."""
    query = update(Delivery).where(Delivery.status == "dead")
    if agency is not None:
        query = query.where(
            Delivery.subscription_id.in_(
                select(Subscription.id).where(Subscription.agency == agency)
            )
        )
    result = session.execute(
        query.values(status="pending", attempts=0, next_attempt_at=now,
                     replays=Delivery.replays + 1)
    )  # fmt: skip
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


def event_counts(session: Session) -> dict[str, int]:
    """How many events of each kind the outbox holds."""
    query = select(ExchangeEvent.kind, func.count()).group_by(ExchangeEvent.kind)
    return {kind: int(n) for kind, n in session.execute(query.order_by(ExchangeEvent.kind))}
