"""``lindungi identity``: ingest agency extracts, re-link, show a person, judge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from lindungi.cli import app

runner = CliRunner()
BP2MI = (
    "NO_REG;NAMA;TGL_LAHIR;JK;NIK;HP\n"
    "B1;Siti Nurhaliza binti Abdul;12/05/1990;Perempuan;3301015205900001;0812-3456-7890\n"
    "B2;Rudi Hartono;07/07/1980;Laki-laki;;\n"
    "B3;Tanpa Tanggal;32/13/1990;P;;\n"
)


def test_ingest_relink_show_and_judge_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'i.db'}"
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    (tmp_path / "bp2mi.csv").write_text(BP2MI, encoding="utf-8")
    mapping = ["--map", "NO_REG=record_id", "--map", "NAMA=full_name", "--map",
               "TGL_LAHIR=birth_date", "--map", "JK=sex", "--map", "NIK=national_id",
               "--map", "HP=phone"]  # fmt: skip
    first = runner.invoke(
        app, ["identity", "ingest", str(tmp_path / "bp2mi.csv"), "--source", "bp2mi",
              *mapping, "--db", db],
    )  # fmt: skip
    assert first.exit_code == 1  # one row refused, the others stored
    assert first.stdout == "2 new, 0 updated, 0 unchanged, 1 refused\n"
    assert first.stderr == (  # named as the file names the column
        f"{tmp_path / 'bp2mi.csv'}:4: TGL_LAHIR: '32/13/1990' is not a real date "
        "(month must be in 1..12)\n"
    )
    table = pa.table({
        "record_id": ["I1"], "full_name": ["SITI NURHALIZA"], "passport_no": ["C1234567"],
        "national_id": ["3301015205900001"],
        "birth_date": pa.array([dt.date(1990, 5, 12)]),
    })  # fmt: skip
    pq.write_table(table, tmp_path / "imigrasi.parquet")
    second = runner.invoke(
        app, ["identity", "ingest", str(tmp_path / "imigrasi.parquet"), "--source", "imigrasi",
              "--db", db],
    )  # fmt: skip
    assert (second.exit_code, second.stdout) == (0, "1 new, 0 updated, 0 unchanged, 0 refused\n")
    relinked = runner.invoke(app, ["identity", "relink", "--db", db])
    assert relinked.exit_code == 0, relinked.stderr
    assert relinked.stdout.startswith("3 records, 2 people")
    shown = runner.invoke(app, ["identity", "show", "1", "--db", db])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.startswith("person 1: 2 records\n- bp2mi:B1 'Siti Nurhaliza binti Abdul'")
    assert "same national id" in shown.stdout
    judged = runner.invoke(
        app, ["identity", "judge", "bp2mi:B1", "imigrasi:I1", "different", "--reason",
              "two women, one NIK: referred to Dukcapil", "--db", db],
    )  # fmt: skip
    assert judged.exit_code == 0, judged.stderr
    assert judged.stdout.startswith("judgement 1: different; persons now ")
    persons = judged.stdout.strip().split("persons now ")[1].split(" and ")
    assert persons[0] != persons[1]
    bad = runner.invoke(app, ["identity", "judge", "bp2mi:B1", "nocolon", "same",
                              "--reason", "x", "--db", db])  # fmt: skip
    assert (bad.exit_code, bad.stderr) == (1, "error: 'nocolon': expected SOURCE:RECORD_ID\n")
    unknown = runner.invoke(app, ["identity", "show", "99", "--db", db])
    assert (unknown.exit_code, unknown.stderr) == (1, "error: no person 99\n")
