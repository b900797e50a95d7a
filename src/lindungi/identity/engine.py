"""Running the linkage model with Splink on a columnar engine: DuckDB here, Spark when one
machine is outgrown. Splink and the engines stay inside this module; callers hand in
prepared rows (``features.record_features``) and get scored pairs back.
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from splink import Linker, block_on

from lindungi.identity import model
from lindungi.identity.features import FEATURE_COLUMNS

if TYPE_CHECKING:
    from splink.internals.blocking_rule_creator import BlockingRuleCreator
    from splink.internals.database_api import DatabaseAPISubClass

Engine = Literal["duckdb", "spark"]

logging.getLogger("splink").setLevel(logging.ERROR)


class EngineUnavailable(RuntimeError):
    """The engine asked for is not installed (an optional extra)."""


#: Masters Spark knows: local threads, a standalone cluster, YARN, Kubernetes.
SPARK_MASTER = re.compile(r"^(local(\[(\d+|\*)\])?|spark://\S+|yarn|k8s://\S+)$")


def spark_session(master: str = "local[2]") -> tuple[Any, bool]:
    """A Spark session on ``master`` with Splink's similarity functions, and whether it
    was made here (the caller then stops it); a session already active is reused. A
    local one checkpoints to a temporary folder (a cluster's has its own settings)."""
    if not SPARK_MASTER.match(master):
        raise ValueError(
            f"Spark master {master!r}: expected local[N], local[*], spark://HOST:PORT, yarn "
            "or k8s://URL"
        )
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise EngineUnavailable(
            "the Spark engine needs the [spark] extra (pip install 'lindungi[spark]') and "
            "Java 17 or newer"
        ) from error
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    spark = (
        SparkSession.builder.master(master)
        .appName("lindungi-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    if master.startswith("local"):
        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="lindungi-spark-"))
    return spark, True


def database_api(engine: Engine = "duckdb", *, spark: Any = None) -> DatabaseAPISubClass:
    """A Splink database API: in-process DuckDB, or Spark (the ``[spark]`` extra) on
    ``spark``, or on a local session when none is given."""
    if engine == "duckdb":
        from splink.backends.duckdb import DuckDBAPI

        return DuckDBAPI()
    if spark is None:
        spark = spark_session()[0]
    from splink.backends.spark import SparkAPI

    return SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]


def feature_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Prepared rows (with ``unique_id``) as the table Splink reads."""
    frame = pd.DataFrame.from_records(list(rows), columns=["unique_id", *FEATURE_COLUMNS])
    return frame.astype(object).where(frame.notna(), None)


def present_columns(frame: pd.DataFrame) -> set[str]:
    """Prepared columns that hold a value in at least two rows (others are not compared)."""
    return {c for c in FEATURE_COLUMNS if frame[c].notna().sum() >= 2}


@dataclass
class Scored:
    """Scored candidate pairs and the trained model that scored them."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, match_weight, gamma_*
    model: dict[str, Any]  # Splink's model JSON (settings with trained m and u)


#: Training samples are drawn with this seed: the same data give the same model.
SEED = 5
#: Pairs one EM session reads at most (blocking on a common name alone is unbounded).
EM_MAX_PAIRS = 2_000_000


def _train(linker: Linker, present: set[str], rows: int) -> None:
    training = linker.training
    deterministic: list[str | BlockingRuleCreator] = [
        block_on(*cols) for cols in model.DETERMINISTIC if present.issuperset(cols)
    ]
    try:
        training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    except Exception:  # too few sure matches to estimate from: keep Splink's prior
        logging.getLogger(__name__).info("no deterministic matches; default prior kept")
    training.estimate_u_using_random_sampling(
        max_pairs=min(2_000_000, max(rows * 50, 10_000)), seed=SEED
    )
    for columns in model.TRAINING_BLOCKS:
        if present.issuperset(columns):
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    block_on(*columns), fix_u_probabilities=True, max_pairs=EM_MAX_PAIRS
                )
            except Exception:  # a block with no pairs trains nothing
                logging.getLogger(__name__).info("EM blocked on %s found no pairs", columns)


def score(
    frame: pd.DataFrame,
    *,
    threshold: float = 0.5,
    trained: dict[str, Any] | None = None,
    engine: Engine = "duckdb",
    spark: Any = None,
) -> Scored:
    """Train the model on ``frame`` (or use ``trained``) and score its blocked pairs."""
    db_api = database_api(engine, spark=spark)
    table = db_api.register(frame)
    present = present_columns(frame)
    # mw_* (each comparison's match weight) explain each pair to the officer
    settings = in_dialect(trained, engine) if trained else None
    linker = Linker(table, settings or model.settings(present), log_level=None)
    if trained is None:
        _train(linker, present, len(frame))
        regularised = regularise(linker.misc.save_model_to_json())
        regularised["retain_intermediate_calculation_columns"] = True
        linker = Linker(table, regularised, log_level=None)
    predicted = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    pairs = predicted.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    keep = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    keep += [c for c in pairs.columns if c.startswith(("gamma_", "mw_"))]
    return Scored(pairs[keep].reset_index(drop=True), linker.misc.save_model_to_json())


