"""``lindungi persons export`` on both databases: everything held about one person across
the modules (and nothing about anyone else), its processing history, and the export
itself in the audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from pdp_world import NIK, PASSPORT, accesses, build
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from lindungi.audit.models import AuditEntryRow
from lindungi.audit.service import Actor
from lindungi.db import make_engine, session_factory, transaction
from lindungi.errors import InvalidInputError, NotFoundError
from lindungi.migrate import init_db
from lindungi.people.cli import persons_app
from lindungi.people.subject_export import dumps, export_subject, find_subject

# `lindungi persons` as registered in lindungi.cli.
app = typer.Typer()
app.add_typer(persons_app, name="persons")

OFFICER = Actor("cli:dpo")


@pytest.mark.parametrize("how", ["nik", "passport", "person_id"])
def test_everything_held_about_the_person_whichever_identifier(session: Session, how: str) -> None:
    world = build(session)
    accesses(session, world)
    given = {"nik": "3171-0145-0690-0002", "passport": " c765-4321 ", "person_id": world.person}
    subject = find_subject(session, **{how: given[how]})  # type: ignore[arg-type]
    assert subject.record_ids == set(world.records)
    made = export_subject(session, subject, OFFICER)
    assert [r["source"] for r in made["person_records"]] == ["dukcapil", "imigrasi"]
    assert made["person_records"][1]["index"]["person_id"] == world.person
    assert [c["id"] for c in made["cases"]] == [world.case]
    case = made["cases"][0]
    assert case["narrative"] == "paspor ditahan, gaji tidak dibayar"  # protected, but theirs
    assert "secret_hash" not in case
    assert [e["action"] for e in case["timeline"]] == ["report"]
    assert [s["id"] for s in made["screenings"]] == [world.screening]
    assert [m["enrolment_id"] for m in made["monitoring"]] == [world.enrolment]
    assert made["monitoring"][0]["consents"][0]["retention_days"] == 30
    touched = [
        (e["resource_type"], e["resource_id"], e["actor"]) for e in made["processing_history"]
    ]
    assert ("cases", str(world.case), "bp2mi.siti") in touched
    assert ("monitoring_enrolments", str(world.enrolment), "kemlu.rudi") in touched
    assert ("screenings", str(world.screening), "imigrasi.andi") in touched
    assert all(r != str(world.other_case) for _, r, _ in touched if _ == "cases")
    text = dumps(made)
    assert "Budi Santoso" not in text
    assert "Dewi" not in text
    assert NIK in text
    assert PASSPORT in text


def test_the_export_is_audited(session: Session) -> None:
    world = build(session)
    export_subject(session, find_subject(session, nik=NIK), OFFICER, purpose="DSAR 2026/17")
    rows = session.scalars(select(AuditEntryRow).where(AuditEntryRow.actor == "cli:dpo")).all()
    assert {(r.action, r.resource_type, r.resource_id) for r in rows} == {
        ("export", "persons", str(world.person)),
        *{("export", "person_records", str(i)) for i in world.records},
        ("export", "cases", str(world.case)),
        ("export", "screenings", str(world.screening)),
        ("export", "monitoring_enrolments", str(world.enrolment)),
    }
    assert {r.purpose for r in rows} == {"DSAR 2026/17"}


def test_refusals(session: Session) -> None:
    with pytest.raises(InvalidInputError, match="exactly one"):
        find_subject(session, nik=NIK, passport=PASSPORT)
    with pytest.raises(NotFoundError, match="no person 424242"):
        find_subject(session, person_id=424242)
    nobody = find_subject(session, nik="3171010101010101")
    assert export_subject(session, nobody, OFFICER)["person_records"] == []


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    init_db(engine)
    with transaction(session_factory(engine)) as session:
        world = build(session)
    out = tmp_path / "rina.json"
    env = {"LINDUNGI_DATABASE_URL": url, "LINDUNGI_AUDIT_KEY_FILE": str(tmp_path / "k.pem")}
    result = CliRunner().invoke(app, ["persons", "export", "--nik", NIK, "--out", str(out)],
                                env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    made = json.loads(out.read_text(encoding="utf-8"))
    assert made["subject"]["person_ids"] == [world.person]
    assert "2 person records, 1 cases, 1 screenings, 1 monitoring" in result.stderr
    both = CliRunner().invoke(app, ["persons", "export", "--nik", NIK, "--passport", PASSPORT,
                                    "--out", str(out)], env=env)  # fmt: skip
    assert both.exit_code == 1
    assert "give exactly one of a NIK" in both.stderr
    engine.dispose()
