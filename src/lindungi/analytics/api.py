"""HTTP routes of analytics: the indicators of a period with their definitions (JSON),
and the report or the indicator tables as a file. Aggregates only; both need
``analytics:read`` and each answer is recorded in the audit log."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query
from fastapi.responses import Response

from lindungi.analytics import service
from lindungi.analytics.catalogue import SECTIONS
from lindungi.analytics.schemas import IndicatorsOut
from lindungi.api.deps import AuditDep, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal

router = Router(tags=["analytics"])
PeriodQuery = Annotated[
    str,
    Query(max_length=16, description="A month (2026-11), a quarter (2026-Q4) or a year (2026)."),
]
TrendQuery = Annotated[int, Query(ge=1, le=36, description="Months in the trend.")]


@router.get(
    "/analytics/indicators",
    response_model=IndicatorsOut,
    summary="The indicators of a period, each with its definition, with breakdowns and trend",
)
def indicators(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("analytics", "read"))],
    period: PeriodQuery,
    trend: TrendQuery = 6,
) -> IndicatorsOut:
    found = service.indicators_for(session, period, trend=trend)
    auditor.record(Action.READ, "analytics", found.period.label, list(SECTIONS))
    return IndicatorsOut.model_validate(found.to_dict())


@router.get(
    "/analytics/report",
    summary="The report of a period (PDF or HTML) or its indicator tables (CSV or Parquet)",
    response_class=Response,
    responses={200: {"content": {media: {} for media in service.FORMATS.values()}}},
)
def report(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("analytics", "read"))],
    period: PeriodQuery,
    format: Literal["pdf", "html", "csv", "parquet"] = "pdf",
    trend: TrendQuery = 6,
) -> Response:
    found = service.indicators_for(session, period, trend=trend)
    auditor.record(Action.EXPORT, "analytics", found.period.label, list(SECTIONS))
    name = f"lindungi-report-{found.period.label}.{format}"
    return Response(
        service.document(found, format),
        media_type=service.FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
