"""Reading the desk's screenings back: an agency's recent ones, a look-up by id or by the
reference the desk gave, and the referral (and the case at BP2MI) a decision created.

Services flush and never commit; these only read.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lindungi.cases.models import Case
from lindungi.screening.models import Referral, Screening


def recent(session: Session, agency: str | None, limit: int = 20) -> list[Screening]:
    """The newest screenings of ``agency`` (of every agency when ``None``)."""
    query = select(Screening).order_by(Screening.id.desc()).limit(limit)
    if agency is not None:
        query = query.where(Screening.agency == agency)
    return list(session.scalars(query))


def find(session: Session, wanted: str, agency: str | None, limit: int = 50) -> list[Screening]:
    """Screenings whose id or desk reference is ``wanted`` (of ``agency`` unless ``None``),
    newest first."""
    wanted = wanted.strip()
    if not wanted:
        return []
    match = Screening.reference == wanted
    if wanted.isdigit() and len(wanted) < 10:
        match = or_(match, Screening.id == int(wanted))
    query = select(Screening).where(match).order_by(Screening.id.desc()).limit(limit)
    if agency is not None:
        query = query.where(Screening.agency == agency)
    return list(session.scalars(query))


def referral_of(session: Session, screening_id: int) -> Referral | None:
    """The referral to BP2MI a screening's decision created, if any."""
    return session.scalar(select(Referral).where(Referral.screening_id == screening_id))


def case_of_referral(session: Session, referral_id: int) -> int | None:
    """The id of the case a referral opened at BP2MI, if any."""
    return session.scalar(select(Case.id).where(Case.screening_referral_id == referral_id))
