"""``lindungi recruiters import`` (contract 1) and ``verify`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from lindungi.cli import app

runner = CliRunner()
CSV = (
    "licence_no,name,status,valid_until,bond_idr,phone,address\n"
    "KEP.101/PPTKLN/2020,PT Maju Jaya Abadi,active,2030-06-30,1500000000,0812-1111-2222,Jl. Melati 5\n"
    "KEP.102/PPTKLN/2020,PT Cahaya Timur,revoked,2026-12-31,,0813-2222-3333,\n"
    "KEP.103/PPTKLN/2020,PT Salah,closed,,,,\n"
    "IZIN-9,PT Nomor Aneh,active,2030-01-01,,,\n"
)


def test_import_reports_each_bad_line_imports_the_rest_and_is_idempotent(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    runner.invoke(app, ["init", "--db", db])
    (tmp_path / "registry.csv").write_text(CSV, encoding="utf-8")
    path = str(tmp_path / "registry.csv")
    first = runner.invoke(app, ["recruiters", "import", path, "--db", db])
    assert first.exit_code == 1
    assert first.stdout == f"{path}: 3 created, 0 updated, 0 unchanged, 1 refused\n"
    assert first.stderr == (
        f"{path}: line 5: licence_no 'IZIN-9' has an unknown format (imported as given; please check it)\n"
        f"{path}: line 4: status: 'closed' is not one of active, suspended, revoked\n"
    )
    again = runner.invoke(app, ["recruiters", "import", path, "--db", db])
    assert again.stdout == f"{path}: 0 created, 0 updated, 3 unchanged, 1 refused\n"
    verified = runner.invoke(
        app, ["recruiters", "verify", "--phone", "+62 813-2222-3333", "--db", db]
    )
    assert verified.exit_code == 0
    assert verified.stdout.startswith(
        "REVOKED\n  PT Cahaya Timur — licence KEP.102/PPTKLN/2020: revoked"
    )
    assert "\nID: Izin perusahaan ini DICABUT." in verified.stdout
    missing = runner.invoke(app, ["recruiters", "import", str(tmp_path / "nope.csv"), "--db", db])
    assert (missing.exit_code, missing.stderr) == (
        1,
        f"error: {tmp_path / 'nope.csv'}: No such file or directory\n",
    )
