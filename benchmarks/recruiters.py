"""Benchmark of recruiter verification: lookups per second and p50/p99 latency of
``recruiter_standing`` against a registry of 50,000 recruiters and 500,000
identifiers, beside a baseline of plain exact / LIKE queries in the same run.

    python benchmarks/recruiters.py [--recruiters 50000] [--identifiers 500000]
                                    [--lookups 500] [--seed 2026] [--db URL]

The run gets a fresh database (a temporary SQLite file unless --db names a
PostgreSQL server database, which is then emptied). The registry is filled in bulk
with seeded companies ("PT ..." names, one KEP licence each, mostly active), their
phones and addresses, and some phones shared by several companies (fronts). Four
query mixes are then timed separately, each call in its own session as a request
does: by licence number, by a registered name written differently, by a name with
one typo, and by phone. Each mix interleaves batches of ``recruiter_standing`` with
batches of the baseline given the same text as typed:

    licence  SELECT ... FROM licences WHERE number = :n
    names    SELECT ... FROM recruiters WHERE name LIKE '%<as typed>%'
    phone    SELECT recruiter_id FROM recruiter_identifiers WHERE kind = 'phone'
             AND value = :v

and both report how many queries found the company meant (recall). One untimed
call per side warms the statement caches first. Then ``fronts`` is timed alone for
one matched recruiter, and the fuzzy name path is taken apart: reading every name
key, scoring them, and a typo lookup right after the registry changed (this last
step writes to the registry, so it runs after everything else). Results are printed
as a table on stderr and as JSON on stdout. The default run takes a few minutes; a
quick one takes seconds:

    python benchmarks/recruiters.py --recruiters 2000 --identifiers 20000 --lookups 100
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from common import fresh_database_url
from rapidfuzz import fuzz, process
from sqlalchemy import Engine, TextClause, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from lindungi.db import make_engine, session_factory
from lindungi.migrate import init_db
from lindungi.recruiters.models import Licence, LicenceEvent, Recruiter, RecruiterIdentifier
from lindungi.recruiters.normalize import (
    address_key,
    licence_format_known,
    licence_key,
    name_key,
    phone_key,
)
from lindungi.recruiters.standing import fronts, recruiter_standing

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TODAY = NOW.date()
CHUNK = 20_000
BATCHES = 5
# fmt: off
# Words of Indonesian company names; `name_key` keeps every one of them.
WORDS = (
    "Maju", "Jaya", "Abadi", "Sejahtera", "Mandiri", "Karya", "Sentosa", "Bumi", "Nusantara",
    "Putra", "Mulia", "Makmur", "Sukses", "Bersama", "Insan", "Prima", "Duta", "Tenaga",
    "Global", "Utama", "Berkah", "Sinar", "Cahaya", "Harapan", "Bangsa", "Citra", "Indah",
    "Perkasa", "Lestari", "Gemilang", "Samudra", "Anugerah", "Mitra", "Usaha", "Dinamika",
    "Graha", "Kencana", "Sakti", "Bintang", "Timur", "Raya", "Agung", "Sumber", "Rezeki",
    "Setia", "Budi", "Luhur", "Permata", "Wahana", "Langgeng", "Sarana", "Perdana", "Artha",
    "Bahari", "Cipta", "Dharma", "Pesona", "Sahabat", "Mega", "Lintas", "Kurnia", "Sejati",
)
# Two-letter syllables: a fixed number of them spells an index as a distinct word.
SYLLABLES = (
    "ba", "da", "ga", "ja", "ka", "la", "ma", "na", "pa", "ra",
    "sa", "ta", "wa", "di", "ki", "li", "ni", "ri", "su", "tu",
)
CITIES = (
    "Jakarta", "Surabaya", "Bandung", "Semarang", "Medan", "Malang", "Cirebon", "Indramayu",
    "Lombok Timur", "Kupang",
)
STREETS = (
    "Merdeka", "Sudirman", "Thamrin", "Diponegoro", "Gatot Subroto", "Ahmad Yani", "Pemuda",
)
# Indonesian mobile prefixes after the trunk 0: Telkomsel, Indosat, XL, Tri, Smartfren.
MOBILE = (
    "811", "812", "813", "821", "822", "852", "853", "814", "815", "856", "857", "858",
    "817", "818", "819", "877", "878", "895", "896", "881",
)
# fmt: on
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Registry:
    """What the fill wrote, for building queries that know the answer."""

    names: list[str]  # index i holds recruiter i + 1
    licences: list[str]
    phones: list[tuple[int, str]]  # (recruiter id, E.164)
    identifiers: int = 0
    addresses: int = 0
    front_phones: int = 0
    front_rows: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def _suffix(code: int, length: int) -> str:
    parts = []
    for _ in range(length):
        code, digit = divmod(code, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


def company_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct plausible names: "PT" + two or three words + a spelled index."""
    length = 3
    while len(SYLLABLES) ** length < 4 * count:
        length += 1
    codes = rng.sample(range(len(SYLLABLES) ** length), count)
    return [
        " ".join(["PT", *rng.sample(WORDS, rng.choice((2, 2, 3))), _suffix(code, length)])
        for code in codes
    ]


