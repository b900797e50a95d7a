"""Benchmark of check-in ingestion (issue 8): check-ins recorded per second through the
API and through NATS JetStream, beside ``service.ingest`` called directly and a naive
row-at-a-time writer, in the same run on the same seeded batches.

    python benchmarks/ingestion.py [--workers 1000] [--batches 8] [--batch-size 500]
                                   [--naive-batches 2] [--consumers 1,2] [--seed 2026]
                                   [--db URL] [--nats-url nats://127.0.0.1:4222] [--profile]

Setup (not timed; a temporary SQLite file, or the PostgreSQL database --db names, dropped,
created and dropped at the end): --workers enrolments in five towns, a ~1 km work zone
each, five approximate high-risk circles, a gateway and its token. Every worker pings once
a round, 15 minutes apart: 94% in the work zone, 4% elsewhere in town, 1.5% in a high-risk
zone, 0.5% SOS, so zone events and alerts are made. Each path starts from the same state
and is checked against the store afterwards (the expected check-ins exactly, none twice,
every batch answered with all accepted). NATS is timed from the first publish to the last
commit of ``stream.consume`` in 1 or 2 processes with ``lindungi monitoring consume``'s
handler; the HTTP path is the real app under uvicorn in a subprocess. A quick run:

    python benchmarks/ingestion.py --workers 200 --batches 4 --batch-size 100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import functools
import json
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import nats
from shapely.geometry import box, mapping
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import lindungi.models  # noqa: F401 - every table, so the consumers' foreign keys resolve
from lindungi.auth import service as auth
from lindungi.auth.permissions import Principal
from lindungi.clitools import unit_of_work
from lindungi.db import Base, make_engine, session_factory, transaction
from lindungi.migrate import init_db
from lindungi.monitoring import places, service, stream
from lindungi.monitoring.intake import parse_time
from lindungi.monitoring.models import Alert, Checkin, CheckinBatch, Enrolment, ZoneEvent
from lindungi.settings import load_settings

SOURCE = "bench.gateway"  # the gateway's username: the batches' source on every path
OFFICER = Principal.of(1, "bench.officer", "bp2mi", ("case_worker",), None)
# town, country, lon, lat, embassy; a synthetic high-risk circle lies ~15 km from each
CITIES = (("Kuala Lumpur", "MY", 101.69, 3.14, "KBRI Kuala Lumpur"),
          ("Phnom Penh", "KH", 104.92, 11.56, "KBRI Phnom Penh"),
          ("Sihanoukville", "KH", 103.52, 10.63, "KBRI Phnom Penh"),
          ("Bangkok", "TH", 100.50, 13.75, "KBRI Bangkok"),
          ("Mae Sot", "TH", 98.57, 16.71, "KBRI Yangon"))  # fmt: skip
HIGH_RISK = tuple((lon + 0.11, lat + 0.08) for _, _, lon, lat, _ in CITIES)
WRITTEN = ("alert_events", "notifications", "alerts", "zone_events", "presence", "checkins",
           "batches")  # what ingesting writes (monitoring_*), children first  # fmt: skip


@dataclass
class Row:
    """One line of the table and what the check of the store found."""

    path: str
    batches: int = 0
    checkins: int = 0
    seconds: float = 0.0
    check: str = ""  # what went wrong; "ok" once the store is checked and right
    events: int = 0
    alerts: int = 0


log = functools.partial(print, file=sys.stderr, flush=True)


def batch_key(n: int) -> str:
    return f"bench-batch-{n:07d}"


def fresh_database(db: str | None, folder: Path) -> tuple[str, Callable[[], None]]:
    """The run's database URL and how to drop it: an SQLite file in ``folder``, or the
    PostgreSQL database ``db`` names, dropped if there and created."""
    if not db:
        return f"sqlite:///{folder / 'bench-ingestion.db'}", lambda: None
    name = make_url(db).database or ""
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"--db: unsafe database name {name!r}")
    admin = make_engine(make_url(db).set(database="postgres").render_as_string(False))

    def run(*statements: str) -> None:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in statements:
                conn.execute(text(statement))

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return db, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def zones(kind: str, shapes: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``kind`` zones by zone id."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": mapping(shape),
         "properties": {"zone_id": zone_id, "kind": kind, "approximate": kind != "work"}}
        for zone_id, shape in shapes.items()]}  # fmt: skip


Worker = tuple[str, int, float, float]  # as their app knows them: key, town, workplace


def setup(sessions: sessionmaker[Session], count: int, seed: int) -> tuple[list[Worker], str]:
    """Enrol ``count`` workers with a work zone each, the high-risk zones and a gateway;
    answers the workers and the gateway's token."""
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not secrets
    given = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    workers = []
    with transaction(sessions) as session:
        for n in range(count):
            town, country, lon, lat, embassy = CITIES[n % len(CITIES)]
            enrolment = service.enrol(session, {
                "full_name": f"Pekerja Sintetis {n + 1:05d}", "passport_no": f"X{n:07d}",
                "phone": None, "country": country, "city": town, "visa": "digital_work",
                "sponsor": f"Perusahaan Contoh {n % 97}", "sponsor_contact": None,
                "recruiter_id": None, "embassy": embassy, "every_minutes": 15,
                "grace_minutes": 30,
                "emergency_contacts": [{"name": "Ibu", "relation": "ibu",
                                        "phone": f"+62812{n:07d}"}],
                "consent": {"version": "2026.12", "purpose": "keselamatan pekerja (benchmark)",
                            "collected": ["location", "sos"], "retention_days": 30,
                            "withdrawal": "lewat aplikasi atau hotline", "language": "id",
                            "given_at": given},
            }, OFFICER)  # fmt: skip
            x, y = lon + rng.uniform(-0.05, 0.05), lat + rng.uniform(-0.05, 0.05)
            workers.append((enrolment.subject, n % len(CITIES), x, y))
            work = {f"bench-work-{enrolment.id}": box(x - 0.005, y - 0.005, x + 0.005, y + 0.005)}
            places.import_zones(session, zones("work", work), "bench", "bench",
                                work_of=enrolment.id)  # fmt: skip
        risky = {f"bench-high-risk-{n}": places.circle(lon, lat, 3.0)
                 for n, (lon, lat) in enumerate(HIGH_RISK)}  # fmt: skip
        places.import_zones(session, zones("high_risk", risky), "bench", "bench")
        user = auth.add_user(session, SOURCE, agency="bp2mi", roles=["gateway"])
        secret = auth.issue_token(session, user, ttl=dt.timedelta(days=1)).secret
    return workers, secret


