"""``lindungi exchange`` as an operator runs it: deliver sends the outbox to a real
receiver and says what it did, a receiver that is down fills the dead letters, and
replay puts them back (audited); bad arguments exit non-zero with a message."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner

from lindungi.audit.models import AuditEntryRow
from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.cli import app
from lindungi.db import make_engine, session_factory
from lindungi.exchange import service
from lindungi.exchange.models import Delivery
from tests_support import serving

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
KEMLU = Principal.of(2, "admin.kemlu", "kemlu", ("admin",), None)


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


def test_deliver_dead_letters_and_replay_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    run = CliRunner()
    assert run.invoke(app, ["init", "--db", db]).exit_code == 0
    engine = make_engine(db)
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Hook)) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/events"
        with session_factory(engine)() as session:
            up = service.subscribe(session, KEMLU, name="naik", transport="webhook",
                                   kinds=["case.opened"], url=url)  # fmt: skip
            down = service.subscribe(session, KEMLU, name="mati", transport="webhook",
                                     kinds=["case.opened"], url="http://127.0.0.1:9/x")  # fmt: skip
            for n in range(3):
                cases.report(session, {"channel": "hotline", "summary": f"laporan {n}"}, WORKER)
            session.commit()
        first = run.invoke(app, ["exchange", "deliver", "--db", db])
        assert first.exit_code == 0, first.output
        assert first.stdout == "3 delivered, 3 to retry, 0 dead\n"
        again = run.invoke(app, ["exchange", "deliver", "--db", db])
        assert again.stdout == "0 delivered, 0 to retry, 0 dead\n"  # the retries wait
        with session_factory(engine)() as session:  # the down receiver used up its retries
            session.execute(update(Delivery).where(Delivery.subscription_id == down.id)
                            .values(status="dead", attempts=7))  # fmt: skip
            session.commit()
        listed = run.invoke(app, ["exchange", "dead-letters", "--db", db])
        lines = listed.stdout.splitlines()
        assert len(lines) == 3
        assert f"subscription {down.id}\tcase.opened\t7 attempts" in lines[0]
        assert run.invoke(app, ["exchange", "replay", "--db", db]).exit_code == 1
        one = run.invoke(app, ["exchange", "replay", lines[0].split("\t")[0], "--db", db])
        assert one.stdout == "1 deliveries back in the queue\n", one.output
        assert run.invoke(app, ["exchange", "replay", "999", "--db", db]).exit_code == 1
        rest = run.invoke(app, ["exchange", "replay", "--all", "--agency", "kemlu", "--db", db])
        assert rest.stdout == "2 deliveries back in the queue\n"
        assert run.invoke(app, ["exchange", "dead-letters", "--db", db]).stdout == ""
    with session_factory(engine)() as session:
        statuses = session.scalars(
            select(Delivery.status).where(Delivery.subscription_id == up.id)
        ).all()
        assert statuses == ["delivered"] * 3
        replays = session.scalars(
            select(AuditEntryRow.resource_id).where(
                AuditEntryRow.resource_type == "exchange_deliveries"
            )
        ).all()
        assert replays[-1] == "dead:kemlu"
        assert len(replays) == 2
    engine.dispose()
