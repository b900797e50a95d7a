"""``lindungi cases`` as an operator runs it: open, refuse a premature deportation with
the allowed moves, identify, move on, show, and list overdue cases."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from typer.testing import CliRunner

from lindungi.cli import app


def test_a_case_through_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run = CliRunner()
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    added = run.invoke(app, ["users", "add", "konsul1", "--agency", "kemlu", "--role",
                             "consular", "--full-name", "Konsul Satu", "--db", db])  # fmt: skip
    assert added.exit_code == 0, added.output
    made = run.invoke(app, ["cases", "report", "--as", "konsul1", "--channel", "walk_in",
                            "--summary", "WNI datang ke KBRI, lari dari kompleks",
                            "--country", "KH", "--db", db])  # fmt: skip
    assert made.exit_code == 0, made.output
    found = re.match(r"case (\d+): tracking ([A-Z0-9]{4}-[A-Z0-9]{4}), secret \S+", made.stdout)
    assert found is not None
    cid = found[1]
    for action in ("verify", "locate"):
        moved = run.invoke(app, ["cases", "move", cid, action, "--as", "konsul1",
                                 "--reason", "di KBRI", "--db", db])  # fmt: skip
        assert moved.exit_code == 0, moved.output
    early = run.invoke(app, ["cases", "move", cid, "refer_for_deportation", "--as", "konsul1",
                             "--reason", "overstay", "--db", db])  # fmt: skip
    assert early.exit_code == 1
    assert "victim identification must be recorded" in early.output
    assert "allowed: coordinate_rescue, admit_to_shelter, arrange_repatriation" in early.output
    identified = run.invoke(app, ["cases", "identify", cid, "--as", "konsul1",
                                  "--determination", "potential_victim", "--reason",
                                  "paspor ditahan", "--indicator", "retention_of_documents",
                                  "--db", db])  # fmt: skip
    assert identified.exit_code == 0, identified.output
    assert "the facts suggest potential_victim" in identified.stdout
    bad = run.invoke(app, ["cases", "identify", cid, "--as", "konsul1", "--determination",
                           "maybe", "--reason", "x y z", "--db", db])  # fmt: skip
    assert bad.exit_code == 1
    assert "expected one of potential_victim" in bad.output
    shown = run.invoke(app, ["cases", "show", cid, "--as", "konsul1", "--db", db])
    listed = run.invoke(app, ["cases", "list", "--as", "konsul1", "--state", "located",
                              "--db", db])  # fmt: skip
    assert listed.stdout.split()[:3] == [cid, found[2], "located"]
    none = run.invoke(app, ["cases", "list", "--as", "konsul1", "--state", "closed",
                            "--db", db])  # fmt: skip
    assert none.stdout == ""
    assert "located" in shown.stdout
    assert "identify" in shown.stdout
    assert "refer_for_deportation" not in shown.stdout.split("allowed next:")[1].splitlines()[0]
    late = run.invoke(app, ["cases", "overdue", "--now", "2099-01-01T00:00:00+00:00",
                            "--db", db])  # fmt: skip
    assert f"case {cid} (kemlu) located" in late.stdout
    assert "command_centre" in late.stdout


def test_referral_legal_track_escalation_and_export_from_the_command_line(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run = CliRunner()
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    for user, agency, role in (("sari", "bp2mi", "case_worker"), ("dedi", "polri", "investigator"),
                               ("bos", "bp2mi", "case_supervisor")):  # fmt: skip
        added = run.invoke(app, ["users", "add", user, "--agency", agency, "--role", role,
                                 "--full-name", user.title(), "--db", db])  # fmt: skip
        assert added.exit_code == 0, added.output
    made = run.invoke(app, ["cases", "report", "--as", "sari", "--channel", "hotline",
                            "--summary", "=1+1 penelepon dari Bavet", "--db", db])  # fmt: skip
    cid = re.match(r"case (\d+):", made.stdout)[1]  # type: ignore[index]
    refused = run.invoke(app, ["cases", "refer", cid, "--as", "sari", "--service", "shelter",
                               "--to-organisation", "Rumah Aman", "--note", "butuh tempat",
                               "--db", db])  # fmt: skip
    assert refused.exit_code == 1
    assert "consent is not recorded" in refused.output
    referred = run.invoke(app, ["cases", "refer", cid, "--as", "sari", "--service", "shelter",
                                "--to-organisation", "Rumah Aman", "--note", "butuh tempat",
                                "--consent", "--db", db])  # fmt: skip
    assert "shelter to Rumah Aman (consent)" in referred.stdout, referred.output
    legal = ["cases", "legal", cid]
    police = run.invoke(app, [*legal, "refer_to_police", "--as", "sari", "--reason", "TPPO",
                              "--consent", "--db", db])  # fmt: skip
    assert "legal stage referred_to_police" in police.stdout, police.output
    not_yours = run.invoke(app, [*legal, "prosecute", "--as", "sari", "--reason", "x y z",
                                 "--db", db])  # fmt: skip
    assert not_yours.exit_code == 1
    opened = run.invoke(app, [*legal, "open_investigation", "--as", "dedi", "--reason",
                              "LP diterima", "--db", db])  # fmt: skip
    assert "legal stage investigation" in opened.stdout, opened.output
    first = run.invoke(app, ["cases", "escalate", "--now", "2099-01-01T00:00:00+00:00",
                             "--db", db])  # fmt: skip
    assert f"case {cid} reported: level 3, to command_centre" in first.stdout
    again = run.invoke(app, ["cases", "escalate", "--now", "2099-01-01T00:00:00+00:00",
                             "--db", db])  # fmt: skip
    assert again.stdout == ""
    assert "0 escalated" in again.output
    shown = run.invoke(app, ["cases", "show", cid, "--as", "sari", "--reveal", "reporter",
                             "--db", db])  # fmt: skip
    assert shown.exit_code == 1
    assert "--purpose" in shown.output
    out = tmp_path / "cases.csv"
    denied = run.invoke(app, ["cases", "export", "--as", "sari", "--purpose", "laporan",
                              "--out", str(out), "--db", db])  # fmt: skip
    assert denied.exit_code == 1
    assert not out.exists()
    exported = run.invoke(app, ["cases", "export", "--as", "bos", "--purpose", "laporan",
                                "--out", str(out), "--reveal", "identity", "--db", db])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith("full_name,birth_date,nik,passport_no")
    assert "'=1+1 penelepon" in text
    figures = run.invoke(app, ["cases", "figures", "--json", "--db", db])
    assert figures.exit_code == 0, figures.output
    assert '"cases": 1' in figures.stdout
    assert '"escalations": {' in figures.stdout
    bad = run.invoke(app, ["cases", "figures", "--from", "yesterday", "--db", db])
    assert bad.exit_code == 1
    assert "--from 'yesterday': expected a date" in bad.output


def test_deadlines_are_configured_per_installation(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run = CliRunner()
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    run.invoke(app, ["users", "add", "sari", "--agency", "bp2mi", "--role", "case_worker",
                     "--full-name", "Sari", "--db", db])  # fmt: skip
    made = run.invoke(app, ["cases", "report", "--as", "sari", "--channel", "hotline",
                            "--summary", "penelepon dari Bavet", "--db", db])  # fmt: skip
    cid = made.stdout.split(":")[0].split()[1]
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)).isoformat()
    default = run.invoke(app, ["cases", "escalate", "--now", soon, "--db", db])
    assert "0 escalated" in default.output  # within the built-in 24 hours
    strict = {"LINDUNGI_CASE_DEADLINE_HOURS": '{"reported": 1}'}
    late = run.invoke(app, ["cases", "escalate", "--now", soon, "--db", db], env=strict)
    assert f"case {cid} reported: level 2, to duty_officer" in late.stdout, late.output
    wrong = run.invoke(app, ["cases", "escalate", "--db", db],
                       env={"LINDUNGI_CASE_DEADLINE_HOURS": '{"limbo": 1}'})  # fmt: skip
    assert wrong.exit_code != 0
    assert "stage 'limbo': expected one of reported" in wrong.output
