"""The generalisation hierarchies of the HTCDS export's quasi-identifiers, for
:mod:`lindungi.exchange.kanon`: pure functions from a value and a level to the output
cells. Unknown values ("" or None) stay blank below ``*``: a blank is a class of its own,
as honest as any value."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from lindungi.exchange.kanon import TOP, Hierarchy


def flat(name: str, column: str) -> Hierarchy:
    """A value, then ``*`` (gender, citizenship)."""
    return Hierarchy(name, (column,), ("value", TOP), lambda v, _: (str(v or ""),))


def _age(value: Any, level: int) -> tuple[str, ...]:
    if value is None or int(value) < 0:
        return ("",)
    years, width = int(value), (1, 5, 10)[level]
    low = years - years % width
    return (str(years) if width == 1 else f"{low}-{low + width - 1}",)


def age(name: str, column: str) -> Hierarchy:
    """Age in whole years → 5-year band (``25-29``) → 10-year band (``20-29``) → ``*``;
    a negative or missing age is unknown (blank)."""
    return Hierarchy(name, (column,), ("years", "5-year band", "10-year band", TOP), _age)


def place(name: str, columns: tuple[str, str], region_of: Mapping[str, str]) -> Hierarchy:
    """``(country, city)`` → country (city ``*``) → the country's region → ``*``."""

    def label(value: Any, level: int) -> tuple[str, ...]:
        country, city = value if value is not None else ("", "")
        if level == 0:
            return (country, city)
        if level == 1 or not country:
            return (country, TOP)
        return (region_of.get(country, "Other"), TOP)

    return Hierarchy(name, columns, ("city", "country", "region", TOP), label)


def _month(value: Any, level: int) -> tuple[str, ...]:
    if not value:
        return ("",)
    year, month = str(value).split("-")
    return ((f"{year}-{month}", f"{year}-Q{(int(month) - 1) // 3 + 1}", year)[level],)


def month(name: str, column: str) -> Hierarchy:
    """A month ``YYYY-MM`` → quarter ``YYYY-Qn`` → year → ``*``."""
    return Hierarchy(name, (column,), ("month", "quarter", "year", TOP), _month)


def category(name: str, columns: tuple[str, str]) -> Hierarchy:
    """``(value, its category)`` → the category (value ``*``) → ``*``: a recruitment app
    and the method of recruitment it belongs to."""

    def label(value: Any, level: int) -> tuple[str, ...]:
        fine, coarse = value if value is not None else ("", "")
        return (fine, coarse) if level == 0 else (TOP, coarse)

    return Hierarchy(name, columns, ("value", "category", TOP), label)


def generalisations(hierarchy: Hierarchy, value: Hashable) -> list[tuple[str, ...]]:
    """Every level's cells for ``value``, from level 0 to ``*`` (for docs and tests)."""
    return [hierarchy.labels(value, level) for level in range(len(hierarchy.levels))]
