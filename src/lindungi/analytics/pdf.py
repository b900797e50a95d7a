"""The periodic report as PDF, with fpdf2 (pure Python: no system libraries). The text is
set in DejaVu Sans, the font matplotlib ships, so Indonesian and English and the odd dash
print alike; charts are embedded as PNG. Same sections as the HTML report."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib as mpl
from fpdf import FPDF, Align
from fpdf.fonts import FontFace

from lindungi.analytics.indicators import IndicatorSet, Table
from lindungi.analytics.report import (
    DEFINITIONS_TITLE,
    HEADLINE,
    METHOD,
    METHOD_TITLE,
    SUMMARY_TITLE,
    SYNTHETIC_NOTE,
    TITLE,
    cell,
    format_value,
    sections,
)

_FONTS = Path(mpl.get_data_path()) / "fonts" / "ttf"
_FONT = "DejaVu"
_HEAD = FontFace(emphasis="BOLD", fill_color=(238, 243, 247))
_BLUE, _GREY, _INK = (31, 95, 139), (91, 107, 123), (29, 39, 51)


class _Document(FPDF):
    """A4 pages with a bilingual running footer and page numbers."""

    def __init__(self, label: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.label = label
        self.add_font(_FONT, "", str(_FONTS / "DejaVuSans.ttf"))
        self.add_font(_FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(16, 14, 16)
        self.alias_nb_pages()

    def footer(self) -> None:
        """``Laporan / Report <period> · Halaman / Page n/N``."""
        self.set_y(-11)
        self.set_font(_FONT, "", 7)
        self.set_text_color(*_GREY)
        self.cell(0, 5, f"{TITLE[0]} / {TITLE[1]} · {self.label} · Halaman / Page "
                        f"{self.page_no()}/{{nb}}", align="C")  # fmt: skip
        self.set_text_color(*_INK)


def _heading(pdf: FPDF, text_id: str, text_en: str, size: float = 13) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(_FONT, "B", size)
    pdf.set_text_color(*_BLUE)
    pdf.multi_cell(0, size * 0.5, f"{text_id} / {text_en}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*_BLUE)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.set_text_color(*_INK)
    pdf.ln(2.5)


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(_FONT, "B", 9)
    pdf.multi_cell(0, 5, f"{table.title_id} / {table.title_en}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 7.5)
    if not table.rows:
        pdf.cell(0, 5, "Tidak ada data / No data.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    widths = (2.2, *[1.0] * (len(table.columns) - 1))
    aligns = ("LEFT", *["RIGHT"] * (len(table.columns) - 1))
    with pdf.table(col_widths=widths, text_align=aligns, headings_style=_HEAD,
                   line_height=4.2, padding=0.8) as grid:  # fmt: skip
        heading = grid.row()
        for column in table.columns:
            heading.cell(f"{column.label_id} / {column.label_en}")
        for row in table.rows:
            line = grid.row()
            for index in range(len(table.columns)):
                line.cell(cell(table, row, index))
    pdf.ln(2)


def _summary(pdf: FPDF, found: IndicatorSet) -> None:
    """The headline indicators in a two-by-two grid of label and value."""
    _heading(pdf, *SUMMARY_TITLE)
    pdf.set_font(_FONT, "", 8.5)
    headline = [found.indicator(i) for i in HEADLINE]
    with pdf.table(col_widths=(2.0, 1.0, 2.0, 1.0), text_align=("LEFT", "RIGHT") * 2,
                   first_row_as_headings=False, line_height=5, padding=1) as grid:  # fmt: skip
        for left, right in zip(headline[::2], headline[1::2], strict=True):
            row = grid.row()
            for indicator in (left, right):
                row.cell(f"{indicator.label_id} / {indicator.label_en}")
                row.cell(format_value(indicator.value, indicator.unit),
                         style=FontFace(emphasis="BOLD"))  # fmt: skip


def render_pdf(found: IndicatorSet) -> bytes:
    """The report as a PDF document."""
    pdf = _Document(found.period.label)
    pdf.set_title(f"{TITLE[1]} {found.period.label}")
    pdf.set_creator("Lindungi")
    pdf.add_page()
    pdf.set_font(_FONT, "B", 17)
    pdf.multi_cell(0, 8, f"{TITLE[0]}\n{TITLE[1]}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 9)
    pdf.set_text_color(*_GREY)
    period = found.period
    pdf.multi_cell(
        0, 5,
        f"Periode / Period: {period.label} ({period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}, "
        f"UTC, end excluded) · Dibuat / Generated: {found.generated_at:%Y-%m-%d %H:%M} UTC",
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.set_text_color(*_INK)
    if found.synthetic:
        pdf.ln(2)
        pdf.set_font(_FONT, "B", 9)
        pdf.set_fill_color(255, 243, 205)
        pdf.multi_cell(0, 6, f"{SYNTHETIC_NOTE[0]} / {SYNTHETIC_NOTE[1]}", border=1, fill=True,
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.set_fill_color(255, 255, 255)
    _summary(pdf, found)
    for section in sections(found, "png"):
        _heading(pdf, section.title_id, section.title_en)
        pdf.set_font(_FONT, "", 8.5)
        with pdf.table(col_widths=(3.2, 1.0), text_align=("LEFT", "RIGHT"), headings_style=_HEAD,
                       line_height=4.6, padding=0.8) as grid:  # fmt: skip
            grid.row(("Indikator / Indicator", "Nilai / Value"))
            for indicator in section.indicators:
                grid.row((f"{indicator.label_id} / {indicator.label_en}",
                          format_value(indicator.value, indicator.unit)))  # fmt: skip
        pdf.ln(2)
        for chart in section.charts:
            if pdf.will_page_break(62):
                pdf.add_page()
            pdf.image(io.BytesIO(chart.data), w=pdf.epw * 0.85, x=Align.C)
            pdf.ln(2)
        for table in section.tables:
            if pdf.will_page_break(25):
                pdf.add_page()
            _table(pdf, table)
    _heading(pdf, *METHOD_TITLE)
    pdf.set_font(_FONT, "", 8.5)
    for paragraph in METHOD:
        pdf.multi_cell(0, 4.4, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    _heading(pdf, *DEFINITIONS_TITLE, size=11)
    pdf.set_font(_FONT, "", 7.5)
    with pdf.table(col_widths=(1.3, 2.7), headings_style=_HEAD, line_height=3.9,
                   padding=0.8, text_align="LEFT") as grid:  # fmt: skip
        grid.row(("Indikator / Indicator", "Definisi / Definition"))
        for indicator in found.indicators:
            grid.row((f"{indicator.label_id} / {indicator.label_en}", indicator.definition))
    return bytes(pdf.output())
