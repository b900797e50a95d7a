"""The same linkage model on Spark (the ``[spark]`` extra) as on DuckDB.

CI installs the extra and sets LINDUNGI_REQUIRE_SPARK=1, so there this test runs and
cannot be skipped; elsewhere it is skipped when pyspark is not installed."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lindungi.cli import app
from lindungi.demo.identities import generate_agency_records
from lindungi.identity.features import facts_of
from lindungi.identity.ingest import read_rows
from lindungi.identity.linkage import link

if not os.environ.get("LINDUNGI_REQUIRE_SPARK"):
    pytest.importorskip("pyspark", reason="the [spark] extra is not installed")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[1]")
        .appName("lindungi-tests")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_scores_and_clusters_exactly_as_duckdb(spark: Any, tmp_path: Any) -> None:
    spark.sparkContext.setCheckpointDir(str(tmp_path))
    data = generate_agency_records(40, seed=2)
    records = [
        ((source, r.record_id), facts_of(r))
        for source, rows in data.records.items()
        for r in read_rows(rows, source=source).records
    ]
    on_duckdb = link(records)
    on_spark = link(records, engine_name="spark", spark=spark)

    def scored(linked: Any) -> dict[tuple[Any, Any], float]:
        return {(a, b): round(p, 9) for a, b, p, _ in linked.pairs()}

    assert scored(on_spark) == scored(on_duckdb)
    assert len(scored(on_duckdb)) > 20  # pairs were found, on both engines
    assert on_spark.cluster_ids() == on_duckdb.cluster_ids()
    people = {data.truth[key] for key, _ in records}
    assert len(set(on_duckdb.cluster_ids().values())) == len(people)  # and they are right


def test_the_link_command_on_spark_gives_duckdb_s_clusters(spark: Any, tmp_path: Path) -> None:
    """``lindungi link --engine spark`` (contract 4's command, on the module's local
    session) writes the same people as the default engine."""
    data = generate_agency_records(30, seed=5)
    sources = []
    for source, rows in data.records.items():
        file = tmp_path / f"{source}.csv"
        with file.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        sources += ["--source", f"{source}={file}"]
    people: list[set[frozenset[tuple[str, str]]]] = []
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.csv"
        done = CliRunner().invoke(app, ["link", *sources, "--out", str(out), "--engine", engine,
                                        "--spark-master", "local[1]"])  # fmt: skip
        assert done.exit_code == 0, done.output
        with out.open(encoding="utf-8") as handle:
            clusters: dict[str, set[tuple[str, str]]] = {}
            for row in csv.DictReader(handle):
                clusters.setdefault(row["cluster_id"], set()).add((row["source"], row["record_id"]))
        people.append({frozenset(c) for c in clusters.values()})
    assert people[0] == people[1]
    assert len(people[0]) == len(set(data.truth.values()))
    from pyspark.sql import SparkSession

    assert SparkSession.getActiveSession() is spark  # the module's session is left running
