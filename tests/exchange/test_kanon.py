"""k-anonymity, the pure core: each hierarchy level by level, the least generalisation
found, what is suppressed, and — for random data and random k — that no combination of
quasi-identifiers in the output occurs fewer than k times (counted independently of the
engine, from the output rows)."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.exchange.htcds_fields import SUBREGION
from lindungi.exchange.kanon import Hierarchy, KAnonymityError, PopulationTooSmall, anonymise
from lindungi.exchange.kanon_hierarchies import age, category, flat, generalisations, month, place

AGE = age("age", "age")
MONTH = month("month", "month")
PLACE = place("place", ("country", "city"), dict(SUBREGION))
APP = category("app", ("app", "method"))
GENDER = flat("gender", "gender")


@pytest.mark.parametrize(
    ("hierarchy", "value", "levels"),
    [
        (AGE, 27, [("27",), ("25-29",), ("20-29",), ("*",)]),
        (AGE, 30, [("30",), ("30-34",), ("30-39",), ("*",)]),
        (AGE, 0, [("0",), ("0-4",), ("0-9",), ("*",)]),
        (AGE, -1, [("",), ("",), ("",), ("*",)]),
        (AGE, None, [("",), ("",), ("",), ("*",)]),
        (MONTH, "2025-11", [("2025-11",), ("2025-Q4",), ("2025",), ("*",)]),
        (MONTH, "2026-01", [("2026-01",), ("2026-Q1",), ("2026",), ("*",)]),
        (MONTH, "2026-03", [("2026-03",), ("2026-Q1",), ("2026",), ("*",)]),
        (MONTH, "", [("",), ("",), ("",), ("*",)]),
        (PLACE, ("KH", "Bavet"),
         [("KH", "Bavet"), ("KH", "*"), ("South-eastern Asia", "*"), ("*", "*")]),
        (PLACE, ("SA", "Riyadh"),
         [("SA", "Riyadh"), ("SA", "*"), ("Western Asia", "*"), ("*", "*")]),
        (PLACE, ("TW", ""), [("TW", ""), ("TW", "*"), ("Eastern Asia", "*"), ("*", "*")]),
        (PLACE, ("ZZ", "Nowhere"), [("ZZ", "Nowhere"), ("ZZ", "*"), ("Other", "*"), ("*", "*")]),
        (PLACE, ("", ""), [("", ""), ("", "*"), ("", "*"), ("*", "*")]),
        (APP, ("TikTok", "ThroughOnlineSocialNetworks"),
         [("TikTok", "ThroughOnlineSocialNetworks"), ("*", "ThroughOnlineSocialNetworks"),
          ("*", "*")]),
        (APP, ("", "ThroughFriendsOrSocialEvents"),
         [("", "ThroughFriendsOrSocialEvents"), ("*", "ThroughFriendsOrSocialEvents"),
          ("*", "*")]),
        (GENDER, "Feminine", [("Feminine",), ("*",)]),
        (GENDER, "NonSpecifiedUnknown", [("NonSpecifiedUnknown",), ("*",)]),
    ],
)  # fmt: skip
def test_each_hierarchy_generalises_level_by_level(
    hierarchy: Hierarchy, value: Any, levels: list[tuple[str, ...]]
) -> None:
    assert generalisations(hierarchy, value) == levels


def _frame(ages: list[int], genders: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "age": ages, "gender": genders or ["Feminine"] * len(ages),
        "status": [f"s{i % 3}" for i in range(len(ages))],
    })  # fmt: skip


def test_nothing_is_generalised_when_the_data_is_already_k_anonymous() -> None:
    made = anonymise(_frame([31] * 11 + [33] * 11), (AGE, GENDER), k=11)
    assert [(c.name, c.level_name) for c in made.report.levels] == [
        ("age", "years"), ("gender", "value")]  # fmt: skip
    assert made.report.suppressed == 0
    assert sorted(made.report.classes) == [(("31", "Feminine"), 11), (("33", "Feminine"), 11)]
    assert list(made.frame.columns) == ["status", "age", "gender"]


def test_the_least_generalisation_is_chosen() -> None:
    made = anonymise(_frame([31] * 11 + [33] * 11), (AGE, GENDER), k=12)
    assert {c.name: c.level_name for c in made.report.levels} == {
        "age": "5-year band", "gender": "value"}  # fmt: skip
    assert made.report.classes == ((("30-34", "Feminine"), 22),)
    assert set(made.frame["age"]) == {"30-34"}


def test_an_outlier_is_suppressed_within_the_allowance_and_generalised_without_it() -> None:
    data = _frame([31] * 11 + [33] * 11 + [58])
    cut = anonymise(data, (AGE, GENDER), k=11, max_suppression=0.05)  # 1 of 23 allowed
    assert (cut.report.exported, cut.report.suppressed) == (22, 1)
    assert "58" not in set(cut.frame["age"])
    assert {c.name: c.level for c in cut.report.levels} == {"age": 0, "gender": 0}
    kept = anonymise(data, (AGE, GENDER), k=11, max_suppression=0)
    assert (kept.report.exported, kept.report.suppressed) == (23, 0)
    assert set(kept.frame["age"]) == {"*"}
    assert kept.report.to_dict()["levels"][0]["level_name"] == "*"


def test_k_larger_than_the_population_is_refused_naming_both() -> None:
    with pytest.raises(PopulationTooSmall, match=r"k=11 is larger than the population of 5 rec"):
        anonymise(_frame([30] * 5), (AGE, GENDER), k=11)


@pytest.mark.parametrize(
    ("k", "share", "message"),
    [
        (1, 0.05, "k must be a whole number of at least 2"),
        (0, 0.05, "k must be a whole number of at least 2"),
        (5, 1.0, "max_suppression must be a share from 0 up to 1; got 1.0"),
        (5, -0.1, "max_suppression must be a share from 0 up to 1; got -0.1"),
    ],
)
def test_bad_parameters_are_refused(k: int, share: float, message: str) -> None:
    with pytest.raises(KAnonymityError, match=message):
        anonymise(_frame([30] * 20), (AGE, GENDER), k=k, max_suppression=share)


COUNTRIES = ("KH", "MM", "MY", "SA", "")
record = st.tuples(
    st.sampled_from(("Feminine", "Masculine", "NonSpecifiedUnknown")),
    st.integers(min_value=-1, max_value=70),
    st.sampled_from(COUNTRIES),
    st.sampled_from(("A", "B", "C", "")),
    st.sampled_from(("TikTok", "Facebook", "")),
    st.sampled_from(("2024-12", "2025-01", "2025-02", "2025-07")),
    st.sampled_from(("ActualVictimOfTrafficking", "NotAVictimOfTrafficking")),
)
QUASI = (GENDER, AGE, PLACE, APP, MONTH)
OUT = ("gender", "age", "country", "city", "app", "method", "month")


@given(
    rows=st.lists(record, min_size=0, max_size=120),
    k=st.integers(min_value=2, max_value=40),
    share=st.sampled_from((0.0, 0.05, 0.2)),
)
def test_no_combination_of_quasi_identifiers_occurs_fewer_than_k_times(
    rows: list[tuple[Any, ...]], k: int, share: float
) -> None:
    frame = pd.DataFrame({
        "gender": [r[0] for r in rows], "age": [r[1] for r in rows],
        "place": pd.Series([(r[2], f"{r[2]}-{r[3]}" if r[2] else "") for r in rows],
                           dtype=object),
        "app": pd.Series([(r[4], "ThroughOnlineSocialNetworks" if r[4] else "") for r in rows],
                         dtype=object),
        "month": [r[5] for r in rows], "status": [r[6] for r in rows],
    })  # fmt: skip
    if k > len(rows):
        with pytest.raises(PopulationTooSmall, match=f"k={k} is larger than the population"):
            anonymise(frame, QUASI, k, share)
        return
    made = anonymise(frame, QUASI, k, share)
    out = made.frame
    counts = Counter(tuple(r) for r in out[list(OUT)].itertuples(index=False))
    assert all(n >= k for n in counts.values()), counts
    assert made.report.exported == len(out) == sum(counts.values())
    assert made.report.exported + made.report.suppressed == len(rows)
    assert made.report.suppressed <= math.floor(share * len(rows) + 1e-9)
    assert sorted(n for _, n in made.report.classes) == sorted(counts.values())
    assert not Counter(out["status"]) - Counter(r[6] for r in rows)  # kept as they are


@pytest.mark.parametrize(
    ("age_weight", "expected"),
    [(1.0, {"age": "5-year band", "gender": "value"}), (4.0, {"age": "years", "gender": "*"})],
)
def test_the_weights_decide_which_quasi_identifier_gives_way(
    age_weight: float, expected: dict[str, str]
) -> None:
    ages = [31] * 11 + [33] * 11
    genders = ["Feminine"] * 6 + ["Masculine"] * 5 + ["Feminine"] * 5 + ["Masculine"] * 6
    weighted = Hierarchy(AGE.name, AGE.columns, AGE.levels, AGE.label, weight=age_weight)
    made = anonymise(_frame(ages, genders), (weighted, GENDER), k=11, max_suppression=0)
    assert {c.name: c.level_name for c in made.report.levels} == expected
    assert made.report.smallest_class == 11
