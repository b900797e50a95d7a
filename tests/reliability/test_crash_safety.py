"""Crash safety: SIGKILL a served hub at random moments while clients write to it, then
check that every write a client saw acknowledged is stored exactly once and that the
audit log still verifies.

An SQLite hub and a PostgreSQL hub are crashed side by side (the waits of one overlap
the other's), ``LINDUNGI_CRASH_KILLS`` times each (default 100). Each hub's first server
is a cold ``python -m lindungi serve``; the restarts are forked from a process that has
already built the app (``crash_server.py``), every ``FULL_EVERY``-th one running the
whole ``lindungi serve`` command, because a cold start costs seconds of CPU and the
start is not what is under test. Kill moments are drawn from a generator seeded with
``LINDUNGI_CRASH_SEED``. What this proves, and the figures: docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx2 as httpx
import pytest
from crash_clients import SUMMARY, CheckinClient, Client, Ledger, MoveClient, ReportClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from lindungi.cli import app
from lindungi.db import make_engine
from tests_support import POSTGRES_URL, TEST_SECRET, free_port, fresh_postgres_database

KILLS = int(os.environ.get("LINDUNGI_CRASH_KILLS", "100"))
SEED = int(os.environ.get("LINDUNGI_CRASH_SEED", "20240611"))
FORK_SERVER = Path(__file__).with_name("crash_server.py")
HUB_DATABASE = "lindungi_crash_hub"
#: Every so many restarts run the whole ``lindungi serve`` command in the child.
FULL_EVERY = 40


@dataclass
class Hub:
    """A database made ready for the crash test, how to serve it, and what happened."""

    name: str
    env: dict[str, str]
    url: str
    port: int
    log: Path
    ledger: Ledger = field(default_factory=Ledger)
    figures: dict[str, Any] = field(default_factory=dict)
    subject: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def hub_env(folder: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")}
    env |= {
        "LINDUNGI_DATABASE_URL": url,
        "LINDUNGI_ENVIRONMENT": "test",
        "LINDUNGI_SECRET_KEY": TEST_SECRET,
        "LINDUNGI_AUDIT_KEY_FILE": str(folder / "audit-ed25519.pem"),
        # Sign a checkpoint every second, so kills land in checkpointing too.
        "LINDUNGI_AUDIT_CHECKPOINT_INTERVAL_SECONDS": "1",
        "XDG_DATA_HOME": str(folder / "data"),
    }
    return env


def make_hub(name: str, folder: Path) -> Hub:
    """An initialised hub database with a case worker and a check-in gateway."""
    folder.mkdir()
    if name == "sqlite":
        url = f"sqlite:///{folder / 'hub.db'}"
    else:
        url = make_url(POSTGRES_URL).set(database=HUB_DATABASE).render_as_string(False)
        fresh_postgres_database(url)
    hub = Hub(name, hub_env(folder, url), url, free_port(), folder / "serve.log")
    runner = CliRunner()
    for args in (
        ["init"],
        ["users", "add", "bp2mi.crash", "--agency", "bp2mi", "--role", "case_worker"],
        ["users", "add", "bp2mi.gateway", "--agency", "bp2mi", "--role", "gateway"],
    ):
        done = runner.invoke(app, args, env=hub.env)
        assert done.exit_code == 0, done.output
    return hub


def token(hub: Hub, username: str) -> str:
    done = CliRunner().invoke(app, ["tokens", "issue", username], env=hub.env)
    assert done.exit_code == 0, done.output
    return done.stdout.strip()


def wait_until_up(base: str) -> None:
    """Poll ``/healthz`` until the hub answers (one client: making one per poll costs CPU)."""
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=base, timeout=2) as http:
        while time.monotonic() < deadline:
            try:
                if http.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.02)
    raise AssertionError(f"the hub did not start at {base}")


class ForkServer:
    """The helper process that forks ``lindungi serve`` children and SIGKILLs them."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.proc = subprocess.Popen(
            [sys.executable, str(FORK_SERVER)], env=hub.env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip

    def ask(self, command: str | None) -> str:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None
        assert stdout is not None
        if command is not None:
            stdin.write(command + "\n")
            stdin.flush()
        return stdout.readline().strip()

    def spawn(self, command: str = "spawn") -> None:
        """Start a server: ``spawn`` the app built once, or ``serve`` the whole command."""
        assert self.ask(f"{command} {self.hub.port} {self.hub.log}").isdigit()

    def kill(self) -> None:
        """SIGKILL the served hub; it must have been alive until then."""
        answer = self.ask("kill").split()
        assert answer[0] == "killed", answer
        assert answer[2] == str(int(signal.SIGKILL)), f"the hub had died already: {answer}"

    def close(self) -> None:
        self.ask("kill")
        self.ask("quit")
        self.proc.wait(timeout=30)


