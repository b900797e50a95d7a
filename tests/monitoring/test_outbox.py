"""Delivering the outbox to real receivers on loopback: an HTTP server that records what
it is sent (and can be told to fail) and an SMTP server (aiosmtpd). A delivered
notification is sent once with its key; a failing receiver is retried with growing waits
and the notification is finally marked failed with the receiver's answer; nothing is lost
in between (both databases)."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.monitoring import alerts, outbox, service
from lindungi.monitoring.alerts import Routing
from lindungi.monitoring.models import Notification
from tests_support import serving

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
T0 = dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC)


class Receiver(ThreadingHTTPServer):
    """An HTTP server on loopback that keeps what it is posted, answering ``status``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.got: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.status = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.got.append((dict(self.headers), json.loads(body)))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving(Receiver()) as server:
        yield server


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[_Mailbox, int]]:
    box = _Mailbox()
    with socket.socket() as probe:  # a free port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def _sos(session: Session, routing: Routing) -> None:
    enrolment = service.enrol(session, {
        "full_name": "Budi Santoso", "passport_no": "C7654321", "phone": None,
        "country": "KH", "city": "Phnom Penh", "visa": "digital_work", "sponsor": "Contoh Co",
        "sponsor_contact": None, "recruiter_id": None, "embassy": "KBRI Phnom Penh",
        "every_minutes": 1440, "grace_minutes": 180,
        "emergency_contacts": [{"name": "Ibu Sri", "relation": "ibu", "phone": "+6281211112222"}],
        "consent": {"version": "1", "purpose": "keselamatan pekerja", "collected": ["sos"],
                    "retention_days": 30, "withdrawal": "lewat aplikasi atau hotline",
                    "language": "id", "given_at": T0},
    }, WORKER)  # fmt: skip
    ping = {"subject": enrolment.subject, "kind": "sos", "at": T0.isoformat(), "lon": 104.9,
            "lat": 11.5}  # fmt: skip
    service.ingest(session, "gerbang1", "sos-1", [ping], now=T0)
    alerts.tick(session, T0, routing)


def _dispatch(session: Session, senders: dict[str, outbox.Send], now: dt.datetime) -> list[str]:
    return [outbox.deliver(session, n, senders, now) for n in outbox.due(session, now)]


def test_webhook_and_email_are_delivered_once_with_their_keys(
    session: Session, receiver: Receiver, mailbox: tuple[_Mailbox, int]
) -> None:
    box, port = mailbox
    _sos(session, Routing(sms_webhook=receiver.url,
                          embassy_emails={"KBRI Phnom Penh": "pwni@example.go.id"}))  # fmt: skip
    senders = {"webhook": outbox.webhook(timeout=5),
               "email": outbox.email(outbox.SmtpServer("127.0.0.1", port, "alert@lindungi"))}  # fmt: skip
    assert sorted(_dispatch(session, senders, T0)) == ["sent", "sent"]
    assert _dispatch(session, senders, T0 + dt.timedelta(hours=1)) == []  # nothing twice
    [(headers, body)] = receiver.got
    assert body["to"] == "+6281211112222"
    assert headers["Idempotency-Key"] == body["key"]
    assert body["key"].endswith(":notify_contacts:0")
    [raw] = box.messages
    mail = message_from_bytes(raw)
    assert mail["To"] == "pwni@example.go.id"
    assert "Budi Santoso" in mail.get_payload()
    assert mail["Message-ID"].endswith("@lindungi>")


def test_a_failing_receiver_is_retried_then_the_notification_fails(
    session: Session, receiver: Receiver
) -> None:
    receiver.status = 500
    _sos(session, Routing(sms_webhook=receiver.url))
    senders = {"webhook": outbox.webhook(timeout=5)}
    now = T0
    outcomes = []
    for wait in (dt.timedelta(0), *outbox.BACKOFF):
        now += wait
        outcomes += _dispatch(session, senders, now)
    assert outcomes == ["pending"] * len(outbox.BACKOFF) + ["failed"]
    note = session.scalars(select(Notification).where(Notification.channel == "webhook")).one()
    assert (note.attempts, note.last_error) == (6, f"{receiver.url} answered 500")
    assert len(receiver.got) == 6
    email = session.scalars(select(Notification).where(Notification.channel == "email")).one()
    assert (email.status, email.last_error) == ("failed", "no recipient configured for "
                                                "notify_embassy")  # fmt: skip
