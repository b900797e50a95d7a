"""SYNTHETIC departures screened at the demo's immigration desk, so that the demo shows
results, decisions and referrals to BP2MI. Deterministic for a seed; built from the
scenario's synthetic people and recruiters, never from real cases."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from lindungi.demo.generator import DemoScenario

#: Trips as an officer meets them: (share, template). The texts are invented examples of
#: the modus and of lawful placements.
_LAWFUL = {"visa_type": "work", "purpose": "work", "ticket_paid_by": "employer"}
_TEMPLATES: tuple[tuple[int, dict[str, Any]], ...] = (
    (4, {"trip": {"destination_country": "JP", "destination_city": "Tokyo", "visa_type":
        "tourist", "purpose": "tourism", "return_ticket": True, "ticket_paid_by": "self"}}),
    (3, {"trip": {"destination_country": "SA", "destination_city": "Makkah", "visa_type":
        "visit", "purpose": "religious", "return_ticket": True, "ticket_paid_by": "self",
        "travel_group_size": 30}}),
    (3, {"trip": {"destination_country": "TW", "destination_city": "Taichung", **_LAWFUL},
         "job_offer": {"text": "Penempatan resmi operator produksi pabrik elektronik di "
                       "Taiwan melalui P3MI berizin, gaji NT$ 28.000/bulan, visa kerja, "
                       "daftar via SISKOP2MI", "channel": "agency", "country": "TW",
                       "position": "operator produksi"},
         "recruiter": "active"}),
    (2, {"trip": {"destination_country": "KH", "destination_city": "Siem Reap", "visa_type":
        "none", "purpose": "tourism", "return_ticket": True, "ticket_paid_by": "self",
        "first_trip_abroad": True}}),
    (2, {"trip": {"destination_country": "TH", "destination_city": "Bangkok", "visa_type":
        "none", "purpose": "tourism", "return_ticket": False, "ticket_paid_by": "unknown",
        "first_trip_abroad": True}}),
    (3, {"trip": {"destination_country": "KH", "destination_city": "Sihanoukville",
        "visa_type": "none", "purpose": "tourism", "return_ticket": False,
        "ticket_paid_by": "recruiter", "travel_group_size": 5, "first_trip_abroad": True},
         "job_offer": {"text": "LOWKER ADMIN ONLINE KAMBOJA gaji 15jt/bln, tanpa "
                       "pengalaman, tiket ditanggung, berangkat cepat! bilang aja liburan "
                       "ya. minat japri", "channel": "telegram", "country": "KH",
                       "position": "admin online", "salary_idr_month": 15_000_000},
         "recruiter": "sanctioned"}),
    (2, {"trip": {"destination_country": "TH", "destination_city": "Mae Sot", "visa_type":
        "none", "purpose": "tourism", "return_ticket": False, "ticket_paid_by": "recruiter"},
         "job_offer": {"text": "CS online perusahaan IT, gaji $900, dijemput di Bangkok, "
                       "paspor disimpan perusahaan selama kontrak", "channel": "facebook",
                       "position": "customer service"},
         "recruiter": "unknown"}),
    (1, {"trip": {"destination_country": "MY", "destination_city": "Johor Bahru",
        "visa_type": "none", "purpose": "work", "return_ticket": True,
        "ticket_paid_by": "self"}, "history": {"overstays": 1}}),
)  # fmt: skip


@dataclass(frozen=True)
class DemoScreening:
    """One synthetic traveller at the desk, as a contract-2 line."""

    line: dict[str, Any]


def demo_screenings(scenario: DemoScenario, count: int) -> list[DemoScreening]:
    """``count`` synthetic departures of the scenario's people (at most one each)."""
    rng = random.Random(f"lindungi.demo.screenings:{scenario.seed}")  # noqa: S311
    active = [r for r in scenario.recruiters if r.status == "active" and r.licence_no]
    sanctioned = [r for r in scenario.recruiters if r.status in ("revoked", "suspended")]
    weights = [w for w, _ in _TEMPLATES]
    out = []
    for i, person in enumerate(scenario.people[:count]):
        template = rng.choices([t for _, t in _TEMPLATES], weights)[0]
        line: dict[str, Any] = {
            "id": f"DEMO-SCR-{i + 1:04d}",
            "person": {"full_name": person.full_name, "nik": person.nik,
                       "passport_no": person.passport_no, "birth_date":
                       person.birth_date.isoformat(), "sex": person.sex,
                       "phone": person.phone},
        }  # fmt: skip
        departure = scenario.reference_date + dt.timedelta(days=rng.randrange(1, 60))
        line["trip"] = {**template["trip"], "departure_date": departure.isoformat()}
        for part in ("job_offer", "history"):
            if part in template:
                line[part] = dict(template[part])
        kind = template.get("recruiter")
        pool = {"active": active, "sanctioned": sanctioned}.get(kind or "", [])
        if pool:
            chosen = rng.choice(pool)
            line["recruiter"] = {"name": chosen.name, "licence_no": chosen.licence_no}
        elif kind == "unknown":
            line["recruiter"] = {"name": "Bang Rudi (agen)", "phone": "+6281299990000"}
        out.append(DemoScreening(line))
    return out