@pytest.fixture
def hubs(tmp_path: Path) -> Iterator[list[tuple[Hub, ForkServer]]]:
    """An SQLite hub and a PostgreSQL hub, each with its fork server (started together)."""
    made = [make_hub(name, tmp_path / name) for name in ("sqlite", "postgresql")]
    servers = [ForkServer(hub) for hub in made]
    try:
        for server in servers:
            assert server.ask(None) == "ready"
        yield list(zip(made, servers, strict=True))
    finally:
        for server in servers:
            server.close()


def cold_serve(hub: Hub, log: IO[str]) -> subprocess.Popen[str]:
    """``lindungi serve`` started as a new process, as an operator would."""
    return subprocess.Popen(
        [sys.executable, "-m", "lindungi", "serve", "--port", str(hub.port)],
        env=hub.env, stdout=log, stderr=log, text=True,
    )  # fmt: skip


def enrol(hub: Hub, case_worker: str) -> str:
    consent = {
        "version": "v1", "purpose": "Safety check-ins while working abroad",
        "collected": ["location", "checkin_time"], "retention_days": 30,
        "withdrawal": "Withdraw any time in the app", "given_at": dt.datetime.now(dt.UTC).isoformat(),
    }  # fmt: skip
    body = {
        "full_name": "Synthetic Worker", "country": "KH", "visa": "placement",
        "sponsor": "PT Synthetic", "embassy": "KBRI Phnom Penh", "every_minutes": 60,
        "grace_minutes": 60, "consent": consent,
        "emergency_contacts": [{"name": "Family", "relation": "mother", "phone": "+62811000"}],
    }  # fmt: skip
    made = httpx.post(f"{hub.base}/api/v1/monitoring/enrolments", json=body,
                      headers={"Authorization": f"Bearer {case_worker}"}, timeout=60)  # fmt: skip
    assert made.status_code == 201, made.text
    subject: str = made.json()["subject"]
    return subject


def make_clients(hub: Hub, stop: threading.Event, case_worker: str, gateway: str) -> list[Client]:
    """Two gateways sending check-ins, a hotline operator, and two case workers moving cases."""
    opened: queue.Queue[tuple[int, str]] = queue.Queue()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=12)
    ledger, subject = hub.ledger, hub.subject
    return [
        *(CheckinClient(f"checkins-{i}", hub.base, gateway, ledger, stop, subject=subject,
                        prefix=f"batch-{i}", start=start + dt.timedelta(hours=4 * i))
          for i in range(2)),
        ReportClient("reports", hub.base, case_worker, ledger, stop, prefix="report",
                     opened=opened),
        *(MoveClient(f"moves-{i}", hub.base, case_worker, ledger, stop, opened=opened)
          for i in range(2)),
    ]  # fmt: skip


def window(rng: random.Random) -> float:
    """How long a server lives: mostly briefly, sometimes long enough for a slow write
    (a hotline report hashes its reporter's secret with Argon2) to be answered."""
    return rng.uniform(0.02, 0.35) if rng.random() < 0.75 else rng.uniform(0.5, 1.2)


