"""The legal track's table, whole: every stage and restitution status × every action,
allowed or refused with what is allowed instead; partial restitution payments."""

from __future__ import annotations

import itertools

import pytest

from lindungi.cases.legal import (
    BY_ACTION,
    LegalRefused,
    LegalStage,
    LegalState,
    Restitution,
    allowed,
    apply,
)

STAGES: list[str | None] = [None, *(s.value for s in LegalStage)]
RESTITUTIONS: list[str | None] = [None, *(r.value for r in Restitution)]
EXPECTED_STAGE = {
    "refer_to_police": {None: "referred_to_police", "dropped": "referred_to_police"},
    "open_investigation": {"referred_to_police": "investigation"},
    "prosecute": {"investigation": "prosecution"},
    "convict": {"prosecution": "convicted"},
    "acquit": {"prosecution": "acquitted"},
    "drop": {"referred_to_police": "dropped", "investigation": "dropped",
             "prosecution": "dropped"},
}  # fmt: skip
EXPECTED_RESTITUTION = {
    "request_restitution": {None: "requested", "refused": "requested"},
    "order_restitution": {"requested": "ordered"},
    "refuse_restitution": {"requested": "refused"},
    "pay_restitution": {"ordered": "paid"},
}


@pytest.mark.parametrize(
    ("stage", "restitution", "action"),
    list(itertools.product(STAGES, RESTITUTIONS, BY_ACTION)),
)
def test_every_state_and_action(stage: str | None, restitution: str | None, action: str) -> None:
    state = LegalState(stage, restitution, 1_000_000 if restitution else None, 0)
    if action in EXPECTED_STAGE:
        target = EXPECTED_STAGE[action].get(stage)
    else:
        target = EXPECTED_RESTITUTION[action].get(restitution)
        if stage is None and action == "request_restitution":
            target = None  # restitution goes through the criminal case
    if target is None:
        with pytest.raises(LegalRefused) as refused:
            apply(state, action, 1_000_000)
        assert action not in refused.value.allowed
        assert refused.value.allowed == allowed(state)
        return
    after = apply(state, action, 1_000_000)
    now = after.stage if action in EXPECTED_STAGE else after.restitution
    assert now == target
    assert action in allowed(state)


def test_restitution_needs_a_police_referral_first() -> None:
    with pytest.raises(LegalRefused, match="refer it to the police first"):
        apply(LegalState(), "request_restitution")


def test_restitution_is_paid_in_parts_up_to_the_order() -> None:
    state = LegalState("convicted", "requested")
    with pytest.raises(LegalRefused, match="needs an amount"):
        apply(state, "order_restitution")
    state = apply(state, "order_restitution", 30_000_000)
    assert (state.restitution, state.ordered_idr, state.paid_idr) == ("ordered", 30_000_000, 0)
    state = apply(state, "pay_restitution", 10_000_000)
    assert (state.restitution, state.paid_idr) == ("ordered", 10_000_000)
    with pytest.raises(LegalRefused, match="would exceed the Rp30,000,000"):
        apply(state, "pay_restitution", 25_000_000)
    state = apply(state, "pay_restitution", 20_000_000)
    assert (state.restitution, state.paid_idr) == ("paid", 30_000_000)
    assert "pay_restitution" not in allowed(state)


def test_unknown_action_names_the_actions() -> None:
    with pytest.raises(LegalRefused, match="unknown legal action 'arrest'; the actions are"):
        apply(LegalState(), "arrest")
