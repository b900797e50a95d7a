"""``lindungi audit accessed`` on both databases: the people whose data was read or
exported in a window, resolved through the person index, with only what a notice needs;
collections and vanished records reported apart; the command audited itself."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
import typer
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from lindungi.audit.accessed import accessed
from lindungi.audit.accessed_cli import accessed_command
from lindungi.audit.models import AuditEntryRow
from lindungi.db import make_engine, session_factory, transaction
from lindungi.migrate import init_db

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "people"))
from pdp_world import HOUR, NIK, PASSPORT, PHONE, T0, accesses, build

# `lindungi audit accessed` as registered in lindungi.audit.cli.
app = typer.Typer()
audit_app = typer.Typer()
audit_app.command("accessed")(accessed_command)
app.add_typer(audit_app, name="audit")


def test_the_people_read_or_exported_in_a_window(session: Session) -> None:
    world = build(session)
    accesses(session, world)
    found = accessed(session, T0, T0 + 5 * HOUR)
    assert found.entries == 7  # reads and exports of personal data; denied/update/late not
    by = {p.subject: p for p in found.people}
    assert sorted(by) == [f"case:{world.other_case}", f"person:{world.person}"]
    rina = by[f"person:{world.person}"]
    # Case, person, enrolment and screening all resolve to the one person in the index.
    assert rina.accesses == 4
    assert rina.records == {f"cases:{world.case}", f"persons:{world.person}",
                            f"monitoring_enrolments:{world.enrolment}",
                            f"screenings:{world.screening}"}  # fmt: skip
    assert (rina.name, rina.contact_route, rina.contact) == ("Rina Wulandari", "phone", PHONE)
    assert rina.actors == {"bp2mi.siti", "imigrasi.andi", "kemlu.rudi"}
    assert rina.agencies == {"bp2mi", "imigrasi", "kemlu"}
    assert rina.fields == {"full_name", "narrative"}
    assert (rina.first_access, rina.last_access) == (T0 + HOUR, T0 + 4 * HOUR)
    dewi = by[f"case:{world.other_case}"]
    assert (dewi.name, dewi.contact_route, dewi.contact) == ("Dewi", "reporter", "+6285600000001")
    assert found.collections == {"cases:queue": 1}
    assert found.unresolved == {"cases:999999": 1}
    row = rina.row()
    assert NIK not in str(row)
    assert PASSPORT not in str(row)


def test_filters_by_actor_and_agency(session: Session) -> None:
    world = build(session)
    accesses(session, world)
    kemlu = accessed(session, T0, T0 + 5 * HOUR, agency="kemlu")
    assert [p.subject for p in kemlu.people] == [f"person:{world.person}"]
    assert kemlu.people[0].records == {f"monitoring_enrolments:{world.enrolment}"}
    andi = accessed(session, T0, T0 + 10 * HOUR, actor="imigrasi.andi")
    assert sorted(p.subject for p in andi.people) == [
        f"person:{world.person}", f"person_record:{world.stranger_record}"]  # fmt: skip
    stranger = next(p for p in andi.people if p.subject.startswith("person_record"))
    assert (stranger.name, stranger.contact) == ("Budi Santoso", "+6281299990000")
    with pytest.raises(ValueError, match="start must be before its end"):
        accessed(session, T0, T0)


def test_the_command_writes_the_csv_and_is_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    init_db(engine)
    with transaction(session_factory(engine)) as session:
        world = build(session)
        accesses(session, world)
    out = tmp_path / "affected.csv"
    env = {"LINDUNGI_DATABASE_URL": url, "LINDUNGI_AUDIT_KEY_FILE": str(tmp_path / "k.pem")}
    result = CliRunner().invoke(app, ["audit", "accessed", "--from", "2026-10-01T08:00:00Z",
                                      "--to", "2026-10-01T13:00", "--out", str(out)], env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["subject"] for r in rows] == [f"person:{world.person}", f"case:{world.other_case}"]
    assert rows[0]["accesses"] == "4"
    assert rows[0]["contact"] == PHONE
    assert NIK not in out.read_text(encoding="utf-8")
    assert "7 reads/exports of personal data in the window; 2 people affected" in result.stderr
    assert "collection cases:queue: 1 accesses (cannot be resolved to people)" in result.stderr
    with transaction(session_factory(engine)) as session:
        last = session.query(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).first()
        assert last is not None
        assert (last.action, last.resource_type) == ("export", "audit")
        assert last.resource_id.startswith("accessed:2026-10-01T08:00:00+00:00/")
    bad = CliRunner().invoke(app, ["audit", "accessed", "--from", "yesterday", "--to", "now"],
                             env=env)  # fmt: skip
    assert bad.exit_code == 1
    assert "--from: 'yesterday' is not an ISO 8601 date or time" in bad.stderr
    engine.dispose()