def make_batches(workers: list[Worker], count: int, size: int, seed: int) -> list[list[Any]]:
    """``count`` batches of ``size`` check-ins: each round every worker pings once, in a
    shuffled order, 15 minutes (less in a very long run) after their previous ping."""
    rng = random.Random(seed + 1)  # noqa: S311 - synthetic test data, not secrets
    total = count * size
    rounds = -(-total // len(workers))
    step = min(dt.timedelta(minutes=15), dt.timedelta(days=20) / rounds)
    start = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - step * (rounds + 1)
    offsets = [rng.randrange(int(step.total_seconds() * 0.9) + 1) for _ in workers]
    pings: list[dict[str, Any]] = []
    for r in range(rounds):
        for w in rng.sample(range(len(workers)), len(workers)):
            (subject, town, lon, lat), spread, roll = workers[w], 0.003, rng.random()
            if 0.005 <= roll < 0.02:  # inside the high-risk circle near their town
                (lon, lat), spread = HIGH_RISK[town], 0.01
            elif 0.02 <= roll < 0.06:  # elsewhere in town: out of the work zone
                lon += rng.choice((-1, 1)) * rng.uniform(0.02, 0.04)
            at = start + r * step + dt.timedelta(seconds=offsets[w])
            pings.append({
                "subject": subject, "kind": "sos" if roll < 0.005 else "checkin",
                "at": at.isoformat(), "lon": round(lon + rng.uniform(-spread, spread), 6),
                "lat": round(lat + rng.uniform(-spread, spread), 6),
                "accuracy_m": rng.choice((5.0, 10.0, 25.0, 60.0)),
            })  # fmt: skip
    return [pings[i : i + size] for i in range(0, total, size)]


def reset(engine: Engine) -> None:
    """Delete what a path recorded, so the next one starts from the same state; on
    PostgreSQL, VACUUM ANALYZE as its autovacuum would."""
    with engine.begin() as conn:
        for table in WRITTEN:
            conn.execute(delete(Base.metadata.tables[f"monitoring_{table}"]))
        conn.execute(update(Enrolment).values(last_checkin_at=None))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def verify(reader: Engine, row: Row, naive: bool = False) -> Row:
    """Check the store against what was sent: exactly the expected check-ins, none twice,
    every batch answered with all of its check-ins accepted."""
    count = func.count()
    marks = select(Checkin.enrolment_id, Checkin.kind, Checkin.at).distinct().subquery()
    with reader.connect() as conn:
        held = conn.scalar(select(count).select_from(Checkin))
        distinct = conn.scalar(select(count).select_from(marks))
        answers = list(conn.scalars(select(CheckinBatch.answer)))
        row.events = conn.scalar(select(count).select_from(ZoneEvent)) or 0
        row.alerts = conn.scalar(select(count).select_from(Alert)) or 0
    problems = [] if held == distinct == row.checkins else [
        f"{held} stored ({distinct} distinct), {row.checkins} sent"]  # fmt: skip
    tally = [sum(a.get(k, 0) for a in answers) for k in ("accepted", "duplicates")]
    tally.append(sum(len(a.get("rejected", [])) for a in answers))
    if not naive and [len(answers), *tally] != [row.batches, row.checkins, 0, 0]:
        problems.append("{} batches: {} accepted, {} duplicates, {} rejected".format(
            len(answers), *tally))  # fmt: skip
    row.check = "; ".join(filter(None, [*problems, row.check])) or "ok"
    return row


def time_direct(sessions: sessionmaker[Session], batches: list[list[Any]]) -> float:
    """``service.ingest`` per batch, each in its own transaction (the handlers' work)."""
    start = time.perf_counter()
    for n, records in enumerate(batches):
        with transaction(sessions) as session:
            service.ingest(session, SOURCE, batch_key(n), records)
    return time.perf_counter() - start


def time_naive(engine: Engine, batches: list[list[Any]]) -> float:
    """One INSERT and one commit per check-in: no checks, no duplicates found, no zones."""
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Enrolment.subject, Enrolment.id)).all())
        batch_id = conn.execute(insert(CheckinBatch).values(
            source=SOURCE, key="naive", digest="-", answer={})).inserted_primary_key[0]  # fmt: skip
    start = time.perf_counter()
    for record in (r for records in batches for r in records):
        with engine.begin() as conn:
            conn.execute(insert(Checkin).values(
                enrolment_id=ids[record["subject"]], batch_id=batch_id, kind=record["kind"],
                at=parse_time(record["at"]), lon=record["lon"], lat=record["lat"],
                accuracy_m=record["accuracy_m"]))  # fmt: skip
    return time.perf_counter() - start


