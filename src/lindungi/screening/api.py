"""HTTP routes of screening: the desk screening with decision, referral and contest; the
rulebook; and the public job-offer self-check (no login, limited, stores only by consent)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query, Request, status

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep, get_settings
from lindungi.api.problems import TOO_MANY_REQUESTS
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases_service
from lindungi.recruiters.public_api import rate_limited
from lindungi.screening import service
from lindungi.screening.lookups import Lookups
from lindungi.screening.models import Referral, Screening
from lindungi.screening.offer_text import DEFAULT_RATES_IDR
from lindungi.screening.rulebook import default_rulebook
from lindungi.screening.schemas import (
    Advice,
    ContestIn,
    DecisionIn,
    DeskScreeningOut,
    HitOut,
    OfferIn,
    PublicIndicatorOut,
    PublicOfferIn,
    PublicOfferOut,
    ReferralOut,
    RulebookOut,
    ScreeningIn,
)
from lindungi.screening.sopdoc import rulebook_dict
from lindungi.settings import Settings

router = Router(tags=["screening"])
public_router = Router(tags=["public"], responses=TOO_MANY_REQUESTS)  # limited per address

#: What the self-check says for each band, in both languages.
ADVICE = {
    "low": (
        "Tidak ditemukan tanda bahaya utama. Tetap periksa izin perekrut (P3MI) dan pastikan "
        "Anda berangkat dengan visa kerja dan perjanjian kerja tertulis.",
        "No major warning signs found. Still check the recruiter's licence and make sure you "
        "leave with a work visa and a written employment contract.",
    ),
    "medium": (
        "Ada tanda yang perlu diwaspadai. Jangan membayar atau berangkat sebelum memastikan "
        "perekrut berizin dan pekerjaan memakai visa kerja. Tanyakan ke Disnaker atau BP2MI.",
        "There are warning signs. Do not pay or travel until you have confirmed the recruiter "
        "is licensed and the job comes with a work visa. Ask the labour office or BP2MI.",
    ),
    "high": (
        "Tawaran ini sangat mirip modus perdagangan orang ke kompleks penipuan daring. Jangan "
        "berangkat dan jangan menyerahkan paspor. Hubungi hotline di bawah.",
        "This offer closely matches how people are trafficked into online-scam compounds. Do "
        "not travel and do not hand over your passport. Call the hotline below.",
    ),
}
CONSENT = (
    "Saya setuju teks tawaran ini disimpan oleh Lindungi untuk melindungi orang lain. / "
    "I agree that Lindungi keeps the text of this offer to protect others."
)
SCREENING_FIELDS = ("person", "trip", "job_offer", "recruiter", "history", "indicators")


def _rates(settings: Settings) -> dict[str, float]:
    """The built-in currency rates with the configured ones over them."""
    return {**DEFAULT_RATES_IDR, **settings.currency_rates_idr}


def rates_of(request: Request) -> dict[str, float]:
    """The currency rates of the app serving ``request``."""
    return _rates(request.app.state.settings)


def _out(
    screening: Screening, referral: Referral | None = None, case_id: int | None = None
) -> DeskScreeningOut:
    return DeskScreeningOut(
        id=screening.id,
        reference=screening.reference,
        score=screening.score,
        band=screening.band,
        action=screening.action,
        indicators=[HitOut(**h) for h in screening.indicators],
        rulebook=screening.rulebook,
        agency=screening.agency,
        screened_by=screening.screened_by,
        screened_at=screening.screened_at,
        decision=screening.decision,
        decision_reason=screening.decision_reason,
        decided_by=screening.decided_by,
        decided_at=screening.decided_at,
        contest=screening.contest,
        contested_at=screening.contested_at,
        referral_id=referral.id if referral is not None else None,
        case_id=case_id,
    )


@router.post(
    "/screenings",
    response_model=DeskScreeningOut,
    status_code=status.HTTP_201_CREATED,
    summary="Screen a traveller at a desk: score, band, action and explained indicators",
)
def screen(
    body: ScreeningIn,
    session: SessionDep,
    settings: Annotated[Settings, Depends(get_settings)],
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("screenings", "create"))],
) -> DeskScreeningOut:
    screening = service.screen_at_desk(session, body, principal, rates=_rates(settings))
    auditor.record(Action.CREATE, "screenings", screening.id, SCREENING_FIELDS)
    return _out(screening)


@router.get("/screenings/{screening_id}", response_model=DeskScreeningOut, summary="A screening")
def get_screening(
    screening_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("screenings", "read"))],
) -> DeskScreeningOut:
    screening = service.get_screening(session, screening_id, principal)
    auditor.record(Action.READ, "screenings", screening_id, SCREENING_FIELDS)
    return _out(screening)


@router.post(
    "/screenings/{screening_id}/decision",
    response_model=DeskScreeningOut,
    summary="Record the officer's decision; 'refer' hands the screening to BP2MI",
)
def decide(
    screening_id: RecordId,
    body: DecisionIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("screenings", "decide"))],
) -> DeskScreeningOut:
    screening, referral = service.decide(
        session, screening_id, body.decision, body.reason, principal
    )
    auditor.record(
        Action.UPDATE, "screenings", screening_id, ("decision", "decision_reason"),
        purpose=body.reason,
    )  # fmt: skip
    case_id = None
    if referral is not None:
        auditor.record(Action.CREATE, "screening_referrals", referral.id, ("evidence",))
        opened = cases_service.case_of_referral(session, referral.id)
        case_id = opened.id if opened is not None else None
        auditor.record(Action.CREATE, "cases", case_id or 0, ("summary", "identity"),
                       purpose="opened by a screening referral")  # fmt: skip
    return _out(screening, referral, case_id)


@router.post(
    "/screenings/{screening_id}/contest",
    response_model=DeskScreeningOut,
    summary="Record the traveller's objection to a result, for review",
)
def contest(
    screening_id: RecordId,
    body: ContestIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("screenings", "contest"))],
) -> DeskScreeningOut:
    screening = service.contest(session, screening_id, body.text, principal)
    auditor.record(Action.UPDATE, "screenings", screening_id, ("contest",))
    return _out(screening)


@router.get(
    "/referrals",
    response_model=list[ReferralOut],
    summary="Referrals to BP2MI from screening, newest first",
)
def list_referrals(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("referrals", "read"))],
    status_filter: Annotated[
        str | None, Query(alias="status", pattern="^(open|accepted|declined)$")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ReferralOut]:
    found = service.referrals(session, status_filter, limit)
    for referral in found:
        auditor.record(Action.READ, "screening_referrals", referral.id, ("evidence",))
    return [
        ReferralOut(
            id=r.id, screening_id=r.screening_id, to_agency=r.to_agency, status=r.status,
            reason=r.reason, evidence=[HitOut(**h) for h in r.evidence],
            created_by=r.created_by, from_agency=r.from_agency, created_at=r.created_at,
        )
        for r in found
    ]  # fmt: skip


@router.get("/screening/rulebook", response_model=RulebookOut, summary="The SOP rulebook")
def rulebook(
    _: Annotated[Principal, Depends(Requires("screenings", "read"))],
) -> RulebookOut:
    return RulebookOut.model_validate(rulebook_dict(default_rulebook()))


@public_router.post(
    "/public/check-offer",
    response_model=PublicOfferOut,
    summary="Check a job offer (no login): band, indicators in plain language, advice",
)
def check_offer(
    body: PublicOfferIn,
    request: Request,
    session: SessionDep,
    _: Annotated[None, Depends(rate_limited)],
) -> PublicOfferOut:
    offer = OfferIn(id="public", text=body.text, channel=body.channel)
    lookups = Lookups(session, dt.date.today(), public=True)
    result = service.evaluate_offer(offer, lookups, rates=_rates(request.app.state.settings))
    if body.share:
        service.share_offer(session, offer, result, CONSENT)
    advice_id, advice_en = ADVICE[result.band]
    return PublicOfferOut(
        score=result.score,
        band=result.band,
        indicators=[
            PublicIndicatorOut(
                code=h.indicator.code,
                label_id=h.indicator.label_id,
                label_en=h.indicator.label_en,
                evidence=h.evidence,
            )
            for h in result.hits
        ],
        advice=Advice(id=advice_id, en=advice_en),
        hotline=request.app.state.settings.hotline,
        rulebook=result.version,
        stored=body.share,
    )
