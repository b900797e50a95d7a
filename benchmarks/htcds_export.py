"""Benchmark of the anonymised HTCDS export (issue: HTCDS v2.0, k-anonymous): seconds to
export 1,000,000 case records, beside a naive baseline in the same run on the same data.

    python benchmarks/htcds_export.py [--cases 1000000] [--k 11] [--max-suppression 0.05]
                                      [--seed 2026] [--skip-baseline]

Setup, not timed: --cases seeded synthetic ``CaseFacts`` as ``htcds_service.case_facts``
would read them — a NIK for 75% (gender and birth date come from it), a birth date for
another 10%, 14 countries of exploitation weighted like the hub's caseload (Cambodia,
Myanmar, Malaysia first) with 1–6 cities each, the offer's channel for 45% (the cases a
departure screening referred), 36 months of reports, determinations, services and the
legal track. Timed: ``htcds.records`` (every case mapped to the standard, the NIK decoded
by ``people.nik``), ``kanon`` through ``htcds.anonymise_records`` (the least
generalisation, searched on the distinct combinations of quasi-identifier codes), and the
CSV written to a temporary file: together the whole export but for the database read.
The baseline, on the same frame: the greedy Datafly search that ``anjana`` implements
(generalise the quasi-identifier with most distinct values until suppression fits),
written the naive way, one Python call per record per level and a ``Counter`` of tuples.
Both outputs are checked k-anonymous by counting their rows independently. A markdown
table goes to stdout; nothing asserts on timing. A quick run:

    python benchmarks/htcds_export.py --cases 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from lindungi.exchange.htcds import HIERARCHIES, CaseFacts, anonymise_records, records
from lindungi.exchange.htcds_fields import QUASI_IDENTIFIER_COLUMNS
from lindungi.exchange.kanon import loss
from lindungi.people.nik import build_nik, district_codes

PLACES: dict[str, tuple[int, tuple[str, ...]]] = {
    "KH": (30, ("Sihanoukville", "Bavet", "Phnom Penh", "Poipet", "Koh Kong", "O Smach")),
    "MM": (14, ("Myawaddy", "Shwe Kokko", "KK Park", "Tachileik")),
    "MY": (14, ("Johor Bahru", "Kuala Lumpur", "Kota Kinabalu", "Penang")),
    "LA": (6, ("Golden Triangle SEZ", "Vientiane")), "TH": (5, ("Bangkok", "Mae Sot")),
    "PH": (5, ("Pasay", "Manila", "Clark")), "SA": (5, ("Riyadh", "Jeddah", "Dammam")),
    "AE": (4, ("Dubai", "Abu Dhabi")), "TW": (4, ("Taipei", "Kaohsiung")),
    "HK": (3, ("Hong Kong",)), "SG": (3, ("Singapore",)), "JP": (2, ("Osaka", "Tokyo")),
    "KR": (2, ("Busan", "Seoul")), "TR": (1, ("Istanbul",)),
}  # fmt: skip
OFFERS = ("facebook", "tiktok", "telegram", "whatsapp", "instagram", "friend", "family",
          "agency", "job_portal", "other")  # fmt: skip
STATES = ("reported", "verified", "located", "in_shelter", "arrived", "rehabilitation",
          "reintegration", "closed")  # fmt: skip


def log(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def synthetic_cases(n: int, seed: int) -> list[CaseFacts]:
    """``n`` seeded cases, as the module docstring describes."""
    rng = random.Random(seed)  # noqa: S311 - seeded synthetic data
    districts = district_codes()[:400]
    countries = list(PLACES)
    weights = [PLACES[c][0] for c in countries]
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    out = []
    for i in range(n):
        country = rng.choices(countries, weights)[0]
        birth = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randint(0, 13_500))
        has = rng.random()
        nik = build_nik(rng.choice(districts), birth, rng.choice("MF"), i % 9999 + 1)
        decided = rng.choices(("potential_victim", "not_victim", "undetermined", None),
                              (55, 10, 10, 25))[0]  # fmt: skip
        out.append(CaseFacts(
            opened_at=start + dt.timedelta(minutes=rng.randint(0, 1_576_800)),
            state=rng.choice(STATES), channel=rng.choice(("hotline", "family", "sos", "ngo")),
            country=country, city=rng.choice(PLACES[country][1]),
            birth_date=birth if 0.75 <= has < 0.85 else None, nik=nik if has < 0.75 else None,
            determination=decided, determination_agency=rng.choice(("bp2mi", "kemlu", "polri")),
            indicators=tuple(rng.sample(("deception", "retention_of_documents",
                                         "excessive_overtime", "debt_bondage"), 2)),
            purposes=(rng.choice(("forced_criminality", "forced_labour", "sexual_exploitation")),),
            recruitment_channel=rng.choice(OFFERS) if rng.random() < 0.45 else None,
            services=tuple(rng.sample(("psychosocial", "medical", "legal_aid"), rng.randint(0, 2))),
            legal_stage=rng.choice((None, None, None, "investigation", "convicted")),
        ))  # fmt: skip
    return out


def naive_datafly(
    frame: pd.DataFrame, k: int, share: float
) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """The baseline: greedy Datafly, one Python call per record and level, Counter of
    tuples. Returns the kept rows (quasi-identifier columns), the records suppressed and
    the level reached per quasi-identifier."""
    base = {h.name: frame[h.name].tolist() for h in HIERARCHIES}
    levels = {h.name: 0 for h in HIERARCHIES}
    allowed = math.floor(share * len(frame) + 1e-9)
    while True:
        cells = {h.name: [h.labels(v, levels[h.name]) for v in base[h.name]] for h in HIERARCHIES}
        keys = list(zip(*(cells[h.name] for h in HIERARCHIES), strict=True))
        counts = Counter(keys)
        small = sum(n for n in counts.values() if n < k)
        if small <= allowed:
            break
        open_ = [h for h in HIERARCHIES if levels[h.name] < len(h.levels) - 1]
        widest = max(open_, key=lambda h: len(set(cells[h.name])))
        levels[widest.name] += 1
    kept = []
    for key in keys:
        if counts[key] >= k:
            flat = [cell for part in key for cell in part]
            kept.append(dict(zip(QUASI_IDENTIFIER_COLUMNS, flat, strict=True)))
    return kept, len(keys) - len(kept), levels


def smallest_class(rows: list[dict[str, Any]]) -> int:
    """The smallest count of any combination of quasi-identifiers, counted afresh."""
    counts = Counter(tuple(r[c] for c in QUASI_IDENTIFIER_COLUMNS) for r in rows)
    return min(counts.values(), default=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=11)
    parser.add_argument("--max-suppression", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    log(f"generating {args.cases:,} cases (seed {args.seed}) …")
    cases = synthetic_cases(args.cases, args.seed)
    t0 = time.perf_counter()
    frame = records(cases)
    t1 = time.perf_counter()
    made = anonymise_records(frame, args.k, args.max_suppression)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        made.write(Path(folder) / "htcds.csv")
        size = (Path(folder) / "htcds.csv").stat().st_size
    t3 = time.perf_counter()
    ours = made.frame[list(QUASI_IDENTIFIER_COLUMNS)].to_dict(orient="records")
    assert smallest_class(ours) >= args.k, "the export is not k-anonymous"
    report = made.report
    log(f"kanon: {report.summary()} ({report.nodes_evaluated} nodes evaluated)")
    rows = [("map cases to HTCDS (`htcds.records`)", t1 - t0, None),
            ("anonymise (`kanon`, least generalisation)", t2 - t1, (report, f"{report.loss:.3f}")),
            (f"write CSV ({size / 1e6:,.0f} MB)", t3 - t2, None),
            ("whole export (map + anonymise + CSV)", t3 - t0, None)]  # fmt: skip
    base_seconds = None
    if not args.skip_baseline:
        log("baseline: naive per-record Datafly …")
        b0 = time.perf_counter()
        kept, suppressed, reached = naive_datafly(frame, args.k, args.max_suppression)
        base_seconds = time.perf_counter() - b0
        assert smallest_class(kept) >= args.k, "the baseline is not k-anonymous"
        log(f"baseline: {len(kept):,} kept, {suppressed:,} suppressed; levels {reached}")
    print(f"{args.cases:,} cases, k={args.k}, max suppression {args.max_suppression:.0%}\n")
    print("| what | seconds | records out | suppressed | information loss | baseline ÷ this |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, seconds, detail in rows:
        out = (
            f"{detail[0].exported:,} | {detail[0].suppressed:,} | {detail[1]}"
            if detail
            else " | | "
        )
        ratio = f"{base_seconds / seconds:,.1f}x" if base_seconds and detail else ""
        print(f"| {label} | {seconds:,.2f} | {out} | {ratio} |")
    if base_seconds is not None:
        lost = loss(tuple(reached.values()), HIERARCHIES)
        print(f"| baseline: naive per-record Datafly (greedy, as anjana) | {base_seconds:,.2f} | "
              f"{len(kept):,} | {suppressed:,} | {lost:.3f} | 1.0x |")  # fmt: skip
    print(
        f"\nlevels chosen: {report.summary()['levels']} ({report.nodes_evaluated} nodes "
        f"evaluated); baseline: {reached if base_seconds is not None else '-'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
