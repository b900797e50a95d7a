"""Benchmark of the audit log: appends per second and proof times at 10^4..10^6
entries, beside a baseline of appending to a plain table in the same database and
the same run.

    python benchmarks/audit.py [--sizes 10000,100000,1000000] [--appends 500] [--db URL]

Each size gets a fresh database (a temporary SQLite file unless --db names a
PostgreSQL server database, which is then emptied). The log is pre-filled in bulk
with real entries and subtree hashes, then both appenders run one entry per
transaction, as a request does. Results are printed as a table and as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from common import fresh_database_url
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
    text,
)

from lindungi.audit import merkle, service
from lindungi.audit.entry import Action, AuditEntry
from lindungi.audit.models import AuditEntryRow, AuditNode
from lindungi.audit.verify import verify_log
from lindungi.db import make_engine, session_factory, transaction
from lindungi.migrate import init_db

ACTOR = service.Actor("bench.officer", "bp2mi")
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BASELINE = Table(
    "bench_plain_log",
    MetaData(),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("actor", String(100)),
    Column("resource_id", String(200)),
    Column("entry", LargeBinary),
)


def _entry(seq: int) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        ts=T0 + dt.timedelta(milliseconds=seq),
        actor=ACTOR.name,
        agency=ACTOR.agency,
        action=Action.READ,
        resource_type="cases",
        resource_id=f"CASE-{seq % 50_000}",
        fields=("narrative", "contact"),
        purpose="benchmark",
        request_id=f"bench-{seq}",
    )


def prefill(engine: Engine, size: int) -> None:
    """Write ``size`` entries and their subtree hashes in bulk."""
    store: dict[tuple[int, int], bytes] = {}
    entries, nodes = [], []
    with engine.begin() as conn:
        for seq in range(size):
            e = _entry(seq)
            data = e.canonical()
            for level, idx, digest in merkle.appended_nodes(
                seq, merkle.leaf_hash(data), lambda lv, ix: store[(lv, ix)]
            ):
                store[(level, idx)] = digest
                nodes.append({"level": level, "idx": idx, "hash": digest})
            entries.append(
                {
                    "seq": seq, "ts": e.ts, "actor": e.actor, "agency": e.agency,
                    "action": e.action.value, "resource_type": e.resource_type,
                    "resource_id": e.resource_id, "purpose": e.purpose,
                    "request_id": e.request_id, "entry": data,
                }
            )  # fmt: skip
            if len(entries) >= 20_000:
                conn.execute(insert(AuditEntryRow), entries)
                conn.execute(insert(AuditNode), nodes)
                entries, nodes = [], []
        if entries:
            conn.execute(insert(AuditEntryRow), entries)
            conn.execute(insert(AuditNode), nodes)
        conn.execute(
            insert(BASELINE),
            [
                {"seq": i, "actor": ACTOR.name, "resource_id": "x", "entry": b"x"}
                for i in range(size)
            ],
        )


def rate(count: int, step: Callable[[int], None]) -> float:
    """Operations per second of ``step`` run ``count`` times."""
    start = time.perf_counter()
    for i in range(count):
        step(i)
    return count / (time.perf_counter() - start)


def run_size(url: str, size: int, appends: int, proofs: int) -> dict[str, float]:
    engine = make_engine(url)
    init_db(engine)
    BASELINE.create(engine, checkfirst=True)
    started = time.perf_counter()
    prefill(engine, size)
    fill_seconds = time.perf_counter() - started
    sessions = session_factory(engine)

    def audit_append(i: int) -> None:
        with transaction(sessions) as session:
            service.record(
                session, ACTOR, Action.READ, "cases", f"CASE-{i}",
                fields=["narrative"], purpose="benchmark", request_id=f"b-{i}",
            )  # fmt: skip

    def plain_append(i: int) -> None:
        with engine.begin() as conn:
            last = conn.execute(text("SELECT max(seq) FROM bench_plain_log")).scalar_one()
            data = _entry(last + 1).canonical()
            conn.execute(
                insert(BASELINE).values(
                    seq=last + 1, actor=ACTOR.name, resource_id=f"CASE-{i}", entry=data
                )
            )

    # Interleave the two so that both see the same machine conditions.
    audit_rates, plain_rates = [], []
    for _ in range(5):
        plain_rates.append(rate(appends // 5, plain_append))
        audit_rates.append(rate(appends // 5, audit_append))
    rng = random.Random(size)  # noqa: S311 - picks entries to prove, not secrets
    with sessions() as session:
        total = service.log_size(session)
        key = Ed25519PrivateKey.generate()
        service.create_checkpoint(session, key)
        session.commit()
        start = time.perf_counter()
        for _ in range(proofs):
            service.prove_inclusion(session, rng.randrange(total))
        inclusion_ms = (time.perf_counter() - start) / proofs * 1000
        start = time.perf_counter()
        for _ in range(proofs):
            service.prove_consistency(session, rng.randrange(1, total), total)
        consistency_ms = (time.perf_counter() - start) / proofs * 1000
        start = time.perf_counter()
        checked = verify_log(session, [key.public_key()])
        verify_seconds = time.perf_counter() - start
        assert checked.ok, checked.problem
    engine.dispose()
    audit_rate, plain_rate = statistics.median(audit_rates), statistics.median(plain_rates)
    return {
        "size": size,
        "prefill_seconds": round(fill_seconds, 1),
        "audit_appends_per_s": round(audit_rate, 1),
        "baseline_appends_per_s": round(plain_rate, 1),
        "overhead_ratio": round(plain_rate / audit_rate, 2),
        "inclusion_proof_ms": round(inclusion_ms, 2),
        "consistency_proof_ms": round(consistency_ms, 2),
        "verify_seconds": round(verify_seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--proofs", type=int, default=200)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (emptied!) instead of SQLite")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            url = fresh_database_url(args.db, folder, f"bench-{size}.db")
            result = run_size(url, size, args.appends, args.proofs)
            results.append(result)
            print(
                f"{size:>9} entries: audit {result['audit_appends_per_s']:>8}/s  "
                f"baseline {result['baseline_appends_per_s']:>8}/s  "
                f"overhead x{result['overhead_ratio']}  "
                f"inclusion {result['inclusion_proof_ms']} ms  "
                f"consistency {result['consistency_proof_ms']} ms  "
                f"verify {result['verify_seconds']} s",
                file=sys.stderr,
            )
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
