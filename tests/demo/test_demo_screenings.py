"""The demo's screening desk: synthetic departures screened, decided and referred, once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.demo.generator import generate
from lindungi.demo.screenings import demo_screenings
from lindungi.demo.service import load, load_screenings
from lindungi.screening.models import Referral, Screening


def test_demo_departures_are_screened_and_the_high_ones_referred_once(session: Session) -> None:
    scenario = generate(seed=7, people=40)
    load(session, scenario)
    first = load_screenings(session, scenario, 40)
    assert first.added == 40
    assert sum(first.bands.values()) == 40
    assert set(first.bands) == {"low", "medium", "high"}  # the demo shows every band
    assert first.referrals == first.bands["high"]
    referral = session.scalars(select(Referral)).first()
    assert referral is not None
    assert referral.to_agency == "bp2mi"
    assert referral.evidence
    assert referral.created_by == "imigrasi.officer"
    again = load_screenings(session, scenario, 40)
    assert again.added == 0
    assert session.scalar(select(func.count(Screening.id))) == 40
    lines = [s.line for s in demo_screenings(scenario, 40)]
    assert lines == [s.line for s in demo_screenings(generate(seed=7, people=40), 40)]
