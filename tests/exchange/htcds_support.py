"""Seeded synthetic cases for the HTCDS export tests, written straight into the cases
table (the workflow is not what these tests are about)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from lindungi.cases.models import Case
from lindungi.people.nik import build_nik

PLACES = {"KH": ("Sihanoukville", "Bavet"), "MM": ("Myawaddy",), "MY": ("Johor Bahru",)}
NAMES = ("Dewi Anggraini", "Siti Rahmawati", "Budi Santoso", "Agus Pratama")


def add_cases(session: Session, n: int, seed: int = 1) -> list[Case]:
    """``n`` cases with names, NIKs, passports and narratives (which must never leave),
    opened in 2025, spread over three countries."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        country = rng.choice(sorted(PLACES))
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))
        case = Case(
            tracking_no=f"HT{seed:02d}-{i:05d}", secret_hash="x", channel="hotline",
            state=rng.choice(("reported", "verified", "closed")), agency="bp2mi",
            country=country, city=rng.choice(PLACES[country]),
            summary=f"kasus sintetis {i}", full_name=f"{rng.choice(NAMES)} {i}",
            birth_date=birth, nik=build_nik("32.76.01", birth, rng.choice("MF"), i % 9999 + 1),
            passport_no=f"X{i:07d}", narrative=f"cerita rahasia {i}",
            reporter_name="Ibu Sari", reporter_contact="+62 812 0000 1111",
            determination=rng.choice((None, "potential_victim", "not_victim")),
            created_by="test",
            created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=rng.randint(0, 364)),
        )  # fmt: skip
        session.add(case)
        made.append(case)
    session.flush()
    return made
