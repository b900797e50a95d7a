"""The check-in stream on the real NATS JetStream server, on both databases: the API
queues a batch (202) and the consumer records it with the same handler as the in-process
path; a resent batch is dropped by JetStream and, past its window, replayed harmlessly; a
consumer that crashes before or after committing loses nothing and counts nothing twice;
a message that can never be recorded is taken off the stream and named."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import nats
import nats.js.errors
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.auth.permissions import Principal
from lindungi.monitoring import service, stream
from lindungi.monitoring.models import Checkin, CheckinBatch, Enrolment
from lindungi.settings import Settings

NATS_URL = os.environ.get("LINDUNGI_TEST_NATS_URL", "nats://127.0.0.1:4222")
WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
MakeHeaders = Callable[..., dict[str, str]]


@pytest.fixture
def where() -> Iterator[stream.Stream]:
    """A stream of this test's own, so tests never read each other's messages; removed
    from the server afterwards."""
    made = stream.Stream(NATS_URL, name=f"LINDUNGI_TEST_{uuid.uuid4().hex[:10].upper()}")
    yield made

    async def drop() -> None:
        client = await nats.connect(made.url)
        try:
            await client.jetstream().delete_stream(made.name)
        except nats.js.errors.NotFoundError:
            pass
        finally:
            await client.close()

    asyncio.run(drop())


def _enrolled(sessions: sessionmaker[Session]) -> Enrolment:
    with sessions() as session:
        enrolment = service.enrol(session, {
            "full_name": "Rina", "passport_no": None, "phone": None, "country": "KH",
            "city": None, "visa": "digital_work", "sponsor": "Contoh", "sponsor_contact": None,
            "recruiter_id": None, "embassy": "KBRI Phnom Penh", "every_minutes": 60,
            "grace_minutes": 30,
            "emergency_contacts": [{"name": "Ibu", "relation": "ibu", "phone": "+6281200002"}],
            "consent": {"version": "1", "purpose": "keselamatan pekerja",
                        "collected": ["location"], "retention_days": 30,
                        "withdrawal": "lewat aplikasi atau hotline", "language": "id",
                        "given_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=1)},
        }, WORKER)  # fmt: skip
        session.commit()
        return enrolment


def _batch(subject: str, n: int) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    return [{"subject": subject, "at": (now - dt.timedelta(minutes=m)).isoformat(),
             "lon": 104.9, "lat": 11.5} for m in range(1, n + 1)]  # fmt: skip


def _held(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(Checkin.id))) or 0


def test_the_api_queues_and_the_consumer_records_once(
    settings: Settings, sessions: sessionmaker[Session], where: stream.Stream,
    headers_for: MakeHeaders,
) -> None:  # fmt: skip
    enrolment = _enrolled(sessions)
    app = create_app(settings.model_copy(update={"nats_url": where.url,
                                                 "nats_stream": where.name}),
                     sessions=sessions)  # fmt: skip
    batch = {"checkins": _batch(enrolment.subject, 3)}
    with TestClient(app) as client:
        gateway = {
            **headers_for("gerbang1", "bp2mi", "gateway"),
            "Idempotency-Key": "gw-batch-0001",
        }
        first = client.post("/api/v1/monitoring/checkins", headers=gateway, json=batch)
        again = client.post("/api/v1/monitoring/checkins", headers=gateway, json=batch)
    assert first.status_code == again.status_code == 202, first.text
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert _held(sessions) == 0  # queued, not yet recorded

    def handle(source: str, key: str, records: list[dict[str, Any]]) -> None:
        with sessions() as session:
            service.ingest(session, source, key, records)
            session.commit()

    assert stream.consume(where, handle, wait=0.5) == 1
    assert _held(sessions) == 3
    assert stream.consume(where, handle, wait=0.5) == 0  # nothing left, nothing twice


def test_a_crash_before_or_after_commit_loses_nothing_and_doubles_nothing(
    sessions: sessionmaker[Session], where: stream.Stream
) -> None:
    enrolment = _enrolled(sessions)
    pings = _batch(enrolment.subject, 3)
    for n, key in enumerate(("k-0001", "k-0002", "k-0003")):
        stream.publish(where, "gerbang1", key, pings[n : n + 1])

    def crashing(source: str, key: str, records: list[dict[str, Any]]) -> None:
        with sessions() as session:
            service.ingest(session, source, key, records)
            if key == "k-0001":
                raise RuntimeError("the consumer died before committing")
            session.commit()
            if key == "k-0002":
                raise RuntimeError("the consumer died after committing, before the ack")

    def steady(source: str, key: str, records: list[dict[str, Any]]) -> None:
        with sessions() as session:
            service.ingest(session, source, key, records)
            session.commit()

    with pytest.raises(RuntimeError, match="before committing"):
        stream.consume(where, crashing, wait=0.5, retry_delay=1)
    assert _held(sessions) == 0
    with pytest.raises(RuntimeError, match="after committing"):
        stream.consume(where, crashing, wait=0.5, retry_delay=1)  # k-0001 waits out a pause
    assert _held(sessions) == 1
    assert stream.consume(where, steady, wait=2) == 3  # k-0003, then k-0001 and k-0002 back
    assert _held(sessions) == 3  # every ping once: k-0002's second recording changed nothing
    with sessions() as session:
        keys = sorted(session.scalars(select(CheckinBatch.key)))
    assert keys == ["k-0001", "k-0002", "k-0003"]
    assert stream.consume(where, steady, wait=0.5) == 0


def test_a_message_that_can_never_be_recorded_is_taken_off_and_named(
    sessions: sessionmaker[Session], where: stream.Stream
) -> None:
    enrolment = _enrolled(sessions)
    stream.publish(where, "gerbang1", "same-key", _batch(enrolment.subject, 1))
    later = stream.Stream(where.url, where.name)

    def steady(source: str, key: str, records: list[dict[str, Any]]) -> None:
        with sessions() as session:
            service.ingest(session, source, key, records)
            session.commit()

    assert stream.consume(later, steady, wait=0.5) == 1
    # A key the hub already recorded with other content (another gateway process reused
    # it): it can never be recorded, so it must not come back forever.
    with sessions() as session:
        service.ingest(session, "gerbang1", "other-key", _batch(enrolment.subject, 1))
        session.commit()
    stream.publish(where, "gerbang1", "other-key", _batch(enrolment.subject, 2))
    refused: list[str] = []
    assert stream.consume(later, steady, wait=0.5, refused=refused) == 0
    assert len(refused) == 1
    assert "was used for a different batch" in refused[0]
