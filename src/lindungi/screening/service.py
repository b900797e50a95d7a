"""Screening operations: screen a traveller or an offer, store a desk screening, record the
officer's decision (a referral to BP2MI when it is ``refer``), a contest, a shared offer.

Services flush and never commit; the request or the command commits once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import service as cases
from lindungi.db import utcnow
from lindungi.errors import ConflictError, NotFoundError
from lindungi.exchange import service as exchange
from lindungi.screening.case import Case
from lindungi.screening.lookups import Lookups
from lindungi.screening.models import Referral, Screening, SharedOffer
from lindungi.screening.offer_text import analyse_offer
from lindungi.screening.rulebook import Result, Rulebook, default_rulebook
from lindungi.screening.schemas import JobOfferIn, OfferIn, ScreeningIn


def evaluate(
    request: ScreeningIn,
    lookups: Lookups,
    *,
    rates: Mapping[str, float] | None = None,
    rulebook: Rulebook | None = None,
) -> Result:
    """Screen one traveller: read the offer, ask the registry and the index, weigh."""
    text = request.job_offer.text if request.job_offer else None
    offer = analyse_offer(text, rates) if text else None
    case = Case(
        request=request,
        mode="departure",
        offer=offer,
        registry=lookups.registry(request, offer),
        identity=lookups.identity(request),
        today=lookups.today,
    )
    return (rulebook or default_rulebook()).evaluate(case)


def evaluate_offer(
    offer_in: OfferIn,
    lookups: Lookups,
    *,
    rates: Mapping[str, float] | None = None,
    rulebook: Rulebook | None = None,
) -> Result:
    """Check one job offer (the public self-check and contract 3)."""
    job = JobOfferIn(text=offer_in.text, channel=offer_in.channel)
    request = ScreeningIn(id=offer_in.id, job_offer=job)
    offer = analyse_offer(offer_in.text, rates)
    case = Case(
        request=request,
        mode="offer",
        offer=offer,
        registry=lookups.registry(request, offer),
        today=lookups.today,
    )
    return (rulebook or default_rulebook()).evaluate(case)


def indicators_of(result: Result) -> list[dict[str, Any]]:
    """The fired indicators as stored and as evidence in a referral (both languages)."""
    return [
        {
            "code": h.indicator.code,
            "label_id": h.indicator.label_id,
            "label_en": h.indicator.label_en,
            "weight": h.indicator.weight,
            "weak": h.indicator.weak,
            "basis": h.indicator.basis,
            "evidence": h.evidence,
        }
        for h in result.hits
    ]


def screen_at_desk(
    session: Session,
    request: ScreeningIn,
    principal: Principal,
    today: dt.date | None = None,
    rates: Mapping[str, float] | None = None,
) -> Screening:
    """Screen a traveller at a desk and keep the result for the decision and any contest."""
    result = evaluate(request, Lookups(session, today or dt.date.today()), rates=rates)
    screening = Screening(
        reference=request.id,
        request=request.model_dump(mode="json", exclude_none=True),
        score=result.score,
        band=result.band,
        action=result.action,
        indicators=indicators_of(result),
        rulebook=result.version,
        agency=principal.agency,
        screened_by=principal.username,
    )
    session.add(screening)
    session.flush()
    return screening


def get_screening(session: Session, screening_id: int, principal: Principal) -> Screening:
    """A stored screening, if the principal may read it (own agency, or all)."""
    screening = session.get(Screening, screening_id)
    if screening is None:
        raise NotFoundError(f"screening {screening_id} not found")
    principal.authorize(
        Permission("screenings", "read"),
        owner_agency=screening.agency,
        resource_id=str(screening_id),
    )
    return screening


def decide(
    session: Session, screening_id: int, decision: str, reason: str, principal: Principal
) -> tuple[Screening, Referral | None]:
    """Record the officer's decision; ``refer`` hands the screening to BP2MI with its
    evidence. A decision is recorded once: a second one is refused (409)."""
    screening = session.get(Screening, screening_id)
    if screening is None:
        raise NotFoundError(f"screening {screening_id} not found")
    principal.authorize(
        Permission("screenings", "decide"),
        owner_agency=screening.agency,
        resource_id=str(screening_id),
    )
    if screening.erased_at is not None:
        raise ConflictError(
            f"screening {screening_id} was erased when its retention ended; screen the "
            "traveller again"
        )
    if screening.decision is not None:
        raise ConflictError(
            f"screening {screening_id} was already decided ({screening.decision}) by "
            f"{screening.decided_by}; record a contest to have it reviewed"
        )
    screening.decision = decision
    screening.decision_reason = reason
    screening.decided_by = principal.username
    screening.decided_at = utcnow()
    referral = None
    if decision == "refer":
        referral = Referral(
            screening_id=screening.id,
            to_agency="bp2mi",
            status="open",
            reason=reason,
            evidence=screening.indicators,
            created_by=principal.username,
            from_agency=principal.agency,
        )
        session.add(referral)
        session.flush()
        codes = ", ".join(hit["code"] for hit in screening.indicators)
        person, trip = screening.request.get("person") or {}, screening.request.get("trip") or {}
        exchange.emit(
            session, "screening.referred", subject=f"referral:{referral.id}",
            source_agency=principal.agency, actor=principal.username,
            data={"referral_id": referral.id, "screening_id": screening.id,
                  "from_agency": principal.agency, "to_agency": referral.to_agency,
                  "score": screening.score, "band": screening.band,
                  "indicator_codes": [hit["code"] for hit in screening.indicators],
                  "destination_country": trip.get("destination_country"),
                  "visa_type": trip.get("visa_type"),
                  **{f: person.get(f) for f in ("full_name", "nik", "passport_no", "birth_date")}},
        )  # fmt: skip
        cases.open_from_screening(
            session, referral.id, screening.request,
            f"Screening {screening.id} at {screening.agency}: score {screening.score} "
            f"({screening.band}); {codes}. Officer: {reason}", principal,
        )  # fmt: skip
    session.flush()
    return screening, referral


def contest(session: Session, screening_id: int, text: str, principal: Principal) -> Screening:
    """Record the traveller's objection to a result, for review; the result stays as it was.
    Needs ``screenings:contest`` over the screening's agency (not merely reading it)."""
    screening = get_screening(session, screening_id, principal)
    principal.authorize(
        Permission("screenings", "contest"),
        owner_agency=screening.agency,
        resource_id=str(screening_id),
    )
    if screening.contest is not None:
        raise ConflictError(f"screening {screening_id} is already contested")
    screening.contest = text
    screening.contested_by = principal.username
    screening.contested_at = utcnow()
    session.flush()
    return screening


def get_referral(session: Session, referral_id: int) -> Referral:
    """A screening referral, or 404."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFoundError(f"referral {referral_id} not found")
    return referral


def referrals(session: Session, status: str | None = None, limit: int = 100) -> list[Referral]:
    """Referrals to BP2MI, newest first."""
    query = select(Referral).order_by(Referral.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Referral.status == status)
    return list(session.scalars(query))


def share_offer(session: Session, offer: OfferIn, result: Result, consent: str) -> SharedOffer:
    """Keep an offer that its holder chose to share, with the consent they accepted."""
    shared = SharedOffer(
        text=offer.text,
        channel=offer.channel,
        score=result.score,
        band=result.band,
        indicators=[h.indicator.code for h in result.hits],
        rulebook=result.version,
        consent=consent,
    )
    session.add(shared)
    session.flush()
    return shared
