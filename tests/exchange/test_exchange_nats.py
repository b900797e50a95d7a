"""Agency events on the real NATS JetStream server (both databases): each agency's events
land on its own subjects with only the granted fields, and a dispatcher that dies after
publishing and before recording publishes again without a second message in the stream
(JetStream drops the repeated ``Nats-Msg-Id``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import nats
import pytest
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.exchange import delivery, service

NATS_URL = os.environ.get("LINDUNGI_TEST_NATS_URL", "nats://127.0.0.1:4222")
WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
KEMLU = Principal.of(2, "admin.kemlu", "kemlu", ("admin",), None)
POLRI = Principal.of(3, "admin.polri", "polri", ("admin",), None)


@pytest.fixture
def bus() -> Iterator[delivery.NatsBus]:
    """A bus on a stream of this test's own (removed afterwards)."""
    made = delivery.NatsBus(NATS_URL, f"LINDUNGI_TEST_EV_{uuid.uuid4().hex[:8].upper()}")
    yield made
    made.close()

    async def drop() -> None:
        client = await nats.connect(NATS_URL)
        try:
            await client.jetstream().delete_stream(made.stream)
        finally:
            await client.close()

    asyncio.run(drop())


def _messages(stream: str) -> list[tuple[str, dict[str, Any]]]:
    async def read() -> list[tuple[str, dict[str, Any]]]:
        client = await nats.connect(NATS_URL)
        try:
            js = client.jetstream()
            info = await js.stream_info(stream)
            got = []
            for seq in range(info.state.first_seq, info.state.last_seq + 1):
                message = await js.get_msg(stream, seq)
                got.append((message.subject, json.loads(message.data or b"{}")))
            return got
        finally:
            await client.close()

    return asyncio.run(read())


def test_each_agency_gets_its_events_on_its_own_subjects_once(
    session: Session, bus: delivery.NatsBus
) -> None:
    service.subscribe(session, KEMLU, name="bus", transport="nats", bus_configured=True,
                      kinds=["case.opened"])  # fmt: skip
    service.subscribe(session, POLRI, name="bus", transport="nats", bus_configured=True,
                      kinds=["case.legal_changed"])  # fmt: skip
    made = cases.report(session, {"channel": "hotline", "summary": "ditahan", "country": "KH",
                                  "full_name": "Siti Rahma"}, WORKER)  # fmt: skip
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    ways: dict[str, delivery.Transport] = {"nats": bus}
    crashed = session.begin_nested()
    assert delivery.dispatch(session, ways, now).delivered == 1  # published …
    crashed.rollback()  # … but never recorded: the next dispatcher publishes again
    assert delivery.dispatch(session, ways, now).delivered == 1
    assert delivery.dispatch(session, ways, now).tried == 0
    [(subject, body)] = _messages(bus.stream)  # one message in the stream, not two
    prefix = bus.stream.lower().replace("_", ".")
    assert subject == f"{prefix}.kemlu.case.opened"
    assert body["type"] == "case.opened"
    assert body["data"] == {"case_id": made.case.id, "agency": "bp2mi", "channel": "hotline",
                            "state": "reported", "country": "KH"}  # fmt: skip
    assert "Siti" not in json.dumps(body)


def test_an_unreachable_bus_is_a_failed_attempt(session: Session) -> None:
    service.subscribe(session, KEMLU, name="bus", transport="nats", bus_configured=True,
                      kinds=["case.opened"])  # fmt: skip
    cases.report(session, {"channel": "hotline", "summary": "x"}, WORKER)
    dead_bus = delivery.NatsBus("nats://127.0.0.1:1", "LINDUNGI_TEST_NOWHERE")
    try:
        now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        done = delivery.dispatch(session, {"nats": dead_bus}, now)
    finally:
        dead_bus.close()
    assert (done.delivered, done.retrying) == (0, 1)
