"""The public pages (no login, rate-limited): the home page with the hotline, and the
job-offer self-check. Nothing is stored unless the person says so."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from lindungi.api.deps import SessionDep
from lindungi.errors import TooManyRequestsError
from lindungi.screening import service as screening
from lindungi.screening.api import ADVICE, CONSENT, rates_of
from lindungi.screening.lookups import Lookups
from lindungi.screening.schemas import OfferIn
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import check_csrf, take_draft, viewer
from lindungi.web.templating import language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

CHANNELS = ("facebook", "instagram", "tiktok", "telegram", "whatsapp", "agency", "friend",
            "family", "job_portal", "other")  # fmt: skip
MAX_TEXT = 20_000


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    return render(request, "public/home.html", user=viewer(request, session),
                  hotline=request.app.state.settings.hotline)  # fmt: skip


@router.get("/check-offer")
def offer_page(request: Request, session: SessionDep) -> Response:
    draft = take_draft(request)
    return render(request, "public/offer.html", user=viewer(request, session),
                  text=draft.get("text", ""), channel=draft.get("channel", ""),
                  channels=CHANNELS, errors={}, result=None)  # fmt: skip


@router.post("/check-offer")
def check_offer(
    request: Request,
    session: SessionDep,
    text: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    share: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf, {"text": text, "channel": channel})
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = N_("Paste the text of the job offer.")
    elif len(text) > MAX_TEXT:
        errors["text"] = N_("The text is too long (at most 20,000 characters).")
    if channel and channel not in CHANNELS:
        errors["channel"] = N_("Choose where the offer reached you from the list.")
    result = None
    status = 422 if errors else 200
    if not errors:
        try:
            request.app.state.public_limiter.check(request)
        except TooManyRequestsError as limited:
            errors["text"] = N_("Too many checks from this address. Please wait a minute.")
            status = limited.status
    if not errors:
        offer = OfferIn(id="web", text=text, channel=channel or None)
        lookups = Lookups(session, dt.date.today(), public=True)
        found = screening.evaluate_offer(offer, lookups, rates=rates_of(request))
        if share == "yes":
            screening.share_offer(session, offer, found, CONSENT)
        lang = language(request)
        advice_id, advice_en = ADVICE[found.band]
        result = {
            "band": found.band,
            "score": found.score,
            "advice": advice_id if lang == "id" else advice_en,
            "stored": share == "yes",
            "indicators": [
                {"label": h.indicator.label_id if lang == "id" else h.indicator.label_en,
                 "evidence": h.evidence}
                for h in found.hits
            ],
        }  # fmt: skip
    return render(request, "public/offer.html", status_code=status,
                  user=viewer(request, session), text=text, channel=channel,
                  channels=CHANNELS, errors=errors, result=result,
                  hotline=request.app.state.settings.hotline)  # fmt: skip
