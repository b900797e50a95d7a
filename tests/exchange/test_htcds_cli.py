"""``lindungi exchange htcds`` as an operator runs it: the CSV written whole, the report
on stderr and as JSON, one audit entry, and one-line refusals with exit status 1."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from htcds_support import add_cases
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from lindungi.audit.models import AuditEntryRow
from lindungi.cli import app
from lindungi.db import make_engine
from lindungi.exchange.htcds_fields import COLUMNS
from lindungi.migrate import init_db


@pytest.fixture
def db(tmp_path: Path) -> str:
    """An initialised SQLite hub with 40 synthetic cases opened in 2025."""
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    init_db(engine)
    with Session(engine) as session:
        add_cases(session, 40)
        session.commit()
    engine.dispose()
    return url


def _exports(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        found = session.scalar(select(func.count()).where(AuditEntryRow.action == "export"))
    engine.dispose()
    return int(found or 0)


def test_the_export_is_written_with_its_report_and_audited_once(db: str, tmp_path: Path) -> None:
    out, report = tmp_path / "htcds.csv", tmp_path / "report.json"
    done = CliRunner().invoke(app, ["exchange", "htcds", "--out", str(out), "--k", "5", "--report",
                                    str(report), "--db", db])  # fmt: skip
    assert done.exit_code == 0, done.output
    with out.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == list(COLUMNS)
    found = json.loads(report.read_text(encoding="utf-8"))
    assert found["k"] == 5
    assert found["population"] == 40
    assert found["exported"] == len(rows)
    assert sum(c["records"] for c in found["classes"]) == len(rows)
    assert f"k=5: {len(rows)} of 40 cases exported" in done.stderr
    assert f"{len(rows)} cases → {out}" in done.stderr
    assert "age" in done.stderr
    text = out.read_text(encoding="utf-8")
    assert "Dewi" not in text
    assert "3276" not in text
    assert "cerita" not in text
    assert _exports(db) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_window_selects_the_cases_opened_in_it(db: str, tmp_path: Path) -> None:
    out, report = tmp_path / "h1.csv", tmp_path / "r.json"
    done = CliRunner().invoke(app, ["exchange", "htcds", "--out", str(out), "--k", "2", "--since",
                                    "2025-01-01", "--until", "2025-06-30", "--report",
                                    str(report), "--db", db])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert 0 < json.loads(report.read_text())["population"] < 40


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--k", "1"], "error: --k 1: k must be at least 2 (k=1 hides nobody)"),
        (["--k", "41"], "error: k=41 is larger than the population of 40 records"),
        (["--max-suppression", "1.5"], "error: --max-suppression 1.5: expected a share"),
        (["--since", "2025-13-01"], "error: --since '2025-13-01': expected a date like"),
        (["--since", "2025-06-01", "--until", "2025-01-01"],
         "error: --until 2025-01-01 comes before --since 2025-06-01"),
        (["--since", "2030-01-01"], "error: k=11 is larger than the population of 0 records"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(
    db: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "htcds.csv"
    refused = CliRunner().invoke(app, ["exchange", "htcds", "--out", str(out), *args, "--db", db])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(message)
    assert not out.exists()
    assert _exports(db) == 0


def test_a_missing_folder_is_refused(db: str, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "htcds.csv"
    refused = CliRunner().invoke(app, ["exchange", "htcds", "--out", str(out), "--db", db])
    assert refused.exit_code == 1
    assert f"the folder of {out} does not exist" in refused.stderr
