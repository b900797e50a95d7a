"""The demo's monitoring: six synthetic workers replayed over three days through the real
intake and the real timer — the drifting one leaves work and enters a high-risk zone, the
silent one's ladder ends in a case at the embassy, the SOS opens a case at once, the one
who withdrew has nothing left held; loading again adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lindungi.cases.models import Case
from lindungi.demo.generator import generate
from lindungi.demo.monitoring import load_monitoring
from lindungi.demo.service import load
from lindungi.monitoring.models import Alert, Checkin, Enrolment

SCENARIO = generate(seed=11, people=20)
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[Session]:
    """The demo with its monitoring, loaded once for this module and rolled back."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection) as session:
            load(session, SCENARIO)
            load_monitoring(session, SCENARIO, NOW)
            yield session
        outer.rollback()


def test_each_story_ends_as_it_should(demo: Session) -> None:
    found = {(a.kind, a.status): a for a in demo.scalars(select(Alert))}
    assert set(found) == {("left_work_zone", "open"), ("entered_high_risk", "open"),
                          ("missed_checkin", "open"), ("sos", "open")}  # fmt: skip
    silent = found[("missed_checkin", "open")]
    assert silent.steps_taken == 4
    case = demo.get(Case, silent.case_id)
    assert case is not None
    assert (case.channel, case.agency, case.state) == ("alert", "kemlu", "reported")
    sos = demo.get(Case, found[("sos", "open")].case_id)
    assert sos is not None
    assert sos.channel == "sos"
    drift = found[("entered_high_risk", "open")]
    assert drift.zone_id == "demo-risk-a"
    assert found[("left_work_zone", "open")].case_id is None  # its ladder is still climbing


def test_the_withdrawn_worker_has_nothing_left_and_a_reload_adds_nothing(demo: Session) -> None:
    gone = demo.scalars(select(Enrolment).where(Enrolment.status == "withdrawn")).one()
    held = demo.scalar(select(func.count(Checkin.id)).where(Checkin.enrolment_id == gone.id))
    assert held == 0
    assert all(e.synthetic for e in demo.scalars(select(Enrolment)))
    before = load_monitoring(demo, SCENARIO, NOW + dt.timedelta(hours=1))
    again = load_monitoring(demo, SCENARIO, NOW + dt.timedelta(hours=2))
    assert before == again
    assert before.enrolled == 6