def _phone_display(rng: random.Random) -> str:
    prefix, digits = rng.choice(MOBILE), f"{rng.randrange(10**8):08d}"
    shape = rng.randrange(3)
    if shape == 0:
        return f"0{prefix}-{digits[:4]}-{digits[4:]}"
    if shape == 1:
        return f"+62 {prefix} {digits[:4]} {digits[4:]}"
    return f"0{prefix}{digits}"


def _address_display(rng: random.Random) -> str:
    return (
        f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 300)}, "
        f"RT {rng.randint(1, 20):02d}/RW {rng.randint(1, 12):02d}, {rng.choice(CITIES)}"
    )


def _identifier(rid: int, kind: str, value: str, display: str) -> dict[str, Any]:
    return {
        "recruiter_id": rid, "kind": kind, "value": value, "display": display,
        "source": "benchmark", "first_seen": NOW, "last_seen": NOW,
    }  # fmt: skip


def prefill(engine: Engine, recruiters: int, identifiers: int, seed: int) -> Registry:
    """Write the registry in bulk with Core inserts, ``CHUNK`` rows at a time."""
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not secrets
    names = company_names(recruiters, rng)
    keys = [name_key(n) for n in names]
    assert len(set(keys)) == recruiters, "generated names must have distinct keys"
    registry = Registry(names=names, licences=[], phones=[])

    # Fronts: a phone shared by three to six companies, one per hundred companies.
    shared: dict[int, list[str]] = {}
    for _ in range(max(1, recruiters // 100)):
        display = _phone_display(rng)
        for rid in rng.sample(range(1, recruiters + 1), min(recruiters, rng.randint(3, 6))):
            shared.setdefault(rid, []).append(display)
        registry.front_phones += 1

    with engine.begin() as conn:
        people: list[dict[str, Any]] = []
        licences: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for rid, (name, key) in enumerate(zip(names, keys, strict=True), start=1):
            people.append(
                {
                    "id": rid, "kind": "company", "name": name, "name_key": key,
                    "parent_id": None, "synthetic": False, "created_at": NOW,
                    "updated_at": NOW,
                }
            )  # fmt: skip
            number = f"KEP.{rid}/PPTKLN/{2015 + rid % 10}"
            roll = rng.random()
            status = "suspended" if roll < 0.06 else "revoked" if roll < 0.10 else "active"
            registry.statuses[status] = registry.statuses.get(status, 0) + 1
            valid = dt.date(2026 + rng.randint(-1, 4), 1 + rid % 12, 1 + rid % 28)
            licences.append(
                {
                    "id": rid, "recruiter_id": rid, "number": number,
                    "number_key": licence_key(number),
                    "format_known": licence_format_known(number), "status": status,
                    "valid_until": valid, "issuer": "Kementerian Ketenagakerjaan",
                    "created_at": NOW, "updated_at": NOW,
                }
            )  # fmt: skip
            registry.licences.append(number)
            if status != "active":
                events.append(
                    {
                        "licence_id": rid, "at": NOW - dt.timedelta(days=rng.randint(1, 900)),
                        "from_status": "active", "to_status": status, "valid_until": valid,
                        "reason": "benchmark", "actor": "bench.officer",
                    }
                )  # fmt: skip
            if len(people) >= CHUNK:
                conn.execute(insert(Recruiter), people)
                conn.execute(insert(Licence), licences)
                people, licences = [], []
        if people:
            conn.execute(insert(Recruiter), people)
            conn.execute(insert(Licence), licences)
        if events:
            conn.execute(insert(LicenceEvent), events)

        rows: list[dict[str, Any]] = []
        each, extra = divmod(identifiers, recruiters)
        for rid in range(1, recruiters + 1):
            seen: set[tuple[str, str]] = set()
            for display in shared.get(rid, []):
                value = phone_key(display)
                if value is not None and ("phone", value) not in seen:
                    seen.add(("phone", value))
                    rows.append(_identifier(rid, "phone", value, display))
                    registry.phones.append((rid, value))
                    registry.front_rows += 1
            quota = each + (1 if rid <= extra else 0)
            while len(seen) < quota:
                if rng.random() < 0.85:
                    kind, display = "phone", _phone_display(rng)
                    value = phone_key(display) or display
                else:
                    kind, display = "address", _address_display(rng)
                    value = address_key(display)
                if (kind, value) in seen:
                    continue
                seen.add((kind, value))
                rows.append(_identifier(rid, kind, value, display))
                if kind == "phone":
                    registry.phones.append((rid, value))
                else:
                    registry.addresses += 1
            registry.identifiers += len(seen)
            if len(rows) >= CHUNK:
                conn.execute(insert(RecruiterIdentifier), rows)
                rows = []
        if rows:
            conn.execute(insert(RecruiterIdentifier), rows)
    return registry


def typo(name: str, rng: random.Random) -> str:
    """The name with one letter substituted, dropped, added or swapped (never in "PT")."""
    words = name.split()
    at = rng.randrange(1, len(words))
    word = words[at]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        new = rng.choice([c for c in LETTERS if c != word[i].lower()])
        word = word[:i] + new + word[i + 1 :]
    elif kind == 1:
        word = word[:i] + word[i + 1 :]
    elif kind == 2:
        word = word[:i] + rng.choice(LETTERS) + word[i:]
    elif word[i] != word[i + 1]:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:  # swapping two equal letters changes nothing: drop one instead
        word = word[:i] + word[i + 1 :]
    words[at] = word
    return " ".join(words)


def written_differently(name: str, k: int) -> str:
    """A registered name as people write it: legal form moved, upper or lower case."""
    bare = name.removeprefix("PT ")
    return (f"{bare}, PT", f"PT. {bare.upper()}", name.lower())[k % 3]


def licence_typed(number: str, k: int) -> str:
    """Half as printed, half in lower case with spaced separators."""
    return number if k % 2 == 0 else number.lower().replace("/", " / ").replace(".", ". ")


def phone_typed(value: str, k: int) -> str:
    """Half in E.164, half as a local number with spaces."""
    if k % 2 == 0:
        return value
    local = "0" + value.removeprefix("+62")
    return f"{local[:4]} {local[4:8]} {local[8:]}"


@dataclass
class Mix:
    """One kind of query, its baseline statement, and the answers it should find."""

    label: str
    argument: str  # keyword of recruiter_standing
    baseline: TextClause
    param: str
    queries: list[tuple[str, int]]  # (as typed, intended recruiter id)
    like: bool = False  # the baseline looks for '%<as typed>%'


LICENCE_SQL = text("SELECT recruiter_id, status, valid_until FROM licences WHERE number = :n")
NAME_SQL = text("SELECT id, name FROM recruiters WHERE name LIKE :pattern")
PHONE_SQL = text(
    "SELECT recruiter_id FROM recruiter_identifiers WHERE kind = 'phone' AND value = :v"
)


def mixes(registry: Registry, lookups: int, seed: int) -> list[Mix]:
    """The four query mixes, ``lookups`` each, with the company each one means."""
    rng = random.Random(seed + 1)  # noqa: S311 - picks queries, not secrets
    count = len(registry.names)

    def ids() -> list[int]:
        return [rng.randint(1, count) for _ in range(lookups)]

    licence = [(licence_typed(registry.licences[r - 1], k), r) for k, r in enumerate(ids())]
    exact = [(written_differently(registry.names[r - 1], k), r) for k, r in enumerate(ids())]
    typos = [(typo(registry.names[r - 1], rng), r) for r in ids()]
    phones = [rng.choice(registry.phones) for _ in range(lookups)]
    phone = [(phone_typed(value, k), r) for k, (r, value) in enumerate(phones)]
    return [
        Mix("licence", "licence_no", LICENCE_SQL, "n", licence),
        Mix("name_exact", "name", NAME_SQL, "pattern", exact, like=True),
        Mix("name_typo", "name", NAME_SQL, "pattern", typos, like=True),
        Mix("phone", "phone", PHONE_SQL, "v", phone),
    ]


@contextmanager
def _clock(into: list[float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    into.append(time.perf_counter() - start)


@dataclass
class Tally:
    """Latencies and answers of one side (standing or baseline) of one mix."""

    latencies: list[float] = field(default_factory=list)
    batch_rates: list[float] = field(default_factory=list)
    found: int = 0
    suggested: int = 0
    with_findings: int = 0

    def summary(self) -> dict[str, float]:
        ms = sorted(x * 1000 for x in self.latencies)
        p99 = statistics.quantiles(ms, n=100)[98] if len(ms) > 1 else ms[0]
        return {
            "lookups_per_s": round(statistics.median(self.batch_rates), 1),
            "p50_ms": round(statistics.median(ms), 3),
            "p99_ms": round(p99, 3),
            "max_ms": round(ms[-1], 3),
            "found": self.found,
            "recall": round(self.found / len(ms), 3),
        }


def run_mix(sessions: sessionmaker[Session], mix: Mix) -> dict[str, Any]:
    """Time ``recruiter_standing`` and the baseline in interleaved batches."""
    standing, baseline = Tally(), Tally()
    typed = mix.queries[-1][0]  # one untimed call each to compile and cache the statements
    with sessions() as session:
        session.execute(mix.baseline, {mix.param: f"%{typed}%" if mix.like else typed}).all()
        recruiter_standing(session, **{mix.argument: typed}, today=TODAY)
    per = max(1, len(mix.queries) // BATCHES)
    for b in range(0, len(mix.queries), per):
        batch = mix.queries[b : b + per]
        start = time.perf_counter()
        for typed, intended in batch:
            bound = f"%{typed}%" if mix.like else typed
            with _clock(baseline.latencies), sessions() as session:
                ids = {row[0] for row in session.execute(mix.baseline, {mix.param: bound})}
            baseline.found += intended in ids
        baseline.batch_rates.append(len(batch) / (time.perf_counter() - start))
        start = time.perf_counter()
        for typed, intended in batch:
            with _clock(standing.latencies), sessions() as session:
                answer = recruiter_standing(session, **{mix.argument: typed}, today=TODAY)
            standing.found += intended in {m.recruiter_id for m in answer.matches}
            standing.suggested += intended in {m.recruiter_id for m in answer.similar}
            standing.with_findings += bool(answer.findings)
        standing.batch_rates.append(len(batch) / (time.perf_counter() - start))
    ours, theirs = standing.summary(), baseline.summary()
    return {
        "mix": mix.label,
        "lookups": len(mix.queries),
        "example": mix.queries[0][0],
        "standing": {
            **ours,
            "suggested_only": standing.suggested,
            "with_findings": standing.with_findings,
        },
        "baseline": theirs,
        "baseline_over_standing": round(theirs["lookups_per_s"] / ours["lookups_per_s"], 2),
    }


def fuzzy_breakdown(
    engine: Engine, sessions: sessionmaker[Session], queries: list[str]
) -> dict[str, float]:
    """What a typo-tolerant lookup costs when every name key must be read.

    Times the two steps of the fuzzy path apart (reading every recruiter's name key,
    then scoring them with rapidfuzz as ``standing`` does), then a whole typo lookup
    made right after the registry changed (one recruiter's ``updated_at`` moved), which
    is what a lookup pays whenever the keys cannot come from memory.
    """
    load: list[float] = []
    score: list[float] = []
    after_change: list[float] = []
    size = 0
    for typed in queries:
        key = name_key(typed)
        with _clock(load), sessions() as session:
            keys: dict[int, str] = dict(
                session.execute(select(Recruiter.id, Recruiter.name_key)).all()
            )
        size = len(keys)
        with _clock(score):
            process.extract(key, keys, scorer=fuzz.token_sort_ratio, limit=5, score_cutoff=75)
    for i, typed in enumerate(queries):
        with engine.begin() as conn:
            conn.execute(
                update(Recruiter)
                .where(Recruiter.id == 1 + i % size)
                .values(updated_at=NOW + dt.timedelta(seconds=i + 1))
            )
        with _clock(after_change), sessions() as session:
            recruiter_standing(session, name=typed, today=TODAY)
    return {
        "calls": len(queries),
        "name_keys": size,
        "load_all_keys_p50_ms": round(statistics.median(load) * 1000, 3),
        "rapidfuzz_extract_p50_ms": round(statistics.median(score) * 1000, 3),
        "typo_lookup_after_registry_change_p50_ms": round(
            statistics.median(after_change) * 1000, 3
        ),
    }


def fronts_cost(sessions: sessionmaker[Session], ids: list[int]) -> dict[str, float]:
    """What ``fronts`` alone costs for one matched recruiter, which every lookup pays."""
    spent: list[float] = []
    for rid in ids:
        with _clock(spent), sessions() as session:
            fronts(session, [rid], TODAY)
    return {"calls": len(ids), "p50_ms": round(statistics.median(spent) * 1000, 3)}


def run(url: str, recruiters: int, identifiers: int, lookups: int, seed: int) -> dict[str, Any]:
    engine = make_engine(url)
    init_db(engine)
    started = time.perf_counter()
    registry = prefill(engine, recruiters, identifiers, seed)
    fill_seconds = time.perf_counter() - started
    sessions = session_factory(engine)
    queries = mixes(registry, lookups, seed)
    # Keep the benchmark's own data (the registry's answers, the queries) out of the
    # collector's full passes, so their pauses are the ones a server would have.
    gc.collect()
    gc.freeze()
    results = [run_mix(sessions, mix) for mix in queries]
    behind = fronts_cost(sessions, [rid for _, rid in queries[0].queries[:100]])
    # Last: it writes to the registry.
    breakdown = fuzzy_breakdown(engine, sessions, [q for q, _ in queries[2].queries[:20]])
    typo = next(r for r in results if r["mix"] == "name_typo")["standing"]
    breakdown["typo_lookup_p50_ms"] = typo["p50_ms"]
    engine.dispose()
    return {
        "backend": engine.dialect.name,
        "recruiters": recruiters,
        "identifiers": registry.identifiers,
        "phones": len(registry.phones),
        "addresses": registry.addresses,
        "front_phones": registry.front_phones,
        "front_phone_rows": registry.front_rows,
        "licence_statuses": registry.statuses,
        "prefill_seconds": round(fill_seconds, 1),
        "mixes": results,
        "fuzzy_name_path": breakdown,
        "fronts_per_match": behind,
    }


def _report(result: dict[str, Any]) -> None:
    print(
        f"{result['backend']}: {result['recruiters']} recruiters, "
        f"{result['identifiers']} identifiers ({result['front_phones']} front phones), "
        f"filled in {result['prefill_seconds']} s",
        file=sys.stderr,
    )
    print(
        f"{'mix':<11} {'side':<9} {'lookups/s':>10} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'recall':>7}  note",
        file=sys.stderr,
    )
    for mix in result["mixes"]:
        for side in ("standing", "baseline"):
            row = mix[side]
            note = (
                f"suggested only {row['suggested_only']}, with findings {row['with_findings']}"
                if side == "standing"
                else f"baseline/standing x{mix['baseline_over_standing']}"
            )
            print(
                f"{mix['mix']:<11} {side:<9} {row['lookups_per_s']:>10} {row['p50_ms']:>9} "
                f"{row['p99_ms']:>9} {row['recall']:>7.1%}  {note}",
                file=sys.stderr,
            )
    fuzzy = result["fuzzy_name_path"]
    print(
        f"fuzzy name path: reading all {fuzzy['name_keys']} name keys takes "
        f"{fuzzy['load_all_keys_p50_ms']} ms, scoring them {fuzzy['rapidfuzz_extract_p50_ms']} ms; "
        f"a typo lookup takes {fuzzy['typo_lookup_p50_ms']} ms (p50), "
        f"{fuzzy['typo_lookup_after_registry_change_p50_ms']} ms right after a registry change",
        file=sys.stderr,
    )
    print(
        f"fronts() for one matched recruiter: p50 {result['fronts_per_match']['p50_ms']} ms",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recruiters", type=int, default=50_000)
    parser.add_argument("--identifiers", type=int, default=500_000)
    parser.add_argument("--lookups", type=int, default=500, help="queries per mix")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (emptied!) instead of SQLite")
    args = parser.parse_args()
    if args.recruiters < 1 or args.lookups < 1 or args.identifiers < 0:
        parser.error("--recruiters and --lookups must be positive, --identifiers not negative")
    with tempfile.TemporaryDirectory() as folder:
        url = fresh_database_url(args.db, folder, "bench-recruiters.db")
        result = run(url, args.recruiters, args.identifiers, args.lookups, args.seed)
    _report(result)
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
