"""Figures about cases on both databases: a small set of cases walked through the real
services, with the times of their events set so every count, share, median and
percentile has a known answer; the window and the agency filter; an empty database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs, service
from lindungi.cases.figures import DEFINITIONS, CaseFigures, case_figures, median, percentile
from lindungi.cases.identification import Facts
from lindungi.cases.models import CaseDetermination, CaseEscalation, CaseEvent
from lindungi.cases.workflow import Determination
from lindungi.errors import InvalidInputError
from lindungi.recruiters import bonds
from lindungi.recruiters.models import Recruiter

T = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
BP2MI = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
KEMLU = Principal.of(2, "pendamping2", "kemlu", ("case_worker",), None)
POLICE = Principal.of(3, "penyidik1", "polri", ("investigator",), None)
WINDOW = {"start": T - dt.timedelta(days=1), "end": T + dt.timedelta(days=1)}


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 90, None),
        ([7.0], 90, 7.0),
        ([3.0, 1.0, 2.0], 50, 2.0),
        ([float(v) for v in range(1, 11)], 90, 9.0),
        ([float(v) for v in range(1, 26)], 28, 7.0),  # in floats 0.28 × 25 = 7.000…1 → 8
        ([float(v) for v in range(1, 11)], 91, 10.0),
        ([float(v) for v in range(1, 11)], 100, 10.0),
        ([float(v) for v in range(1, 21)], 5, 1.0),
        ([10.0, 1.0, 4.0, 2.0, 6.0], 90, 10.0),
    ],
)
def test_percentile_by_nearest_rank(values: list[float], p: float, expected: float) -> None:
    assert percentile(values, p) == expected


@pytest.mark.parametrize("p", [0, -5, 100.5])
def test_percentile_outside_0_to_100_is_refused(p: float) -> None:
    with pytest.raises(ValueError, match="above 0 and at most 100"):
        percentile([1.0], p)


def test_median_of_odd_even_and_no_values() -> None:
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([1.0, 2.0, 4.0, 10.0]) == 3.0
    assert median([]) is None


def _case(
    session: Session,
    channel: str,
    principal: Principal,
    created: dt.datetime,
    verify: float | None,
) -> int:
    """A case reported at ``created`` and verified ``verify`` hours later (or never)."""
    made = service.report(session, {"channel": channel, "summary": "x"}, principal).case
    made.created_at = created
    if verify is not None:
        service.move(session, made.id, "verify", "dicek", principal)
        _at(session, made.id, "verify", created + verify * H)
    _at(session, made.id, "report", created)
    return made.id


def _at(session: Session, case_id: int, action: str, when: dt.datetime) -> None:
    session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.action == action)
        .values(at=when)
    )


def _moves(session: Session, case_id: int, principal: Principal, *actions: str) -> None:
    for action in actions:
        service.move(session, case_id, action, f"step {action}", principal)


def _identify(session: Session, case_id: int, value: Determination, who: Principal) -> None:
    service.identify(session, case_id, Facts(), value, "wawancara", who)


def _refer(
    session: Session, case_id: int, what: str, decisions: tuple[str, ...], principal: Principal
) -> None:
    fields = {"service": what, "to_organisation": "LSM", "consent": True, "note": "rujukan"}
    row = handoffs.refer(session, case_id, fields, principal)
    for decision in decisions:
        handoffs.decide_referral(session, row.id, decision, "dijawab", principal)


def _legal(session: Session, case_id: int, action: str, amount: int | None = None) -> None:
    principal = BP2MI if action in ("refer_to_police", "request_restitution") else POLICE
    fields = {"action": action, "reason": "proses hukum", "consent": True, "amount_idr": amount}
    handoffs.legal_move(session, case_id, fields, principal)


def _claim(session: Session, case_id: int, recruiter: Recruiter, amount: int, paid: bool) -> None:
    claim = handoffs.file_bond_claim(session, case_id, recruiter.id, amount, "ganti rugi", BP2MI)
    if paid:
        for decision in ("verify", "pay"):
            bonds.decide_claim(session, claim, decision, reason="sah", actor="kemnaker.lisa")


@pytest.fixture
def cases(session: Session) -> dict[str, int]:
    """Six cases created at T (five at BP2MI, one at Kemlu) and one a month earlier:

    - A (sos): verified after 2 h, potential victim, repatriated (arrived T+50 h),
      rehabilitation started, legal aid accepted, convicted, restitution Rp10m ordered and
      Rp4m paid, a bond claim of Rp5m paid, one escalation (level 1);
    - B (hotline): verified after 4 h, potential victim, psychosocial referral accepted,
      repatriated (arrived T+100 h), a bond claim of Rp3m filed, escalations at levels 1, 2;
    - C (family): verified after 10 h, not a victim, deported (arrived T+20 h, which is no
      repatriation), legal aid delivered (but not a victim);
    - D (walk_in): reported only;
    - E (hotline, Kemlu): verified after 1 h, undetermined then potential victim, medical
      referral rejected, legal aid referred and not yet answered;
    - G (ngo): verified after 6 h, undetermined, repatriation arranged, not yet arrived;
    - F (hotline, a month before): verified after 8 h, potential victim, a claim of Rp7m
      paid, one escalation (level 1).
    """
    recruiter = Recruiter(kind="company", name="PT Contoh", name_key="contoh pt")
    session.add(recruiter)
    session.flush()
    bonds.add_bond(session, recruiter, 100_000_000, "Bank Contoh")
    a = _case(session, "sos", BP2MI, T, 2)
    _moves(session, a, BP2MI, "locate", "admit_to_shelter")
    _identify(session, a, Determination.VICTIM, BP2MI)
    _moves(session, a, BP2MI, "arrange_repatriation", "confirm_arrival", "start_rehabilitation")
    _at(session, a, "confirm_arrival", T + 50 * H)
    _refer(session, a, "legal_aid", ("accept",), BP2MI)
    for action in ("refer_to_police", "open_investigation", "prosecute", "convict",
                   "request_restitution"):  # fmt: skip
        _legal(session, a, action)
    _legal(session, a, "order_restitution", 10_000_000)
    _legal(session, a, "pay_restitution", 4_000_000)
    _claim(session, a, recruiter, 5_000_000, paid=True)

    b = _case(session, "hotline", BP2MI, T, 4)
    _moves(session, b, BP2MI, "locate")
    _identify(session, b, Determination.VICTIM, BP2MI)
    _refer(session, b, "psychosocial", ("accept",), BP2MI)
    _moves(session, b, BP2MI, "arrange_repatriation", "confirm_arrival")
    _at(session, b, "confirm_arrival", T + 100 * H)
    _claim(session, b, recruiter, 3_000_000, paid=False)

    c = _case(session, "family", BP2MI, T, 10)
    _moves(session, c, BP2MI, "locate")
    _identify(session, c, Determination.NOT_VICTIM, BP2MI)
    _moves(session, c, BP2MI, "refer_for_deportation", "confirm_arrival")
    _at(session, c, "confirm_arrival", T + 20 * H)
    _refer(session, c, "legal_aid", ("accept", "deliver"), BP2MI)

    d = _case(session, "walk_in", BP2MI, T, None)

    e = _case(session, "hotline", KEMLU, T, 1)
    _identify(session, e, Determination.UNDETERMINED, KEMLU)
    _identify(session, e, Determination.VICTIM, KEMLU)
    _refer(session, e, "medical", ("reject",), KEMLU)
    _refer(session, e, "legal_aid", (), KEMLU)

    g = _case(session, "ngo", BP2MI, T, 6)
    _moves(session, g, BP2MI, "locate")
    _identify(session, g, Determination.UNDETERMINED, BP2MI)
    _moves(session, g, BP2MI, "arrange_repatriation")

    f = _case(session, "hotline", BP2MI, T - dt.timedelta(days=30), 8)
    _identify(session, f, Determination.VICTIM, BP2MI)
    _claim(session, f, recruiter, 7_000_000, paid=True)

    for case_id, level in ((a, 1), (b, 1), (b, 2), (f, 1)):
        row = CaseEscalation(case_id=case_id, state="verified", state_since=T, level=level,
                             notify="supervisor", due=T, escalated_at=T)  # fmt: skip
        session.add(row)
    session.flush()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "g": g, "f": f}


def test_figures_over_a_window_have_known_answers(session: Session, cases: dict[str, int]) -> None:
    got = case_figures(session, **WINDOW)
    assert got.cases == 6
    assert {k: v for k, v in got.by_channel.items() if v} == {
        "sos": 1, "hotline": 2, "family": 1, "walk_in": 1, "ngo": 1,
    }  # fmt: skip
    assert got.by_channel["alert"] == 0
    assert {k: v for k, v in got.by_state.items() if v} == {
        "rehabilitation": 1, "arrived": 2, "reported": 1, "verified": 1,
        "repatriation_arranged": 1,
    }  # fmt: skip
    assert (got.screened, got.screened_share) == (5, 5 / 6)  # E's two determinations: once
    assert (got.identified, got.identified_share) == (3, 0.5)
    assert (got.not_victim, got.undetermined) == (1, 1)
    assert (got.deportations, got.deported_without_identification) == (1, 0)
    assert got.verified == 5
    assert (got.hours_to_verify.median, got.hours_to_verify.p90) == (4.0, 10.0)
    assert got.repatriated == 2  # G is not home yet; C was deported
    assert (got.hours_to_repatriation.median, got.hours_to_repatriation.p90) == (75.0, 100.0)
    assert (got.victims_rehabilitated, got.rehabilitation_share) == (2, 2 / 3)
    assert (got.victims_legal_aid, got.legal_aid_share) == (1, 1 / 3)
    assert (got.victims_referred_to_police, got.police_referral_share) == (1, 1 / 3)
    assert got.convictions == 1
    assert (got.restitution_ordered_idr, got.restitution_paid_idr) == (10_000_000, 4_000_000)
    assert (got.claims_filed, got.claims_paid, got.claims_paid_idr) == (2, 1, 5_000_000)
    assert got.escalations == {1: 2, 2: 1, 3: 0}


def test_to_dict_is_json_rounded_and_every_figure_is_defined(
    session: Session, cases: dict[str, int]
) -> None:
    out = case_figures(session, **WINDOW).to_dict()
    assert list(out) == list(DEFINITIONS)
    assert set(DEFINITIONS) == set(CaseFigures.__dataclass_fields__)
    assert all(text.endswith(".") and len(text) > 20 for text in DEFINITIONS.values())
    assert out["screened_share"] == 0.8333
    assert out["rehabilitation_share"] == 0.6667
    assert out["hours_to_verify"] == {"median": 4.0, "p90": 10.0}
    assert out["escalations"] == {"1": 2, "2": 1, "3": 0}
    assert json.loads(json.dumps(out)) == out


def test_the_window_is_half_open_and_unbounded_by_default(
    session: Session, cases: dict[str, int]
) -> None:
    everything = case_figures(session)
    assert everything.cases == 7
    assert everything.verified == 6
    assert (everything.hours_to_verify.median, everything.hours_to_verify.p90) == (5.0, 10.0)
    assert (everything.claims_paid, everything.claims_paid_idr) == (2, 12_000_000)
    assert everything.escalations == {1: 3, 2: 1, 3: 0}
    assert everything.identified == 4
    assert case_figures(session, start=T).cases == 6  # the start is included …
    before = case_figures(session, end=T)  # … the end is not
    assert (before.cases, before.identified, before.claims_filed) == (1, 1, 1)
    assert before.hours_to_verify.median == 8.0


def test_the_agency_filter_keeps_only_its_cases(session: Session, cases: dict[str, int]) -> None:
    kemlu = case_figures(session, agency="kemlu", **WINDOW)
    assert (kemlu.cases, kemlu.identified, kemlu.screened, kemlu.verified) == (1, 1, 1, 1)
    assert kemlu.hours_to_verify.median == 1.0
    assert (kemlu.victims_rehabilitated, kemlu.victims_legal_aid) == (0, 0)  # refused, pending
    assert (kemlu.claims_filed, kemlu.convictions, kemlu.deportations) == (0, 0, 0)
    bp2mi = case_figures(session, agency="bp2mi", **WINDOW)
    assert (bp2mi.cases, bp2mi.identified, bp2mi.verified) == (5, 2, 4)
    assert (bp2mi.hours_to_verify.median, bp2mi.hours_to_verify.p90) == (5.0, 10.0)
    assert bp2mi.legal_aid_share == 0.5
    assert case_figures(session, agency="polri").cases == 0


def test_a_deportation_before_any_determination_is_counted(
    session: Session, cases: dict[str, int]
) -> None:
    deported = session.scalar(
        select(CaseEvent.at).where(
            CaseEvent.case_id == cases["c"], CaseEvent.action == "refer_for_deportation"
        )
    )
    assert deported is not None
    session.execute(
        update(CaseDetermination)
        .where(CaseDetermination.case_id == cases["c"])
        .values(decided_at=deported + H)  # as if the interview were written in afterwards
    )
    got = case_figures(session, **WINDOW)
    assert (got.deportations, got.deported_without_identification) == (1, 1)


def test_an_empty_database_gives_zeros_and_no_shares(session: Session) -> None:
    got = case_figures(session)
    assert got.cases == got.screened == got.identified == got.verified == 0
    assert got.screened_share is None
    assert got.identified_share is None
    assert got.rehabilitation_share is None
    assert (got.hours_to_verify.median, got.hours_to_verify.p90) == (None, None)
    assert (got.restitution_ordered_idr, got.claims_paid_idr) == (0, 0)
    assert set(got.by_state.values()) == {0}
    assert got.escalations == {1: 0, 2: 0, 3: 0}
    assert got.to_dict()["hours_to_repatriation"] == {"median": None, "p90": None}


def test_a_window_without_a_zone_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInputError, match="has no time zone"):
        case_figures(session, start=dt.datetime(2025, 3, 1))
