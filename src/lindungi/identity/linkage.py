"""Records in, people out: prepare, score with the trained model, cluster under the rules.

The one pipeline behind ``lindungi link`` (contract 4), the person index's re-link and
the benchmarks. Record keys are the caller's (``(source, record_id)`` in the CLI, the
database id in the index).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from lindungi.identity import default_model, engine
from lindungi.identity.clustering import DEFAULT_THRESHOLD, Clusters, cluster, traits_of
from lindungi.identity.default_model import MIN_TRAINING_RECORDS
from lindungi.identity.features import Facts, record_features

K = TypeVar("K", bound=Hashable)

__all__ = ["DEFAULT_THRESHOLD", "MIN_TRAINING_RECORDS", "Linked", "link"]


@dataclass
class Linked(Generic[K]):
    """People found among the records, with the scored pairs that explain them."""

    keys: list[K]
    clusters: Clusters[K]
    scored: engine.Scored

    def cluster_ids(self, prefix: str = "P") -> dict[K, str]:
        """A readable id per person, numbered in the order of their first record."""
        ids: dict[K, str] = {}
        numbers: dict[K, str] = {}
        for key in self.keys:
            person = self.clusters.person[key]
            if person not in numbers:
                numbers[person] = f"{prefix}{len(numbers) + 1:07d}"
            ids[key] = numbers[person]
        return ids

    def pairs(self) -> Iterable[tuple[K, K, float, dict[str, Any]]]:
        """Each scored pair as (key, key, probability, the pair's comparison values)."""
        for row in self.scored.pairs.to_dict("records"):
            yield (
                self.keys[int(row["unique_id_l"])],
                self.keys[int(row["unique_id_r"])],
                float(row["match_probability"]),
                row,
            )


def link(
    records: Sequence[tuple[K, Facts]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    same: Iterable[tuple[K, K]] = (),
    different: Iterable[tuple[K, K]] = (),
    trained: dict[str, Any] | None = None,
    engine_name: engine.Engine = "duckdb",
    spark: Any = None,
) -> Linked[K]:
    """Link ``records`` (one source: deduplication; several: linkage and deduplication).

    The model is ``trained`` when given; otherwise it is trained on the records themselves
    when there are at least ``MIN_TRAINING_RECORDS``, else the packaged model is used.
    """
    keys = [key for key, _ in records]
    if len(set(keys)) != len(keys):
        raise ValueError("record keys must be unique")
    rows = []
    for index, (_, facts) in enumerate(records):
        row = record_features(facts)
        row["unique_id"] = index
        rows.append(row)
    if trained is None and len(rows) < MIN_TRAINING_RECORDS:
        trained = default_model.load()
    if len(rows) < 2:
        scored = engine.Scored(engine.feature_frame([]).iloc[0:0], trained or {})
        return Linked(keys, cluster(keys, [], threshold=threshold), scored)
    scored = engine.score(
        engine.feature_frame(rows),
        threshold=min(threshold, 0.5),
        trained=trained,
        engine=engine_name,
        spark=spark,
    )
    pairs = zip(
        scored.pairs["unique_id_l"].astype(int),
        scored.pairs["unique_id_r"].astype(int),
        scored.pairs["match_probability"].astype(float),
        strict=True,
    )
    clusters = cluster(
        keys,
        ((keys[a], keys[b], p) for a, b, p in pairs),
        threshold=threshold,
        traits={key: traits_of(row) for key, row in zip(keys, rows, strict=True)},
        same=same,
        different=different,
    )
    return Linked(keys, clusters, scored)
