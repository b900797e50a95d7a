"""The case workflow's whole transition matrix (every state × every action), the rule
that identification comes before any deportation or closing as an overstay, and the
victim-identification suggestions."""

from __future__ import annotations

import itertools

import pytest

from lindungi.cases.identification import Facts, UnknownTermError, facts, suggest
from lindungi.cases.workflow import (
    ACTIONS,
    CloseReason,
    Determination,
    InvalidMove,
    State,
    allowed,
    transition,
)

S = State
#: What each action does from each state it is allowed in, for a person identified as
#: not a victim and a closing reason of "duplicate": every other pair must be refused.
EXPECTED: dict[tuple[State, str], State] = {
    (S.REPORTED, "verify"): S.VERIFIED,
    (S.VERIFIED, "locate"): S.LOCATED,
    (S.LOCATED, "coordinate_rescue"): S.RESCUE_COORDINATED,
    (S.LOCATED, "admit_to_shelter"): S.IN_SHELTER,
    (S.RESCUE_COORDINATED, "admit_to_shelter"): S.IN_SHELTER,
    (S.LOCATED, "arrange_repatriation"): S.REPATRIATION_ARRANGED,
    (S.RESCUE_COORDINATED, "arrange_repatriation"): S.REPATRIATION_ARRANGED,
    (S.IN_SHELTER, "arrange_repatriation"): S.REPATRIATION_ARRANGED,
    (S.LOCATED, "refer_for_deportation"): S.DEPORTATION,
    (S.IN_SHELTER, "refer_for_deportation"): S.DEPORTATION,
    (S.REPATRIATION_ARRANGED, "confirm_arrival"): S.ARRIVED,
    (S.DEPORTATION, "confirm_arrival"): S.ARRIVED,
    (S.ARRIVED, "start_rehabilitation"): S.REHABILITATION,
    (S.REHABILITATION, "start_reintegration"): S.REINTEGRATION,
    **{(state, "close"): S.CLOSED for state in State if state is not S.CLOSED},
    (S.CLOSED, "reopen"): S.VERIFIED,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, ACTIONS)))
def test_every_state_and_action(state: State, action: str) -> None:
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(InvalidMove) as refused:
            transition(state, action, Determination.NOT_VICTIM, CloseReason.DUPLICATE)
        assert f"cannot {action} a case that is {state.value}" in str(refused.value)
        assert action not in refused.value.allowed
        assert set(refused.value.allowed) == {a for (s, a) in EXPECTED if s is state}, (
            "the refusal lists exactly the allowed moves"
        )
    else:
        assert transition(state, action, Determination.NOT_VICTIM, CloseReason.DUPLICATE) == (
            expected
        )


@pytest.mark.parametrize("determination", [None, Determination.UNDETERMINED])
def test_no_deportation_and_no_overstay_closure_before_identification(
    determination: Determination | None,
) -> None:
    with pytest.raises(InvalidMove, match="victim identification must be recorded") as refused:
        transition("in_shelter", "refer_for_deportation", determination)
    assert "refer_for_deportation" not in refused.value.allowed
    assert "arrange_repatriation" in refused.value.allowed
    with pytest.raises(InvalidMove, match="closed as an overstay only after victim"):
        transition("verified", "close", determination, CloseReason.OVERSTAY)
    assert "refer_for_deportation" not in allowed("located", determination)


def test_a_victim_is_repatriated_never_deported() -> None:
    victim = Determination.VICTIM
    with pytest.raises(InvalidMove, match="never deported"):
        transition("located", "refer_for_deportation", victim)
    with pytest.raises(InvalidMove, match="closed as an overstay only after"):
        transition("arrived", "close", victim, CloseReason.OVERSTAY)
    assert transition("located", "arrange_repatriation", victim) is S.REPATRIATION_ARRANGED
    assert transition("verified", "close", Determination.NOT_VICTIM, CloseReason.OVERSTAY) is (
        S.CLOSED
    )


def test_closing_reasons_fit_the_stage() -> None:
    with pytest.raises(InvalidMove, match="closing needs a reason: reintegrated"):
        transition("reintegration", "close")
    with pytest.raises(InvalidMove, match="closed as reintegrated only from reintegration"):
        transition("arrived", "close", None, CloseReason.REINTEGRATED)
    with pytest.raises(InvalidMove, match="from in_shelter a case is closed only as"):
        transition("in_shelter", "close", None, CloseReason.DECLINED_SERVICES)
    assert transition("in_shelter", "close", None, CloseReason.DECEASED) is S.CLOSED
    assert transition("reintegration", "close", None, CloseReason.REINTEGRATED) is S.CLOSED


def test_unknown_states_and_actions_name_the_allowed_ones() -> None:
    with pytest.raises(InvalidMove, match="unknown state 'lost'; the states are reported, "):
        transition("lost", "verify")
    with pytest.raises(InvalidMove, match="unknown action 'deport'; the actions are verify, "):
        transition("reported", "deport")
    assert allowed("reported") == ("verify", "close")


def test_a_case_goes_from_report_to_reintegration() -> None:
    state = S.REPORTED
    path = ["verify", "locate", "coordinate_rescue", "admit_to_shelter",
            "arrange_repatriation", "confirm_arrival", "start_rehabilitation",
            "start_reintegration"]  # fmt: skip
    for action in path:
        state = transition(state, action, Determination.VICTIM)
    assert state is S.REINTEGRATION
    assert transition(state, "close", Determination.VICTIM, CloseReason.REINTEGRATED) is (S.CLOSED)


@pytest.mark.parametrize(
    ("observed", "determination", "because"),
    [
        (facts(acts=["recruitment", "transportation"], means=["deception"],
               purposes=["forced_criminality"]), Determination.VICTIM,
         "act: recruitment, transportation; means: deception; purpose: forced_criminality"),
        (facts(acts=["recruitment"], purposes=["exploitation"], child=True),
         Determination.VICTIM, "a child: the means need not be shown"),
        (facts(acts=["recruitment"], purposes=["exploitation"]), Determination.UNDETERMINED,
         "no interview recorded yet"),
        (facts(indicators=["retention_of_documents"]), Determination.VICTIM,
         "strong forced-labour indicator: Retention of identity documents"),
        (facts(indicators=["isolation", "excessive_overtime"]), Determination.VICTIM,
         "forced-labour indicators: Excessive overtime, Isolation"),
        (facts(indicators=["deception"]), Determination.UNDETERMINED,
         "one forced-labour indicator (Deception): interview further"),
        (facts(interview_complete=True), Determination.NOT_VICTIM,
         "a complete interview found no indicator"),
        (facts(), Determination.UNDETERMINED, "identify before deciding"),
    ],
)  # fmt: skip
def test_identification_suggestions_explain_themselves(
    observed: Facts, determination: Determination, because: str
) -> None:
    got = suggest(observed)
    assert got.determination is determination
    assert any(because in reason for reason in got.reasons), got.reasons


def test_unknown_indicators_and_elements_are_named() -> None:
    with pytest.raises(UnknownTermError, match="unknown indicator 'sad'; known: abuse_of_"):
        facts(indicators=["sad"])
    with pytest.raises(UnknownTermError, match="unknown means 'luck'"):
        facts(means=["luck"])
