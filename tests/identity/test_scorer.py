"""The Python scorer of the incremental lookup agrees with Splink, pair for pair."""

from __future__ import annotations

from lindungi.demo.identities import generate_agency_records
from lindungi.identity import default_model, engine, scorer
from lindungi.identity.features import facts_of, record_features
from lindungi.identity.ingest import read_rows
from lindungi.identity.linkage import link


def test_every_pair_splink_scores_gets_the_same_levels_and_probability_in_python() -> None:
    data = generate_agency_records(300, seed=21)
    records = [
        ((source, r.record_id), facts_of(r))
        for source, rows in data.records.items()
        for r in read_rows(rows, source=source).records
    ]
    trained = default_model.load()
    table = engine.levels(trained)
    linked = link(records, trained=trained, threshold=0.0)
    rows = {key: record_features(facts) for key, facts in records}
    compared = 0
    for a, b, probability, pair in linked.pairs():
        p, weight, _ = scorer.score(rows[a], rows[b], trained, table)
        assert abs(weight - pair["match_weight"]) < 1e-6, (a, b)
        assert abs(p - probability) < 1e-9
        expected = {e.field: e.level for e in engine.explain(pair, table)}
        mine = {n: table[n][g][0] for n, g in scorer.gammas(rows[a], rows[b], list(table)).items()
                if g >= 0 and abs(table[n][g][1]) > 1e-9}  # fmt: skip
        assert {k: v for k, v in expected.items() if k in mine} == mine
        compared += 1
    assert compared > 500  # the blocked pairs of 300 people across four agencies
