"""Benchmark of departure screening (contract 2): records per second of ``lindungi screen``
with registry and person-index lookups beside the single-record path in the same run, and
the latency of the desk endpoint ``POST /api/v1/screenings`` over real HTTP.

    python benchmarks/screening.py [--records 100000] [--recruiters 5000]
                                   [--index-people 20000] [--baseline-sample 5000]
                                   [--desk-requests 1000] [--seed 2026] [--db URL]

Setup, not timed, in a fresh database (a temporary SQLite file unless --db names a
PostgreSQL database, which is emptied): ``recruiters.prefill`` plus
``tests/screening/data/registry.csv`` through ``import_registry`` (revoked, suspended and
front companies); ``generate_agency_records(--index-people)`` written in bulk as
``store_records`` leaves it, with borrowed NIKs and refusals for one person in a hundred,
linked by ``identity.service.relink``; ANALYZE on PostgreSQL (its autovacuum would); then
seeded records from the labelled vignettes (``departures.jsonl``) with new people,
documents, dates and varied offers: ~60% ordinary trips and lawful placements, 40% job
offers, 30% naming a recruiter (registered as written, misspelt or by licence;
unregistered; agents with phones; a few send most people), 20% with an indexed NIK or
passport (a tenth of those flagged).

Timed: ``screen_lines`` in one process with one batch ``Lookups`` (the registry read
once); the real ``lindungi screen`` subprocess on the same file (its worker processes,
start-up and I/O included; its output must equal the in-process one); the baseline,
``evaluate`` with a fresh session and ``Lookups`` per record as the desk does, on the
first --baseline-sample records; sequential POSTs to ``lindungi serve`` on loopback with
an officer's token (after 10 untimed). A report goes to stderr, one JSON line to stdout;
nothing asserts on timing. Targets (issue 6): ``lindungi screen`` >= 5,000 records/s,
desk p99 < 50 ms. A quick run:

    python benchmarks/screening.py --records 5000 --index-people 2000 --recruiters 500
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx2 as httpx
from common import fresh_database_url
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from lindungi.auth import service as auth
from lindungi.db import make_engine, session_factory
from lindungi.demo.identities import generate_agency_records
from lindungi.identity import service as identity
from lindungi.identity.features import facts_of, match_keys, record_features
from lindungi.identity.ingest import SourceRecord, read_rows
from lindungi.identity.models import MatchKey
from lindungi.migrate import init_db
from lindungi.people.models import PersonRecord
from lindungi.people.nik import build_nik, district_codes
from lindungi.recruiters.importer import RegistryRow, read_registry
from lindungi.recruiters.service import import_registry
from lindungi.screening.batch import Tally, screen_lines
from lindungi.screening.lookups import Lookups
from lindungi.screening.offer_text import DEFAULT_RATES_IDR
from lindungi.screening.schemas import ScreeningIn
from lindungi.screening.service import evaluate
from recruiters import Registry, company_names, phone_typed, prefill, typo, written_differently

T = TypeVar("T")
SEXES: tuple[Literal["M", "F"], ...] = ("M", "F")
DATA = Path(__file__).resolve().parents[1] / "tests" / "screening" / "data"
TODAY = dt.date(2026, 12, 1)  # the batch and the CLI screen as of this day
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # when the index saw its records
CHUNK = 10_000
LINDUNGI = Path(sys.executable).with_name("lindungi")
# fmt: off
AGENTS = ("Bang Roy", "Koh Andy", "Pak Dedi", "Mbak Yanti", "Ms. Grace", "Kak Joe", "HRD Jessy",
          "Mr. Kevin", "Ibu Sari", "Mas Bayu", "Bang Ucok", "Pak Haji Ridwan", "Mr. Leo")
HANDLES = ("loker_kamboja", "hrd_jessy", "cs_parttime_ph", "kerja_luar_negeri", "admin_bavet")
FAMILIES = ("Siregar", "Nainggolan", "Wijaya", "Hidayat", "Saputra", "Lestari", "Pratama",
            "Simanjuntak", "Kusuma", "Rahman", "Bere", "Latuheru", "Nugroho", "Setiawan")
# fmt: on


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def mobile(rng: random.Random) -> str:
    return f"+628{rng.choice('1259')}{rng.randrange(10**9):09d}"


def rate(count: int, seconds: float) -> dict[str, float]:
    return {"seconds": round(seconds, 2), "records_per_s": round(count / seconds, 1)}


def sync_sequences(engine: Engine, tables: tuple[str, ...]) -> None:
    """After inserts with explicit ids, let PostgreSQL's sequences continue after them."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for t in tables:
                sql = f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), MAX(id)) FROM {t}"  # noqa: S608
                conn.execute(text(sql))


