"""The crash test's clients: threads that submit check-in batches, hotline reports and case
moves to a hub that is killed under them, and a ledger of every write they saw
acknowledged.

A request whose answer never arrived (connection refused or reset, a 5xx) has an
unknown outcome: the client retries it once the hub answers again, as a real gateway
or console would. Check-in batches are resent with the same ``Idempotency-Key``; a
move is first looked up in the case's timeline (its reason is unique) and resent only
if it is not there; a hotline report is resent with the same ``Idempotency-Key``, so
it finds the case its first attempt may have opened (the ledger counts the resends).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx

#: The moves each case takes, in order, from ``reported`` to ``closed``.
PATH = (
    "verify",
    "locate",
    "coordinate_rescue",
    "admit_to_shelter",
    "arrange_repatriation",
    "confirm_arrival",
    "start_rehabilitation",
    "start_reintegration",
    "close",
)
CHECKINS_PER_BATCH = 3
SUMMARY = "Crash-test hotline report "


@dataclass
class Ledger:
    """What the clients saw acknowledged, and what happened on the way."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Batch key -> (its records, the answer acknowledged).
    batches: dict[str, tuple[list[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    #: Report marker -> (case id, tracking number) acknowledged.
    cases: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Markers of reports resent after an attempt whose outcome was unknown.
    resent_reports: set[str] = field(default_factory=set)
    #: (case id, reason) of moves acknowledged.
    moves: list[tuple[int, str]] = field(default_factory=list)
    #: (case id, reason) of moves found in the timeline although never acknowledged.
    moves_found: list[tuple[int, str]] = field(default_factory=list)
    #: Requests whose outcome was unknown (no answer, or a 5xx), by kind.
    unknown: Counter[str] = field(default_factory=Counter)
    #: Status codes of 5xx answers.
    server_errors: Counter[int] = field(default_factory=Counter)
    #: Answers no client should ever get (a 4xx on a well-formed request): bugs.
    failures: list[str] = field(default_factory=list)

    def acknowledged(self) -> int:
        """How many writes were acknowledged so far."""
        with self.lock:
            return len(self.batches) + len(self.cases) + len(self.moves)


class Client(threading.Thread):
    """One client thread: repeats ``step`` until told to stop (finishing the write in hand)."""

    def __init__(self, name: str, base: str, token: str, ledger: Ledger, stop: threading.Event):
        super().__init__(name=name, daemon=True)
        self.base, self.token, self.ledger, self.stop = base, token, ledger, stop
        self.error: BaseException | None = None

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            with httpx.Client(base_url=self.base, headers=headers, timeout=60) as http:
                while not self.stop.is_set():
                    self.step(http)
        except BaseException as error:  # reported by the test
            self.error = error

    def step(self, http: httpx.Client) -> None:
        """Make one write, retrying until it is acknowledged."""
        raise NotImplementedError

    def send(self, kind: str, call: Callable[[], httpx.Response]) -> httpx.Response | None:
        """One attempt: the answer, or ``None`` when its outcome is unknown."""
        try:
            answer = call()
        except httpx.TransportError:
            answer = None
        if answer is not None and answer.status_code >= 500:
            with self.ledger.lock:
                self.ledger.server_errors[answer.status_code] += 1
            answer = None
        if answer is None:
            with self.ledger.lock:
                self.ledger.unknown[kind] += 1
            time.sleep(0.05)  # the hub is down or restarting
        return answer

    def until_answered(self, kind: str, call: Callable[[], httpx.Response]) -> httpx.Response:
        """Retry ``call`` until the hub answers it; an unexpected 4xx is a recorded failure."""
        while True:
            answer = self.send(kind, call)
            if answer is None:
                continue
            if not answer.is_success:
                with self.ledger.lock:
                    self.ledger.failures.append(f"{kind}: {answer.status_code} {answer.text}")
            return answer


class CheckinClient(Client):
    """A gateway sending batches of check-ins, each under its own idempotency key."""

    def __init__(self, *args: Any, subject: str, prefix: str, start: dt.datetime, **kw: Any):
        super().__init__(*args, **kw)
        self.subject, self.prefix, self.first_at, self.count = subject, prefix, start, 0

    def step(self, http: httpx.Client) -> None:
        n, self.count = self.count, self.count + 1
        key = f"{self.prefix}-{n:05d}"
        first = self.first_at + dt.timedelta(seconds=n * CHECKINS_PER_BATCH)
        records = [
            {"subject": self.subject, "kind": "checkin",
             "at": (first + dt.timedelta(seconds=j)).isoformat(),
             "lon": 104.9 + n / 1e5, "lat": 11.55 + j / 1e5}
            for j in range(CHECKINS_PER_BATCH)
        ]  # fmt: skip
        answer = self.until_answered("checkins", lambda: http.post(
            "/api/v1/monitoring/checkins", json={"checkins": records},
            headers={"Idempotency-Key": key}))  # fmt: skip
        if answer.is_success:
            with self.ledger.lock:
                self.ledger.batches[key] = (records, answer.json())


class ReportClient(Client):
    """A hotline operator opening cases; each acknowledged case is handed to the movers."""

    def __init__(self, *args: Any, prefix: str, opened: queue.Queue[tuple[int, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.prefix, self.opened, self.count = prefix, opened, 0

    def step(self, http: httpx.Client) -> None:
        n, self.count = self.count, self.count + 1
        marker = f"{self.prefix}-{n:05d}"
        body = {"channel": "hotline", "summary": SUMMARY + marker, "country": "KH"}
        attempts = 0

        def call() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            return http.post("/api/v1/cases", json=body,
                             headers={"Idempotency-Key": f"report-{marker}"})  # fmt: skip

        answer = self.until_answered("reports", call)
        if answer.is_success:
            case = answer.json()
            with self.ledger.lock:
                self.ledger.cases[marker] = (case["id"], case["tracking_no"])
                if attempts > 1:
                    self.ledger.resent_reports.add(marker)
            self.opened.put((case["id"], marker))


class MoveClient(Client):
    """A case worker taking acknowledged cases through the workflow, one move at a time."""

    def __init__(self, *args: Any, opened: queue.Queue[tuple[int, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.opened = opened

    def step(self, http: httpx.Client) -> None:
        try:
            case_id, marker = self.opened.get(timeout=0.1)
        except queue.Empty:
            return
        for n, action in enumerate(PATH):
            reason = f"{marker} move {n} {action}"
            body: dict[str, Any] = {"action": action, "reason": reason}
            if action == "close":
                body["close_reason"] = "reintegrated"
            if not self.move(http, case_id, reason, body):
                return

    def move(self, http: httpx.Client, case_id: int, reason: str, body: dict[str, Any]) -> bool:
        """Make one move happen exactly once; ``False`` if the hub refused it."""
        while True:
            answer = self.send("moves", lambda: http.post(f"/api/v1/cases/{case_id}/moves",
                                                          json=body))  # fmt: skip
            if answer is not None:
                if answer.is_success:
                    with self.ledger.lock:
                        self.ledger.moves.append((case_id, reason))
                    return True
                with self.ledger.lock:
                    self.ledger.failures.append(
                        f"move {reason}: {answer.status_code} {answer.text}"
                    )
                return False
            # Unknown outcome: the timeline says whether the move was recorded.
            timeline = self.until_answered(
                "timelines", lambda: http.get(f"/api/v1/cases/{case_id}/timeline")
            )
            if not timeline.is_success:
                return False
            if any(event["reason"] == reason for event in timeline.json()):
                with self.ledger.lock:
                    self.ledger.moves_found.append((case_id, reason))
                return True
