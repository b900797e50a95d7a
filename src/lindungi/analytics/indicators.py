"""The indicators of a period, computed in SQL over the operational store (SQLite or
PostgreSQL): the case figures of ``cases.figures`` and the screening, recruiter and alert
figures of ``analytics.queries``, each with its definition; the breakdowns by destination,
channel, agency, outcome, alert kind and embassy; and the monthly trend before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.analytics.breakdowns import DIMENSIONS, case_breakdown
from lindungi.analytics.catalogue import CATALOGUE, KIND_LABELS, OUTCOME_LABELS, SECTIONS, Unit
from lindungi.analytics.periods import Period, trend_months
from lindungi.analytics.queries import (
    alert_groups,
    recruiter_figures,
    route_figures,
    screening_figures,
)
from lindungi.cases.figures import case_figures
from lindungi.cases.models import Case
from lindungi.monitoring.models import Alert, Enrolment

Value = int | float | None


@dataclass(frozen=True)
class Indicator:
    """One indicator's value for the period, with what it means."""

    id: str
    section: str
    label_id: str
    label_en: str
    unit: Unit
    definition: str
    value: Value

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly (floats rounded to 4 places)."""
        value = round(self.value, 4) if isinstance(self.value, float) else self.value
        return {"id": self.id, "section": self.section, "label_id": self.label_id,
                "label_en": self.label_en, "unit": self.unit, "value": value,
                "definition": self.definition}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """A column of a table: its key, labels and unit (``text`` for the row's key)."""

    key: str
    label_id: str
    label_en: str
    unit: Unit | None = None


@dataclass(frozen=True)
class Table:
    """A breakdown or the trend: bilingual title, columns, rows (first cell the key)."""

    name: str
    title_id: str
    title_en: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: rows as objects keyed by column."""
        rows = [{c.key: (round(v, 4) if isinstance(v, float) else v)
                 for c, v in zip(self.columns, row, strict=True)} for row in self.rows]  # fmt: skip
        return {"name": self.name, "title_id": self.title_id, "title_en": self.title_en,
                "columns": [c.key for c in self.columns], "rows": rows}  # fmt: skip


@dataclass(frozen=True)
class IndicatorSet:
    """Everything a report shows about a period."""

    period: Period
    generated_at: dt.datetime
    indicators: list[Indicator]
    tables: dict[str, Table]
    synthetic: bool  # the period's data holds synthetic (demo) records

    def value(self, indicator_id: str) -> Value:
        """The value of one indicator."""
        return self.indicator(indicator_id).value

    def indicator(self, indicator_id: str) -> Indicator:
        """One indicator, by id."""
        return next(i for i in self.indicators if i.id == indicator_id)

    def section(self, name: str) -> list[Indicator]:
        """The indicators of one section, in order."""
        return [i for i in self.indicators if i.section == name]

    def to_dict(self) -> dict[str, Any]:
        """The JSON the API serves."""
        return {
            "period": {"label": self.period.label, "kind": self.period.kind,
                       "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "generated_at": self.generated_at.isoformat(),
            "synthetic": self.synthetic,
            "sections": {k: {"id": v[0], "en": v[1]} for k, v in SECTIONS.items()},
            "indicators": [i.to_dict() for i in self.indicators],
            "tables": {name: t.to_dict() for name, t in self.tables.items()},
        }  # fmt: skip


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def values(session: Session, period: Period) -> dict[str, Value]:
    """The value of every indicator of :data:`CATALOGUE` for the period."""
    f = case_figures(session, period.start, period.end)
    routes = route_figures(session, period)
    screening = screening_figures(session, period)
    recruiters = recruiter_figures(session, period)
    kinds = alert_groups(session, period, by="kind")
    everything = alert_groups(session, period, by="all")["all"]
    decided = routes.victims_referred + f.deportations + routes.closed_as_overstay
    out: dict[str, Value] = {
        "cases": f.cases, "screened": f.screened, "screened_share": f.screened_share,
        "identified": f.identified, "identified_share": f.identified_share,
        "not_victim": f.not_victim, "deportations": f.deportations,
        "closed_as_overstay": routes.closed_as_overstay,
        "deported_without_identification": f.deported_without_identification,
        "victims_referred": routes.victims_referred,
        "referred_share": _share(routes.victims_referred, decided),
        "verified": f.verified, "hours_to_verify_median": f.hours_to_verify.median,
        "hours_to_verify_p90": f.hours_to_verify.p90, "repatriated": f.repatriated,
        "hours_to_repatriation_median": f.hours_to_repatriation.median,
        "hours_to_repatriation_p90": f.hours_to_repatriation.p90,
        "victims_rehabilitated": f.victims_rehabilitated,
        "rehabilitation_share": f.rehabilitation_share,
        "victims_legal_aid": f.victims_legal_aid, "legal_aid_share": f.legal_aid_share,
        "victims_referred_to_police": f.victims_referred_to_police,
        "screenings": screening.screenings, "screening_referrals": screening.referrals,
        "referral_rate": _share(screening.referrals, screening.screenings),
        "licence_suspensions": recruiters.suspensions,
        "licence_revocations": recruiters.revocations,
        "sanctions_imposed": recruiters.sanctions,
        "bond_claims_filed": recruiters.claims_filed,
        "bond_claims_paid": recruiters.claims_paid,
        "bond_claims_paid_idr": recruiters.claims_paid_idr,
        "alerts": everything.alerts, "alerts_acknowledged": everything.acknowledged,
        "minutes_to_acknowledge_median": everything.minutes_to_acknowledge.median,
        "minutes_to_acknowledge_p90": everything.minutes_to_acknowledge.p90,
        "alerts_became_case": everything.became_case,
    }  # fmt: skip
    out |= {f"referral_outcome_{k}": n for k, n in screening.outcomes.items()}
    out |= {f"alerts_{k}": g.alerts for k, g in kinds.items()}
    return out


def compute(
    session: Session, period: Period, now: dt.datetime | None = None, trend: int = 6
) -> IndicatorSet:
    """The indicators, breakdowns and ``trend``-month trend of ``period``."""
    found = values(session, period)
    indicators = [
        Indicator(s.id, s.section, s.label_id, s.label_en, s.unit, s.definition, found[s.id])
        for s in CATALOGUE.values()
    ]
    tables = {"trend": trend_table(session, trend_months(period, trend))}
    for dimension in DIMENSIONS:
        tables[f"cases_by_{dimension}"] = cases_table(session, period, dimension)
    tables["screening_outcomes"] = Table(
        "screening_outcomes", "Hasil rujukan skrining", "Screening referral outcomes",
        (Column("outcome", "Hasil", "Outcome"), Column("referrals", "Rujukan", "Referrals",
                                                        "count")),
        [(OUTCOME_LABELS[k][1], found[f"referral_outcome_{k}"]) for k in OUTCOME_LABELS],
    )  # fmt: skip
    for by, title_id, title_en in (("kind", "Peringatan menurut jenis", "Alerts by kind"),
                                   ("embassy", "Peringatan menurut perwakilan",
                                    "Alerts by mission")):  # fmt: skip
        tables[f"alerts_by_{by}"] = alerts_table(session, period, by, title_id, title_en)
    return IndicatorSet(period, now or dt.datetime.now(dt.UTC), indicators, tables,
                        synthetic=holds_synthetic(session, period))  # fmt: skip


_CASE_COLUMNS = (
    Column("cases", "Kasus", "Cases", "count"),
    Column("screened", "Diskrining", "Screened", "count"),
    Column("identified", "Korban", "Identified", "count"),
    Column("identified_share", "Porsi korban", "Share identified", "share"),
    Column("deportations", "Deportasi", "Deported", "count"),
    Column("repatriated", "Dipulangkan", "Repatriated", "count"),
)


def cases_table(session: Session, period: Period, dimension: str) -> Table:
    """The period's cases by destination country, channel or handling agency."""
    _, title_id, title_en = DIMENSIONS[dimension]
    rows = [(r.key, r.cases, r.screened, r.identified, r.identified_share, r.deportations,
             r.repatriated) for r in case_breakdown(session, period, dimension)]  # fmt: skip
    key = Column(dimension, title_id, title_en)
    return Table(f"cases_by_{dimension}", f"Kasus menurut {title_id.lower()}",
                 f"Cases by {title_en.lower()}", (key, *_CASE_COLUMNS), rows)  # fmt: skip


def alerts_table(session: Session, period: Period, by: str, title_id: str, title_en: str) -> Table:
    """Alerts of the period by kind or by mission, with their response times."""
    columns = (
        Column(by, "Jenis" if by == "kind" else "Perwakilan", "Kind" if by == "kind" else
               "Mission"),
        Column("alerts", "Peringatan", "Alerts", "count"),
        Column("acknowledged", "Ditangani", "Acknowledged", "count"),
        Column("minutes_median", "Median menit", "Median minutes", "minutes"),
        Column("minutes_p90", "P90 menit", "P90 minutes", "minutes"),
        Column("became_case", "Jadi kasus", "Became a case", "count"),
    )  # fmt: skip
    rows = [(KIND_LABELS.get(k, (k, k))[1] if by == "kind" else k, g.alerts, g.acknowledged,
             g.minutes_to_acknowledge.median, g.minutes_to_acknowledge.p90, g.became_case)
            for k, g in alert_groups(session, period, by=by).items()]  # fmt: skip
    return Table(f"alerts_by_{by}", title_id, title_en, columns, rows)


def trend_table(session: Session, months: list[Period]) -> Table:
    """The headline figures month by month (the months before the period and its own)."""
    columns = (
        Column("month", "Bulan", "Month"),
        Column("cases", "Kasus", "Cases", "count"),
        Column("screened_share", "Porsi diskrining", "Share screened", "share"),
        Column("identified", "Korban", "Identified", "count"),
        Column("identified_share", "Porsi korban", "Share identified", "share"),
        Column("deportations", "Deportasi", "Deported", "count"),
        Column("hours_to_repatriation_median", "Median jam pulang", "Median hours home", "hours"),
        Column("alerts", "Peringatan", "Alerts", "count"),
    )
    rows = []
    for m in months:
        f = case_figures(session, m.start, m.end)
        alerts = session.scalar(select(func.count(Alert.id)).where(
            Alert.opened_at >= m.start, Alert.opened_at < m.end))  # fmt: skip
        rows.append((m.label, f.cases, f.screened_share, f.identified, f.identified_share,
                     f.deportations, f.hours_to_repatriation.median, int(alerts or 0)))  # fmt: skip
    return Table("trend", "Tren bulanan", "Monthly trend", columns, rows)


def holds_synthetic(session: Session, period: Period) -> bool:
    """Whether the period's cases, or the workers whose alerts it counts, are synthetic."""
    cases = select(Case.id).where(Case.synthetic.is_(True), Case.created_at >= period.start,
                                  Case.created_at < period.end)  # fmt: skip
    workers = (
        select(Alert.id)
        .join(Enrolment, Enrolment.id == Alert.enrolment_id)
        .where(Enrolment.synthetic.is_(True), Alert.opened_at >= period.start,
               Alert.opened_at < period.end)
    )  # fmt: skip
    return bool(session.scalar(select(cases.exists())) or session.scalar(select(workers.exists())))
