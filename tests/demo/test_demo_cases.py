"""The demo's cases: one in every stage, walked there through the real workflow, once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.cases.models import Case, CaseEvent
from lindungi.cases.workflow import State
from lindungi.demo.generator import generate
from lindungi.demo.service import load, load_cases


def test_every_stage_has_a_demo_case_and_loading_again_adds_none(session: Session) -> None:
    scenario = generate(seed=7, people=20)
    load(session, scenario)
    first = load_cases(session, scenario)
    assert first.added == 12
    assert set(first.by_state) == {s.value for s in State}
    deported = session.scalars(select(Case).where(Case.state == "deportation")).one()
    assert deported.determination == "not_victim"  # identification came first
    steps = session.scalars(
        select(CaseEvent.action).where(CaseEvent.case_id == deported.id).order_by(CaseEvent.id)
    ).all()
    assert steps == ["report", "verify", "locate", "identify", "refer_for_deportation"]
    assert all(c.synthetic and "synthetic" in c.summary for c in session.scalars(select(Case)))
    assert load_cases(session, scenario).added == 0
    assert session.scalar(select(func.count(Case.id))) == 12
