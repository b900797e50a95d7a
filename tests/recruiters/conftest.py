"""A small registry with a revoked company, a front behind a new name, and an agent."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from lindungi.recruiters import service
from lindungi.recruiters.models import Recruiter


@pytest.fixture
def registry(session: Session) -> dict[str, Recruiter]:
    def company(name: str, number: str, status: str, until: str | None) -> Recruiter:
        licence = service.create_licensed_recruiter(
            session,
            name=name,
            licence_no=number,
            status=status,
            valid_until=dt.date.fromisoformat(until) if until else None,
            actor="kemnaker.lisa",
            reason="test registry",
        )
        return licence.recruiter

    good = company("PT Maju Jaya Abadi", "KEP.101/PPTKLN/2020", "active", "2027-06-30")
    old = company("PT Cahaya Timur", "KEP.102/PPTKLN/2020", "active", "2027-01-01")
    service.set_licence_status(
        session, old.licences[0], "revoked", reason="sent workers on tourist visas",
        actor="kemnaker.lisa",
    )  # fmt: skip
    front = company("PT Cahaya Timur Baru", "KEP.201/PPTKLN/2025", "active", "2028-01-01")
    lapsed = company("CV Lama Sekali", "KEP.050/PPTKLN/2015", "active", "2020-01-01")
    agent = Recruiter(kind="agent", name="Pak Budi", name_key="budi pak")
    session.add(agent)
    session.flush()
    for recruiter, phone in ((good, "0812-1111-2222"), (old, "0813-2222-3333"),
                             (front, "+62 813 2222 3333"), (agent, "081322223333")):  # fmt: skip
        service.add_identifier(session, recruiter, "phone", phone, "test")
    service.add_identifier(session, old, "director", "Hendra Wijaya", "test")
    service.add_identifier(session, front, "director", "HENDRA WIJAYA", "test")
    return {"good": good, "old": old, "front": front, "lapsed": lapsed, "agent": agent}
