"""Delivering the outbox to the agencies: signed webhooks and NATS JetStream subjects.

A dispatcher claims a batch of due deliveries (on PostgreSQL with ``SKIP LOCKED``, so
several dispatchers share the queue without sending one delivery twice at once), sends
them, and records the outcomes in the same transaction. A crash after sending and
before that commit sends the batch again: receivers recognise a repeat by the event's
id (the ``webhook-id`` header; JetStream drops a republished ``Nats-Msg-Id`` itself), so
each event takes effect once. A failed delivery is retried with growing waits, then it
is dead (the dead-letter queue) until an operator replays it.

Webhooks follow the Standard Webhooks specification (``webhook-id``,
``webhook-timestamp``, ``webhook-signature: v1,<HMAC-SHA256>``), so a receiver verifies
them with any of its published libraries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import urllib3
from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from lindungi.exchange import catalogue, sealing
from lindungi.exchange.models import Delivery, ExchangeEvent, Subscription

#: Waits after the 1st, 2nd, … failed attempt; after the last, the delivery is dead.
RETRY = (dt.timedelta(seconds=10), dt.timedelta(minutes=1), dt.timedelta(minutes=5),
         dt.timedelta(minutes=30), dt.timedelta(hours=2), dt.timedelta(hours=6))  # fmt: skip

#: The JetStream stream of agency events; its subjects are named after it
#: (``LINDUNGI_EVENTS``: ``lindungi.events.<agency>.<kind>``).
EVENTS_STREAM = "LINDUNGI_EVENTS"


def subject(stream: str, agency: str, kind: str) -> str:
    """The NATS subject of an agency's events of one kind on ``stream``."""
    return f"{stream.lower().replace('_', '.')}.{agency}.{kind}"


@dataclass(frozen=True)
class Message:
    """One delivery, ready to send: its envelope as JSON and where it goes."""

    delivery_id: int
    event_id: str
    subscription_id: int
    agency: str
    kind: str
    url: str | None
    secret: str | None  # as stored: sealed (``sealing``), or clear from before sealing
    body: str

    @property
    def dedupe_id(self) -> str:
        """JetStream's ``Nats-Msg-Id``: one per event and subscription."""
        return f"{self.event_id}:{self.subscription_id}"


def envelope(event: ExchangeEvent, granted: Sequence[str]) -> dict[str, Any]:
    """What a subscriber receives: the event's identity and, of its data, the granted
    fields only."""
    return {
        "id": event.event_id,
        "type": event.kind,
        "timestamp": event.occurred_at.isoformat(),
        "source": event.source_agency,
        "subject": event.subject,
        "data": catalogue.view(event.data, granted),
    }


class Transport(Protocol):
    """Sends a batch; answers, per message, ``None`` when it went through or the error."""

    def send(self, messages: Sequence[Message]) -> list[str | None]: ...


class Webhooks:
    """Signed JSON POSTs over pooled keep-alive connections."""

    def __init__(self, timeout: float = 10.0, seal_key: bytes | None = None) -> None:
        self._seal_key = seal_key  # opens the subscriptions' sealed secrets (``sealing``)
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout, read=timeout), retries=False
        )

    def send(self, messages: Sequence[Message]) -> list[str | None]:
        """POST each message to its URL; a 2xx answer is a delivery."""
        return [self._one(m) for m in messages]

    def _one(self, message: Message) -> str | None:
        if not message.url or not message.secret:
            return "the subscription has no URL or secret"
        try:
            secret = sealing.unseal(message.secret, self._seal_key)
        except sealing.UnsealError as error:
            return f"subscription {message.subscription_id}: {error}"
        sent_at = dt.datetime.now(dt.UTC)
        signature = Webhook(secret).sign(message.event_id, sent_at, message.body)
        headers = {
            "Content-Type": "application/json",
            "webhook-id": message.event_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": signature,
            "Idempotency-Key": message.event_id,
        }
        try:
            answer = self._pool.request(
                "POST", message.url, body=message.body.encode(), headers=headers,
                preload_content=True,
            )  # fmt: skip
        except urllib3.exceptions.HTTPError as error:
            return f"{message.url}: {type(error).__name__}: {error}"[:2000]
        if 200 <= answer.status < 300:
            return None
        return f"{message.url} answered {answer.status}"

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.clear()


