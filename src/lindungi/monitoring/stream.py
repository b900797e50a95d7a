"""The check-in stream on NATS JetStream, for national scale: gateways' batches are
published to a subject and a durable consumer records them with the same handler as the
HTTP path (``service.ingest``). Optional: without ``LINDUNGI_NATS_URL`` the hub records
batches in-process as they arrive.

Delivery is at least once: a message is acknowledged only after its batch is committed,
so a crash in between redelivers it, and the batch's idempotency key makes the second
recording change nothing. JetStream also drops a republished message with the same
``Nats-Msg-Id`` within its duplicate window.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nats
from nats.js.api import ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError as StreamNotFound

from lindungi.errors import ConflictError, InvalidInputError

#: Batches one consumer takes at a time (small: several consumers share a backlog, and a
#: fetch never holds more work than the acknowledgement wait allows).
FETCH = 10


@dataclass(frozen=True)
class Stream:
    """Where the stream lives (from settings). Its subject and its durable consumer are
    named after it (``LINDUNGI_CHECKINS``: ``lindungi.checkins``), so two streams never
    claim the same subject."""

    url: str
    name: str = "LINDUNGI_CHECKINS"

    @property
    def subject(self) -> str:
        """The subject gateways' batches are published to."""
        return self.name.lower().replace("_", ".")

    @property
    def durable(self) -> str:
        """The durable consumer's name (shared by every consumer process)."""
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class Published:
    """JetStream's acknowledgement of a published batch."""

    seq: int
    duplicate: bool


Handle = Callable[[str, str, list[dict[str, Any]]], object]


async def _ensure(js: Any, stream: Stream) -> None:
    try:
        await js.stream_info(stream.name)
    except StreamNotFound:
        await js.add_stream(StreamConfig(
            name=stream.name, subjects=[stream.subject],
            duplicate_window=dt.timedelta(minutes=10).total_seconds(),
        ))  # fmt: skip


def publish(stream: Stream, source: str, key: str, records: list[dict[str, Any]]) -> Published:
    """Publish one gateway batch; answers its stream sequence number."""

    async def go() -> Published:
        client = await nats.connect(stream.url, connect_timeout=5, max_reconnect_attempts=2)
        try:
            js = client.jetstream()
            await _ensure(js, stream)
            payload = json.dumps({"source": source, "key": key, "records": records},
                                 default=str).encode()  # fmt: skip
            ack = await js.publish(stream.subject, payload,
                                   headers={"Nats-Msg-Id": f"{source}:{key}"})  # fmt: skip
            return Published(ack.seq, bool(ack.duplicate))
        finally:
            await client.close()

    return asyncio.run(go())


def consume(
    stream: Stream,
    handle: Handle,
    limit: int = 1000,
    wait: float = 1.0,
    refused: list[str] | None = None,
    retry_delay: float = 5.0,
) -> int:
    """Record up to ``limit`` waiting batches with ``handle(source, key, records)``, each
    acknowledged after ``handle`` returns (it commits); a batch whose handling fails for
    want of the store is left unacknowledged and comes back. A message that can never be
    recorded is acknowledged and described in ``refused``. Answers how many were
    recorded."""
    refused = [] if refused is None else refused

    async def go() -> int:
        client = await nats.connect(stream.url, connect_timeout=5, max_reconnect_attempts=2)
        done = 0
        try:
            js = client.jetstream()
            await _ensure(js, stream)
            sub = await js.pull_subscribe(
                stream.subject, durable=stream.durable,
                config=ConsumerConfig(ack_wait=300, max_deliver=-1),
            )  # fmt: skip
            while done < limit:
                try:
                    # A few at a time, so several consumers share a backlog.
                    messages = await sub.fetch(min(FETCH, limit - done), timeout=wait)
                except TimeoutError:
                    break
                for n, message in enumerate(messages):
                    try:
                        batch = json.loads(message.data)
                        await asyncio.to_thread(handle, batch["source"], batch["key"],
                                                batch["records"])  # fmt: skip
                    except (ConflictError, InvalidInputError, KeyError, ValueError) as error:
                        # Never recordable (a reused key, a malformed message): say so and
                        # take it off the stream rather than retry it forever.
                        refused.append(f"message {message.metadata.sequence.stream}: {error}")
                    except Exception:
                        # The store is down, or this process is failing: this batch comes
                        # back after a pause, the rest of the fetch at once.
                        await message.nak(delay=retry_delay)
                        for rest in messages[n + 1 :]:
                            await rest.nak()
                        raise
                    else:
                        done += 1
                    await message.ack_sync()
        finally:
            await client.close()
        return done

    return asyncio.run(go())
