"""``GET /exchange/htcds``: the anonymised HTCDS v2.0 export over HTTP, for who holds
``exchange:htcds`` (analysts). CSV with the report's summary in the ``X-HTCDS-Report``
header, or JSON (``format=json``) with the rows and the whole report. One audit entry
per export; bad parameters are 422, never a server error."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

from fastapi import Depends, Query
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from lindungi.api.deps import AuditDep, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.errors import InvalidInputError
from lindungi.exchange.htcds_fields import COLUMNS
from lindungi.exchange.htcds_service import export_htcds

router = Router(tags=["exchange"])
REPORT_HEADER = "X-HTCDS-Report"


@router.get(
    "/exchange/htcds",
    summary="Cases in HTCDS v2.0, k-anonymous over their quasi-identifiers (CSV or JSON)",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def htcds_export(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("exchange", "htcds"))],
    k: Annotated[int, Query(ge=2, le=10_000_000, description="Smallest group size.")] = 11,
    max_suppression: Annotated[
        float, Query(ge=0, lt=1, description="Largest share of cases left out.")
    ] = 0.05,
    since: Annotated[dt.date | None, Query(description="Opened on or after (UTC).")] = None,
    until: Annotated[dt.date | None, Query(description="Opened on or before (UTC).")] = None,
    format: Literal["csv", "json"] = "csv",
) -> Response:
    if since is not None and until is not None and until < since:
        raise InvalidInputError(f"until {until} comes before since {since}")
    made = export_htcds(session, k, max_suppression, since, until)
    auditor.record(
        Action.EXPORT,
        "cases",
        f"htcds:k={k},since={since or ''},until={until or ''}",
        COLUMNS,
        purpose=auditor.purpose or "anonymised HTCDS v2.0 export",
    )
    summary = json.dumps(made.report.summary(), ensure_ascii=True, separators=(",", ":"))
    if format == "json":
        rows = made.frame.to_dict(orient="records")
        return JSONResponse(
            {"columns": list(COLUMNS), "rows": rows, "report": made.report.to_dict()}
        )
    return PlainTextResponse(
        made.csv(),
        media_type="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="htcds.csv"',
            REPORT_HEADER: summary,
        },
    )
