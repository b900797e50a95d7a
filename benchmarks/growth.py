"""Growth curves (issue 11): time and peak memory of linkage, geofencing, screening and the
audit log at 10^4, 10^5, 10^6 (and 10^7 where the machine allows), with the growth
exponent between sizes, so that linear and superlinear work show apart.

    python benchmarks/growth.py [--kinds linkage,geofence,screening,audit]
                                [--sizes 10000,100000,1000000,10000000] [--budget 600]
                                [--max-rss-gb GB] [--seed 2026] [--db URL] [--quick]

Each (kind, size) runs in a child process of its own (this script with --child), so sizes
share no memory; the child prepares its input (not timed), notes its resident memory, runs
the work once and reports the time and its peak resident memory (VmHWM from /proc, which
counts DuckDB's and numba's native memory; ``ru_maxrss`` is not used, see
``linkage._proc_kb``). What is timed, on the generators of the other benchmarks:

    linkage    ``identity.linkage.link`` (Splink on DuckDB, as ``lindungi link``) over n
               Indonesian multi-agency records (``linkage.agency_records``), training its
               own model as ``link`` does
    geofence   ``monitoring.geofence.evaluate`` on n pings (``geofence.make_pings``) against
               10,000 zones (``geofence.make_zones``); the index build and numba's compile
               are not timed
    screening  ``screening.batch.screen_lines`` with one batch ``Lookups`` (the in-process
               core of ``lindungi screen``) over the first n of the records of
               ``screening.generate``, against a registry of 5,000 recruiters and a person
               index of 20,000 people in one SQLite file (or --db, emptied), made once
    audit      the RFC 6962 log's append path in memory: n canonical entries hashed as
               leaves with the subtree hashes ``merkle.appended_nodes`` stores, then the
               root of the tree and a consistency proof from n/2 (the proof times are noted)

A size is skipped, with a message, when the previous one's time extrapolated with the
growth exponent seen so far (at least 1) passes --budget seconds, and a child whose
resident memory passes --max-rss-gb (default 70% of RAM) is stopped. The baseline in the
same run is the smallest size: items/s at each size read as a ratio to it. --quick runs
10^3 and 10^4 only (a smoke check).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linkage import _proc_kb, physical_memory_kb

KINDS = ("linkage", "geofence", "screening", "audit")
UNITS = {"linkage": "records", "geofence": "pings", "screening": "records", "audit": "entries"}
ZONES = 10_000
RECRUITERS, INDEX_PEOPLE = 5_000, 20_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def mb(kilobytes: int) -> float:
    return kilobytes / 1024


# --- the children: prepare (untimed), then time one run --------------------------------


def prepare_linkage(n: int, seed: int, _work: Path) -> Callable[[], str]:
    from linkage import RECORDS_PER_PERSON, agency_records

    from lindungi.identity.features import facts_of
    from lindungi.identity.linkage import link

    checked, _, _ = agency_records(max(2, round(n / RECORDS_PER_PERSON)), seed)
    records = [(f"{r.source}:{r.record_id}", facts_of(r)) for r in checked[:n]]
    del checked

    def work() -> str:
        linked = link(records)
        return f"{len(records):,} records, {len(linked.scored.pairs):,} scored pairs"

    return work


def prepare_geofence(n: int, seed: int, _work: Path) -> Callable[[], str]:
    import numpy as np
    from geofence import make_pings, make_zones

    from lindungi.monitoring import geofence

    rng = np.random.default_rng(seed)
    zones = make_zones(ZONES, rng)
    data = make_pings(n, zones, rng)
    index = geofence.build_index([f"Z{i:06d}" for i in range(len(zones))], zones)
    arrays = (data["person"], data["instant"], data["lon"], data["lat"])
    geofence.evaluate(index, *(a[:1000] for a in arrays))  # compiles or loads the kernels
    del zones

    def work() -> str:
        events = geofence.evaluate(index, *arrays)
        return f"{n:,} pings of {data['people']:,} persons, {len(events.ping):,} events"

    return work


def prepare_screening(n: int, _seed: int, work_dir: Path) -> Callable[[], str]:
    from lindungi.db import make_engine, session_factory
    from lindungi.screening.batch import Tally, screen_lines
    from lindungi.screening.lookups import Lookups
    from lindungi.screening.offer_text import DEFAULT_RATES_IDR
    from screening import TODAY

    url = (work_dir / "screening.url").read_text()
    with (work_dir / "departures.jsonl").open("rb") as handle:
        lines = [line.rstrip(b"\n") for _, line in zip(range(n), handle, strict=False)]
    sessions = session_factory(make_engine(url, read_only=True))

    def work() -> str:
        tally = Tally()
        with sessions() as session:
            lookups = Lookups(session, TODAY, batch=True)
            for _ in screen_lines(lines, lookups, tally, rates=DEFAULT_RATES_IDR):
                pass
        bands = ", ".join(f"{tally.bands[b]:,} {b}" for b in ("low", "medium", "high"))
        return f"{len(lines):,} records: {bands}; {tally.errors} errors"

    return work


def prepare_audit(n: int, _seed: int, _work: Path) -> Callable[[], str]:
    from audit import _entry
    from lindungi.audit import merkle

    def work() -> str:
        store: dict[tuple[int, int], bytes] = {}

        def get(level: int, idx: int) -> bytes:
            return store[(level, idx)]

        for seq in range(n):
            leaf = merkle.leaf_hash(_entry(seq).canonical())
            for level, idx, digest in merkle.appended_nodes(seq, leaf, get):
                store[(level, idx)] = digest
        start = time.perf_counter()
        root = merkle.root_from_frontier([get(*k) for k in merkle.frontier_keys(n)])
        root_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        proof = merkle.subproof(get, max(1, n // 2), 0, n, True)
        proof_ms = (time.perf_counter() - start) * 1000
        ok = merkle.verify_consistency(max(1, n // 2), n, merkle.range_hash(get, 0, max(1, n // 2)),
                                       root, proof)  # fmt: skip
        return (f"{len(store):,} stored hashes; root {root_ms:.3f} ms, consistency proof "
                f"({len(proof)} hashes) {proof_ms:.3f} ms, verified {ok}")  # fmt: skip

    return work


PREPARE = {"linkage": prepare_linkage, "geofence": prepare_geofence,
           "screening": prepare_screening, "audit": prepare_audit}  # fmt: skip


def child(kind: str, n: int, seed: int, work_dir: Path) -> None:
    """In the child: prepare, note the memory, time the work (the best of three when a run
    takes under 2 s, so that start-up noise does not bend the small sizes), print one JSON
    line."""
    work = PREPARE[kind](n, seed, work_dir)
    gc.collect()
    before_kb = _proc_kb("self", "VmRSS")
    times: list[float] = []
    while len(times) < (3 if times and max(times) < 2 else 1):
        start = time.perf_counter()
        note = work()
        times.append(time.perf_counter() - start)
    seconds = min(times)
    print(json.dumps({"seconds": seconds, "input_kb": before_kb,
                      "peak_kb": _proc_kb("self", "VmHWM"), "note": note}))  # fmt: skip


# --- the parent ---------------------------------------------------------------------------


def prepare_screening_data(work_dir: Path, count: int, seed: int, db: str | None) -> None:
    """Registry, person index and ``count`` records, once for every screening size."""
    from common import fresh_database_url
    from sqlalchemy import text

    from lindungi.db import make_engine, session_factory
    from lindungi.migrate import init_db
    from recruiters import company_names
    from screening import AGENTS, Mentions, fill_index, fill_registry, generate, mobile

    url = fresh_database_url(db, str(work_dir), "screening.db")
    engine = make_engine(url)
    init_db(engine)
    sessions = session_factory(engine)
    log(f"screening setup: {RECRUITERS:,} recruiters, {INDEX_PEOPLE:,} indexed people ...")
    registry, file_rows = fill_registry(engine, sessions, RECRUITERS, seed)
    indexed, flagged, _ = fill_index(engine, sessions, INDEX_PEOPLE, seed)
    rng = random.Random(seed + 5)  # noqa: S311 - synthetic test data, not secrets
    agents = [(rng.choice(AGENTS), mobile(rng)) for _ in range(500)]
    known = Mentions(registry, file_rows, agents, company_names(300, rng))
    log(f"screening setup: {count:,} records ...")
    with (work_dir / "departures.jsonl").open("wb") as handle:
        for line in generate(count, seed, known, indexed, flagged):
            handle.write(line + b"\n")
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    (work_dir / "screening.url").write_text(url)


def run_child(args: list[str], max_rss_kb: int) -> tuple[dict[str, Any] | None, str]:
    """This script as a child; its JSON answer, or why there is none."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    killed, peak = False, 0
    while process.poll() is None:
        peak = max(peak, _proc_kb(process.pid, "VmHWM"))
        if not killed and _proc_kb(process.pid, "VmRSS") > max_rss_kb:
            process.kill()
            killed = True
        time.sleep(0.2)
    out = (process.stdout.read() if process.stdout else "").strip().splitlines()
    if process.returncode != 0 or not out:
        why = (
            f"memory guard at {mb(max_rss_kb):,.0f} MB" if killed else f"exit {process.returncode}"
        )
        return None, f"failed ({why}; peak {mb(peak):,.0f}+ MB)"
    return json.loads(out[-1]), ""


