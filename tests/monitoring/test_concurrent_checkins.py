"""Check-in batches recorded at the same time on PostgreSQL (two gateways, or two stream
consumers): batches naming the same workers in different orders, with SOS among them,
must all be recorded, none refused with a deadlock, and each check-in held once."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from lindungi.auth.permissions import Principal
from lindungi.db import make_engine
from lindungi.migrate import init_db
from lindungi.monitoring import service
from lindungi.monitoring.models import Alert, Checkin, Enrolment
from tests_support import POSTGRES_URL, fresh_postgres_database

pytestmark = pytest.mark.postgres

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
T0 = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
WORKERS, GATEWAYS, BATCHES = 12, 2, 30


@pytest.fixture(scope="module")
def committed() -> Iterator[Engine]:
    """A database of its own whose transactions really commit (the shared test
    database rolls every test back, so it cannot show two writers at once)."""
    url = POSTGRES_URL.rsplit("/", 1)
    engine = make_engine(fresh_postgres_database(f"{url[0]}/{url[1]}_concurrency"))
    init_db(engine)
    yield engine
    engine.dispose()


def _enrol(session: Session, n: int) -> Enrolment:
    return service.enrol(session, {
        "full_name": f"Pekerja {n}", "passport_no": None, "phone": None, "country": "MY",
        "city": "Johor Bahru", "visa": "placement", "sponsor": "Kilang Contoh",
        "sponsor_contact": None, "recruiter_id": None, "embassy": "KJRI Johor Bahru",
        "every_minutes": 60, "grace_minutes": 30,
        "emergency_contacts": [{"name": "Pak Joko", "relation": "ayah", "phone": "+6281300001"}],
        "consent": {"version": "1", "purpose": "keselamatan pekerja", "collected": ["location"],
                    "retention_days": 30, "withdrawal": "lewat aplikasi atau hotline",
                    "language": "id", "given_at": T0},
    }, WORKER)  # fmt: skip


def test_concurrent_batches_on_the_same_workers_all_land(committed: Engine) -> None:
    sessions = sessionmaker(bind=committed, expire_on_commit=False)
    with sessions.begin() as session:
        subjects = [_enrol(session, n).subject for n in range(WORKERS)]
    failures: list[BaseException] = []
    start = threading.Barrier(GATEWAYS)

    def gateway(g: int) -> None:
        rng = random.Random(g)
        start.wait()
        for b in range(BATCHES):
            order = subjects[:]
            rng.shuffle(order)
            at = T0 + dt.timedelta(days=1, minutes=b, seconds=g)
            records = [{"subject": s, "kind": "sos" if (b + i + g) % 7 == 0 else "checkin",
                        "at": at.isoformat(), "lon": 103.7, "lat": 1.5}
                       for i, s in enumerate(order)]  # fmt: skip
            try:
                with sessions.begin() as session:
                    answer = service.ingest(session, f"gerbang{g}", f"g{g}-b{b}", records,
                                            now=at + dt.timedelta(minutes=1))  # fmt: skip
                assert answer.accepted == WORKERS, answer
            except BaseException as error:
                failures.append(error)
                return

    threads = [threading.Thread(target=gateway, args=(g,)) for g in range(GATEWAYS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures[0]
    with sessions() as session:
        held = session.scalar(select(func.count(Checkin.id)))
        distinct = session.scalar(
            select(func.count()).select_from(
                select(Checkin.enrolment_id, Checkin.kind, Checkin.at).distinct().subquery()
            )
        )
        assert held == distinct == WORKERS * GATEWAYS * BATCHES
        # SOS alerts are counted as repeats on each worker's one open alert, never twice open.
        open_per_worker = session.execute(
            select(Alert.enrolment_id, func.count(Alert.id))
            .where(Alert.kind == "sos", Alert.status != "resolved")
            .group_by(Alert.enrolment_id)
        ).all()  # fmt: skip
        assert open_per_worker
        assert all(count == 1 for _, count in open_per_worker)