def crash_repeatedly(hub: Hub, fork_server: ForkServer, case_worker: str, gateway: str) -> None:
    """Serve, write, SIGKILL, restart, ``KILLS`` times; then let the clients finish."""
    began = time.monotonic()
    rng = random.Random(f"{SEED}-{hub.name}")
    stop = threading.Event()
    clients: list[Client] = []
    with hub.log.open("a") as log:
        started = time.monotonic()
        cold = cold_serve(hub, log)
        try:
            wait_until_up(hub.base)
            cold_start = time.monotonic() - started
            hub.subject = enrol(hub, case_worker)
            clients = make_clients(hub, stop, case_worker, gateway)
            for client in clients:
                client.start()
            time.sleep(window(rng))
        finally:
            cold.send_signal(signal.SIGKILL)
            assert cold.wait(timeout=30) == -signal.SIGKILL
        kills = 1
        restarts: list[float] = []
        full: list[float] = []
        try:
            while kills < KILLS:
                started = time.monotonic()
                whole = kills % FULL_EVERY == 0
                fork_server.spawn("serve" if whole else "spawn")
                wait_until_up(hub.base)
                (full if whole else restarts).append(time.monotonic() - started)
                time.sleep(window(rng))
                fork_server.kill()
                kills += 1
            fork_server.spawn()  # the last start: let every client finish the write in hand
            wait_until_up(hub.base)
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=120)
    for client in clients:
        assert not client.is_alive(), f"{hub.name} {client.name} did not finish"
        assert client.error is None, f"{hub.name} {client.name}: {client.error!r}"
    hub.figures = {
        "kills": kills, "cold_start_s": round(cold_start, 2),
        "restarts": {"forked_app": len(restarts), "full_command": len(full)},
        "restart_s_median": {"forked_app": _median(restarts), "full_command": _median(full)},
        "crash_phase_s": round(time.monotonic() - began, 1),
    }  # fmt: skip


@pytest.mark.postgres
def test_acknowledged_writes_survive_sigkill_exactly_once(
    hubs: list[tuple[Hub, ForkServer]], request: pytest.FixtureRequest
) -> None:
    began = time.monotonic()
    logins = [(token(hub, "bp2mi.crash"), token(hub, "bp2mi.gateway")) for hub, _ in hubs]
    errors: list[BaseException] = []

    def run(hub: Hub, server: ForkServer, case_worker: str, gateway: str) -> None:
        try:
            crash_repeatedly(hub, server, case_worker, gateway)
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)

    runs = [threading.Thread(target=run, args=(*pair, *login), name=pair[0].name)
            for pair, login in zip(hubs, logins, strict=True)]  # fmt: skip
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    if errors:
        raise errors[0]
    for hub, server in hubs:
        server.ask("kill")
        hub.figures |= verify(hub)
        hub.figures |= {
            "unknown_outcomes": dict(hub.ledger.unknown),
            "server_errors": dict(hub.ledger.server_errors),
        }
    figures = {hub.name: hub.figures for hub, _ in hubs}
    figures["total"] = {"kills": sum(f["kills"] for f in figures.values()), "seed": SEED,
                        "duration_s": round(time.monotonic() - began, 1)}  # fmt: skip
    print("crash-safety figures:", json.dumps(figures))
    request.node.user_properties.append(("crash_figures", figures))
    for hub, _ in hubs:
        assert hub.ledger.failures == [], hub.name
        assert hub.figures["kills"] >= KILLS


