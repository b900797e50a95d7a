"""Analytics operations: the indicators of a named period (refusing a period that names
nothing or has not begun), and the report or tables of it in a chosen format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from lindungi.analytics.indicators import IndicatorSet, compute
from lindungi.analytics.periods import Period, parse_period, require_started
from lindungi.errors import InvalidInputError

#: Format → media type of what it produces.
FORMATS: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


def period_for(text: str, now: dt.datetime) -> Period:
    """The period ``text`` names ("2026-11", "2026-Q4", "2026"), refused when it names
    nothing or has not begun at ``now``."""
    found = parse_period(text)
    require_started(found, now)
    return found


def indicators_for(
    session: Session, period: str | Period, now: dt.datetime | None = None, trend: int = 6
) -> IndicatorSet:
    """The indicators of ``period`` (a :class:`Period` or its name) as of ``now``."""
    moment = now or dt.datetime.now(dt.UTC)
    found = period_for(period, moment) if isinstance(period, str) else period
    return compute(session, found, moment, trend)


def format_for(path: Path, given: str | None = None) -> str:
    """The format asked for, or the one ``path``'s suffix names."""
    name = (given or path.suffix.lstrip(".")).lower()
    if name not in FORMATS:
        shown = f"--format {given!r}" if given else f"{path.name!r}"
        raise InvalidInputError(
            f"{shown}: the format is one of {', '.join(FORMATS)} (from the file's suffix, "
            "or --format)"
        )
    return name


def document(found: IndicatorSet, fmt: str) -> bytes:
    """The report (``html``, ``pdf``) or the indicator table (``csv``, ``parquet``)."""
    if fmt == "html":
        from lindungi.analytics.report import render_html

        return render_html(found).encode("utf-8")
    if fmt == "pdf":
        from lindungi.analytics.pdf import render_pdf

        return render_pdf(found)
    from lindungi.analytics import tables

    if fmt == "csv":
        return tables.to_csv(found)
    if fmt == "parquet":
        return tables.to_parquet(found)
    raise InvalidInputError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
