"""Indicators on both databases: a small data set walked through the real services, with
the times of its events set so that every count, share, median and breakdown has a known
answer; what falls outside the window is left out; an empty period gives zeros."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from lindungi.analytics.indicators import compute
from lindungi.analytics.periods import month
from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs
from lindungi.cases import service as cases
from lindungi.cases.identification import Facts
from lindungi.cases.models import CaseEvent
from lindungi.cases.workflow import CloseReason, Determination
from lindungi.monitoring import alerts
from lindungi.monitoring import service as monitoring
from lindungi.monitoring.ladder import AlertKind
from lindungi.monitoring.models import Enrolment
from lindungi.recruiters import bonds
from lindungi.recruiters import service as registry
from lindungi.recruiters.models import BondClaim, LicenceEvent
from lindungi.screening.models import Referral, Screening

T = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
MARCH = month(2026, 3)
BP2MI = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
KEMLU = Principal.of(2, "pendamping2", "kemlu", ("case_worker",), None)
IMIGRASI = Principal.of(3, "petugas1", "imigrasi", ("officer",), None)


def _at(session: Session, case_id: int, action: str, when: dt.datetime) -> None:
    session.execute(update(CaseEvent).where(CaseEvent.case_id == case_id,
                                            CaseEvent.action == action).values(at=when))  # fmt: skip


def _case(session: Session, channel: str, country: str | None, who: Principal,
          created: dt.datetime, verify_after: float | None) -> int:  # fmt: skip
    made = cases.report(session, {"channel": channel, "summary": "x", "country": country},
                        who).case  # fmt: skip
    made.created_at = created
    _at(session, made.id, "report", created)
    if verify_after is not None:
        cases.move(session, made.id, "verify", "dicek", who)
        _at(session, made.id, "verify", created + verify_after * H)
    return made.id


def _referral(session: Session, n: int, refer: bool) -> int | None:
    """A screening at the desk in March; referred to BP2MI (opening a case) when asked."""
    screening = Screening(reference=f"S{n}", request={}, score=70 if refer else 10,
                          band="high" if refer else "low", action="refer", indicators=[],
                          rulebook="test", agency="imigrasi", screened_by="petugas1",
                          screened_at=T + n * H)  # fmt: skip
    session.add(screening)
    session.flush()
    if not refer:
        return None
    referral = Referral(screening_id=screening.id, reason="tinggi", evidence=[],
                        created_by="petugas1", from_agency="imigrasi", created_at=T + n * H)  # fmt: skip
    session.add(referral)
    session.flush()
    trip = {"destination_country": "TH", "destination_city": "Mae Sot"}
    case = cases.open_from_screening(session, referral.id, {"person": {}, "trip": trip},
                                     "rujukan", IMIGRASI)  # fmt: skip
    case.created_at = T + n * H
    return case.id


def _alert(session: Session, worker: Enrolment, kind: AlertKind, at: dt.datetime,
           ack_after: float | None, zone: str | None = None) -> None:  # fmt: skip
    alert, _ = alerts.raise_alert(session, worker, kind, "uji", at, zone_id=zone)
    if ack_after is not None:
        alerts.acknowledge(session, alert.id, "konsul1", at + dt.timedelta(minutes=ack_after))


@pytest.fixture
def data(session: Session) -> None:
    """March 2026: cases A (sos, KH; victim with an accepted psychosocial referral,
    verified in 2 h), B (walk-in, MY; not a victim, deported, 4 h), C (hotline, MY, Kemlu;
    not a victim, closed as overstay, 6 h); four screenings, two referred (cases in TH, one
    identified a victim); a suspension and a revocation; a bond claim filed and paid (Rp
    5m); alerts SOS (acknowledged in 30 min), missed check-in (90 min) and left work zone
    (never). Outside March: case D in January, a revocation and an alert in February."""
    a = _case(session, "sos", "KH", BP2MI, T, 2)
    cases.identify(session, a, Facts(), Determination.VICTIM, "wawancara", BP2MI)
    fields = {"service": "psychosocial", "to_organisation": "LSM", "consent": True, "note": "r"}
    row = handoffs.refer(session, a, fields, BP2MI)
    handoffs.decide_referral(session, row.id, "accept", "diterima", BP2MI)
    b = _case(session, "walk_in", "MY", BP2MI, T, 4)
    cases.move(session, b, "locate", "di KBRI", BP2MI)
    cases.identify(session, b, Facts(), Determination.NOT_VICTIM, "wawancara", BP2MI)
    cases.move(session, b, "refer_for_deportation", "overstay", BP2MI)
    c = _case(session, "hotline", "MY", KEMLU, T, 6)
    cases.identify(session, c, Facts(), Determination.NOT_VICTIM, "wawancara", KEMLU)
    cases.move(session, c, "close", "overstay", KEMLU, CloseReason.OVERSTAY)
    _case(session, "hotline", None, BP2MI, T - dt.timedelta(days=40), 1)
    referred = [_referral(session, n, refer=n < 2) for n in range(4)]
    assert referred[0] is not None
    cases.identify(session, referred[0], Facts(), Determination.VICTIM, "wawancara", BP2MI)

    moves = [("KEP.1/2020", "suspended", T), ("KEP.2/2020", "revoked", T + H),
             ("KEP.3/2020", "revoked", T - dt.timedelta(days=20))]  # fmt: skip
    for number, status, when in moves:
        licence = registry.create_licensed_recruiter(
            session, name=f"PT {number}", licence_no=number, status="active",
            valid_until=None, actor="kemnaker", reason="uji")  # fmt: skip
        registry.set_licence_status(session, licence, status, reason="sanksi", actor="kemnaker")
        session.execute(update(LicenceEvent).where(LicenceEvent.licence_id == licence.id,
                                                   LicenceEvent.to_status == status)
                        .values(at=when))  # fmt: skip
    bond = bonds.add_bond(session, licence.recruiter, 50_000_000, "Bank")
    claim = bonds.file_claim(session, bond, case_ref="x", amount_idr=5_000_000, actor="k")
    for decision in ("verify", "pay"):
        bonds.decide_claim(session, claim, decision, reason="sah", actor="kemnaker")
    session.execute(update(BondClaim).values(filed_at=T, decided_at=T + 2 * H))

    consent = {"version": "1", "language": "id", "given_at": T - dt.timedelta(days=60),
               "purpose": "keselamatan", "collected": ["location"], "retention_days": 30,
               "withdrawal": "hotline"}  # fmt: skip
    worker = monitoring.enrol(session, {
        "full_name": "Sari", "country": "KH", "visa": "placement", "sponsor": "PT",
        "embassy": "KBRI Phnom Penh", "emergency_contacts": [], "every_minutes": 360,
        "grace_minutes": 60, "consent": consent}, BP2MI)  # fmt: skip
    _alert(session, worker, AlertKind.SOS, T, 30)
    _alert(session, worker, AlertKind.MISSED_CHECKIN, T + H, 90)
    _alert(session, worker, AlertKind.LEFT_WORK_ZONE, T + 2 * H, None, zone="w1")
    _alert(session, worker, AlertKind.ENTERED_HIGH_RISK, T - dt.timedelta(days=10), 5, "r1")
    session.flush()


def test_the_indicators_of_a_month_have_known_answers(session: Session, data: None) -> None:
    got = compute(session, MARCH, now=T + 30 * 24 * H)
    values = {i.id: i.value for i in got.indicators}
    assert {k: values[k] for k in ("cases", "screened", "identified", "not_victim")} == {
        "cases": 5, "screened": 4, "identified": 2, "not_victim": 2}  # fmt: skip
    assert values["identified_share"] == pytest.approx(0.4)
    assert values["screened_share"] == pytest.approx(0.8)
    assert (values["deportations"], values["closed_as_overstay"],
            values["deported_without_identification"], values["victims_referred"]) == (1, 1, 0, 1)  # fmt: skip
    assert values["referred_share"] == pytest.approx(1 / 3)
    assert (values["verified"], values["hours_to_verify_median"],
            values["hours_to_verify_p90"]) == (3, 4.0, 6.0)  # fmt: skip
    assert (values["victims_rehabilitated"], values["rehabilitation_share"]) == (1, 0.5)
    assert (values["victims_legal_aid"], values["legal_aid_share"]) == (0, 0.0)
    assert (values["screenings"], values["screening_referrals"], values["referral_rate"]) == (
        4, 2, 0.5)  # fmt: skip
    assert values["referral_outcome_potential_victim"] == 1
    assert values["referral_outcome_awaiting_identification"] == 1
    assert (values["licence_suspensions"], values["licence_revocations"]) == (1, 1)
    assert (values["bond_claims_filed"], values["bond_claims_paid"],
            values["bond_claims_paid_idr"]) == (1, 1, 5_000_000)  # fmt: skip
    assert (values["alerts"], values["alerts_sos"], values["alerts_entered_high_risk"],
            values["alerts_acknowledged"]) == (3, 1, 0, 2)  # fmt: skip
    assert (values["minutes_to_acknowledge_median"],
            values["minutes_to_acknowledge_p90"]) == (60.0, 90.0)  # fmt: skip
    assert all(i.definition.endswith(".") for i in got.indicators)
    assert got.synthetic is False


def test_breakdowns_and_the_trend(session: Session, data: None) -> None:
    got = compute(session, MARCH, now=T + 30 * 24 * H, trend=3)
    by_country = got.tables["cases_by_country"].rows
    assert [(r[0], r[1], r[3], r[4]) for r in by_country] == [
        ("MY", 2, 0, 0), ("TH", 2, 1, 50.0 / 100), ("KH", 1, 1, 1.0)]  # fmt: skip
    assert [(r[0], r[1], r[5]) for r in got.tables["cases_by_agency"].rows] == [
        ("bp2mi", 4, 1), ("kemlu", 1, 0)]  # fmt: skip
    trend = got.tables["trend"].rows
    assert [(r[0], r[1], r[7]) for r in trend] == [
        ("2026-01", 1, 0), ("2026-02", 0, 1), ("2026-03", 5, 3)]  # fmt: skip
    kinds = {r[0]: r[1:] for r in got.tables["alerts_by_kind"].rows}
    assert kinds["SOS"] == (1, 1, 30.0, 30.0, 0)
    assert kinds["left work zone"] == (1, 0, None, None, 0)
    assert got.tables["alerts_by_embassy"].rows == [("KBRI Phnom Penh", 3, 2, 60.0, 90.0, 0)]


def test_a_month_without_data_gives_zeros_and_empty_shares(session: Session) -> None:
    got = compute(session, month(2026, 1), now=T)
    assert got.value("cases") == got.value("alerts") == got.value("screenings") == 0
    assert got.value("identified_share") is None
    assert got.value("minutes_to_acknowledge_median") is None
    assert got.tables["cases_by_country"].rows == []
    assert len(got.tables["trend"].rows) == 6