def time_http(url: str, folder: Path, secret: str, batches: list[list[Any]]) -> tuple[float, str]:
    """Sequential keep-alive POSTs to the real app under uvicorn, in a subprocess."""
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")} | {
        "LINDUNGI_DATABASE_URL": url, "LINDUNGI_ENVIRONMENT": "development",
        "LINDUNGI_AUDIT_KEY_FILE": str(folder / "audit.pem"), "XDG_DATA_HOME": str(folder),
        "LINDUNGI_AUDIT_CHECKPOINT_INTERVAL_SECONDS": "0"}  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "--factory", "lindungi.api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    bodies = [json.dumps({"checkins": records}).encode() for records in batches]
    failures: list[str] = []
    with (folder / "uvicorn.log").open("w") as logfile:
        server = subprocess.Popen(command, env=env, stdout=logfile,  # noqa: S603
                                  stderr=subprocess.STDOUT)  # fmt: skip
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers,
                          timeout=300) as client:  # fmt: skip
            for _ in range(300):  # a minute for the server to start
                with contextlib.suppress(httpx.TransportError):
                    if client.get("/readyz").status_code == 200:
                        break
                time.sleep(0.2)
            else:
                raise RuntimeError(f"uvicorn did not start; see {folder / 'uvicorn.log'}")
            start = time.perf_counter()
            for n, body in enumerate(bodies):
                got = client.post("/api/v1/monitoring/checkins", content=body,
                                  headers={"Idempotency-Key": batch_key(n)})  # fmt: skip
                if got.status_code != 200:
                    failures.append(f"batch {n}: {got.status_code} {got.text[:100]}")
            seconds = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    return seconds, "; ".join(failures[:2])


