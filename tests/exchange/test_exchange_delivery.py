"""Delivering agency events to a real HTTP receiver on loopback (both databases): each
webhook is signed as Standard Webhooks says and verifies with that library; a receiver
that fails or hangs is retried with growing waits and ends in the dead letters, which an
operator replays; a crash between sending and recording sends again with the same event
id, so a receiver that keeps ids takes each event once."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.errors import ConflictError, NotFoundError
from lindungi.exchange import delivery, sealing, service
from lindungi.exchange.models import Delivery, Subscription
from tests_support import serving

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
KEMLU = Principal.of(2, "admin.kemlu", "kemlu", ("admin",), None)
POLRI = Principal.of(3, "admin.polri", "polri", ("admin",), None)
T0 = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)  # after every event of the run


class Receiver(ThreadingHTTPServer):
    """An agency's webhook endpoint: verifies signatures, keeps each event id once (as a
    careful receiver does), and can be told to fail or to hang."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.posts: list[tuple[dict[str, str], str]] = []
        self.taken: dict[str, dict[str, Any]] = {}
        self.status = 200
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/events"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver
    protocol_version = "HTTP/1.1"  # keep-alive, as the dispatcher's pool expects

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        time.sleep(self.server.delay)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.posts.append((headers, body))
        if self.server.status == 200:
            self.server.taken.setdefault(headers["webhook-id"], json.loads(body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving(Receiver()) as server:
        yield server


@pytest.fixture
def hooks() -> Iterator[dict[str, delivery.Transport]]:
    made = delivery.Webhooks(timeout=0.5)
    yield {"webhook": made}
    made.close()


def _open_case(session: Session, summary: str = "paspor ditahan") -> int:
    made = cases.report(session, {"channel": "hotline", "summary": summary, "country": "KH",
                                  "full_name": "Siti Rahma"}, WORKER)  # fmt: skip
    return made.case.id


def _subscribe(session: Session, receiver: Receiver, who: Principal = KEMLU) -> Subscription:
    return service.subscribe(session, who, name="pusat komando", transport="webhook",
                             kinds=["case.opened", "case.stage_changed"], url=receiver.url,
                             fields={"case.opened": ["case_id", "country"]})  # fmt: skip


def test_a_signed_event_reaches_the_agency_with_only_its_granted_fields(
    session: Session, receiver: Receiver, hooks: dict[str, delivery.Transport]
) -> None:
    sub = _subscribe(session, receiver)
    cid = _open_case(session)
    cases.move(session, cid, "verify", "keluarga mengonfirmasi", WORKER)
    done = delivery.dispatch(session, hooks, T0)
    assert (done.delivered, done.retrying, done.dead) == (2, 0, 0)
    (h1, b1), (h2, b2) = receiver.posts
    assert sub.secret is not None
    opened = Webhook(sub.secret).verify(b1, h1)
    assert opened["type"] == "case.opened"
    assert opened["source"] == "bp2mi"
    assert opened["data"] == {"case_id": cid, "country": "KH"}  # the granted view only
    assert "Siti" not in b1
    assert "Siti" not in b2
    assert h1["webhook-id"] == opened["id"] == h1["idempotency-key"]
    moved = Webhook(sub.secret).verify(b2, h2)
    assert moved["data"]["to_state"] == "verified"
    assert moved["data"]["reason"]
    # A tampered body or another agency's secret does not verify.
    with pytest.raises(WebhookVerificationError):
        Webhook(sub.secret).verify(b1.replace("KH", "MM"), h1)
    with pytest.raises(WebhookVerificationError):
        Webhook(service.new_secret()).verify(b1, h1)
    rows = session.scalars(select(Delivery).where(Delivery.subscription_id == sub.id)).all()
    assert {(r.status, r.attempts) for r in rows} == {("delivered", 1)}
    assert delivery.dispatch(session, hooks, T0).tried == 0  # nothing sent twice


def test_a_failing_receiver_is_retried_then_dead_lettered_then_replayed(
    session: Session, receiver: Receiver, hooks: dict[str, delivery.Transport]
) -> None:
    sub = _subscribe(session, receiver)
    _open_case(session)
    receiver.status = 500
    now = T0
    waits = []
    for _ in range(len(delivery.RETRY) + 1):
        done = delivery.dispatch(session, hooks, now)
        assert done.tried == 1
        row = session.scalars(select(Delivery).where(Delivery.subscription_id == sub.id)).one()
        if row.status == "pending":
            waits.append(row.next_attempt_at - now)
            assert delivery.dispatch(session, hooks, row.next_attempt_at
                                     - dt.timedelta(seconds=1)).tried == 0  # fmt: skip
            now = row.next_attempt_at
    assert waits == list(delivery.RETRY)
    assert row.status == "dead"
    assert row.attempts == 7
    assert row.last_error == f"{receiver.url} answered 500"
    assert [d.id for d in service.dead_letters(session, "kemlu")] == [row.id]
    assert service.dead_letters(session, "polri") == []
    with pytest.raises(NotFoundError):  # another agency cannot touch it
        service.replay(session, row.id, POLRI, now)
    receiver.status = 200
    service.replay(session, row.id, KEMLU, now)
    with pytest.raises(ConflictError, match="is pending, not dead"):
        service.replay(session, row.id, KEMLU, now)
    assert delivery.dispatch(session, hooks, now).delivered == 1
    assert len(receiver.taken) == 1
    assert row.replays == 1
    # Every attempt carried the same event id: the receiver saw one event, 8 times.
    assert len({h["webhook-id"] for h, _ in receiver.posts}) == 1
    assert len(receiver.posts) == 8


def test_a_receiver_that_hangs_is_a_failed_attempt_not_a_stuck_dispatcher(
    session: Session, receiver: Receiver, hooks: dict[str, delivery.Transport]
) -> None:
    sub = _subscribe(session, receiver)
    _open_case(session)
    receiver.delay = 1.5  # beyond the 0.5 s timeout
    done = delivery.dispatch(session, hooks, T0)
    assert (done.delivered, done.retrying) == (0, 1)
    row = session.scalars(select(Delivery).where(Delivery.subscription_id == sub.id)).one()
    assert row.last_error is not None
    assert "ReadTimeoutError" in row.last_error
    assert row.next_attempt_at == T0 + delivery.RETRY[0]


def test_a_crash_after_sending_sends_again_and_the_receiver_takes_it_once(
    session: Session, receiver: Receiver, hooks: dict[str, delivery.Transport]
) -> None:
    _subscribe(session, receiver)
    cid = _open_case(session)
    session.commit()  # the change and its event are committed: the outbox holds them
    crashed = session.begin_nested()
    delivery.dispatch(session, hooks, T0)  # sent …
    crashed.rollback()  # … and the dispatcher died before recording it
    assert len(receiver.posts) == 1
    done = delivery.dispatch(session, hooks, T0)
    assert done.delivered == 1
    assert len(receiver.posts) == 2  # at least once on the wire …
    assert len(receiver.taken) == 1  # … exactly once in effect
    [event] = receiver.taken.values()
    assert event["data"]["case_id"] == cid


def test_a_transport_that_is_not_configured_keeps_the_delivery_waiting(
    session: Session, hooks: dict[str, delivery.Transport]
) -> None:
    sub = service.subscribe(session, KEMLU, name="bus", transport="nats",
                            kinds=["case.opened"], bus_configured=True)  # fmt: skip
    _open_case(session)
    assert delivery.dispatch(session, hooks, T0).retrying == 1
    row = session.scalars(select(Delivery).where(Delivery.subscription_id == sub.id)).one()
    assert row.last_error == "no nats transport is configured"
    with pytest.raises(ConflictError, match="no message bus is configured"):
        service.subscribe(session, KEMLU, name="bus", transport="nats", kinds=["case.opened"])


def test_webhook_secrets_are_sealed_at_rest_and_sign_as_given(
    session: Session, receiver: Receiver
) -> None:
    key = sealing.key_from("deployment-secret-" + "k" * 30)
    sub, secret = service.new_subscription(
        session, KEMLU, name="pusat komando", transport="webhook", kinds=["case.opened"],
        url=receiver.url, seal_key=key,
    )  # fmt: skip
    assert secret is not None
    assert sub.secret is not None
    assert sub.secret.startswith(sealing.PREFIX)
    assert secret not in sub.secret  # a copy of the database holds no usable secret
    cid = _open_case(session)
    right = delivery.Webhooks(timeout=0.5, seal_key=key)
    try:
        assert delivery.dispatch(session, {"webhook": right}, T0).delivered == 1
    finally:
        right.close()
    ((headers, body),) = receiver.posts
    assert Webhook(secret).verify(body, headers)["data"]["case_id"] == cid
    _open_case(session, "kedua")
    wrong = delivery.Webhooks(timeout=0.5, seal_key=sealing.key_from("another-" + "x" * 40))
    try:
        done = delivery.dispatch(session, {"webhook": wrong}, T0)
    finally:
        wrong.close()
    assert (done.delivered, done.retrying) == (0, 1)
    assert len(receiver.posts) == 1  # nothing unsigned or wrongly signed went out
    failed = session.scalars(select(Delivery).where(Delivery.status == "pending")).one()
    assert "does not open with this LINDUNGI_SECRET_KEY" in (failed.last_error or "")