def in_dialect(trained: dict[str, Any], engine: Engine) -> dict[str, Any]:
    """A trained model written out for ``engine``'s SQL dialect.

    Splink's model JSON holds SQL in the dialect it was trained on; the comparisons are
    rebuilt from ``model`` for the target dialect and the trained parameters carried
    over level by level, so a model trained on DuckDB scores on Spark (and back)."""
    dialect = "spark" if engine == "spark" else "duckdb"
    out = dict(trained, retain_intermediate_calculation_columns=True)
    if trained.get("sql_dialect") == dialect:
        return out
    fresh = model.settings(FEATURE_COLUMNS).create_settings_dict(sql_dialect_str=dialect)
    by_name = {c["output_column_name"]: c for c in trained["comparisons"]}
    fresh["comparisons"] = [c for c in fresh["comparisons"] if c["output_column_name"] in by_name]
    for comparison in fresh["comparisons"]:
        old = by_name[comparison["output_column_name"]]["comparison_levels"]
        for level, source in zip(comparison["comparison_levels"], old, strict=True):
            for key in ("m_probability", "u_probability", "tf_adjustment_column"):
                if key in source:
                    level[key] = source[key]
    blocking = fresh["blocking_rules_to_generate_predictions"]
    out.update(
        comparisons=fresh["comparisons"],
        blocking_rules_to_generate_predictions=blocking,
        sql_dialect=dialect,
    )
    return out


#: No level is trusted to be rarer than this among true matches.
#: Training data are cleaner than what arrives: a migrant's consular record names the city
#: she is in, not her home regency; without a floor, one such field outweighs all others.
PROBABILITY_FLOOR = 0.02


def regularise(trained: dict[str, Any]) -> dict[str, Any]:
    """The model with every level's m kept at or above ``PROBABILITY_FLOOR`` (then
    renormalised), so that no single disagreement decides against a link alone. The u
    values (how often strangers agree) are measured on every pair and are left as they are."""
    for comparison in trained["comparisons"]:
        scored = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        values = [max(float(lv.get("m_probability") or 0.0), PROBABILITY_FLOOR) for lv in scored]
        total = sum(values)
        for level, value in zip(scored, values, strict=True):
            level["m_probability"] = value / total
    return trained


@dataclass(frozen=True)
class Evidence:
    """How one field compared in a scored pair, and what it weighed."""

    field: str
    level: str
    weight: float  # log2 of the Bayes factor: + for the same person, - against

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {"field": self.field, "level": self.level, "weight": round(self.weight, 2)}


def levels(trained: dict[str, Any]) -> dict[str, dict[int, tuple[str, float]]]:
    """For each comparison: comparison-vector value -> (label, log2 Bayes factor)."""
    out: dict[str, dict[int, tuple[str, float]]] = {}
    for comparison in trained["comparisons"]:
        table: dict[int, tuple[str, float]] = {}
        scored = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for rank, level in enumerate(scored):
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else 0.0
            table[len(scored) - 1 - rank] = (level.get("label_for_charts", ""), weight)
        out[comparison["output_column_name"]] = table
    return out


def explain(row: dict[str, Any], table: dict[str, dict[int, tuple[str, float]]]) -> list[Evidence]:
    """The fields that spoke for or against a pair, strongest first (missing ones left out).

    A pair row carries, per comparison, the level it reached (``gamma_*``) or its match
    weight (``mw_*``), from which the level is recovered as the one with that weight.
    """
    evidence = []
    for name, by_value in table.items():
        gamma, part = row.get(f"gamma_{name}"), row.get(f"mw_{name}")
        if gamma is not None:
            if int(gamma) < 0:
                continue
            label, weight = by_value.get(int(gamma), ("", 0.0))
        elif part is not None and not math.isnan(float(part)):
            weight = float(part)
            if abs(weight) < 1e-9 and not any(abs(w) < 1e-9 for _, w in by_value.values()):
                continue  # a missing value (the null level weighs nothing)
            label = min(by_value.values(), key=lambda lw: abs(lw[1] - weight))[0]
        else:
            continue
        evidence.append(Evidence(name, label, weight))
    return sorted(evidence, key=lambda e: -abs(e.weight))
