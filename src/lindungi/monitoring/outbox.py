"""Delivering the notification outbox: webhooks (JSON over HTTP POST) and email (SMTP).

A notification is written in the same transaction as the step that decided it; a
dispatcher sends it afterwards and records the outcome, one at a time, so a crash can
neither lose a notification (it is still pending) nor send it many times (at most the
one in flight is sent again). Receivers recognise a repeat by its key: the
``Idempotency-Key`` header of a webhook, the ``Message-ID`` of an email. A failed
delivery is retried with growing waits, then marked failed with its last error.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urldefrag

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.monitoring.models import Notification

#: Waits after the 1st, 2nd, … failed attempt; after the last, the notification fails.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
           dt.timedelta(hours=2), dt.timedelta(hours=6))  # fmt: skip


class DeliveryError(Exception):
    """A delivery that did not go through (the receiver's answer or the network's)."""


Send = Callable[[Notification], None]


@dataclass(frozen=True)
class SmtpServer:
    """Where email leaves (from settings)."""

    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def webhook(timeout: float = 10.0) -> Send:
    """POST the notification as JSON to its URL; the URL's fragment, when there is one,
    names the recipient at that endpoint (a phone number for an SMS gateway)."""

    def send(note: Notification) -> None:
        url, recipient = urldefrag(note.recipient)
        if not url.startswith(("http://", "https://")):
            raise DeliveryError(f"not an http(s) URL: {url!r}")
        body = json.dumps({"key": note.key, "to": recipient or None, "subject": note.subject,
                           "text": note.body}).encode()  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url, data=body, method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": note.key},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                answer.read()
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"{url} answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"{url}: {getattr(error, 'reason', error)}") from None

    return send


def email(server: SmtpServer) -> Send:
    """Send the notification as a plain-text email through ``server``."""

    def send(note: Notification) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            server.sender,
            note.recipient,
            (note.subject),
        )
        message["Message-ID"] = f"<{note.key.replace(':', '.')}@lindungi>"
        message.set_content(note.body)
        try:
            with smtplib.SMTP(server.host, server.port, timeout=server.timeout) as smtp:
                if server.starttls:
                    smtp.starttls()
                if server.username and server.password:
                    smtp.login(server.username, server.password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"smtp {server.host}:{server.port}: {error}") from None

    return send


def due(session: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    """The pending notifications whose time has come, oldest first."""
    query = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def deliver(
    session: Session, notification_id: int, senders: dict[str, Send], now: dt.datetime
) -> str:
    """Try one notification and record the outcome; answers its status afterwards. On
    PostgreSQL the row is locked (skipping one another worker holds), so two dispatchers
    never send the same notification at once."""
    query = select(Notification).where(Notification.id == notification_id)
    note = session.scalars(query.with_for_update(skip_locked=True)).first()
    if note is None or note.status != "pending":
        return note.status if note is not None else "taken"
    sender = senders.get(note.channel)
    try:
        if sender is None:
            raise DeliveryError(f"no sender for channel {note.channel!r}")
        sender(note)
    except DeliveryError as error:
        note.attempts += 1
        note.last_error = str(error)[:2000]
        if note.attempts > len(BACKOFF):
            note.status = "failed"
        else:
            note.next_attempt_at = now + BACKOFF[note.attempts - 1]
    else:
        note.attempts += 1
        note.status, note.sent_at, note.last_error = "sent", now, None
    session.flush()
    return note.status
