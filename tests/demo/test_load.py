"""Loading the synthetic scenario: idempotent, valid, labelled synthetic."""

from __future__ import annotations

import datetime as dt

import pytest
from lokal import parse_nik
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.auth import service as auth_service
from lindungi.auth.credentials import verify_password
from lindungi.auth.models import ApiToken, User
from lindungi.demo import service
from lindungi.demo.generator import generate
from lindungi.errors import ConflictError
from lindungi.people.models import PersonRecord

SCENARIO = generate(seed=7, people=40)


def test_loading_twice_adds_nothing_the_second_time(session: Session) -> None:
    first = service.load(session, SCENARIO)
    assert (first.people_added, first.users_added) == (40, 13)
    second = service.load(session, SCENARIO)
    assert (second.people_added, second.users_added) == (0, 0)
    assert (second.people_kept, second.users_kept) == (40, 13)
    assert session.scalar(select(func.count()).select_from(PersonRecord)) == 40


def test_loaded_people_are_synthetic_with_valid_niks(session: Session) -> None:
    service.load(session, SCENARIO)
    records = session.scalars(select(PersonRecord).order_by(PersonRecord.source_record_id)).all()
    assert {(r.source, r.synthetic) for r in records} == {("demo", True)}
    assert records[0].source_record_id == "seed7/DEMO-P-000001"
    for record in records:
        assert record.nik is not None
        assert parse_nik(record.nik).valid, record.nik


def test_every_agency_gets_a_demo_login_that_works(session: Session) -> None:
    service.load(session, SCENARIO)
    logins = service.issue_logins(session, SCENARIO, dt.timedelta(days=1))
    assert {login.agency for login in logins} == {"imigrasi", "kemnaker", "bp2mi", "kemlu", "polri"}
    for login in logins:
        user = auth_service.get_user(session, login.username)
        assert user.synthetic
        assert user.password_hash is not None
        assert verify_password(user.password_hash, login.password)
        assert auth_service.authenticate(session, login.token).username == login.username


def test_restarting_the_demo_revokes_the_previous_demo_tokens(session: Session) -> None:
    service.load(session, SCENARIO)
    old = service.issue_logins(session, SCENARIO, dt.timedelta(days=1))
    service.issue_logins(session, SCENARIO, dt.timedelta(days=1))
    live = session.scalar(
        select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))
    )
    assert live == len(SCENARIO.users)
    with pytest.raises(Exception, match="bearer token revoked"):
        auth_service.authenticate(session, old[0].token)


def test_a_real_user_with_a_demo_username_is_never_touched(session: Session) -> None:
    auth_service.add_user(session, "bp2mi.admin", agency="bp2mi", roles=["admin"])
    with pytest.raises(ConflictError, match="exists and is not a demo user"):
        service.load(session, SCENARIO)
    user = session.scalar(select(User).where(User.username == "bp2mi.admin"))
    assert user is not None
    assert not user.synthetic


def test_another_seed_adds_its_people_and_its_printed_passwords_work(session: Session) -> None:
    service.load(session, SCENARIO)
    other = generate(seed=8, people=5)
    report = service.load(session, other)
    assert (report.people_added, report.users_added, report.users_kept) == (5, 0, 13)
    login = service.issue_logins(session, other, dt.timedelta(days=1))[0]
    user = auth_service.get_user(session, login.username)
    assert user.password_hash is not None
    assert verify_password(user.password_hash, login.password)


def test_the_demo_registry_has_every_standing_and_fronts_behind_revoked_names(
    session: Session,
) -> None:
    from lindungi.network.service import find_clusters
    from lindungi.recruiters.standing import recruiter_standing

    report = service.load(session, SCENARIO)
    assert report.recruiters_added == 22
    assert service.load(session, SCENARIO).recruiters_added == 0
    verdicts = {
        r.name: recruiter_standing(session, name=r.name, today=SCENARIO.reference_date).verdict
        for r in SCENARIO.recruiters
        if r.kind == "company"
    }
    assert sorted(set(verdicts.values())) == ["licensed", "revoked", "suspended"]
    fronts = [r for r in SCENARIO.recruiters if r.kind == "company" and r.bond_idr is None]
    for front in fronts:
        standing = recruiter_standing(session, name=front.name, today=SCENARIO.reference_date)
        assert any(f.code.endswith("_with_revoked") for f in standing.findings), front.name
    clusters = find_clusters(session, min_cases=3)
    assert clusters
    assert all(len(c.recruiter_ids) >= 2 for c in clusters)
