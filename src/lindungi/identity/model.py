"""The linkage model: which prepared columns are compared how, and which pairs are scored.

Comparisons are declared as Splink comparison-level creators, so the same model is
written out as SQL for DuckDB (the default) or Spark. Each level has a label an officer
can read ("NIK: same region and birth date, other serial") because the per-link
explanation shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator


# Custom SQL is written in DuckDB's dialect and translated by Splink for other engines.
def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")


def _null(*columns: str) -> ComparisonLevelCreator:
    condition = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)
    level = cll.CustomLevel(
        condition, label_for_charts="missing on one side", base_dialect_str="duckdb"
    )
    return level.configure(is_null_level=True)


def _name() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="own name (titles, bin/binti, spelling and Muhammad unified)",
        comparison_levels=[
            _null("name_text"),
            cll.ExactMatchLevel("name_sorted").configure(
                label_for_charts="same name parts (any order)"
            ),
            cll.ExactMatchLevel("name_phon").configure(label_for_charts="same name by sound"),
            cll.JaroWinklerLevel("name_text", 0.94).configure(
                label_for_charts="name nearly the same (a typing error)"
            ),
            cll.ArrayIntersectLevel("name_tokens", 2).configure(
                label_for_charts="two name parts shared by sound"
            ),
            cll.JaroWinklerLevel("name_text", 0.85).configure(label_for_charts="similar name"),
            cll.ArrayIntersectLevel("name_tokens", 1).configure(
                label_for_charts="one name part shared by sound"
            ),
            cll.ElseLevel().configure(label_for_charts="different names"),
        ],
    )


def _father() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="father",
        comparison_description="father's name (bin / binti)",
        comparison_levels=[
            _null("father"),
            cll.ExactMatchLevel("father").configure(label_for_charts="same father's name"),
            cll.JaroWinklerLevel("father", 0.88).configure(
                label_for_charts="similar father's name"
            ),
            cll.ElseLevel().configure(label_for_charts="different father's names"),
        ],
    )


def _birth_date() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth date (stated, else from the NIK)",
        comparison_levels=[
            _null("dob_any"),
            cll.ExactMatchLevel("dob_any").configure(label_for_charts="same birth date"),
            _level(
                '"dob_any_l" = "dob_swapped_r"',
                "same birth date with day and month swapped",
            ),
            _level(
                '"dob_l" = "nik_dob_r" OR "nik_dob_l" = "dob_r"',
                "stated birth date agrees with the other's NIK",
            ),
            cll.LevenshteinLevel("dob_any", 1).configure(
                label_for_charts="birth date one digit apart"
            ),
            cll.LevenshteinLevel("dob_any", 2).configure(
                label_for_charts="birth date two digits apart"
            ),
            cll.ElseLevel().configure(label_for_charts="different birth dates"),
        ],
    )


def _national_id() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="national_id",
        comparison_description="NIK or other national id",
        comparison_levels=[
            _null("nik"),
            cll.ExactMatchLevel("nik").configure(label_for_charts="same national id"),
            _level(
                '"nik_prefix_l" = "nik_prefix_r"',
                "NIK: same region and birth date, another serial (a typo, a twin, or a "
                "neighbour born the same day)",
            ),
            cll.DamerauLevenshteinLevel("nik", 1).configure(
                label_for_charts="national id one digit or one swap apart"
            ),
            cll.ElseLevel().configure(label_for_charts="different national ids"),
        ],
    )


def _exact(column: str, output: str, what: str, *, near: int = 0) -> ComparisonCreator:
    plural = "cities" if what == "city" else "sexes" if what == "sex" else f"{what}s"
    levels: list[Any] = [
        _null(column),
        cll.ExactMatchLevel(column).configure(label_for_charts=f"same {what}"),
    ]
    if near:
        levels.append(
            cll.DamerauLevenshteinLevel(column, near).configure(
                label_for_charts=f"{what} one character apart"
            )
        )
    levels.append(cll.ElseLevel().configure(label_for_charts=f"different {plural}"))
    return cl.CustomComparison(
        output_column_name=output, comparison_description=what, comparison_levels=levels
    )


def _address() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_description="street address",
        comparison_levels=[
            _null("address"),
            cll.ExactMatchLevel("address").configure(label_for_charts="same address"),
            cll.JaroWinklerLevel("address", 0.92).configure(
                label_for_charts="address nearly the same"
            ),
            cll.JaroWinklerLevel("address", 0.8).configure(label_for_charts="similar address"),
            cll.ElseLevel().configure(label_for_charts="different addresses"),
        ],
    )


#: comparison output name -> (the builder, the prepared columns it needs)
COMPARISONS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "name": (_name, ("name_text",)),
    "father": (_father, ("father",)),
    "birth_date": (_birth_date, ("dob_any",)),
    "national_id": (_national_id, ("nik",)),
    "passport": (lambda: _exact("passport", "passport", "passport number", near=1), ("passport",)),
    "phone": (lambda: _exact("phone", "phone", "phone number"), ("phone",)),
    "sex": (lambda: _exact("sex", "sex", "sex"), ("sex",)),
    "city": (lambda: _exact("city", "city", "city"), ("city",)),
    "address": (_address, ("address",)),
    "postcode": (lambda: _exact("postcode", "postcode", "postcode"), ("postcode",)),
}

#: blocking rule -> the prepared columns it needs
BLOCKING: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("nik",), None),
    (("passport",), None),
    (("phone",), None),
    (("nik_prefix",), None),
    (("name_first", "dob_any"), None),
    (("name_last", "dob_any"), None),
    (("name_sorted", "city"), None),
    (("name_sorted", "postcode"), None),
    (("postcode", "dob_any"), None),
    (("postcode", "name_first"), None),
    (("postcode", "name_last"), None),
    (("city", "dob_any"), None),
    (("name_first", "dob_swapped"), '"l"."name_first" = "r"."name_first" AND '
     '"l"."dob_any" = "r"."dob_swapped"'),
)  # fmt: skip


def blocking_rules(present: Iterable[str]) -> list[BlockingRuleCreator | dict[str, Any]]:
    """Pairs worth scoring: one shared identifier, or a name part with the birth date."""
    have = set(present)
    rules: list[BlockingRuleCreator | dict[str, Any]] = []
    for columns, sql in BLOCKING:
        if not have.issuperset(columns):
            continue
        rules.append(CustomRule(sql, sql_dialect="duckdb") if sql else block_on(*columns))
    return rules


def settings(present: Iterable[str]) -> SettingsCreator:
    """The model for data where the prepared columns ``present`` hold values."""
    have = set(present)
    comparisons = [build() for build, needs in COMPARISONS.values() if have.issuperset(needs)]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking_rules(have),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


#: EM sessions: each blocks on some columns so that the others can be trained.
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("dob_any",),
    ("name_sorted",),
    ("nik",),
    ("phone",),
)

#: Rules that are almost surely the same person, used to estimate how common matches are.
DETERMINISTIC: tuple[tuple[str, ...], ...] = (
    ("nik", "name_first"),
    ("passport",),
    ("name_sorted", "dob_any"),
)