def fill_registry(
    engine: Engine, sessions: sessionmaker[Session], count: int, seed: int
) -> tuple[Registry, list[RegistryRow]]:
    """The bulk registry, then the labelled registry file through the import service."""
    registry = prefill(engine, count, 4 * count, seed)
    sync_sequences(engine, ("recruiters", "licences"))
    with (DATA / "registry.csv").open(encoding="utf-8") as handle:
        rows = [r for r in read_registry(handle) if isinstance(r, RegistryRow)]
    with sessions() as session:
        import_registry(session, rows, actor="bench.officer", source="registry.csv")
        session.commit()
    return registry, rows


def fill_index(
    engine: Engine, sessions: sessionmaker[Session], people: int, seed: int
) -> tuple[list[SourceRecord], list[SourceRecord], dict[str, int]]:
    """The indexed records and the flagged ones added (borrowed NIKs, refusals), linked."""
    rng = random.Random(seed + 7)  # noqa: S311 - synthetic test data, not secrets
    data = generate_agency_records(people, seed=seed)
    records = [r for source, rows in data.records.items()
               for r in read_rows(rows, source=source).records]  # fmt: skip
    by_person: dict[str, list[SourceRecord]] = defaultdict(list)
    for r in records:
        by_person[data.truth[(r.source, r.record_id)]].append(r)
    flagged = max(5, people // 100)
    owners = rng.sample([r for r in records if r.national_id and r.source != "imigrasi"], flagged)
    borrowed = [  # another person's record under the owner's NIK
        dataclasses.replace(rng.choice(records), source="kemnaker", record_id=f"KMN-S{n:05d}",
                            national_id=owner.national_id, passport_no=None)
        for n, owner in enumerate(owners, 1)
    ]  # fmt: skip
    seen_by = [({r.source for r in rs}, rs) for rs in by_person.values()]
    returning = [rs for sources, rs in seen_by if "imigrasi" in sources and len(sources) > 1]
    refusals = [  # refused at the airport before the person's other records
        dataclasses.replace(next(r for r in rs if r.source == "imigrasi"),
                            record_id=f"IMI-R{n:05d}", outcome=rng.choice(("refused", "ditolak")),
                            seen_at=TODAY - dt.timedelta(days=rng.randint(60, 700)))
        for n, rs in enumerate(rng.sample(returning, min(flagged, len(returning))), 1)
    ]  # fmt: skip
    stored = records + borrowed + refusals
    with engine.begin() as conn:
        for b in range(0, len(stored), CHUNK):
            rows: list[dict[str, Any]] = []
            keys: list[dict[str, Any]] = []
            for rid, r in enumerate(stored[b : b + CHUNK], start=b + 1):
                rows.append({"id": rid, "source": r.source, "source_record_id": r.record_id,
                             "synthetic": True, "first_seen": NOW, "last_seen": NOW,
                             **dataclasses.asdict(identity.record_facts(r))})  # fmt: skip
                keys += [{"key": k, "record_id": rid}
                         for k in sorted(match_keys(record_features(facts_of(r))))]  # fmt: skip
            conn.execute(insert(PersonRecord), rows)
            conn.execute(insert(MatchKey), keys)
    sync_sequences(engine, ("person_records",))
    with sessions() as session:
        linked = identity.relink(session)
        session.commit()
    counts = {"people": people, "records": linked.records, "persons": linked.persons,
              "borrowed_niks": len(borrowed), "refusals": len(refusals)}  # fmt: skip
    return records, borrowed + refusals, counts


def skewed(rng: random.Random, items: Sequence[T]) -> T:
    """An item by log-uniform rank: the first few far more often than the rest."""
    return items[int(len(items) ** rng.random()) - 1]


@dataclasses.dataclass
class Mentions:
    """Whom travellers may name: the filled registry, the labelled file, agents with their
    phones, unregistered companies."""

    registry: Registry
    file_rows: list[RegistryRow]
    agents: list[tuple[str, str]]
    unknown: list[str]
    own_phones: dict[int, list[str]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        for rid, phone in self.registry.phones:
            self.own_phones.setdefault(rid, []).append(phone)


def vary(offer: dict[str, Any], rng: random.Random, known: Mentions) -> dict[str, Any]:
    """An offer with its amounts changed a little and sometimes a contact added."""
    text = re.sub(r"\d+(?=\s?(jt|juta)\b)",
                  lambda m: str(max(3, int(m[0]) + rng.randint(-3, 3))), offer["text"])  # fmt: skip
    roll = rng.random()
    if roll < 0.25:
        text += f" WA {phone_typed(skewed(rng, known.agents)[1], rng.randrange(2))}"
    elif roll < 0.30:
        text += f" Info: t.me/{rng.choice(HANDLES)}"
    salary = offer.get("salary_idr_month")
    varied = int(round(salary * rng.uniform(0.85, 1.15), -5)) if salary else None
    return offer | {"text": text, "salary_idr_month": varied}


def recruiter(rng: random.Random, known: Mentions) -> dict[str, str]:
    """Whom the traveller names."""
    roll = rng.random()
    if roll < 0.10:  # the labelled file: revoked, suspended and front companies among them
        row = rng.choice(known.file_rows)
        out = {"name": row.name, "licence_no": row.licence_no}
        return out | ({"phone": row.phone} if row.phone and rng.random() < 0.5 else {})
    if roll < 0.55:  # the bulk registry
        rid = int(len(known.registry.names) ** rng.random())
        name, form = known.registry.names[rid - 1], rng.random()
        if form < 0.4:
            name = typo(name, rng) if form < 0.15 else written_differently(name, rng.randrange(3))
        out = {"name": name}
        if form > 0.8:
            out["licence_no"] = known.registry.licences[rid - 1]
        if rng.random() < 0.4:  # its own phone; one in twenty another company's
            phones = known.own_phones.get(rid, [])
            if not phones or rng.random() < 0.05:
                phones = [rng.choice(known.registry.phones)[1]]
            out["phone"] = phone_typed(rng.choice(phones), rng.randrange(2))
        return out
    if roll < 0.70:
        return {"name": skewed(rng, known.unknown)}
    name, phone = skewed(rng, known.agents)
    return {"name": name, "phone": phone}


def generate(
    count: int, seed: int, known: Mentions, indexed: list[SourceRecord],
    flagged: list[SourceRecord],
) -> list[bytes]:  # fmt: skip
    """``count`` contract-2 lines from the vignettes, seeded."""
    rng = random.Random(seed + 3)  # noqa: S311 - synthetic test data, not secrets
    ordinary: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    for line in (DATA / "departures.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        band = item.pop("expected_band")
        item.pop("why", None)
        (offers if item.get("job_offer") and band != "low" else ordinary).append(item)
    taken = {r.national_id for r in indexed} | {r.passport_no for r in indexed}
    documented = [r for r in indexed if r.national_id or r.passport_no]
    districts = district_codes()
    given = [r.full_name.split()[0].title() for r in indexed[:5000] if r.full_name]
    lines = []
    for n in range(count):
        item = json.loads(json.dumps(rng.choice(offers if rng.random() < 0.4 else ordinary)))
        item["id"] = f"T-{seed}-{n + 1:07d}"
        person, roll = item["person"], rng.random()
        if roll < 0.20:  # in the index; one in ten of those flagged
            r = rng.choice(flagged if roll < 0.02 else documented)
            person |= {"full_name": (r.full_name or "").title() or None, "sex": r.sex,
                       "nik": r.national_id, "passport_no": r.passport_no,
                       "birth_date": r.birth_date}  # fmt: skip
        else:
            birth = dt.date(rng.randint(1970, 2007), rng.randint(1, 12), rng.randint(1, 28))
            sex, nik, passport = rng.choice(SEXES), "", ""
            while not nik or nik in taken:
                nik = build_nik(rng.choice(districts), birth, sex, rng.randint(1, 9999))
            while not passport or passport in taken:
                passport = f"{rng.choice('ABCEX')}{rng.randrange(10**7):07d}"
            person |= {"full_name": f"{rng.choice(given)} {rng.choice(FAMILIES)}", "nik": nik,
                       "passport_no": passport, "birth_date": birth, "sex": sex}  # fmt: skip
        person["phone"] = mobile(rng)
        item["trip"]["departure_date"] = TODAY + dt.timedelta(days=rng.randint(0, 45))
        if item.get("job_offer"):
            item["job_offer"] = vary(item["job_offer"], rng, known)
        item.pop("recruiter", None)
        if rng.random() < 0.30:
            item["recruiter"] = recruiter(rng, known)
        lines.append(json.dumps(item, default=str, ensure_ascii=False).encode())
    return lines


def time_batch(sessions: sessionmaker[Session], lines: list[bytes]) -> dict[str, Any]:
    """``screen_lines`` over every line with one Lookups for the run, as the CLI does."""
    tally, digest = Tally(), hashlib.sha256()
    with sessions() as session:
        start = time.perf_counter()
        lookups = Lookups(session, TODAY, batch=True)
        for out in screen_lines(lines, lookups, tally, rates=DEFAULT_RATES_IDR):
            digest.update(out.encode() + b"\n")
        seconds = time.perf_counter() - start
    done = {"bands": dict(tally.bands), "errors": tally.errors, "sha256": digest.hexdigest()}
    return rate(len(lines), seconds) | done


def run_cli(url: str, lines: list[bytes], folder: Path, env: dict[str, str]) -> dict[str, Any]:
    """The real ``lindungi screen`` on the same records, as a subprocess."""
    source, out = folder / "departures.jsonl", folder / "screened.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    command = [str(LINDUNGI), "screen", str(source), "--out", str(out), "--db", url,
               "--today", TODAY.isoformat()]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    digest = hashlib.sha256(out.read_bytes()).hexdigest() if out.exists() else ""
    last = done.stderr.strip().splitlines()[-1:]
    return rate(len(lines), seconds) | {"exit": done.returncode, "stderr": last, "sha256": digest}


def time_baseline(sessions: sessionmaker[Session], lines: list[bytes]) -> dict[str, Any]:
    """One record at a time as a desk request: its own session, a fresh Lookups."""
    start = time.perf_counter()
    for line in lines:
        with sessions() as session:
            evaluate(ScreeningIn.model_validate_json(line), Lookups(session, TODAY))
    return {"records": len(lines)} | rate(len(lines), time.perf_counter() - start)


def desk(
    url: str, sessions: sessionmaker[Session], lines: list[bytes], folder: Path,
    env: dict[str, str],
) -> dict[str, Any]:  # fmt: skip
    """Sequential POSTs to a real ``lindungi serve`` on loopback, with an officer's token."""
    with sessions() as session:
        user = auth.add_user(session, "bench.officer", agency="imigrasi", roles=["officer"])
        secret = auth.issue_token(session, user, ttl=dt.timedelta(days=1)).secret
        session.commit()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    with (folder / "serve.log").open("w") as logfile:
        server = subprocess.Popen(  # noqa: S603
            [str(LINDUNGI), "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=logfile, stderr=subprocess.STDOUT,
        )  # fmt: skip
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("lindungi serve did not start") from None
                    time.sleep(0.2)
            for line in lines[-10:]:  # untimed: the first requests fill statement caches
                client.post("/api/v1/screenings", content=line)
            for line in lines:
                start = time.perf_counter()
                status = client.post("/api/v1/screenings", content=line).status_code
                latencies.append(time.perf_counter() - start)
                statuses[status] += 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = sorted(x * 1000 for x in latencies)
    cut = statistics.quantiles(ms, n=100, method="inclusive")
    return {"requests": len(ms), "statuses": dict(statuses), "p50_ms": round(cut[49], 2),
            "p95_ms": round(cut[94], 2), "p99_ms": round(cut[98], 2),
            "max_ms": round(ms[-1], 2)}  # fmt: skip


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    url = fresh_database_url(args.db, str(folder), "bench-screening.db")
    engine = make_engine(url)
    init_db(engine)
    sessions = session_factory(engine)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")} | {
        "LINDUNGI_AUDIT_KEY_FILE": str(folder / "audit-ed25519.pem"),
        "XDG_DATA_HOME": str(folder / "data"), "LINDUNGI_ENVIRONMENT": "development"}  # fmt: skip
    start = time.perf_counter()
    log(f"setup: a registry of {args.recruiters:,} recruiters and the labelled file ...")
    registry, file_rows = fill_registry(engine, sessions, args.recruiters, args.seed)
    log(f"setup: a person index of {args.index_people:,} people, linked ...")
    indexed, flagged, index = fill_index(engine, sessions, args.index_people, args.seed)
    log(f"setup: {args.records:,} records ...")
    rng = random.Random(args.seed + 5)  # noqa: S311 - synthetic test data, not secrets
    agents = [(rng.choice(AGENTS), mobile(rng)) for _ in range(500)]
    known = Mentions(registry, file_rows, agents, company_names(300, rng))
    lines = generate(args.records, args.seed, known, indexed, flagged)
    if engine.dialect.name == "postgresql":  # planner statistics, as autovacuum would gather
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    setup = time.perf_counter() - start
    del indexed, flagged, known
    gc.collect()
    gc.freeze()  # the benchmark's own data stays out of the collector's full passes
    log(f"setup took {setup:.0f} s; timing screen_lines ...")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(time_batch, sessions, lines)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    batch = time_batch(sessions, lines)
    log(f"batch: {batch['records_per_s']:,.0f} records/s; the CLI ...")
    if args.stop_after_batch:
        return {"records": len(lines), "batch": batch}
    cli = run_cli(url, lines, folder, env)
    cli["same_output"] = cli.pop("sha256") == batch.pop("sha256")
    log(f"the CLI: {cli['records_per_s']:,.0f} records/s; the baseline ...")
    baseline = time_baseline(sessions, lines[: args.baseline_sample])
    log(f"baseline: {baseline['records_per_s']:,.0f} records/s; the desk ...")
    latency = desk(url, sessions, lines[: args.desk_requests], folder, env)
    engine.dispose()
    return {
        "backend": engine.dialect.name, "records": len(lines),
        "mean_line_bytes": round(sum(map(len, lines)) / len(lines)),
        "registry": {"recruiters": args.recruiters + len(file_rows),
                     "identifiers": registry.identifiers + len(file_rows)},
        "index": index, "setup_seconds": round(setup, 1), "batch": batch, "cli": cli,
        "baseline": baseline, "desk": latency,
        "batch_over_baseline": round(batch["records_per_s"] / baseline["records_per_s"], 1),
        "cli_over_baseline": round(cli["records_per_s"] / baseline["records_per_s"], 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
    }  # fmt: skip


def report(r: dict[str, Any]) -> None:
    batch, cli, base, desk_, index = r["batch"], r["cli"], r["baseline"], r["desk"], r["index"]
    bands = ", ".join(f"{batch['bands'].get(b, 0):,} {b}" for b in ("low", "medium", "high"))
    rows = [
        ("backend", r["backend"]),
        ("records", f"{r['records']:,} (mean {r['mean_line_bytes']} bytes a line)"),
        ("registry", f"{r['registry']['recruiters']:,} recruiters, "
                     f"{r['registry']['identifiers']:,} identifiers"),
        ("person index", f"{index['records']:,} records of {index['people']:,} people in "
                         f"{index['persons']:,} persons ({index['borrowed_niks']} borrowed NIKs, "
                         f"{index['refusals']} refusals)"),
        ("bands", f"{bands}; {batch['errors']} errors"),
        ("batch screen_lines", f"{batch['records_per_s']:,.0f} records/s ({batch['seconds']} s)"),
        ("CLI lindungi screen", f"{cli['records_per_s']:,.0f} records/s, wall {cli['seconds']} s,"
                                f" exit {cli['exit']}, same output: {cli['same_output']}"),
        ("baseline per record", f"{base['records_per_s']:,.0f} records/s "
                                f"({base['records']:,} records, {base['seconds']} s)"),
        ("batch / baseline", f"x{r['batch_over_baseline']} in one process, "
                             f"x{r['cli_over_baseline']} for the CLI (workers, with start-up)"),
        ("desk POST", f"p50 {desk_['p50_ms']} ms, p95 {desk_['p95_ms']} ms, p99 "
                      f"{desk_['p99_ms']} ms, max {desk_['max_ms']} ms over "
                      f"{desk_['requests']:,} requests, statuses {desk_['statuses']}"),
        ("machine", f"{r['machine']['cpus']} CPUs, Python {r['machine']['python']}, "
                    f"{r['machine']['platform']}"),
        ("target met", f"lindungi screen >= 5,000 records/s: {cli['records_per_s'] >= 5000}"
                       f" (one process: {batch['records_per_s'] >= 5000}); "
                       f"desk p99 < 50 ms: {desk_['p99_ms'] < 50}"),
    ]  # fmt: skip
    for label, value in rows:
        log(f"{label:<20} {value}")
    if set(desk_["statuses"]) != {201} or cli["exit"] != 0 or not cli["same_output"]:
        log("warning: a desk request was not answered 201, or the CLI failed or differed")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--recruiters", type=int, default=5_000)
    parser.add_argument("--index-people", type=int, default=20_000)
    parser.add_argument("--baseline-sample", type=int, default=5_000)
    parser.add_argument("--desk-requests", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (emptied!) instead of SQLite")
    parser.add_argument(
        "--profile", action="store_true", help="profile one batch run first (to stderr)"
    )
    parser.add_argument(
        "--stop-after-batch", action="store_true", help="skip the CLI, baseline and desk"
    )
    args = parser.parse_args()
    if min(args.records, args.recruiters, args.index_people, args.baseline_sample) < 1:
        parser.error("--records, --recruiters, --index-people, --baseline-sample must be >= 1")
    if args.desk_requests < 2:
        parser.error("--desk-requests must be 2 or more")
    with tempfile.TemporaryDirectory() as folder:
        result = run(args, Path(folder))
    report(result)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
