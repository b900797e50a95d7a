"""Benchmark of agency-event delivery (issue 9): events delivered per second from the
outbox to a webhook receiver on loopback and to NATS JetStream, by ``delivery.dispatch``
(a batch per transaction, pooled keep-alive connections, concurrent JetStream
acknowledgements) beside the plain outbox loop (one delivery per transaction, a new
HTTP connection per request, as the monitoring notifications are sent), in the same run.

    python benchmarks/outbox_delivery.py [--events 20000] [--baseline-events 4000]
                                         [--batch 200] [--db URL]
                                         [--nats-url nats://127.0.0.1:4222]

Setup (not timed): a fresh database (a temporary SQLite file, or the PostgreSQL database
--db names, emptied!), one webhook and one NATS subscription of the foreign ministry to
``case.opened``, and --events events emitted through ``service.emit``. The receiver runs
in another process (HTTP/1.1 keep-alive, 8 threads) and counts the distinct
``webhook-id`` it took after verifying each signature. Every path starts with the same
deliveries pending and is checked afterwards: all delivered, the receiver (or the stream)
holding each event exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import nats
from common import fresh_database_url
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from standardwebhooks.webhooks import Webhook

from lindungi.auth.permissions import Principal
from lindungi.db import make_engine, session_factory, transaction
from lindungi.exchange import delivery, service
from lindungi.exchange.models import Delivery, ExchangeEvent, Subscription
from lindungi.migrate import init_db

KEMLU = Principal.of(1, "admin.kemlu", "kemlu", ("admin",), None)


def _receiver(port: mp.Value, secret: str) -> None:  # type: ignore[valid-type]
    """The agency's endpoint, in its own process: verifies, keeps distinct ids."""
    taken: set[str] = set()
    verify = Webhook(secret)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            verify.verify(body, dict(self.headers), json_parse=False)
            taken.add(self.headers["webhook-id"])
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            answer = json.dumps({"taken": len(taken)}).encode()
            taken.clear()
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port.value = server.server_address[1]  # type: ignore[attr-defined]
    server.serve_forever()


@dataclass(frozen=True)
class Result:
    path: str
    events: int
    seconds: float
    check: str


def _reset(factory: sessionmaker[Session], transport: str, limit: int) -> int:
    """Make ``limit`` deliveries of one transport pending again, the rest delivered."""
    with transaction(factory) as session:
        ids = select(Subscription.id).where(Subscription.transport == transport)
        session.execute(update(Delivery).values(status="delivered"))
        chosen = (
            select(Delivery.id)
            .where(Delivery.subscription_id.in_(ids))
            .order_by(Delivery.id)
            .limit(limit)
        )
        done = session.execute(
            update(Delivery)
            .where(Delivery.id.in_(chosen.scalar_subquery()))
            .values(status="pending", attempts=0, next_attempt_at=dt.datetime(2000, 1, 1,
                                                                              tzinfo=dt.UTC))
        )  # fmt: skip
        return int(done.rowcount)  # type: ignore[attr-defined]


