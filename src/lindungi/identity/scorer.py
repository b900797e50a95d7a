"""The linkage model's levels evaluated in Python, for one record against a few candidates.

At a departure desk one new record is compared with the handful of records its blocking
keys find; starting a SQL engine for that costs more than the comparison itself. This
module evaluates the very levels of ``model.py`` (same order, same thresholds, same
null rules) with rapidfuzz, and weighs them with the trained parameters; a test checks
that it agrees with Splink pair for pair. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

Row = dict[str, Any]


def _eq(column: str) -> Callable[[Row, Row], bool]:
    return lambda a, b: a.get(column) is not None and a.get(column) == b.get(column)


def _jw(column: str, at_least: float) -> Callable[[Row, Row], bool]:
    return lambda a, b: JaroWinkler.similarity(a[column], b[column]) >= at_least


def _lev(column: str, at_most: int) -> Callable[[Row, Row], bool]:
    return lambda a, b: Levenshtein.distance(a[column], b[column]) <= at_most


def _dl(column: str, at_most: int) -> Callable[[Row, Row], bool]:
    return lambda a, b: DamerauLevenshtein.distance(a[column], b[column]) <= at_most


def _shared(column: str, at_least: int) -> Callable[[Row, Row], bool]:
    return lambda a, b: len(set(a[column] or ()) & set(b[column] or ())) >= at_least


def _cross(a: str, b: str) -> Callable[[Row, Row], bool]:
    return lambda x, y: (
        (x.get(a) is not None and x.get(a) == y.get(b))
        or (y.get(a) is not None and y.get(a) == x.get(b))
    )


def _swapped(a: Row, b: Row) -> bool:
    return a.get("dob_any") is not None and a.get("dob_any") == b.get("dob_swapped")


def _always(a: Row, b: Row) -> bool:
    return True


#: comparison -> (the column whose absence on either side is the null level, the levels
#: from the most to the least alike, exactly as ``model.py`` declares them)
LEVELS: dict[str, tuple[str, list[Callable[[Row, Row], bool]]]] = {
    "name": ("name_text", [
        _eq("name_sorted"), _eq("name_phon"), _jw("name_text", 0.94),
        _shared("name_tokens", 2), _jw("name_text", 0.85), _shared("name_tokens", 1), _always,
    ]),
    "father": ("father", [_eq("father"), _jw("father", 0.88), _always]),
    "birth_date": ("dob_any", [
        _eq("dob_any"), _swapped, _cross("dob", "nik_dob"), _lev("dob_any", 1),
        _lev("dob_any", 2), _always,
    ]),
    "national_id": ("nik", [_eq("nik"), _eq("nik_prefix"), _dl("nik", 1), _always]),
    "passport": ("passport", [_eq("passport"), _dl("passport", 1), _always]),
    "phone": ("phone", [_eq("phone"), _always]),
    "sex": ("sex", [_eq("sex"), _always]),
    "city": ("city", [_eq("city"), _always]),
    "address": ("address", [
        _eq("address"), _jw("address", 0.92), _jw("address", 0.8), _always,
    ]),
    "postcode": ("postcode", [_eq("postcode"), _always]),
}  # fmt: skip


def gammas(left: Row, right: Row, comparisons: list[str]) -> dict[str, int]:
    """The comparison-vector value of each comparison (-1: missing on one side)."""
    out = {}
    for name in comparisons:
        column, levels = LEVELS[name]
        if left.get(column) is None or right.get(column) is None:
            out[name] = -1
            continue
        for rank, applies in enumerate(levels):
            if applies(left, right):
                out[name] = len(levels) - 1 - rank
                break
    return out


def score(
    left: Row, right: Row, trained: dict[str, Any], table: dict[str, dict[int, tuple[str, float]]]
) -> tuple[float, float, dict[str, int]]:
    """(match probability, match weight, gammas) of one pair under a trained model;
    ``table`` is ``engine.levels(trained)``."""
    p = float(trained["probability_two_random_records_match"])
    weight = math.log2(p / (1 - p))
    values = gammas(left, right, list(table))
    for name, value in values.items():
        if value >= 0:
            weight += table[name][value][1]
    return 1 - 1 / (1 + 2**weight), weight, values
