"""The periodic report: the indicators of a period arranged in bilingual sections with
their charts and tables, and a short method note with every indicator's definition.
Rendered as HTML here (a Jinja2 template shipped in the package, charts inline as SVG)
and as PDF in ``analytics.pdf``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from lindungi.analytics.catalogue import KIND_LABELS, OUTCOME_LABELS, SECTIONS
from lindungi.analytics.charts import Chart, Format, bar_chart
from lindungi.analytics.indicators import Indicator, IndicatorSet, Table, Value

TITLE = ("Laporan Perlindungan Pekerja Migran", "Migrant Protection Report")
METHOD_TITLE = ("Catatan metode", "Method note")
DEFINITIONS_TITLE = ("Definisi indikator", "Indicator definitions")
SYNTHETIC_NOTE = (
    "DATA SINTETIS — bukan orang sungguhan",
    "SYNTHETIC DATA — not real people (demonstration scenario)",
)
SUMMARY_TITLE = ("Ringkasan", "Summary")
#: The headline indicators, shown first.
HEADLINE = ("cases", "screened_share", "identified_share", "referred_share",
            "hours_to_verify_median", "hours_to_repatriation_median", "rehabilitation_share",
            "legal_aid_share", "screening_referrals", "licence_revocations", "bond_claims_paid_idr",
            "minutes_to_acknowledge_median")  # fmt: skip
#: The method note, one paragraph each (English; the headings are bilingual).
METHOD: tuple[str, ...] = (
    "Window. A period is a UTC window that includes its start and excludes its end. Cases "
    "are counted in the period in which they were reported; sanctions, bond claims and "
    "alerts are counted in the period in which they happened.",
    "Source. Every figure is counted in SQL over the hub's operational store (the same "
    "queries on SQLite and PostgreSQL); only medians and 90th percentiles (nearest rank) of "
    "per-case and per-alert durations are taken in Python. A share is empty when its "
    "denominator is zero.",
    "As of generation. Determinations, referral outcomes and stages are read as they "
    "stand when the report is generated, so the figures of a past period may still change "
    "as its cases move on; the generation time is printed on the report.",
    "Region. Breakdowns are by destination country (where the person is, as recorded on "
    "the case), reporting channel and handling agency; alerts by the mission (embassy or "
    "consulate) that answers them. The province of origin is not a dimension: it is not "
    "kept on cases and never changes a risk score.",
    "Overstay. The hub keeps no overstay flag. A case handled administratively is one "
    "referred for deportation or closed as an overstay; a case referred for protection is "
    "an identified victim with at least one referral for a service or to the police.",
    "Alerts. The response time runs from when an alert is raised to its first "
    "acknowledgement by an officer; a repeat of an open alert is not a new alert.",
)


@dataclass(frozen=True)
class Section:
    """One bilingual section: its indicators, charts and tables."""

    key: str
    title_id: str
    title_en: str
    indicators: list[Indicator]
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def format_value(value: Value, unit: str | None) -> str:
    """A value as the report prints it (``–`` when there is none)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "minutes":
        return f"{value:,.0f} min"
    if unit == "idr":
        return "Rp " + f"{int(value):,}".replace(",", ".")
    return f"{int(value):,}"


def _column(table: Table, key: str) -> list[Value]:
    at = [c.key for c in table.columns].index(key)
    return [row[at] for row in table.rows]


def charts(found: IndicatorSet, fmt: Format) -> dict[str, list[Chart]]:
    """The charts of each section, rendered as ``fmt``."""
    t = found.tables
    trend, country = t["trend"], t["cases_by_country"]
    top = country.rows[:10]
    shares = ("screened_share", "identified_share", "referred_share", "rehabilitation_share",
              "legal_aid_share")  # fmt: skip
    kinds = t["alerts_by_kind"]
    outcomes = t["screening_outcomes"]
    return {
        "cases": [
            bar_chart("trend", ("Kasus per bulan", "Cases per month"),
                      [str(m) for m in _column(trend, "month")],
                      {"Kasus / cases": _num(_column(trend, "cases")),
                       "Korban / victims": _num(_column(trend, "identified"))}, fmt),
            bar_chart("cases_by_country", ("Kasus menurut negara tujuan",
                                           "Cases by destination country"),
                      [str(r[0]) for r in top],
                      {"Kasus / cases": [float(r[1]) for r in top],
                       "Korban / victims": [float(r[3]) for r in top]}, fmt),
        ],
        "services": [
            bar_chart("shares", ("Porsi (%)", "Shares (%)"),
                      [found.indicator(s).label_en for s in shares],
                      {"%": [_one(found.value(s)) for s in shares]}, fmt, percent=True,
                      horizontal=True),
        ],
        "screening": [
            bar_chart("screening_outcomes", ("Hasil rujukan skrining",
                                             "Screening referral outcomes"),
                      [str(r[0]) for r in outcomes.rows],
                      {"Rujukan / referrals": _num(_column(outcomes, "referrals"))}, fmt,
                      horizontal=True),
        ],
        "alerts": [
            bar_chart("alerts_by_kind", ("Peringatan menurut jenis", "Alerts by kind"),
                      [str(r[0]) for r in kinds.rows],
                      {"Peringatan / alerts": _num(_column(kinds, "alerts")),
                       "Ditangani / acknowledged": _num(_column(kinds, "acknowledged"))}, fmt),
        ],
    }  # fmt: skip


def _num(values: list[Value]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


def _one(value: Value) -> float | None:
    return None if value is None else float(value)


#: The tables printed under each section.
SECTION_TABLES = {
    "cases": ("trend", "cases_by_country", "cases_by_channel", "cases_by_agency"),
    "screening": ("screening_outcomes",),
    "alerts": ("alerts_by_kind", "alerts_by_embassy"),
}


def sections(found: IndicatorSet, fmt: Format) -> list[Section]:
    """The report's sections in order, with charts rendered as ``fmt``."""
    drawn = charts(found, fmt)
    return [
        Section(key, title_id, title_en, found.section(key), drawn.get(key, []),
                [found.tables[name] for name in SECTION_TABLES.get(key, ())])
        for key, (title_id, title_en) in SECTIONS.items()
    ]  # fmt: skip


def cell(table: Table, row: tuple[Any, ...], index: int) -> str:
    """One cell of a table as printed."""
    unit = table.columns[index].unit
    return str(row[index]) if unit is None else format_value(row[index], unit)


def render_html(found: IndicatorSet) -> str:
    """The report as one self-contained HTML document (charts inline as SVG)."""
    environment = Environment(
        loader=PackageLoader("lindungi.analytics", "templates"),
        autoescape=select_autoescape(("html", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["value"] = lambda i: format_value(i.value, i.unit)
    environment.globals["cell"] = cell
    environment.globals["inline"] = lambda chart: Markup(chart.svg)  # noqa: S704 - our own SVG
    return environment.get_template("report.html.j2").render(
        found=found, sections=sections(found, "svg"), title=TITLE, method=METHOD,
        summary_title=SUMMARY_TITLE, headline=[found.indicator(i) for i in HEADLINE],
        method_title=METHOD_TITLE, definitions_title=DEFINITIONS_TITLE,
        synthetic_note=SYNTHETIC_NOTE, kinds=KIND_LABELS, outcomes=OUTCOME_LABELS,
    )  # fmt: skip
