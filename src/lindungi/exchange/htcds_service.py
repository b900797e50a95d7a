"""Reading what the HTCDS export needs from the cases (and, for the recruitment channel,
the screening that referred a case): one :class:`~lindungi.exchange.htcds.CaseFacts` per
case opened in a window. Reads only; names, passports, narratives and reporters are not
selected at all. The audit entry is the caller's (one per export, in its transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from lindungi.cases.models import Case, CaseDetermination, CaseReferral
from lindungi.errors import InvalidInputError
from lindungi.exchange.htcds import CaseFacts, HtcdsExport, export
from lindungi.exchange.kanon import KAnonymityError
from lindungi.screening.models import Referral, Screening

_BATCH = 5_000


def window(since: dt.date | None, until: dt.date | None) -> tuple[dt.datetime | None, ...]:
    """The UTC bounds of cases opened from ``since`` through ``until`` (both days
    included); refuses a window that ends before it starts."""
    if since is not None and until is not None and until < since:
        raise InvalidInputError(f"until {until} comes before since {since}")
    start = None if since is None else dt.datetime.combine(since, dt.time(), dt.UTC)
    end = None if until is None else dt.datetime.combine(until + dt.timedelta(days=1),
                                                         dt.time(), dt.UTC)  # fmt: skip
    return start, end


def _opened_in(since: dt.date | None, until: dt.date | None) -> list[ColumnElement[bool]]:
    start, end = window(since, until)
    found = []
    if start is not None:
        found.append(Case.created_at >= start)
    if end is not None:
        found.append(Case.created_at < end)
    return found


def _offer_channel(request: dict[str, Any] | None) -> str | None:
    offer = (request or {}).get("job_offer") or {}
    channel = offer.get("channel") if isinstance(offer, dict) else None
    return channel if isinstance(channel, str) else None


def case_facts(
    session: Session, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[CaseFacts]:
    """The facts of every case opened in the window, in id order, read in batches."""
    rows = session.execute(
        select(
            Case.id, Case.created_at, Case.state, Case.channel, Case.country, Case.city,
            Case.birth_date, Case.nik, Case.determination, Case.legal_stage,
            Case.screening_referral_id,
        ).where(*_opened_in(since, until)).order_by(Case.id)
    ).all()  # fmt: skip
    for at in range(0, len(rows), _BATCH):
        batch = rows[at : at + _BATCH]
        ids = [r.id for r in batch]
        decided: dict[int, CaseDetermination] = {}
        for determination in session.scalars(
            select(CaseDetermination).where(CaseDetermination.case_id.in_(ids))
            .order_by(CaseDetermination.decided_at, CaseDetermination.id)
        ):  # fmt: skip
            decided[determination.case_id] = determination  # the latest holds
        services: dict[int, list[str]] = {}
        for case_id, service in session.execute(
            select(CaseReferral.case_id, CaseReferral.service)
            .where(CaseReferral.case_id.in_(ids), CaseReferral.status != "rejected")
        ):  # fmt: skip
            services.setdefault(case_id, []).append(service)
        referral_ids = [r.screening_referral_id for r in batch if r.screening_referral_id]
        channels = {
            referral_id: _offer_channel(request)
            for referral_id, request in session.execute(
                select(Referral.id, Screening.request)
                .join(Screening, Screening.id == Referral.screening_id)
                .where(Referral.id.in_(referral_ids))
            )
        } if referral_ids else {}  # fmt: skip
        for r in batch:
            d = decided.get(r.id)
            elements = d.elements if d is not None and isinstance(d.elements, dict) else {}
            yield CaseFacts(
                opened_at=r.created_at, state=r.state, channel=r.channel, country=r.country,
                city=r.city, birth_date=r.birth_date, nik=r.nik,
                determination=r.determination,
                determination_agency=d.agency if d is not None else None,
                indicators=tuple(d.indicators or ()) if d is not None else (),
                means=tuple(elements.get("means") or ()),
                purposes=tuple(elements.get("purposes") or ()),
                child=bool(elements.get("child")),
                recruitment_channel=channels.get(r.screening_referral_id or 0),
                services=tuple(services.get(r.id, ())),
                legal_stage=r.legal_stage,
            )  # fmt: skip


def export_htcds(
    session: Session,
    k: int = 11,
    max_suppression: float = 0.05,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> HtcdsExport:
    """The k-anonymous HTCDS export of the cases opened in the window; a refusal (k
    below 2, k above the number of cases, a bad share) is an invalid input (422)."""
    try:
        return export(case_facts(session, since, until), k, max_suppression)
    except KAnonymityError as refused:
        raise InvalidInputError(str(refused)) from None
