"""Load test (issue 11): hotline intake, check-in batches, screening at the desk and case
reads at once against one ``lindungi serve`` on PostgreSQL, driven by locust on loopback
for a bounded time; throughput, p50/p95/p99 and errors per request type beside
``GET /healthz`` under the same load (the floor), then ``lindungi audit verify``.

    python benchmarks/load_test.py [--db URL] [--duration 60] [--users auto|N]
                                   [--ramp 1,2,4,8,16,32] [--ramp-seconds 15]
                                   [--workers 1000] [--recruiters 5000]
                                   [--index-people 20000] [--cases 300] [--seed 2026]
                                   [--processes 1] [--redis URL] [--keep]

Setup, not timed: the database --db names (default lindungi_bench_load on the local
server) is dropped and created, and filled with the other benchmarks' generators:
``ingestion.setup`` (--workers enrolments with a work zone each, five high-risk zones, the
gateway and its token) and ``ingestion.make_batches`` (batches of 50 check-ins, 15 minutes
apart per worker); ``screening.fill_registry`` and ``screening.fill_index`` (a registry of
--recruiters and a linked person index of --index-people) and ``screening.generate`` (the
travellers screened); three immigration officers, three BP2MI case workers and two
consular officers with tokens; ANALYZE. ``lindungi serve`` (--processes uvicorn processes,
the rate limits in Redis when more than one) starts on a free port, --cases cases are
opened through the API, and the requests of
``benchmarks/load/locustfile.py`` run with locust headless (a closed loop: N users keep N
requests in flight). With --users auto a short ramp (--ramp users, --ramp-seconds each)
finds the users the machine sustains: the fewest whose throughput is within 10% of the
best of the ramp, without errors; more users past that point only queue. The measured run
then lasts --duration seconds. The database is dropped at the end unless --keep.

Locust rounds response times above 100 ms to 10 ms. Locust runs on the same machine and
takes CPU from the hub: the figures are for hub, PostgreSQL and load generator together.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psutil
from ingestion import batch_key, fresh_database, make_batches
from ingestion import setup as enrol_workers
from sqlalchemy import text

from lindungi.auth import service as auth
from lindungi.db import make_engine, session_factory, transaction
from lindungi.migrate import init_db
from recruiters import company_names
from screening import AGENTS, Mentions, fill_index, fill_registry, generate, mobile

HERE = Path(__file__).resolve().parent
LINDUNGI = Path(sys.executable).with_name("lindungi")
LOCUST = Path(sys.executable).with_name("locust")
BATCH_SIZE = 50
BATCHES_PER_SECOND = 60  # prepared per second of a run; more than a 2-core machine sends
ROLES = {"officer": ("imigrasi", 3), "case_worker": ("bp2mi", 3), "consular": ("kemlu", 2)}
TYPES = ("screening at the desk", "case read", "check-in batch", "hotline intake")
BASELINE = "baseline GET /healthz"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    """Fill the database; answers the state the locustfile reads (less the case ids)."""
    engine = make_engine(url)
    init_db(engine)
    sessions = session_factory(engine)
    log(f"setup: {args.workers:,} enrolled workers with work zones ...")
    workers, gateway = enrol_workers(sessions, args.workers, args.seed)
    log(f"setup: a registry of {args.recruiters:,}, an index of {args.index_people:,} ...")
    registry, file_rows = fill_registry(engine, sessions, args.recruiters, args.seed)
    indexed, flagged, _ = fill_index(engine, sessions, args.index_people, args.seed)
    rng = random.Random(args.seed + 5)  # noqa: S311 - synthetic test data, not secrets
    agents = [(rng.choice(AGENTS), mobile(rng)) for _ in range(500)]
    known = Mentions(registry, file_rows, agents, company_names(300, rng))
    travellers = [line.decode() for line in generate(2_000, args.seed, known, indexed, flagged)]
    tokens: dict[str, list[str]] = {"gateway": [gateway]}
    with transaction(sessions) as session:
        for role, (agency, count) in ROLES.items():
            for n in range(count):
                user = auth.add_user(session, f"load.{role}.{n}", agency=agency, roles=[role])
                issued = auth.issue_token(session, user, ttl=dt.timedelta(days=1))
                tokens.setdefault(role, []).append(issued.secret)
    tokens["case_worker"] += tokens.pop("consular")  # both read and open cases
    seconds = args.duration + args.ramp_seconds * len(args.ramp) + 60
    log(f"setup: {seconds * BATCHES_PER_SECOND:,} check-in batches of {BATCH_SIZE} ...")
    batches = make_batches(workers, seconds * BATCHES_PER_SECOND, BATCH_SIZE, args.seed)
    batches_file = folder / "batches.tsv"
    with batches_file.open("w", encoding="utf-8") as handle:
        for n, records in enumerate(batches):
            handle.write(f"{batch_key(n)}\t{json.dumps({'checkins': records})}\n")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return {"tokens": tokens, "screenings": travellers, "batches_file": str(batches_file),
            "batch_start": 0, "batch_end": 0, "case_ids": []}  # fmt: skip


def serve(
    url: str, folder: Path, env: dict[str, str], processes: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    """``lindungi serve`` (``--workers processes``) on a free loopback port, once it
    answers /readyz."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    with (folder / "serve.log").open("w") as logfile:
        server = subprocess.Popen(  # noqa: S603
            [str(LINDUNGI), "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(processes)],
            env=env, stdout=logfile, stderr=subprocess.STDOUT,
        )  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{host}/readyz").status_code == 200:
                return server, host
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"lindungi serve did not start; see {folder / 'serve.log'}")


