"""The indicator tables as files: one tidy table (a row per indicator, and a row per
cell of each breakdown and of the trend) written as CSV or Parquet through pyarrow, each
file written whole through a temporary file beside it and renamed into place."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from lindungi.analytics.catalogue import CATALOGUE
from lindungi.analytics.indicators import IndicatorSet

SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("start", pa.timestamp("us", tz="UTC")),
        ("end", pa.timestamp("us", tz="UTC")),
        ("table", pa.string()),  # "indicators", or the breakdown's / trend's name
        ("key", pa.string()),  # the row of a breakdown ("" for an indicator)
        ("indicator", pa.string()),  # the indicator's id, or the breakdown's column
        ("label_id", pa.string()),
        ("label_en", pa.string()),
        ("unit", pa.string()),
        ("value", pa.float64()),
        ("definition", pa.string()),
    ]
)


def _safe(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def indicator_table(found: IndicatorSet) -> pa.Table:
    """Every indicator and every cell of the breakdowns and the trend, one row each."""
    period = found.period
    rows: list[dict[str, Any]] = [
        {"table": "indicators", "key": "", "indicator": i.id, "label_id": i.label_id,
         "label_en": i.label_en, "unit": i.unit, "value": i.value, "definition": i.definition}
        for i in found.indicators
    ]  # fmt: skip
    for table in found.tables.values():
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:], strict=True):
                known = CATALOGUE.get(column.key)
                rows.append({
                    "table": table.name, "key": str(row[0]), "indicator": column.key,
                    "label_id": column.label_id, "label_en": column.label_en,
                    "unit": column.unit or "", "value": value,
                    "definition": known.definition if known else "",
                })  # fmt: skip
    for line in rows:
        line.update(period=period.label, start=period.start, end=period.end)
        line["value"] = None if line["value"] is None else float(line["value"])
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def to_csv(found: IndicatorSet) -> bytes:
    """The indicator table as CSV (UTF-8, a header row, formula-like text quoted)."""
    table = indicator_table(found)
    for name in ("key", "label_id", "label_en", "definition"):
        at = table.schema.get_field_index(name)
        cleaned = pa.array([_safe(v) for v in table.column(name).to_pylist()], pa.string())
        table = table.set_column(at, name, cleaned)
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer)
    return buffer.getvalue()


def to_parquet(found: IndicatorSet) -> bytes:
    """The indicator table as Parquet (typed columns, zstd-compressed)."""
    buffer = io.BytesIO()
    pq.write_table(indicator_table(found), buffer, compression="zstd")
    return buffer.getvalue()
