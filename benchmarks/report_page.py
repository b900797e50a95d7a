"""Render page 1 of the monthly report of a database to PNG (for docs/), and time the
report beside the bare indicator queries of the same run.

    lindungi demo --no-serve --db sqlite:////tmp/anademo.db
    python benchmarks/report_page.py --db sqlite:////tmp/anademo.db --period 2026-11 \
        --pdf /tmp/anademo-report.pdf --png docs/report-demo-page1.png

The PDF is written by the real ``lindungi report`` command function; the PNG is its
first page drawn by pdfium.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import typer
from typer.testing import CliRunner

from lindungi.analytics.cli import report_command
from lindungi.analytics.indicators import compute
from lindungi.analytics.periods import parse_period
from lindungi.db import make_engine, session_factory


def main() -> int:
    """Write the report, draw its first page, and print how long each part took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--pdf", type=Path, default=Path("report.pdf"))
    parser.add_argument("--png", type=Path, default=Path("report-page1.png"))
    parser.add_argument("--scale", type=float, default=1.6, help="pixels per PDF point")
    args = parser.parse_args()

    engine = make_engine(args.db)
    started = time.perf_counter()
    with session_factory(engine)() as session:
        compute(session, parse_period(args.period))
    queries = time.perf_counter() - started
    engine.dispose()

    app = typer.Typer()
    app.command("report")(report_command)
    app.command("noop", hidden=True)(lambda: None)
    started = time.perf_counter()
    made = CliRunner().invoke(app, ["report", "--period", args.period, "--out", str(args.pdf),
                                    "--db", args.db])  # fmt: skip
    report = time.perf_counter() - started
    print(made.output, end="")
    if made.exit_code != 0:
        return made.exit_code

    document = pdfium.PdfDocument(args.pdf)
    try:
        document[0].render(scale=args.scale).to_pil().save(args.png)
        pages = len(document)
    finally:
        document.close()
    print(f"indicator queries {queries:.2f} s (baseline); whole PDF report {report:.2f} s; "
          f"{pages} pages; page 1 → {args.png}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
