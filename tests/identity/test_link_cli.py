"""``lindungi link`` (contract 4) as a user runs it."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from lindungi.cli import app

runner = CliRunner()
IMIGRASI = """record_id,full_name,birth_date,sex,national_id,passport_no,phone,address,city
I1,Hj. Siti Nurhaliza binti Abdul Rachman,1990-05-12,F,3301015205900001,C1234567,0812-3456-7890,Jl. Melati No. 5 RT 003/RW 05,Kab. Cilacap
I2,Muhammad Joko Susilo,1985-01-02,M,3301010201850003,B7654321,+62 813 1111 2222,Jalan Mawar 7,Cilacap
I3,Ahmad Hasan,1999-03-04,M,3301010403990001,,0813-9999-0000,Jl Kenanga 1,Banyumas
I4,Ahmad Husen,1999-03-04,M,3301010403990002,,0813-9999-0000,Jl Kenanga 1,Banyumas
I5,Rina Wati,2000-10-10,F,,,,,Indramayu
"""
KEMLU = """record_id,full_name,birth_date,sex,national_id,passport_no,phone,address,city
K1,SITI NURHALIZA,12/05/1990,P,,C1234567,+855 12 345 678,,Phnom Penh
K2,Moh. Djoko Soesilo,1985-02-01,L,3301010201850003,,081311112222,,
K3,Ahmad Hasan,,L,3301010403990001,,,,
,Nobody,1990-01-01,F,,,,,
K5,Bad Date,31/02/1990,F,,,,,
"""


def _clusters(path: Path) -> dict[tuple[str, str], str]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["source", "record_id", "cluster_id"]
    return {(r["source"], r["record_id"]): r["cluster_id"] for r in rows}


def test_link_joins_one_person_across_agencies_and_keeps_twins_apart(tmp_path: Path) -> None:
    (tmp_path / "imi.csv").write_text(IMIGRASI, encoding="utf-8")
    (tmp_path / "kemlu.csv").write_text(KEMLU, encoding="utf-8")
    out = tmp_path / "clusters.csv"
    result = runner.invoke(
        app,
        ["link", "--source", f"imigrasi={tmp_path / 'imi.csv'}",
         "--source", f"kemlu={tmp_path / 'kemlu.csv'}", "--out", str(out)],
    )  # fmt: skip
    # two rows of kemlu.csv cannot be read: reported, left out, exit status 1
    assert result.exit_code == 1
    assert f"{tmp_path / 'kemlu.csv'}:5: record_id: is empty" in result.stderr
    assert f"{tmp_path / 'kemlu.csv'}:6: birth_date:" in result.stderr
    assert "8 records linked into 5 people; 2 rows refused" in result.stderr
    clusters = _clusters(out)
    assert len(clusters) == 8  # one row per readable input record
    assert clusters["imigrasi", "I1"] == clusters["kemlu", "K1"]  # titles, bin, date format
    assert clusters["imigrasi", "I2"] == clusters["kemlu", "K2"]  # Moh./Dj/oe, swapped date
    assert clusters["imigrasi", "I3"] == clusters["kemlu", "K3"]
    assert clusters["imigrasi", "I3"] != clusters["imigrasi", "I4"]  # twins stay apart
    assert (
        len({clusters["imigrasi", "I5"], clusters["imigrasi", "I1"], clusters["imigrasi", "I2"]})
        == 3
    )


def test_one_source_alone_is_deduplicated(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "record_id,full_name,birth_date,national_id\n"
        "1,Siti Aminah,1991-02-03,3301014302910004\n"
        "2,SITI AMINAH,03-02-1991,3301014302910004\n"
        "3,Rudi Hartono,1980-07-07,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["link", "--source", f"bp2mi={tmp_path / 'a.csv'}", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    clusters = _clusters(out)
    assert clusters["bp2mi", "1"] == clusters["bp2mi", "2"] != clusters["bp2mi", "3"]


def test_link_refuses_a_missing_file_and_a_bad_source_spec(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    missing = runner.invoke(
        app, ["link", "--source", f"a={tmp_path / 'no.csv'}", "--out", str(out)]
    )
    assert missing.exit_code == 1
    assert str(tmp_path / "no.csv") in missing.stderr
    bad = runner.invoke(app, ["link", "--source", "nofile", "--out", str(out)])
    assert (bad.exit_code, bad.stderr) == (1, "error: --source 'nofile': expected NAME=FILE.csv\n")
    assert not out.exists()
