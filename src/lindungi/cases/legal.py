"""The legal track of a case, alongside the protection workflow: the police referral,
the investigation and prosecution, and the victim's restitution (UU 21/2007 Pasal 48–50).
Pure, like the workflow: a table of moves and the rules that guard them.

The legal track runs beside the case, not inside it: a victim may be home and in
rehabilitation while the prosecution goes on, and a closed case may still see a verdict
or a restitution payment. Referring a case to the police shares the victim's identity
and account with them, so it needs the person's consent or an override, like any
referral. Casework records the referral and the restitution request; the police unit
records the investigation, the prosecution, the verdict and the court's order. A case
the police do not take up (they reject the referral) or drop may be referred again, with
new evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LegalStage(StrEnum):
    """Where the criminal case stands."""

    REFERRED = "referred_to_police"
    INVESTIGATION = "investigation"
    PROSECUTION = "prosecution"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DROPPED = "dropped"  # SP3, or not taken up


class Restitution(StrEnum):
    """Where the victim's restitution stands."""

    REQUESTED = "requested"
    ORDERED = "ordered"  # by the court, with an amount
    PAID = "paid"  # in full
    REFUSED = "refused"


@dataclass(frozen=True)
class LegalMove:
    """One action of the legal track."""

    action: str
    track: str  # "stage" or "restitution"
    sources: tuple[str | None, ...]
    target: str
    permission: str  # the cases permission it needs: "update" (casework) or "legal" (police)


_S, _R = LegalStage, Restitution
MOVES: tuple[LegalMove, ...] = (
    LegalMove("refer_to_police", "stage", (None, _S.DROPPED), _S.REFERRED, "update"),
    LegalMove("open_investigation", "stage", (_S.REFERRED,), _S.INVESTIGATION, "legal"),
    LegalMove("prosecute", "stage", (_S.INVESTIGATION,), _S.PROSECUTION, "legal"),
    LegalMove("convict", "stage", (_S.PROSECUTION,), _S.CONVICTED, "legal"),
    LegalMove("acquit", "stage", (_S.PROSECUTION,), _S.ACQUITTED, "legal"),
    LegalMove("drop", "stage", (_S.REFERRED, _S.INVESTIGATION, _S.PROSECUTION), _S.DROPPED,
              "legal"),
    LegalMove("request_restitution", "restitution", (None, _R.REFUSED), _R.REQUESTED, "update"),
    LegalMove("order_restitution", "restitution", (_R.REQUESTED,), _R.ORDERED, "legal"),
    LegalMove("refuse_restitution", "restitution", (_R.REQUESTED,), _R.REFUSED, "legal"),
    LegalMove("pay_restitution", "restitution", (_R.ORDERED,), _R.PAID, "legal"),
)  # fmt: skip
BY_ACTION = {m.action: m for m in MOVES}


class LegalRefused(ValueError):
    """A legal move the rules refuse; ``allowed`` names what may be done instead."""

    def __init__(self, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allowed = allowed


@dataclass(frozen=True)
class LegalState:
    """The legal track of one case."""

    stage: str | None = None
    restitution: str | None = None
    ordered_idr: int | None = None
    paid_idr: int = 0


def allowed(state: LegalState) -> tuple[str, ...]:
    """The legal moves that may be taken now."""
    return tuple(
        m.action
        for m in MOVES
        if (state.stage if m.track == "stage" else state.restitution) in m.sources
        and not (m.action == "request_restitution" and state.stage is None)
    )


def apply(state: LegalState, action: str, amount_idr: int | None = None) -> LegalState:
    """The legal track after ``action``. A restitution payment may be partial: it adds to
    what was paid and the restitution is *paid* once the ordered amount is reached."""
    move = BY_ACTION.get(action)
    if move is None:
        raise LegalRefused(
            f"unknown legal action {action!r}; the actions are {', '.join(BY_ACTION)}",
            allowed(state),
        )
    if action not in allowed(state):
        now = state.stage if move.track == "stage" else state.restitution
        why = (
            "restitution is sought through the criminal case: refer it to the police first"
            if action == "request_restitution" and state.stage is None
            else f"cannot {action} when the {move.track} is {now or 'not started'}"
        )
        raise LegalRefused(why, allowed(state))
    if action in ("order_restitution", "pay_restitution") and (amount_idr or 0) <= 0:
        raise LegalRefused(f"{action} needs an amount in Rupiah above 0", allowed(state))
    if move.track == "stage":
        return LegalState(move.target, state.restitution, state.ordered_idr, state.paid_idr)
    if action == "order_restitution":
        return LegalState(state.stage, move.target, amount_idr, 0)
    if action == "pay_restitution":
        assert amount_idr is not None
        assert state.ordered_idr is not None
        paid = state.paid_idr + amount_idr
        if paid > state.ordered_idr:
            raise LegalRefused(
                f"Rp{paid:,} would exceed the Rp{state.ordered_idr:,} the court ordered",
                allowed(state),
            )
        status = Restitution.PAID if paid == state.ordered_idr else Restitution.ORDERED
        return LegalState(state.stage, status, state.ordered_idr, paid)
    return LegalState(state.stage, move.target, state.ordered_idr, state.paid_idr)