def verify(hub: Hub) -> dict[str, object]:
    """Compare the database with the ledger; run ``lindungi audit verify``."""
    ledger, subject = hub.ledger, hub.subject
    engine = make_engine(hub.url)
    with engine.connect() as conn:
        enrolment = conn.execute(text("SELECT id FROM monitoring_enrolments WHERE subject = :s"),
                                 {"s": subject}).scalar_one()  # fmt: skip
        batches = conn.execute(text("SELECT key, id FROM monitoring_batches")).all()
        checkins = conn.execute(
            text("SELECT batch_id, at FROM monitoring_checkins WHERE enrolment_id = :e"),
            {"e": enrolment},
        ).all()
        cases = conn.execute(text("SELECT id, tracking_no, summary, state FROM cases")).all()
        events = conn.execute(text("SELECT case_id, action, to_state, reason FROM case_events "
                                   "ORDER BY id")).all()  # fmt: skip
        audited = conn.execute(text(
            "SELECT resource_id, action FROM audit_entries WHERE resource_type = 'cases' "
            "AND action IN ('create', 'transition')")).all()  # fmt: skip
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    engine.dispose()

    # Check-ins: every acknowledged batch once, under the id it was answered with, and
    # each of its check-ins once; nothing stored that no client was told about.
    by_key = Counter(key for key, _ in batches)
    assert {k: n for k, n in by_key.items() if n != 1} == {}
    assert set(by_key) == set(ledger.batches)
    batch_ids = dict(batches)
    expected_at: dict[dt.datetime, int] = {}
    for key, (records, answer) in ledger.batches.items():
        assert answer["batch_id"] == batch_ids[key], key
        assert (answer["accepted"], answer["duplicates"], answer["rejected"]) == (3, 0, []), key
        for record in records:
            expected_at[dt.datetime.fromisoformat(record["at"])] = answer["batch_id"]
    stored_at = Counter(_utc(at) for _, at in checkins)
    assert {at: n for at, n in stored_at.items() if n != 1} == {}
    assert {_utc(at): batch for batch, at in checkins} == expected_at

    # Cases: every acknowledged report stored under its id and tracking number, and a
    # report resent after a lost answer (with its Idempotency-Key) finds its case: none
    # is stored twice.
    stored = {row.id: row for row in cases}
    for marker, (case_id, tracking_no) in ledger.cases.items():
        assert stored[case_id].tracking_no == tracking_no
        assert stored[case_id].summary == SUMMARY + marker
    acked_ids = {case_id for case_id, _ in ledger.cases.values()}
    extras = [row.summary.removeprefix(SUMMARY) for row in cases if row.id not in acked_ids]
    assert extras == []
    assert len(stored) == len(ledger.cases)

    # Moves: each acknowledged (or found) move once in its case's timeline, no other
    # move, and the case's state is where its timeline ends.
    moves = Counter((e.case_id, e.reason) for e in events if e.action != "report")
    assert {m: n for m, n in moves.items() if n != 1} == {}
    assert set(moves) == set(ledger.moves) | set(ledger.moves_found)
    assert len(ledger.moves) + len(ledger.moves_found) == len(moves)
    reports = Counter(e.case_id for e in events if e.action == "report")
    assert reports == Counter(list(stored))
    last = {e.case_id: e.to_state for e in events}
    assert {i: row.state for i, row in stored.items()} == last

    # The audit log: one creation per case and one transition per move, in the same
    # transactions as the writes; and the whole log and its checkpoints verify.
    creations = Counter(int(r.resource_id) for r in audited if r.action == "create")
    transitions = Counter(int(r.resource_id) for r in audited if r.action == "transition")
    assert creations == Counter(list(stored))
    assert transitions == Counter(case_id for case_id, _ in moves)
    verified = CliRunner().invoke(app, ["audit", "verify"], env=hub.env)
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("audit log verified: ")
    return {
        "acknowledged": {"checkin_batches": len(ledger.batches),
                         "checkins": len(expected_at), "reports": len(ledger.cases),
                         "moves": len(ledger.moves)},
        "moves_recorded_but_unacknowledged": len(ledger.moves_found),
        "reports_resent": len(ledger.resent_reports), "extra_cases_from_resent_reports":
        len(extras), "lost": 0, "duplicated": 0, "audit_verify": verified.stdout.strip(),
    }  # fmt: skip


def _utc(moment: dt.datetime | str) -> dt.datetime:
    """A stored timestamp as aware UTC (SQLite hands back text or naive values)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _median(values: list[float]) -> float | None:
    return round(sorted(values)[len(values) // 2], 3) if values else None
