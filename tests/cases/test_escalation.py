"""The escalation job on both databases, with a controllable clock: a missed deadline is
escalated once per level as time passes, written to the timeline, never twice however
often the job runs; leaving the stage ends it; an acknowledgement is recorded once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import service
from lindungi.cases.escalation import ACTOR, acknowledge, escalate, open_escalations
from lindungi.cases.models import Case
from lindungi.errors import ConflictError

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
CONSUL = Principal.of(2, "konsuler1", "kemlu", ("consular",), None)
T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def _case(session: Session, who: Principal = WORKER) -> Case:
    case = service.report(session, {"channel": "hotline", "summary": "penelepon di Bavet"},
                          who).case  # fmt: skip
    case.state_since = T0
    session.flush()
    return case


def test_a_missed_deadline_escalates_once_per_level(session: Session) -> None:
    case = _case(session)
    assert escalate(session, T0 + dt.timedelta(hours=23)) == []  # within 24 hours
    first = escalate(session, T0 + dt.timedelta(hours=25))
    assert [(e.case_id, e.level, e.notify) for e in first] == [(case.id, 1, "supervisor")]
    assert escalate(session, T0 + dt.timedelta(hours=30)) == []  # nothing new: runs are free
    later = escalate(session, T0 + dt.timedelta(days=5))  # skipped a run: both levels now
    assert [(e.level, e.notify) for e in later] == [(2, "duty_officer"), (3, "command_centre")]
    assert escalate(session, T0 + dt.timedelta(days=30)) == []  # the top level is the last
    steps = [e for e in service.timeline(session, case.id) if e.action == "escalate"]
    assert [e.actor for e in steps] == [ACTOR] * 3
    assert "reported was due 2026-11-02 08:00 UTC; escalated to the supervisor" in steps[0].reason
    assert [e.level for e in open_escalations(session)] == [3, 2, 1]


def test_leaving_the_stage_ends_its_escalations(session: Session) -> None:
    case = _case(session)
    escalate(session, T0 + dt.timedelta(hours=30))
    service.move(session, case.id, "verify", "diverifikasi lewat telepon", WORKER)
    assert open_escalations(session) == []
    assert escalate(session, T0 + dt.timedelta(hours=31)) == []  # the new stage is on time


def test_escalations_are_listed_per_agency_and_acknowledged_once(session: Session) -> None:
    ours, theirs = _case(session), _case(session, CONSUL)
    escalate(session, T0 + dt.timedelta(hours=25))
    mine = open_escalations(session, agency="bp2mi")
    assert [e.case_id for e in mine] == [ours.id]
    assert {e.case_id for e in open_escalations(session)} == {ours.id, theirs.id}
    now = T0 + dt.timedelta(hours=26)
    done = acknowledge(session, mine[0].id, "supervisor1", now)
    assert (done.acknowledged_by, done.acknowledged_at) == ("supervisor1", now)
    with pytest.raises(ConflictError, match="was acknowledged by supervisor1"):
        acknowledge(session, mine[0].id, "supervisor2", now)
    assert open_escalations(session, agency="bp2mi") == []
