"""Bonds and the claims victims make on them: filed → verified → paid, or rejected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from lindungi.db import utcnow
from lindungi.errors import ConflictError, InvalidInputError, NotFoundError
from lindungi.recruiters.models import Bond, BondClaim, Recruiter

#: decision → (states it may follow, state it leads to)
DECISIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "verify": (("filed",), "verified"),
    "pay": (("verified",), "paid"),
    "reject": (("filed", "verified"), "rejected"),
}


def add_bond(session: Session, recruiter: Recruiter, amount_idr: int, guarantor: str) -> Bond:
    """Record a deposit or guarantee held for the recruiter's victims."""
    if amount_idr <= 0:
        raise InvalidInputError("amount_idr must be more than 0")
    bond = Bond(
        recruiter=recruiter, amount_idr=amount_idr, balance_idr=amount_idr, guarantor=guarantor
    )
    session.add(bond)
    session.flush()
    return bond


def get_bond(session: Session, bond_id: int) -> Bond:
    """A bond, or 404."""
    bond = session.get(Bond, bond_id)
    if bond is None:
        raise NotFoundError(f"no bond {bond_id}")
    return bond


def get_claim(session: Session, claim_id: int) -> BondClaim:
    """A claim, or 404."""
    claim = session.get(BondClaim, claim_id)
    if claim is None:
        raise NotFoundError(f"no claim {claim_id}")
    return claim


def file_claim(
    session: Session,
    bond: Bond,
    *,
    case_ref: str,
    amount_idr: int,
    actor: str,
    case_id: int | None = None,
) -> BondClaim:
    """A claim for a victim's case; it is paid only after verification."""
    if amount_idr <= 0:
        raise InvalidInputError("amount_idr must be more than 0")
    if not case_ref.strip():
        raise InvalidInputError("case_ref is empty: a claim is filed for a case")
    if bond.status == "released":
        raise ConflictError(f"bond {bond.id} has been released; no claim can be filed on it")
    claim = BondClaim(
        bond=bond, case_ref=case_ref, amount_idr=amount_idr, filed_by=actor, case_id=case_id
    )
    session.add(claim)
    session.flush()
    return claim


def decide_claim(
    session: Session, claim: BondClaim, decision: str, *, reason: str, actor: str
) -> BondClaim:
    """Move a claim on; an impossible move is refused (409), never ignored."""
    if decision not in DECISIONS:
        raise InvalidInputError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    allowed_from, to = DECISIONS[decision]
    if claim.status not in allowed_from:
        raise ConflictError(
            f"claim {claim.id} is {claim.status}; '{decision}' needs it to be "
            f"{' or '.join(allowed_from)}"
        )
    if not reason.strip():
        raise InvalidInputError("a decision on a claim needs a reason")
    bond = claim.bond
    if to == "paid":
        if claim.amount_idr > bond.balance_idr:
            raise ConflictError(
                f"bond {bond.id} holds Rp{bond.balance_idr:,}; "
                f"claim {claim.id} asks Rp{claim.amount_idr:,}"
            )
        bond.balance_idr -= claim.amount_idr
        if bond.balance_idr == 0:
            bond.status = "exhausted"
    claim.status, claim.reason = to, reason
    claim.decided_by, claim.decided_at = actor, utcnow()
    session.flush()
    return claim


def current_bond(session: Session, recruiter_id: int) -> Bond | None:
    """The recruiter's latest bond that is not released (held or exhausted), if any."""
    query = (
        select(Bond)
        .where(Bond.recruiter_id == recruiter_id, Bond.status != "released")
        .order_by(Bond.id.desc())
    )
    return session.scalars(query).first()


def file_case_claim(
    session: Session, recruiter_id: int, *, case_id: int, amount_idr: int, actor: str
) -> BondClaim:
    """A victim's claim, from a hub case, on the recruiter's current bond (404 for an
    unknown recruiter, 409 when it holds no bond)."""
    if session.get(Recruiter, recruiter_id) is None:
        raise NotFoundError(f"recruiter {recruiter_id} not found")
    bond = current_bond(session, recruiter_id)
    if bond is None:
        raise ConflictError(f"recruiter {recruiter_id} holds no bond to claim on")
    return file_claim(session, bond, case_ref=f"case {case_id}", amount_idr=amount_idr,
                      actor=actor, case_id=case_id)  # fmt: skip


def case_claims(session: Session, case_id: int) -> list[BondClaim]:
    """The claims filed from a hub case, in order."""
    query = select(BondClaim).where(BondClaim.case_id == case_id).order_by(BondClaim.id)
    return list(session.scalars(query))


@dataclass(frozen=True)
class ClaimTotals:
    """Claims filed from a set of cases, and what was paid."""

    filed: int
    paid: int
    paid_idr: int


def claim_totals(session: Session, case_ids: Select[Any]) -> ClaimTotals:
    """How many claims the cases selected by ``case_ids`` filed, and paid (count, Rupiah)."""
    is_paid = BondClaim.status == "paid"
    filed, paid, paid_idr = session.execute(
        select(
            func.count(BondClaim.id),
            func.count(case((is_paid, 1))),
            func.coalesce(func.sum(case((is_paid, BondClaim.amount_idr))), 0),
        ).where(BondClaim.case_id.in_(case_ids))
    ).one()
    return ClaimTotals(int(filed), int(paid), int(paid_idr))