def open_cases(host: str, token: str, count: int, seed: int) -> list[int]:
    """Cases opened through the API (untimed), so that case reads find real ones."""
    rng = random.Random(seed + 11)  # noqa: S311 - synthetic test data, not secrets
    ids = []
    with httpx.Client(base_url=host, headers={"Authorization": f"Bearer {token}"}) as client:
        for n in range(count):
            got = client.post("/api/v1/cases", json={
                "channel": rng.choice(("hotline", "family", "ngo", "sos")),
                "summary": f"Kasus sintetis {n}: pekerja meminta bantuan",
                "country": rng.choice(("MY", "KH", "TH", "SA")),
                "full_name": f"Korban Sintetis {n:05d}", "birth_date": "1995-04-02",
                "narrative": "Cerita sintetis untuk uji beban."})  # fmt: skip
            got.raise_for_status()
            ids.append(got.json()["id"])
    return ids


def run_locust(
    host: str, state: dict[str, Any], users: int, seconds: int, folder: Path, label: str
) -> dict[str, dict[str, Any]]:
    """One headless locust run; its rows by request name (and "Aggregated")."""
    used = state["batch_end"]
    state["batch_start"], state["batch_end"] = used, used + seconds * BATCHES_PER_SECOND
    data = folder / "state.json"
    data.write_text(json.dumps(state))
    prefix = folder / label
    command = [str(LOCUST), "-f", str(HERE / "load" / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
               "--loglevel", "WARNING"]  # fmt: skip
    env = os.environ | {"LINDUNGI_LOAD_DATA": str(data)}
    with (folder / f"{label}.log").open("w") as logfile:
        subprocess.run(command, env=env, stdout=logfile, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as handle:
            for row in csv.DictReader(handle):
                rows.get(row["Name"], {}).setdefault("example", row["Error"][:160])
    return rows


def rps(row: dict[str, Any]) -> float:
    return float(row["Requests/s"])


Step = tuple[int, float, int, str]  # users, requests/s, errors, desk p99 ms


def ramp(
    host: str, state: dict[str, Any], args: argparse.Namespace, folder: Path
) -> tuple[int, list[Step]]:
    """The fewest users within 10% of the best throughput of the ramp, without errors; and
    what each step saw."""
    seen: list[Step] = []
    for users in args.ramp:
        rows = run_locust(host, state, users, args.ramp_seconds, folder, f"ramp-{users}")
        total, desk = rows["Aggregated"], rows.get(TYPES[0], {})
        seen.append((users, rps(total), int(total["Failure Count"]), desk.get("99%", "?")))
        log(f"ramp: {users:>3} users  {rps(total):7.1f} req/s  {total['Failure Count']} errors"
            f"  desk p99 {seen[-1][3]} ms")  # fmt: skip
    best = max((r for _, r, errors, _ in seen if errors == 0), default=0.0)
    chosen = next((u for u, r, e, _ in seen if e == 0 and r >= 0.9 * best), args.ramp[0])
    return chosen, seen


def verify_audit(url: str, env: dict[str, str]) -> tuple[int, str, float]:
    """``lindungi audit verify`` on the database: exit status, its last line, seconds."""
    start = time.perf_counter()
    done = subprocess.run([str(LINDUNGI), "audit", "verify", "--db", url], env=env,  # noqa: S603
                          capture_output=True, text=True, check=False)  # fmt: skip
    said = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode, said[-1] if said else "", time.perf_counter() - start


def report(rows: dict[str, dict[str, Any]], meta: dict[str, Any]) -> None:
    """The markdown table, each type's rate and latency beside the floor's."""
    floor = rows.get(BASELINE, {"50%": "nan"})
    hubs = meta["processes"]
    print(f"\n{meta['users']} users (closed loop), {meta['duration']} s, PostgreSQL, {hubs} "
          f"uvicorn process{'es' if hubs > 1 else ''}; {os.cpu_count()} CPUs shared with locust "
          f"and PostgreSQL; load average {meta['load_before']:.2f} before, "
          f"{meta['load_after']:.2f} after; hub CPU {meta['server_cpu']:.0%} of one "
          "core\n")  # fmt: skip
    if meta["ramp"]:
        print(f"ramp ({meta['ramp_seconds']} s a step): " + "; ".join(
            f"{u} users {r:.1f} req/s, {e} errors, desk p99 {p} ms" for u, r, e, p in meta["ramp"]
        ) + "\n")  # fmt: skip
    print("| request | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
          "p50 / floor |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in (*TYPES, BASELINE, "Aggregated"):
        row = rows.get(name)
        if row is None:
            continue
        ratio = float(row["50%"]) / max(float(floor["50%"]), 1.0)
        print(f"| {name} | {int(row['Request Count']):,} | {rps(row):.1f} | {row['50%']} | "
              f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} | "
              f"{row['Failure Count']} | {ratio:.1f} |")  # fmt: skip
    for name, row in rows.items():
        if "example" in row:
            print(f"\nfirst error of {name}: {row['example']}")
    desk = rows.get(TYPES[0], {}).get("99%", "nan")
    errors = int(rows["Aggregated"]["Failure Count"])
    code, said, seconds = meta["audit"]
    print(f"\ntargets: zero errors: {errors == 0} ({errors}); desk screening p99 < 100 ms: "
          f"{float(desk) < 100} ({desk} ms)")  # fmt: skip
    print(f"audit verify: exit {code} in {seconds:.1f} s: {said}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--db", default="postgresql+psycopg://postgres@127.0.0.1/lindungi_bench_load"
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of the measured run")
    parser.add_argument("--users", default="auto", help="'auto' (a short ramp) or a number")
    parser.add_argument("--ramp", default="1,2,4,8,16,32")
    parser.add_argument("--ramp-seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=1_000)
    parser.add_argument("--recruiters", type=int, default=5_000)
    parser.add_argument("--index-people", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--processes", type=int, default=1,
                        help="hub processes (lindungi serve --workers)")  # fmt: skip
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14",
                        help="the rate limits' shared store when --processes > 1")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--out", default=None, help="keep locust's CSVs and the logs here")
    args = parser.parse_args()
    args.ramp = [int(u) for u in args.ramp.split(",")] if args.users == "auto" else []
    if not args.db.startswith(("postgresql", "postgres:")):
        parser.error("--db: a PostgreSQL URL (the load test measures the production store)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(args.out or name)
        folder.mkdir(parents=True, exist_ok=True)
        url, drop = fresh_database(args.db, folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")} | {
            "LINDUNGI_AUDIT_KEY_FILE": str(folder / "audit-ed25519.pem"),
            "XDG_DATA_HOME": str(folder / "data"), "LINDUNGI_ENVIRONMENT": "development",
            "LINDUNGI_AUDIT_CHECKPOINT_INTERVAL_SECONDS": "20"}  # fmt: skip
        if args.processes > 1:
            env["LINDUNGI_RATE_LIMIT_STORAGE"] = args.redis
        try:
            start = time.perf_counter()
            state = prepare(args, url, folder)
            server, host = serve(url, folder, env, args.processes)
            try:
                state["case_ids"] = open_cases(host, state["tokens"]["case_worker"][0],
                                               args.cases, args.seed)  # fmt: skip
                log(f"setup took {time.perf_counter() - start:.0f} s; {host}")
                users, steps = (
                    ramp(host, state, args, folder) if args.ramp else (int(args.users), [])
                )
                log(f"measuring {users} users for {args.duration} s ...")
                hub, load_before = psutil.Process(server.pid), os.getloadavg()[0]
                processes = [hub, *hub.children(recursive=True)]  # the workers, if several
                cpu = sum(sum(p.cpu_times()[:2]) for p in processes)
                began = time.perf_counter()
                rows = run_locust(host, state, users, args.duration, folder, "measured")
                used = sum(sum(p.cpu_times()[:2]) for p in processes) - cpu
                share = used / (time.perf_counter() - began)
            finally:
                server.terminate()
                server.wait(timeout=30)
            meta = {"users": users, "ramp": steps, "duration": args.duration,
                    "ramp_seconds": args.ramp_seconds, "load_before": load_before,
                    "load_after": os.getloadavg()[0], "server_cpu": share,
                    "processes": args.processes,
                    "audit": verify_audit(url, env)}  # fmt: skip
            report(rows, meta)
        finally:
            if not args.keep:
                drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
