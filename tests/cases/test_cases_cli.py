"""``lindungi cases`` as an operator runs it: open, refuse a premature deportation with
the allowed moves, identify, move on, show, and list overdue cases."""

from __future__ import annotations

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
    assert "located" in shown.stdout
    assert "identify" in shown.stdout
    assert "refer_for_deportation" not in shown.stdout.split("allowed next:")[1].splitlines()[0]
    late = run.invoke(app, ["cases", "overdue", "--now", "2099-01-01T00:00:00+00:00",
                            "--db", db])  # fmt: skip
    assert f"case {cid} (kemlu) located" in late.stdout
    assert "command_centre" in late.stdout
