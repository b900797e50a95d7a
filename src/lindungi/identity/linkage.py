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
from lindungi.identity.clustering import DEFAULT_THRESHOLD, Clusters, Traits, cluster
from lindungi.identity.features import Facts, record_features

K = TypeVar("K", bound=Hashable)

__all__ = ["DEFAULT_THRESHOLD", "MIN_TRAINING_RECORDS", "Linked", "link", "traits"]

#: Below this many records the packaged model (trained on synthetic data) is used as is:
#: too few pairs to estimate the parameters of every comparison level.
MIN_TRAINING_RECORDS = 2_000


def traits(row: dict[str, Any]) -> Traits:
    """The clustering rules' view of a prepared row."""
    return Traits(
        nik=row["nik"] if row.get("nik_prefix") else None,
        birth_date=row.get("dob_any"),
        swapped=row.get("dob_swapped"),
        name=row.get("name_sorted"),
        name_tokens=frozenset(row.get("name_tokens") or ()),
        # A shared passport, or a shared national id that is not a NIK, waives the date and
        # name rules; a shared NIK does not: one NIK under two unrelated names is the
        # misuse the fraud signals look for, not a typing slip.
        ids=frozenset(
            f"{kind}:{row[column]}"
            for kind, column in (("id", "nik"), ("pp", "passport"))
            if row.get(column) and not (column == "nik" and row.get("nik_prefix"))
        ),
    )


@dataclass
class Linked(Generic[K]):
    """People found among the records, with the scored pairs that explain them."""

    keys: list[K]
    clusters: Clusters[K]
    scored: engine.Scored
    rows: list[dict[str, Any]]

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
        return Linked(keys, cluster(keys, [], threshold=threshold), scored, rows)
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
        traits={key: traits(row) for key, row in zip(keys, rows, strict=True)},
        same=same,
        different=different,
    )
    return Linked(keys, clusters, scored, rows)