def _pending(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        return session.scalar(select(func.count()).where(Delivery.status == "pending")) or 0


def _dispatch(factory: sessionmaker[Session], ways: dict[str, delivery.Transport],
              batch: int) -> None:  # fmt: skip
    while True:
        with transaction(factory) as session:
            done = delivery.dispatch(session, ways, dt.datetime.now(dt.UTC), batch)
        if done.tried < batch:
            return


def _plain_outbox(factory: sessionmaker[Session], url: str, secret: str) -> None:
    """The baseline: one delivery per transaction, a new connection per request."""
    sign = Webhook(secret)
    while True:
        with transaction(factory) as session:
            row = session.execute(
                select(Delivery, ExchangeEvent)
                .join(ExchangeEvent, ExchangeEvent.id == Delivery.event_id)
                .where(Delivery.status == "pending")
                .order_by(Delivery.id)
                .limit(1)
            ).first()
            if row is None:
                return
            sent, event = row
            body = json.dumps(delivery.envelope(event, ["case_id", "agency"]))
            now = dt.datetime.now(dt.UTC)
            request = urllib.request.Request(  # noqa: S310 - a loopback http URL
                url, data=body.encode(), method="POST", headers={
                "Content-Type": "application/json", "webhook-id": event.event_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": sign.sign(event.event_id, now, body)},
            )  # fmt: skip
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                answer.read()
            sent.status, sent.attempts, sent.delivered_at = "delivered", 1, now


def _taken(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
        return int(json.loads(answer.read())["taken"])


def _stream_count(nats_url: str, stream: str) -> int:
    async def count() -> int:
        client = await nats.connect(nats_url)
        try:
            info = await client.jetstream().stream_info(stream)
            await client.jetstream().purge_stream(stream)
            return int(info.state.messages)
        finally:
            await client.close()

    return asyncio.run(count())


def _timed(path: str, n: int, work: Callable[[], None], check: Callable[[], str]) -> Result:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    return Result(path, n, seconds, check())


def run(args: argparse.Namespace, folder: str) -> list[Result]:
    url = fresh_database_url(args.db, folder, "outbox.db")
    engine = make_engine(url)
    init_db(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        hook = service.subscribe(session, KEMLU, name="bench", transport="webhook",
                                 kinds=["case.opened"], url="http://127.0.0.1:1/")  # fmt: skip
        service.subscribe(session, KEMLU, name="bench", transport="nats",
                          kinds=["case.opened"], bus_configured=True)  # fmt: skip
        secret = hook.secret or ""
        hook_id = hook.id
    port = mp.Value("i", 0)
    receiver = mp.Process(target=_receiver, args=(port, secret), daemon=True)
    receiver.start()
    while not port.value:
        time.sleep(0.01)
    endpoint = f"http://127.0.0.1:{port.value}/events"
    with transaction(factory) as session:
        session.execute(update(Subscription).where(Subscription.id == hook_id)
                        .values(url=endpoint))  # fmt: skip
    made = time.perf_counter()
    for start in range(0, args.events, 1000):
        with transaction(factory) as session:
            for n in range(start, min(start + 1000, args.events)):
                service.emit(session, "case.opened", subject=f"case:{n}", source_agency="bp2mi",
                             actor="bench", data={"case_id": n, "agency": "bp2mi"})  # fmt: skip
    print(f"setup: {args.events:,} events emitted in {time.perf_counter() - made:.1f} s",
          file=sys.stderr)  # fmt: skip

    def received(n: int) -> Callable[[], str]:
        return lambda: (f"ok: {n:,} taken once" if (_taken(endpoint) == n and
                        _pending(factory) == 0) else "MISMATCH")  # fmt: skip

    results = []
    hooks = delivery.Webhooks()
    n = _reset(factory, "webhook", args.events)
    results.append(_timed(f"webhook: dispatch, batch {args.batch}", n,
                          lambda: _dispatch(factory, {"webhook": hooks}, args.batch),
                          received(n)))  # fmt: skip
    hooks.close()
    n = _reset(factory, "webhook", args.baseline_events)
    plain_run = functools.partial(_plain_outbox, factory, endpoint, secret)
    results.append(_timed("webhook: plain outbox (baseline)", n, plain_run, received(n)))
    stream = f"BENCH_EVENTS_{uuid.uuid4().hex[:6].upper()}"
    plain = f"BENCH_PLAIN_{uuid.uuid4().hex[:6].upper()}"  # subjects must not overlap
    bus = delivery.NatsBus(args.nats_url, stream)

    def in_stream(n: int) -> Callable[[], str]:
        return lambda: (f"ok: {n:,} in the stream" if _stream_count(args.nats_url, stream) == n
                        and _pending(factory) == 0 else "MISMATCH")  # fmt: skip

    n = _reset(factory, "nats", args.events)
    batched = functools.partial(_dispatch, factory, {"nats": bus}, args.batch)
    results.append(_timed(f"nats: dispatch, batch {args.batch}", n, batched, in_stream(n)))
    n = _reset(factory, "nats", args.baseline_events)
    bus_plain = delivery.NatsBus(args.nats_url, plain)
    results.append(_timed("nats: one per transaction (baseline)", n,
                          lambda: _dispatch(factory, {"nats": bus_plain}, 1),
                          lambda: f"ok: {_stream_count(args.nats_url, plain):,} in the "
                                  "stream"))  # fmt: skip

    async def drop() -> None:
        client = await nats.connect(args.nats_url)
        for name in (stream, plain):
            await client.jetstream().delete_stream(name)
        await client.close()

    bus.close()
    bus_plain.close()
    asyncio.run(drop())
    receiver.terminate()
    engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--baseline-events", type=int, default=4_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--db", default=None, help="PostgreSQL URL (emptied!); SQLite if unset")
    parser.add_argument("--nats-url", default="nats://127.0.0.1:4222")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = run(args, folder)
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"\nbackend {backend}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print("| path | events | seconds | events/s | x baseline | check |")
    print("|---|---:|---:|---:|---:|---|")
    base = {r.path.split(":")[0]: r.events / r.seconds for r in results if "baseline" in r.path}
    for r in results:
        rate = r.events / r.seconds
        ratio = rate / base[r.path.split(":")[0]]
        print(f"| {r.path} | {r.events:,} | {r.seconds:.2f} | {rate:,.0f} | {ratio:.1f}x | "
              f"{r.check} |")  # fmt: skip
    return 0 if all(r.check.startswith("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