def slope(a: dict[str, Any], b: dict[str, Any]) -> float:
    """d log(seconds) / d log(n) between two sizes."""
    return math.log(b["seconds"] / a["seconds"]) / math.log(b["n"] / a["n"])


def curves(args: argparse.Namespace, work_dir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind in args.kinds:
        done: list[dict[str, Any]] = []
        for n in args.sizes:
            if kind == "screening" and n > args.screening_max:
                msg = f"skipped: beyond --screening-max {args.screening_max:,} records"
                rows.append({"kind": kind, "n": n, "skipped": msg})
                continue
            if done:
                exponent = max([1.0, *(slope(a, b) for a, b in itertools.pairwise(done))])
                guess = done[-1]["seconds"] * (n / done[-1]["n"]) ** exponent
                if guess > args.budget:
                    msg = f"skipped: ~{guess:,.0f} s expected (exponent {exponent:.2f}) > budget"
                    log(f"{kind} n={n:,}: {msg} {args.budget:,} s")
                    rows.append({"kind": kind, "n": n, "skipped": msg})
                    continue
            log(f"{kind} n={n:,} ...")
            child_args = ["--child", kind, str(n), "--seed", str(args.seed), "--work",
                          str(work_dir)]  # fmt: skip
            result, why = run_child(child_args, args.max_rss_kb)
            if result is None:
                log(f"{kind} n={n:,}: {why}")
                rows.append({"kind": kind, "n": n, "skipped": why})
                break
            row = {"kind": kind, "n": n, **result}
            if done:
                row["exponent"] = slope(done[-1], row)
            done.append(row)
            rows.append(row)
            log(f"  {row['seconds']:.2f} s, peak {mb(row['peak_kb']):,.0f} MB: {row['note']}")
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    first: dict[str, dict[str, Any]] = {}
    print("| kind | n | seconds | items/s | x items/s of smallest | peak MB | input MB | "
          "exponent | what |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        if "skipped" in r:
            print(f"| {r['kind']} | {r['n']:,} | | | | | | | {r['skipped']} |")
            continue
        rate = r["n"] / r["seconds"]
        base = first.setdefault(r["kind"], r)
        exponent = f"{r['exponent']:.2f}" if "exponent" in r else ""
        print(f"| {r['kind']} | {r['n']:,} | {r['seconds']:.3g} | {rate:,.0f} | "
              f"{rate / (base['n'] / base['seconds']):.2f} | {mb(r['peak_kb']):,.0f} | "
              f"{mb(r['input_kb']):,.0f} | {exponent} | {r['note']} |")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--sizes", default="10000,100000,1000000,10000000")
    parser.add_argument("--budget", type=float, default=600, help="seconds a size may take")
    parser.add_argument("--max-rss-gb", type=float, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default=None, help="PostgreSQL URL (emptied!) for screening")
    parser.add_argument("--screening-max", type=int, default=1_000_000, help="records made")
    parser.add_argument("--quick", action="store_true", help="10^3 and 10^4 only")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--work", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.seed, Path(args.work))
        return 0
    args.kinds = [k for k in args.kinds.split(",") if k]
    if set(args.kinds) - set(KINDS):
        parser.error(f"--kinds: among {', '.join(KINDS)}")
    args.sizes = [1_000, 10_000] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    limit = args.max_rss_gb * 1024**2 if args.max_rss_gb else 0.7 * physical_memory_kb()
    args.max_rss_kb = int(limit)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        if "screening" in args.kinds:
            count = min(max(args.sizes), args.screening_max)
            prepare_screening_data(Path(folder), count, args.seed, args.db)
        rows = curves(args, Path(folder))
    print(
        f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
        f"{os.getloadavg()[0]:.2f} at the end, {time.perf_counter() - started:,.0f} s in all\n"
    )
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