def consumer(url: str, where: stream.Stream, ready: Any, stop: Any, out: Any) -> None:
    """A consumer process: ``stream.consume`` with the handler of ``lindungi monitoring
    consume`` (a unit of work per batch) until told to stop; reports the time of its last
    commit (``time.monotonic``: one clock for every process on Linux)."""
    settings = load_settings(database_url=url, environment="development")
    done: dict[str, Any] = {"recorded": 0, "last": 0.0, "refused": []}

    def handle(source: str, key: str, records: list[dict[str, Any]]) -> None:
        with unit_of_work(settings) as session:
            service.ingest(session, source, key, records)
        done["last"] = time.monotonic()

    ready.set()
    try:
        while not stop.is_set():
            done["recorded"] += stream.consume(where, handle, 1_000_000, 0.5, done["refused"])
    except Exception as error:
        done["refused"].append(repr(error))
    out.put(done)


def time_nats(url: str, where: stream.Stream, reader: Engine, batches: list[list[Any]],
              consumers: int) -> tuple[float, float, str, list[int]]:  # fmt: skip
    """Publish every batch while ``consumers`` processes record them; answers the seconds
    publishing took and from its start to the last commit, what went wrong, and how many
    messages each consumer recorded."""
    stream.consume(where, lambda *_: None, limit=1, wait=0.2)  # the stream and its consumer
    context = mp.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    readies = [context.Event() for _ in range(consumers)]
    processes = [context.Process(target=consumer, args=(url, where, ready, stop, out))
                 for ready in readies]  # fmt: skip
    try:
        for process in processes:
            process.start()
        if not all(ready.wait(120) for ready in readies):
            raise RuntimeError("a consumer process did not start")
        start = time.monotonic()
        for n, records in enumerate(batches):
            stream.publish(where, SOURCE, batch_key(n), records)
        published = time.monotonic() - start
        while time.monotonic() < start + 900 and all(p.is_alive() for p in processes):
            with reader.connect() as conn:
                if conn.scalar(select(func.count()).select_from(CheckinBatch)) == len(batches):
                    break
            time.sleep(0.05)
        stop.set()
        reports = [out.get(timeout=120) for _ in processes]
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=30)
        jetstream(where.url, lambda js: js.delete_stream(where.name))
    trouble = [line for r in reports for line in r["refused"]]
    recorded = [r["recorded"] for r in reports]
    if sum(recorded) != len(batches):  # past ack_wait, JetStream redelivers to the other
        trouble.append(f"{sum(recorded) - len(batches)} batches delivered twice, replayed")
    return published, max(r["last"] for r in reports) - start, "; ".join(trouble[:2]), recorded


def jetstream(nats_url: str, call: Callable[[Any], Awaitable[object]]) -> str | None:
    """Run ``call`` on the server's JetStream; answers why it could not (``None`` if it
    could), quietly and within seconds when the server is not there."""
    errors: list[Exception] = []

    async def note(error: Exception) -> None:
        errors.append(error)

    async def go() -> None:
        client = await nats.connect(nats_url, connect_timeout=2, max_reconnect_attempts=1,
                                    reconnect_time_wait=0.2, error_cb=note)  # fmt: skip
        try:
            await call(client.jetstream())
        finally:
            await client.close()

    try:
        asyncio.run(asyncio.wait_for(go(), 10))
    except Exception as error:
        first = errors[0] if errors else error
        return f"{nats_url}: {type(first).__name__}: {first}"
    return None


