"""``lindungi report`` as an operator runs it: a bad period or format is refused in one
line with status 1 and nothing written; the demo's month renders as PDF, HTML, CSV and
Parquet files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from lindungi.cli import app as lindungi

app = lindungi  # the real command line, where "report" is registered


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small demo database (loaded through ``lindungi demo``)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('analytics') / 'hub.db'}"
    loaded = CliRunner().invoke(lindungi, ["demo", "--no-serve", "--people", "20", "--db", url])
    assert loaded.exit_code == 0, loaded.output
    return url


@pytest.mark.parametrize(
    ("period", "out", "message"),
    [
        ("2026-13", "r.pdf", "error: period '2026-13': the month must be 01 to 12"),
        ("November", "r.pdf", "error: period 'November': expected a month like 2026-11, a "
                              "quarter like 2026-Q4 or a year like 2026"),
        ("2099-01", "r.pdf", "error: period '2099-01' has not started yet (it begins 2099-01-01)"),
        ("2026-11", "r.docx", "error: 'r.docx': the format is one of html, pdf, csv, parquet "
                              "(from the file's suffix, or --format)"),
        ("2026-11", "missing/r.pdf", "error: --out missing/r.pdf: the folder missing does not "
                                     "exist"),
    ],
)  # fmt: skip
def test_a_bad_period_or_output_is_refused_in_one_line(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, period: str, out: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    got = CliRunner().invoke(app, ["report", "--period", period, "--out", out, "--db", db])
    assert got.exit_code == 1
    assert got.output.strip() == message
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_option_is_refused(db: str, tmp_path: Path) -> None:
    got = CliRunner().invoke(app, ["report", "--period", "2026", "--out", str(tmp_path / "r"),
                                   "--format", "xlsx", "--db", db])  # fmt: skip
    assert got.exit_code == 1
    assert "--format 'xlsx': the format is one of html, pdf, csv, parquet" in got.output


def test_the_demo_month_renders_in_every_format(db: str, tmp_path: Path) -> None:
    this_month = f"{dt.datetime.now(dt.UTC):%Y-%m}"
    run = CliRunner()
    for name in ("report.pdf", "report.html", "tables.csv", "tables.parquet"):
        out = tmp_path / name
        got = run.invoke(app, ["report", "--period", this_month, "--out", str(out), "--db", db])
        assert got.exit_code == 0, got.output
        assert got.output.startswith(f"report {this_month} (")
        assert f"→ {out} ({out.suffix[1:]}, " in got.output
        assert got.output.rstrip().endswith("indicators; SYNTHETIC demo data)")
    document = pdfium.PdfDocument(tmp_path / "report.pdf")
    try:
        first = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert f"Periode / Period: {this_month}" in first
    assert "<h2>Ringkasan <span class=\"en\">/ Summary</span></h2>" in (
        tmp_path / "report.html").read_text(encoding="utf-8")  # fmt: skip
    parquet = pq.read_table(tmp_path / "tables.parquet").to_pylist()
    assert {r["period"] for r in parquet} == {this_month}
    assert (tmp_path / "tables.csv").read_text(encoding="utf-8").startswith('"period","start"')
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.html", "report.pdf", "tables.csv", "tables.parquet"]  # fmt: skip
