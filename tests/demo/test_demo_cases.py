"""The demo's cases: one in every stage, walked there through the real workflow, once; the
victims' services, their legal track and a bond claim, as their officers recorded them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lindungi.auth.models import User
from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs
from lindungi.cases import service as cases
from lindungi.cases.models import Case, CaseEvent, CaseReferral
from lindungi.cases.workflow import State
from lindungi.demo.generator import generate
from lindungi.demo.service import CasesReport, load, load_cases
from lindungi.recruiters.models import BondClaim, Licence

SCENARIO = generate(seed=7, people=20)
Demo = tuple[Session, CasesReport]


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[Demo]:
    """The demo with its cases and what the first ``load_cases`` reported, loaded once for
    this module's tests (which only read it) and rolled back at the end."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection) as session:
            load(session, SCENARIO)
            yield session, load_cases(session, SCENARIO)
        outer.rollback()


def _rows(session: Session) -> tuple[int | None, ...]:
    return tuple(
        session.scalar(select(func.count(column)))
        for column in (Case.id, CaseEvent.id, CaseReferral.id, BondClaim.id)
    )


def test_every_stage_has_a_demo_case_and_loading_again_adds_none(demo: Demo) -> None:
    session, first = demo
    assert first.added == 12
    assert set(first.by_state) == {s.value for s in State}
    deported = session.scalars(select(Case).where(Case.state == "deportation")).one()
    assert deported.determination == "not_victim"  # identification came first
    steps = session.scalars(
        select(CaseEvent.action).where(CaseEvent.case_id == deported.id).order_by(CaseEvent.id)
    ).all()
    assert steps == ["report", "verify", "locate", "identify", "refer_for_deportation"]
    assert all(c.synthetic and "synthetic" in c.summary for c in session.scalars(select(Case)))
    rows = _rows(session)
    again = load_cases(session, SCENARIO)
    assert again == CasesReport(0, first.by_state, first.referrals, first.legal, first.bond_claims)
    assert _rows(session) == rows
    assert rows[0] == 12


def _case(session: Session, state: str) -> Case:
    return session.scalars(select(Case).where(Case.state == state)).one()


def _services(session: Session, case: Case) -> dict[str, tuple[str | None, str]]:
    return {
        r.service: (r.to_organisation or r.to_agency, r.status)
        for r in handoffs.case_referrals(session, case.id)
    }


def test_victims_get_services_with_their_consent(demo: Demo) -> None:
    session, report = demo
    assert report.referrals == {"referred": 2, "accepted": 8, "delivered": 5}
    ngo, clinic = "Yayasan Teduh Hati (LSM sintetis)", "RSUD Mitra Sehat (sintetis)"
    lbh, coop = "LBH Suara Pekerja Migran (sintetis)", "Koperasi Purna Migran Mandiri (sintetis)"
    assert _services(session, _case(session, "in_shelter")) == {
        "psychosocial": (ngo, "accepted"),
        "medical": (clinic, "referred"),
        "police": ("polri", "referred"),
    }
    assert _services(session, _case(session, "rehabilitation")) == {
        "psychosocial": (ngo, "delivered"),
        "medical": (clinic, "delivered"),
        "legal_aid": (lbh, "accepted"),
        "police": ("polri", "accepted"),
    }
    closed = session.scalars(select(Case).where(Case.close_reason == "reintegrated")).one()
    assert _services(session, closed) == {
        "psychosocial": (ngo, "delivered"),
        "economic_reintegration": (coop, "delivered"),
    }
    referred = set(session.scalars(select(Case.state).join(CaseReferral)))
    assert referred == {"in_shelter", "repatriation_arranged", "arrived", "rehabilitation",
                        "reintegration", "closed"}  # fmt: skip
    unfounded = session.scalars(select(Case).where(Case.close_reason == "unfounded")).one()
    assert handoffs.case_referrals(session, unfounded.id) == []
    for r in session.scalars(select(CaseReferral)):
        assert (r.basis, r.override_reason, r.referred_by) == ("consent", None, "bp2mi.caseworker")
        assert r.consent_note is not None
        assert r.consent_note.endswith("(demo sintetis)")
        assert r.note.endswith("(demo sintetis)")


def test_victims_cases_go_through_the_police_to_a_conviction_and_restitution(demo: Demo) -> None:
    session, report = demo
    assert report.legal == {"referred_to_police": 1, "investigation": 1, "convicted": 1}
    assert _case(session, "in_shelter").legal_stage == "referred_to_police"
    assert _case(session, "rehabilitation").legal_stage == "investigation"
    convicted = _case(session, "reintegration")
    assert (convicted.legal_stage, convicted.restitution) == ("convicted", "ordered")
    assert (convicted.restitution_ordered_idr, convicted.restitution_paid_idr) == (
        85_000_000,
        30_000_000,
    )
    legal = [(e.actor, e.action) for e in cases.timeline(session, convicted.id)
             if e.action.startswith("legal:") or e.action == "referral:accept"]  # fmt: skip
    worker, police = "bp2mi.caseworker", "polri.investigator"
    assert legal == [
        (worker, "referral:accept"),  # the NGO's answer on the psychosocial referral
        (worker, "legal:refer_to_police"),
        (police, "referral:accept"),
        (police, "legal:open_investigation"),
        (worker, "referral:accept"),  # legal aid
        (worker, "legal:request_restitution"),
        (police, "legal:prosecute"),
        (worker, "referral:accept"),  # economic reintegration
        (police, "legal:convict"),
        (police, "legal:order_restitution"),
        (police, "legal:pay_restitution"),
    ]
    investigator = session.scalars(select(User).where(User.username == police)).one()
    officer = Principal.of(investigator.id, police, "polri", ("investigator",), None)
    assert "identity" in handoffs.may_reveal(session, convicted, officer)  # referred to polri
    assert handoffs.may_reveal(session, _case(session, "arrived"), officer) == ()


def test_a_victim_s_claim_on_the_recruiter_s_bond_is_verified_and_paid(demo: Demo) -> None:
    session, report = demo
    assert report.bond_claims == {"paid": 1}
    claim = session.scalars(select(BondClaim).where(BondClaim.case_id.is_not(None))).one()
    case = session.get(Case, claim.case_id)
    assert case is not None
    assert (case.state, case.close_reason) == ("closed", "reintegrated")
    assert (claim.case_ref, claim.amount_idr) == (f"case {case.id}", 35_000_000)
    assert (claim.status, claim.filed_by, claim.decided_by) == (
        "paid",
        "bp2mi.caseworker",
        "kemnaker.licensing",
    )
    assert claim.reason.endswith("(demo sintetis)")
    bond = claim.bond
    assert case.recruiter_id == bond.recruiter_id
    assert bond.recruiter.synthetic
    licence = session.scalars(select(Licence).where(Licence.recruiter_id == bond.recruiter_id))
    assert licence.one().status == "revoked"
    paid = sum(c.amount_idr for c in bond.claims if c.status == "paid")
    assert bond.balance_idr == bond.amount_idr - paid
