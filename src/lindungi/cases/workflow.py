"""The case workflow as an explicit transition table: the pure core of the cases module.

A case moves from the first report to reintegration; every move is an action named in
the table, with the states it may start from and the state it leads to. Two rules guard
the moves that ended in deportation for 213 overstayers in 2023 with none referred:

- a case may be sent to deportation, or closed as an overstay, only once a person has
  recorded a victim-identification determination, and only when it says *not a victim*;
- a potential victim of trafficking goes home by humanitarian repatriation, never by
  deportation.

Refused moves raise :class:`InvalidMove`, which names the moves that are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    """Where a case stands."""

    REPORTED = "reported"
    VERIFIED = "verified"
    LOCATED = "located"
    RESCUE_COORDINATED = "rescue_coordinated"
    IN_SHELTER = "in_shelter"
    REPATRIATION_ARRANGED = "repatriation_arranged"
    DEPORTATION = "deportation"
    ARRIVED = "arrived"
    REHABILITATION = "rehabilitation"
    REINTEGRATION = "reintegration"
    CLOSED = "closed"


class Determination(StrEnum):
    """The recorded outcome of victim identification."""

    VICTIM = "potential_victim"  # potential victim of trafficking (UU 21/2007, Palermo)
    NOT_VICTIM = "not_victim"
    UNDETERMINED = "undetermined"


class CloseReason(StrEnum):
    """Why a case was closed."""

    REINTEGRATED = "reintegrated"
    DECLINED_SERVICES = "declined_services"  # the person, informed, wants no more support
    OVERSTAY = "overstay"  # an administrative matter only: needs "not a victim"
    UNFOUNDED = "unfounded"  # the report was not borne out on verification
    DUPLICATE = "duplicate"
    DECEASED = "deceased"


@dataclass(frozen=True)
class Move:
    """One action of the table: where it may start and where it leads."""

    action: str
    sources: frozenset[State]
    target: State
    label_id: str
    label_en: str


def _move(action: str, sources: set[State], target: State, label_id: str, label_en: str) -> Move:
    return Move(action, frozenset(sources), target, label_id, label_en)


_OPEN = set(State) - {State.CLOSED}
S = State
TABLE: tuple[Move, ...] = (
    _move("verify", {S.REPORTED}, S.VERIFIED, "Verifikasi laporan", "Verify the report"),
    _move("locate", {S.VERIFIED}, S.LOCATED, "Lokasi diketahui", "Locate the person"),
    _move("coordinate_rescue", {S.LOCATED}, S.RESCUE_COORDINATED,
          "Koordinasi penyelamatan", "Coordinate the rescue"),
    _move("admit_to_shelter", {S.LOCATED, S.RESCUE_COORDINATED}, S.IN_SHELTER,
          "Masuk rumah aman / shelter", "Admit to a shelter"),
    _move("arrange_repatriation", {S.LOCATED, S.RESCUE_COORDINATED, S.IN_SHELTER},
          S.REPATRIATION_ARRANGED, "Atur pemulangan kemanusiaan",
          "Arrange humanitarian repatriation"),
    _move("refer_for_deportation", {S.LOCATED, S.IN_SHELTER}, S.DEPORTATION,
          "Serahkan untuk deportasi", "Refer for deportation"),
    _move("confirm_arrival", {S.REPATRIATION_ARRANGED, S.DEPORTATION}, S.ARRIVED,
          "Tiba di Indonesia", "Confirm arrival in Indonesia"),
    _move("start_rehabilitation", {S.ARRIVED}, S.REHABILITATION,
          "Mulai rehabilitasi", "Start rehabilitation"),
    _move("start_reintegration", {S.REHABILITATION}, S.REINTEGRATION,
          "Mulai reintegrasi", "Start reintegration"),
    _move("close", _OPEN, S.CLOSED, "Tutup kasus", "Close the case"),
    _move("reopen", {S.CLOSED}, S.VERIFIED, "Buka kembali", "Reopen the case"),
)  # fmt: skip
MOVES: dict[str, Move] = {m.action: m for m in TABLE}
ACTIONS: tuple[str, ...] = tuple(MOVES)

#: From these states a case may be closed for any reason the guards allow; from the
#: others only as unfounded, duplicate or deceased (a located person is not dropped).
_CLOSE_ANY = {S.REPORTED, S.VERIFIED, S.ARRIVED, S.REHABILITATION, S.REINTEGRATION}
_CLOSE_EARLY = {CloseReason.UNFOUNDED, CloseReason.DUPLICATE, CloseReason.DECEASED}


class InvalidMove(ValueError):
    """A move the table or a guard refuses, with the moves that are allowed instead."""

    def __init__(self, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allowed = allowed


def _parse_state(value: str) -> State:
    try:
        return State(value)
    except ValueError:
        raise InvalidMove(
            f"unknown state {value!r}; the states are {', '.join(s.value for s in State)}", ()
        ) from None


def _guard(
    move: Move, determination: Determination | None, reason: CloseReason | None, state: State
) -> str | None:
    """Why the guards refuse this move, or ``None``."""
    if move.action == "refer_for_deportation" and determination is not Determination.NOT_VICTIM:
        if determination is Determination.VICTIM:
            return (
                "a potential victim of trafficking is repatriated on humanitarian grounds, "
                "never deported"
            )
        return (
            "victim identification must be recorded, and find the person not a victim, "
            "before a case goes to deportation"
        )
    if move.action == "close":
        if reason is None:
            return f"closing needs a reason: {', '.join(r.value for r in CloseReason)}"
        if reason is CloseReason.OVERSTAY and determination is not Determination.NOT_VICTIM:
            return (
                "a case is closed as an overstay only after victim identification has "
                "found the person not a victim"
            )
        if reason is CloseReason.REINTEGRATED and state is not S.REINTEGRATION:
            return "a case is closed as reintegrated only from reintegration"
        if state not in _CLOSE_ANY and reason not in _CLOSE_EARLY:
            return (
                f"from {state.value} a case is closed only as unfounded, duplicate or "
                "deceased: the person is still to be brought home"
            )
    return None


def allowed(
    state: str, determination: Determination | None = None, reason: CloseReason | None = None
) -> tuple[str, ...]:
    """The actions allowed from ``state`` given the determination (and a closing reason)."""
    current = _parse_state(state)
    found = []
    for move in TABLE:
        if current not in move.sources:
            continue
        if move.action == "close" and reason is None:
            if any(_guard(move, determination, r, current) is None for r in CloseReason):
                found.append(move.action)
            continue
        if _guard(move, determination, reason, current) is None:
            found.append(move.action)
    return tuple(found)


def transition(
    state: str,
    action: str,
    determination: Determination | None = None,
    reason: CloseReason | None = None,
) -> State:
    """The state after ``action``; refuses (``InvalidMove``) an unknown or forbidden move."""
    current = _parse_state(state)
    options = allowed(current.value, determination)
    move = MOVES.get(action)
    if move is None:
        raise InvalidMove(
            f"unknown action {action!r}; the actions are {', '.join(ACTIONS)}", options
        )
    if current not in move.sources:
        raise InvalidMove(
            f"cannot {action} a case that is {current.value}; allowed: "
            + (", ".join(options) or "nothing"),
            options,
        )
    refused = _guard(move, determination, reason, current)
    if refused is not None:
        raise InvalidMove(refused + "; allowed: " + (", ".join(options) or "nothing"), options)
    return move.target
