"""Cases broken down by where and how they came: the destination country, the reporting
channel and the handling agency (or mission). These are aggregate reporting dimensions
only; nothing here feeds a risk score, and the province of origin is not a dimension
(DESIGN: it never changes a score, and the hub keeps it off case records)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from lindungi.analytics.periods import Period
from lindungi.cases.models import Case, CaseDetermination, CaseEvent
from lindungi.cases.workflow import Determination

#: Dimension → the column it groups by, and its bilingual title.
DIMENSIONS: dict[str, tuple[Any, str, str]] = {
    "country": (Case.country, "Negara tujuan", "Destination country"),
    "channel": (Case.channel, "Saluran pelaporan", "Reporting channel"),
    "agency": (Case.agency, "Instansi penangan", "Handling agency"),
}
#: The value shown for cases without one (a case may not yet know the country).
UNKNOWN = "unknown"


@dataclass(frozen=True)
class CaseRow:
    """The cases of one value of a dimension (same definitions as ``cases.figures``)."""

    key: str
    cases: int
    screened: int
    identified: int
    deportations: int
    repatriated: int

    @property
    def identified_share(self) -> float | None:
        """Identified cases divided by cases (``None`` when there are none)."""
        return self.identified / self.cases if self.cases else None


def _has(action: str) -> Any:
    return (
        select(CaseEvent.id)
        .where(CaseEvent.case_id == Case.id, CaseEvent.action == action)
        .exists()
    )


def case_breakdown(session: Session, period: Period, dimension: str) -> list[CaseRow]:
    """Cases opened in the window by ``dimension`` (one of :data:`DIMENSIONS`), the most
    cases first; cases without a value are counted under :data:`UNKNOWN`."""
    column = DIMENSIONS[dimension][0]
    screened = select(CaseDetermination.id).where(CaseDetermination.case_id == Case.id).exists()
    home = and_(_has("arrange_repatriation"), _has("confirm_arrival"))
    query = (
        select(
            column,
            func.count(Case.id),
            func.count(case((screened, 1))),
            func.count(case((Case.determination == Determination.VICTIM.value, 1))),
            func.count(case((_has("refer_for_deportation"), 1))),
            func.count(case((home, 1))),
        )
        .where(Case.created_at >= period.start, Case.created_at < period.end)
        .group_by(column)
    )
    rows = [
        CaseRow(key or UNKNOWN, int(n), int(s), int(i), int(d), int(r))
        for key, n, s, i, d, r in session.execute(query)
    ]
    return sorted(rows, key=lambda row: (-row.cases, row.key))