def report(rows: list[Row], backend: str) -> None:
    """The table: check-ins per second, the ratio to the direct call, the check."""
    direct = rows[0].checkins / rows[0].seconds
    print(f"\nbackend {backend}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    line = "{:<34} {:>7} {:>9} {:>7} {:>11} {:>8} {:>7} {:>6}  {}"
    print(line.format("path", "batches", "check-ins", "seconds", "check-ins/s", "x direct",
                      "zone ev", "alerts", "check"))  # fmt: skip
    for r in rows:
        if not r.seconds:
            print(f"{r.path:<34} {r.check}")
            continue
        rate, counts = r.checkins / r.seconds, ("", "") if r.check == "-" else (r.events, r.alerts)
        print(line.format(r.path, r.batches, r.checkins, f"{r.seconds:.2f}", f"{rate:,.0f}",
                          f"{rate / direct:.2f}", *counts, r.check))  # fmt: skip


def run(args: argparse.Namespace, folder: Path) -> None:
    url, drop = fresh_database(args.db, folder)
    engine, reader = make_engine(url), make_engine(url, read_only=True)
    try:
        init_db(engine)
        sessions = session_factory(engine)
        log(f"setup: {args.workers:,} workers with work zones, 5 high-risk zones ...")
        workers, secret = setup(sessions, args.workers, args.seed)
        batches = make_batches(workers, args.batches, args.batch_size, args.seed)
        reset(engine)  # nothing to delete yet; statistics on PostgreSQL
        size, count = args.batches * args.batch_size, len(batches)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(time_direct, sessions, batches)
            stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
            stats.print_stats("lindungi/", 25)
            reset(engine)
        log("timing service.ingest directly ...")
        seconds = time_direct(sessions, batches)
        rows = [verify(reader, Row("direct service.ingest", count, size, seconds))]
        reset(engine)
        sample = batches[: args.naive_batches]
        log(f"timing the naive writer on {len(sample)} batches ...")
        seconds, checkins = time_naive(engine, sample), sum(map(len, sample))
        rows.append(verify(reader, Row("naive INSERT+commit each", len(sample), checkins,
                                       seconds), naive=True))  # fmt: skip
        reset(engine)
        log("timing HTTP ...")
        seconds, trouble = time_http(url, folder, secret, batches)
        rows.append(verify(reader, Row("HTTP POST (uvicorn)", count, size, seconds, trouble)))
        reason = jetstream(args.nats_url, lambda js: js.account_info())
        for n in args.consumers:
            name = f"NATS, {n} consumer{'s' if n > 1 else ''}"
            if reason:
                rows.append(Row(name, check=f"unavailable: {reason}"))
                continue
            reset(engine)
            log(f"timing {name} ...")
            where = stream.Stream(args.nats_url, f"LINDUNGI_BENCH_{uuid.uuid4().hex[:10]}".upper())
            published, seconds, trouble, split = time_nats(url, where, reader, batches, n)
            rows.append(Row(f"  {name}: publish only", count, size, published, "-"))
            rows.append(verify(reader, Row(f"{name}: end to end", count, size, seconds, trouble)))
            rows[-1].check += f" (batches per consumer: {'+'.join(map(str, split))})"
        report(rows, engine.dialect.name)
    finally:
        engine.dispose()
        reader.dispose()
        drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workers", type=int, default=1_000)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--naive-batches", type=int, default=2, help="the naive writer's sample")
    parser.add_argument("--consumers", default="1,2", help="consumer processes to try, e.g. 1,2")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (dropped!) instead of SQLite")
    parser.add_argument("--nats-url", default="nats://127.0.0.1:4222")
    parser.add_argument("--profile", action="store_true", help="profile the direct path first")
    args = parser.parse_args()
    args.consumers = [int(c) for c in args.consumers.split(",") if c.strip()]
    if min(args.workers, args.batches, args.batch_size, args.naive_batches, *args.consumers) < 1:
        parser.error("--workers, --batches, --batch-size, --naive-batches, --consumers: >= 1")
    if args.batch_size > 5000:
        parser.error("--batch-size: the API takes at most 5,000 check-ins a batch")
    with tempfile.TemporaryDirectory() as folder:
        run(args, Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
