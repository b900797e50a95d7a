"""``lindungi monitoring`` as an operator's timers run it: tick opens the alert of a
silent worker and climbs its ladder once, deliver sends what is due (and says what had
nowhere to go), purge keeps to the agreed retention, consume refuses without a stream."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from lindungi.auth.permissions import Principal
from lindungi.cli import app
from lindungi.db import make_engine, session_factory
from lindungi.monitoring import service

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)


def test_the_timers_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run = CliRunner()
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    given = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with session_factory(make_engine(db))() as session:
        service.enrol(session, {
            "full_name": "Rina", "passport_no": None, "phone": None, "country": "KH",
            "city": None, "visa": "digital_work", "sponsor": "Contoh", "sponsor_contact": None,
            "recruiter_id": None, "embassy": "KBRI Phnom Penh", "every_minutes": 1440,
            "grace_minutes": 60,
            "emergency_contacts": [{"name": "Ibu", "relation": "ibu", "phone": "+6281200002"}],
            "consent": {"version": "1", "purpose": "keselamatan pekerja",
                        "collected": ["location"], "retention_days": 30,
                        "withdrawal": "lewat aplikasi atau hotline", "language": "id",
                        "given_at": given},
        }, WORKER)  # fmt: skip
        session.commit()
    early = run.invoke(app, ["monitoring", "tick", "--now", "2026-11-02T00:30:00+00:00",
                             "--db", db])  # fmt: skip
    assert early.stdout == "0 alerts opened, 0 ladder steps taken\n", early.output
    late = ["monitoring", "tick", "--now", "2026-11-02T01:30:00+00:00", "--db", db]
    assert run.invoke(app, late).stdout == "1 alerts opened, 1 ladder steps taken\n"
    assert run.invoke(app, late).stdout == "0 alerts opened, 0 ladder steps taken\n"
    delivered = run.invoke(app, ["monitoring", "deliver", "--db", db])
    assert delivered.exit_code == 0, delivered.output
    assert delivered.stdout == "nothing due\n"  # the reminder had no gateway configured
    purged = run.invoke(app, ["monitoring", "purge", "--db", db])
    assert "0 check-ins past retention" in purged.stdout
    no_stream = run.invoke(app, ["monitoring", "consume", "--db", db])
    assert no_stream.exit_code == 1
    assert "LINDUNGI_NATS_URL is not set" in no_stream.output
    odd = run.invoke(app, late, env={"LINDUNGI_ALERT_LADDERS": '{"sos": [["call_mum", 0]]}'})
    assert odd.exit_code != 0
    assert "step 'call_mum'" in odd.output
    bad = run.invoke(app, ["monitoring", "tick", "--now", "yesterday", "--db", db])
    assert bad.exit_code == 1
    assert "--now 'yesterday': expected an ISO 8601 time" in bad.output


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_zones_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run = CliRunner()
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                   '"properties": {"zone_id": "z1", "kind": "mine"}, "geometry": null}]}')  # fmt: skip
    refused = run.invoke(app, ["monitoring", "zones-import", str(bad), "--db", db])
    assert refused.exit_code == 1
    assert "z1" in refused.output
    if SHARED.is_dir():
        seeded = run.invoke(app, ["monitoring", "zones-seed", "--points",
                                  str(SHARED / "scam_hub_reference_points.csv"), "--db", db])  # fmt: skip
        assert seeded.exit_code == 0, seeded.output
        assert "high-risk zones added" in seeded.stdout
        assert "skipped line 13 (Golden Triangle SEZ" in seeded.output
    out = tmp_path / "zones.geojson"
    written = run.invoke(app, ["monitoring", "zones-export", str(out), "--db", db])
    assert written.exit_code == 0, written.output
    again = run.invoke(app, ["monitoring", "zones-import", str(out), "--db", db])
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("0 zones added")
