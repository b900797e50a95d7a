"""The load scenario of issue 11 for locust: the hub's day at once, driven by officers,
the hotline and the migrants' app gateway against one ``lindungi serve``.

    locust -f benchmarks/load/locustfile.py --headless -u 8 -r 8 -t 60s \\
        --host http://127.0.0.1:8000 --csv out/load      # LINDUNGI_LOAD_DATA=state.json

``benchmarks/load_test.py`` builds the state and runs this file; the state file
(``LINDUNGI_LOAD_DATA``) holds the tokens by role, the ids of the cases to read, the
travellers to screen (contract-2 JSON lines) and a JSON Lines file of check-in batches,
of which this run takes the lines [``batch_start``, ``batch_end``) so that no two runs
send the same batch. Every user works without pause (a closed loop: N users keep N
requests in flight), and picks by weight:

    screening at the desk     4  POST /api/v1/screenings (an immigration officer)
    case reads                3  GET /api/v1/cases/{id}, half revealing the identity group
                                 with a purpose (an audited read of victim data)
    check-in batches          2  POST /api/v1/monitoring/checkins, 50 check-ins, a fresh
                                 Idempotency-Key (the gateway); all must be accepted
    hotline intake            1  POST /api/v1/cases (a BP2MI case worker)
    baseline                  1  GET /healthz: the floor under the same load
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, task

STATE: dict[str, Any] = json.loads(Path(os.environ["LINDUNGI_LOAD_DATA"]).read_text())
_BATCHES = Path(STATE["batches_file"]).read_text(encoding="utf-8").splitlines()
BATCHES = _BATCHES[STATE["batch_start"] : STATE["batch_end"]]
_next_batch = itertools.count()
_lock = threading.Lock()
COUNTRIES = ("MY", "KH", "TH", "MM", "SA", "AE", "HK", "TW")
ISSUES = (
    "ditahan majikan, paspor disita",
    "dipaksa kerja di situs penipuan daring",
    "gaji tidak dibayar enam bulan",
    "kehilangan kontak dengan keluarga",
    "terjebak overstay setelah kontrak habis",
)


def bearer(role: str, rng: random.Random) -> dict[str, str]:
    """The Authorization header of one of the tokens of ``role``."""
    return {"Authorization": f"Bearer {rng.choice(STATE['tokens'][role])}"}


class HubUser(FastHttpUser):
    """One client of the hub: an officer, a case worker, the hotline or the gateway."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.rng = random.Random()  # noqa: S311 - picks requests, not secrets

    @task(4)
    def screen_at_desk(self) -> None:
        """An immigration officer screens a departing traveller."""
        body = self.rng.choice(STATE["screenings"])
        headers = bearer("officer", self.rng) | {"Content-Type": "application/json"}
        with self.client.post(
            "/api/v1/screenings",
            data=body,
            headers=headers,
            name="screening at the desk",
            catch_response=True,
        ) as got:
            if got.status_code != 201:
                got.failure(f"{got.status_code}: {got.text[:200]}")

    @task(3)
    def read_case(self) -> None:
        """A case worker opens a case; every other time with the person's identity."""
        case_id = self.rng.choice(STATE["case_ids"])
        url = f"/api/v1/cases/{case_id}"
        if self.rng.random() < 0.5:
            url += "?reveal=identity&purpose=tindak+lanjut+kasus"
        with self.client.get(
            url, headers=bearer("case_worker", self.rng), name="case read", catch_response=True
        ) as got:
            if got.status_code != 200:
                got.failure(f"{got.status_code}: {got.text[:200]}")

    @task(2)
    def checkin_batch(self) -> None:
        """The gateway forwards a batch of check-ins once, under its idempotency key."""
        with _lock:
            n = next(_next_batch)
        if n >= len(BATCHES):  # the run outlasted the batches prepared for it
            self.environment.events.request.fire(
                request_type="POST",
                name="check-in batch",
                response_time=0,
                response_length=0,
                exception=RuntimeError("no check-in batch left"),
                context={},
            )
            return
        key, body = BATCHES[n].split("\t", 1)
        headers = bearer("gateway", self.rng) | {
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        with self.client.post(
            "/api/v1/monitoring/checkins",
            data=body,
            headers=headers,
            name="check-in batch",
            catch_response=True,
        ) as got:
            answer = got.json() if got.status_code == 200 else {}
            if got.status_code != 200 or answer.get("rejected") or answer.get("duplicates"):
                got.failure(f"{got.status_code}: {got.text[:200]}")

    @task(1)
    def hotline_intake(self) -> None:
        """The hotline opens a case from a family's call."""
        body = {
            "channel": self.rng.choice(("hotline", "family")),
            "summary": f"Laporan keluarga: {self.rng.choice(ISSUES)}",
            "country": self.rng.choice(COUNTRIES),
            "city": "(belum diketahui)",
            "full_name": f"Korban Sintetis {self.rng.randrange(10**6):06d}",
            "narrative": "Keluarga menerima pesan suara; lokasi belum pasti.",
            "reporter_name": "Ibu (sintetis)",
            "reporter_contact": f"+62812{self.rng.randrange(10**7):07d}",
        }
        with self.client.post(
            "/api/v1/cases",
            json=body,
            headers=bearer("case_worker", self.rng),
            name="hotline intake",
            catch_response=True,
        ) as got:
            if got.status_code != 201:
                got.failure(f"{got.status_code}: {got.text[:200]}")

    @task(1)
    def healthz(self) -> None:
        """The baseline: the cheapest answer the process gives, under the same load."""
        self.client.get("/healthz", name="baseline GET /healthz")