class NatsBus:
    """Publishes to JetStream on a connection kept open across batches (its own event
    loop, so callers stay synchronous)."""

    def __init__(self, url: str, stream: str = EVENTS_STREAM) -> None:
        self.url, self.stream = url, stream
        self._loop = asyncio.new_event_loop()
        self._client: Any = None
        self._js: Any = None

    async def _connect(self) -> None:
        import nats
        from nats.js.api import StreamConfig
        from nats.js.errors import NotFoundError as StreamNotFound

        self._client = await nats.connect(self.url, connect_timeout=5, max_reconnect_attempts=2)
        self._js = self._client.jetstream()
        try:
            await self._js.stream_info(self.stream)
        except StreamNotFound:
            await self._js.add_stream(StreamConfig(
                name=self.stream, subjects=[subject(self.stream, "*", ">")],
                duplicate_window=dt.timedelta(hours=2).total_seconds(),
            ))  # fmt: skip

    async def _publish(self, messages: Sequence[Message]) -> list[str | None]:
        if self._client is None or self._client.is_closed:
            await self._connect()

        async def one(message: Message) -> str | None:
            try:
                await self._js.publish(
                    subject(self.stream, message.agency, message.kind),
                    message.body.encode(), timeout=10,
                    headers={"Nats-Msg-Id": message.dedupe_id},
                )  # fmt: skip
            except Exception as error:
                return f"nats {self.url}: {type(error).__name__}: {error}"[:2000]
            return None

        return list(await asyncio.gather(*(one(m) for m in messages)))

    def send(self, messages: Sequence[Message]) -> list[str | None]:
        """Publish the batch and wait for JetStream's acknowledgements."""
        try:
            return self._loop.run_until_complete(self._publish(messages))
        except Exception as error:
            return [f"nats {self.url}: {type(error).__name__}: {error}"[:2000]] * len(messages)

    def close(self) -> None:
        """Drain the connection and close the loop."""
        if self._client is not None and not self._client.is_closed:
            self._loop.run_until_complete(self._client.drain())
        self._loop.run_until_complete(_cancel_the_rest())
        self._loop.close()


async def _cancel_the_rest() -> None:
    """Cancel what a closed client leaves running (its readers, pingers and flushers)."""
    left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in left:
        task.cancel()
    await asyncio.gather(*left, return_exceptions=True)


@dataclass(frozen=True)
class Outcome:
    """What one dispatch did."""

    delivered: int = 0
    retrying: int = 0
    dead: int = 0

    @property
    def tried(self) -> int:
        """How many deliveries were attempted."""
        return self.delivered + self.retrying + self.dead


def dispatch(
    session: Session,
    transports: dict[str, Transport],
    now: dt.datetime,
    limit: int = 100,
) -> Outcome:
    """Claim up to ``limit`` due deliveries, send them, and record each outcome (flushes;
    the caller commits). A transport missing from ``transports`` counts as a failure
    naming it, so the delivery waits in the queue, then in the dead letters."""
    query = (
        select(Delivery, ExchangeEvent, Subscription)
        .join(ExchangeEvent, ExchangeEvent.id == Delivery.event_id)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)
    )
    rows = session.execute(query).all()
    by_transport: dict[str, list[tuple[Delivery, Message]]] = {}
    for delivery, event, sub in rows:
        body = json.dumps(envelope(event, sub.grants.get(event.kind, [])), ensure_ascii=False)
        message = Message(delivery.id, event.event_id, sub.id, sub.agency, event.kind, sub.url,
                          sub.secret, body)  # fmt: skip
        by_transport.setdefault(sub.transport, []).append((delivery, message))
    counts: Counter[str] = Counter()
    for name, batch in by_transport.items():
        transport = transports.get(name)
        errors: list[str | None] = (
            transport.send([m for _, m in batch])
            if transport is not None
            else [f"no {name} transport is configured"] * len(batch)
        )
        for (delivery, _), error in zip(batch, errors, strict=True):
            counts[_record(delivery, error, now)] += 1
    session.flush()
    return Outcome(counts["delivered"], counts["pending"], counts["dead"])


def _record(delivery: Delivery, error: str | None, now: dt.datetime) -> str:
    delivery.attempts += 1
    if error is None:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
    else:
        delivery.last_error = error
        if delivery.attempts > len(RETRY):
            delivery.status, delivery.dead_at = "dead", now
        else:
            delivery.next_attempt_at = now + RETRY[delivery.attempts - 1]
    return delivery.status
