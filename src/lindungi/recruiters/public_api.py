"""The public self-check of a recruiter: no login, limited per address, bilingual,
and never a director's, an individual agent's or a victim's data."""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from lindungi.api.deps import Router, SessionDep, public
from lindungi.api.problems import TOO_MANY_REQUESTS
from lindungi.errors import TooManyRequestsError
from lindungi.recruiters.api import QueryText, require_query
from lindungi.recruiters.messages import FRONT_WARNING, INDIVIDUAL_AGENT, VERDICTS
from lindungi.recruiters.schemas import MatchOut, Message, PublicVerification
from lindungi.recruiters.standing import Match, recruiter_standing

router = Router(tags=["public"], responses=TOO_MANY_REQUESTS)  # limited per address


class PublicLimiter:
    """Per-address moving-window limit for public endpoints, counted in this process's
    memory or in Redis (shared by several hub processes)."""

    def __init__(self, spec: str, storage: str = "memory://") -> None:
        self.item = parse(spec)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage))

    def check(self, request: Request, namespace: str = "public") -> None:
        """Count this request; 429 with Retry-After once the address is over its limit."""
        address = request.client.host if request.client else "unknown"
        self.count(namespace, address, "this address")

    def count(self, namespace: str, key: str, who: str) -> None:
        """Count one attempt of ``key`` (an address, a username) in ``namespace``; 429 with
        Retry-After once it is over the limit."""
        if not self.limiter.hit(self.item, namespace, key):
            reset, _ = self.limiter.get_window_stats(self.item, namespace, key)
            wait = max(1, math.ceil(reset - time.time()))
            raise TooManyRequestsError(
                f"too many requests from {who}; try again in {wait} s", retry_after=wait
            )


def rate_limited(request: Request, _: Annotated[None, Depends(public)]) -> None:
    """Public, and limited per client address."""
    limiter: PublicLimiter = request.app.state.public_limiter
    limiter.check(request)


def _public(match: Match) -> MatchOut:
    """A match as the public may see it: an individual agent is not named."""
    out = MatchOut(**match.__dict__)
    if match.kind == "agent":
        out.name = INDIVIDUAL_AGENT
    return out


@router.get(
    "/public/verify",
    response_model=PublicVerification,
    summary="Check a recruiter (no login): licensed, suspended, revoked, expired or unknown",
)
def verify(
    request: Request,
    session: SessionDep,
    _: Annotated[None, Depends(rate_limited)],
    name: QueryText = None,
    licence_no: QueryText = None,
    phone: QueryText = None,
) -> PublicVerification:
    return public_verification(
        session, request.app.state.settings.hotline, name=name, licence_no=licence_no,
        phone=phone,
    )  # fmt: skip


def public_verification(
    session: Session,
    hotline: str,
    *,
    name: str | None,
    licence_no: str | None,
    phone: str | None,
) -> PublicVerification:
    """What anyone may learn of a recruiter: the API's answer and the /verify page's."""
    require_query(name, licence_no, phone)
    standing = recruiter_standing(session, name=name, licence_no=licence_no, phone=phone)
    text_id, text_en = VERDICTS[standing.verdict]
    warned = any(f.code.startswith("shares_") for f in standing.findings)
    return PublicVerification(
        verdict=standing.verdict,
        message=Message(id=text_id, en=text_en),
        matches=[_public(m) for m in standing.matches],
        similar=[_public(m) for m in standing.similar],
        warning=Message(id=FRONT_WARNING[0], en=FRONT_WARNING[1]) if warned else None,
        hotline=hotline,
    )
