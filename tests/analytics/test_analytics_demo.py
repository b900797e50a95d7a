"""The indicators of the demo scenario, with the answers its story implies, and the
report of them as a reader gets it: HTML with inline charts, a PDF whose pages hold the
bilingual headings and the figures, and tables that read back as they were written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lindungi.analytics import tables
from lindungi.analytics.indicators import IndicatorSet, compute
from lindungi.analytics.pdf import render_pdf
from lindungi.analytics.periods import window
from lindungi.analytics.report import render_html
from lindungi.demo.generator import generate
from lindungi.demo.monitoring import load_monitoring
from lindungi.demo.service import load, load_cases, load_screenings

SCENARIO = generate(seed=7, people=20)
NOW = dt.datetime.now(dt.UTC)
#: The demo's timestamps are the time it is loaded (its monitoring replays three days).
AROUND_NOW = window(NOW - dt.timedelta(days=10), NOW + dt.timedelta(days=1), "demo")


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[IndicatorSet]:
    """The demo loaded once (rolled back at the end) and its indicators around now."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection) as session:
            load(session, SCENARIO)
            load_screenings(session, SCENARIO, 20)
            load_cases(session, SCENARIO)
            load_monitoring(session, SCENARIO, NOW)
            yield compute(session, AROUND_NOW, NOW)
        outer.rollback()


def test_the_demo_s_indicators_are_what_its_story_says(demo: IndicatorSet) -> None:
    got = {i.id: i.value for i in demo.indicators}
    # 12 cases walked through the workflow, 7 opened by screening referrals, 2 by alerts.
    assert got["cases"] == 21
    assert got["screening_referrals"] == got["referral_outcome_awaiting_identification"] == 7
    assert (got["screened"], got["identified"], got["not_victim"]) == (7, 6, 1)
    assert (got["deportations"], got["deported_without_identification"]) == (1, 0)
    assert (got["victims_referred"], got["repatriated"], got["verified"]) == (6, 4, 10)
    assert (got["victims_rehabilitated"], got["rehabilitation_share"]) == (6, 1.0)
    assert (got["victims_legal_aid"], got["victims_referred_to_police"]) == (2, 3)
    assert (got["screenings"], got["referral_rate"]) == (20, 0.35)
    assert (got["alerts"], got["alerts_acknowledged"], got["alerts_became_case"]) == (4, 0, 2)
    assert got["minutes_to_acknowledge_median"] is None  # nobody took the demo's alerts
    assert demo.synthetic is True
    channels = {row[0]: row[1] for row in demo.tables["cases_by_channel"].rows}
    assert (channels["screening_referral"], channels["alert"], channels["sos"]) == (7, 1, 2)
    assert demo.tables["cases_by_country"].rows[0][:2] == ("KH", 10)


def test_the_html_report_has_every_section_its_charts_and_the_method(
    demo: IndicatorSet,
) -> None:
    html = render_html(demo)
    for heading in ("Kasus WNI bermasalah <span class=\"en\">/ Troubled-citizen cases",
                    "Overstay: dirujuk atau dideportasi",
                    "Peringatan dan waktu tanggap <span class=\"en\">/ Alerts and response time",
                    "Catatan metode <span class=\"en\">/ Method note"):  # fmt: skip
        assert heading in html
    assert html.count("<svg") == 5
    assert "DATA SINTETIS" in html
    assert '<tr id="cases">' in html
    cases_row = html.split('<tr id="cases">')[1].split("</tr>")[0]
    assert '<td class="num">21</td>' in cases_row
    assert "Victims referred for protection divided by" in html  # a definition


def test_the_pdf_report_prints_the_headings_and_figures(demo: IndicatorSet) -> None:
    document = pdfium.PdfDocument(render_pdf(demo))
    try:
        pages = [document[n].get_textpage().get_text_range() for n in range(len(document))]
    finally:
        document.close()
    assert 4 <= len(pages) <= 9
    text = "\n".join(pages)
    assert pages[0].startswith("Laporan Perlindungan Pekerja Migran")
    assert "Migrant Protection Report" in pages[0]
    assert "Ringkasan / Summary" in pages[0]
    assert "Kasus dibuka / Cases opened 21" in pages[0]
    for heading in ("Kasus WNI bermasalah / Troubled-citizen cases",
                    "Rujukan skrining dan hasilnya / Screening referrals and their outcomes",
                    "Catatan metode / Method note",
                    "Definisi indikator / Indicator definitions"):  # fmt: skip
        assert heading in text.replace("\r\n", " ").replace("\n", " ")
    assert f"Halaman / Page 1/{len(pages)}" in pages[0]


def test_the_tables_read_back_as_written(demo: IndicatorSet) -> None:
    written = tables.indicator_table(demo)
    assert pq.read_table(io.BytesIO(tables.to_parquet(demo))).equals(written)
    rows = list(csv.DictReader(io.StringIO(tables.to_csv(demo).decode("utf-8"))))
    assert len(rows) == written.num_rows
    cases = next(r for r in rows if r["table"] == "indicators" and r["indicator"] == "cases")
    assert (float(cases["value"]), cases["unit"], cases["period"]) == (21.0, "count", "demo")
    kh = [r for r in rows if r["table"] == "cases_by_country" and r["key"] == "KH"]
    assert {r["indicator"]: float(r["value"]) for r in kh}["cases"] == 10.0


def test_text_a_spreadsheet_would_run_is_quoted_in_csv(demo: IndicatorSet) -> None:
    embassies = demo.tables["alerts_by_embassy"]
    embassies.rows.append(('=HYPERLINK("http://x")', 1, 0, None, None, 0))
    try:
        text = tables.to_csv(demo).decode("utf-8")
    finally:
        embassies.rows.pop()
    keys = {
        r["key"] for r in csv.DictReader(io.StringIO(text)) if r["table"] == "alerts_by_embassy"
    }
    assert keys == {"KBRI Bangkok", "KBRI Phnom Penh", '\'=HYPERLINK("http://x")'}
