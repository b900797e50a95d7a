"""``lindungi retention`` as an operator and an investigator run it: a hold placed with
its authority, a dry run that changes nothing, the daily purge that spares the held
case and erases the other, and refusals that name what is wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner

from lindungi.cases.models import Case
from lindungi.cli import app
from lindungi.db import make_engine, session_factory

LATER = "2099-01-01T00:00:00+00:00"


def _case(run: CliRunner, db: str, name: str) -> str:
    made = run.invoke(app, ["cases", "report", "--as", "pendamping1", "--channel", "hotline",
                            "--summary", f"{name} di Bavet", "--country", "KH", "--db", db])  # fmt: skip
    assert made.exit_code == 0, made.output
    found = re.match(r"case (\d+):", made.stdout)
    assert found is not None
    closed = run.invoke(app, ["cases", "move", found[1], "close", "--as", "pendamping1",
                              "--reason", "tidak terbukti", "--close-reason", "unfounded",
                              "--db", db])  # fmt: skip
    assert closed.exit_code == 0, closed.output
    return found[1]


def test_holds_and_the_daily_purge_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    key = tmp_path / "audit.pem"
    run = CliRunner(env={"LINDUNGI_AUDIT_KEY_FILE": str(key)})
    assert run.invoke(app, ["audit", "keygen", "--out", str(key)]).exit_code == 0
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    for user, agency, role in (("pendamping1", "bp2mi", "case_worker"),
                               ("penyidik1", "polri", "investigator")):  # fmt: skip
        added = run.invoke(app, ["users", "add", user, "--agency", agency, "--role", role,
                                 "--full-name", user, "--db", db])  # fmt: skip
        assert added.exit_code == 0, added.output
    held, free = _case(run, db, "Siti"), _case(run, db, "Dewi")
    with session_factory(make_engine(db))() as session:  # give them names to erase
        session.execute(update(Case).values(full_name="Nama Korban", narrative="cerita"))
        session.commit()

    refused = run.invoke(app, ["retention", "hold", "place", "--as", "pendamping1", "--case",
                               held, "--reason", "bukti", "--reference", "LP/1", "--db", db])  # fmt: skip
    assert refused.exit_code == 1
    assert "legal_holds:manage" in refused.output
    both = run.invoke(app, ["retention", "hold", "place", "--as", "penyidik1", "--case", held,
                            "--enrolment", "1", "--reason", "bukti", "--reference", "LP/1",
                            "--db", db])  # fmt: skip
    assert both.exit_code == 1
    assert "exactly one of --case and --enrolment" in both.output
    placed = run.invoke(app, ["retention", "hold", "place", "--as", "penyidik1", "--case", held,
                              "--reason", "bukti perkara TPPO", "--reference",
                              "LP/B/123/XI/2026", "--db", db])  # fmt: skip
    assert placed.exit_code == 0, placed.output
    assert placed.stdout == f"legal hold 1 placed on case {held}\n"
    listed = run.invoke(app, ["retention", "hold", "list", "--db", db])
    assert json.loads(listed.stdout)["reference"] == "LP/B/123/XI/2026"

    dry = run.invoke(app, ["retention", "purge", "--now", LATER, "--dry-run", "--db", db])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["dry_run"] is True
    assert json.loads(dry.stdout)["cases_erased"] == 1
    with session_factory(make_engine(db))() as session:
        names = dict(session.execute(select(Case.id, Case.full_name)).all())
    assert names == {int(held): "Nama Korban", int(free): "Nama Korban"}  # nothing changed

    done = run.invoke(app, ["retention", "purge", "--now", LATER, "--db", db])
    assert json.loads(done.stdout)["cases_erased"] == 1
    assert json.loads(done.stdout)["held_cases"] == 1
    with session_factory(make_engine(db))() as session:
        names = dict(session.execute(select(Case.id, Case.full_name)).all())
    assert names == {int(held): "Nama Korban", int(free): None}

    released = run.invoke(app, ["retention", "hold", "release", "1", "--as", "penyidik1",
                                "--reason", "putusan inkracht", "--db", db])  # fmt: skip
    assert released.exit_code == 0, released.output
    twice = run.invoke(app, ["retention", "hold", "release", "1", "--as", "penyidik1",
                             "--reason", "lagi", "--db", db])  # fmt: skip
    assert twice.exit_code != 0
    assert "already released" in twice.output
    assert run.invoke(app, ["retention", "hold", "list", "--db", db]).stdout == ""
    again = run.invoke(app, ["retention", "purge", "--now", LATER, "--db", db])
    assert json.loads(again.stdout)["cases_erased"] == 1
    audited = run.invoke(app, ["audit", "verify", "--db", db])
    assert audited.exit_code == 0, audited.output
