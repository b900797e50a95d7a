"""What the analytics API answers: the indicators of a period with their definitions,
the breakdowns and the trend."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel


class PeriodOut(BaseModel):
    """The window the indicators cover (UTC, end excluded)."""

    label: str
    kind: Literal["month", "quarter", "year", "window"]
    start: dt.datetime
    end: dt.datetime


class IndicatorOut(BaseModel):
    """One indicator: its value and what it means."""

    id: str
    section: str
    label_id: str
    label_en: str
    unit: Literal["count", "share", "hours", "minutes", "idr"]
    value: int | float | None
    definition: str


class TableOut(BaseModel):
    """A breakdown or the trend: rows keyed by column."""

    name: str
    title_id: str
    title_en: str
    columns: list[str]
    rows: list[dict[str, Any]]


class IndicatorsOut(BaseModel):
    """The indicators of a period, each with its definition, and their tables."""

    period: PeriodOut
    generated_at: dt.datetime
    synthetic: bool
    sections: dict[str, dict[str, str]]
    indicators: list[IndicatorOut]
    tables: dict[str, TableOut]
