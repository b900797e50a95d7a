"""The agency API: what one agency's systems may ask of another's records, as a table of
services with their producer and the agencies allowed to call them. Deny by default: a
service answers only the agencies listed for it (X-Road's per-service access rights),
and every call, answered or refused, is written to the audit log by the route.

Each service answers a small, fixed set of fields from the producing module's service
functions: never the protected fields of a case, never a person's identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lindungi.cases import service as cases
from lindungi.errors import InvalidInputError
from lindungi.recruiters import bonds
from lindungi.recruiters import service as registry
from lindungi.screening import service as screening

Answer = dict[str, Any]


@dataclass(frozen=True)
class AgencyService:
    """One service of the agency API."""

    code: str
    producer: str
    consumers: frozenset[str]
    label_id: str
    label_en: str
    key: str  # what the caller names in the path
    fields: tuple[str, ...]
    answer: Callable[[Session, str, dt.date], Answer]


def _licence(session: Session, key: str, today: dt.date) -> Answer:
    licence = registry.get_licence(session, key)
    effective = licence.status
    if licence.status == "active" and licence.valid_until and licence.valid_until < today:
        effective = "expired"
    bond = bonds.current_bond(session, licence.recruiter_id)
    return {
        "licence_no": licence.number,
        "recruiter_name": licence.recruiter.name,
        "status": effective,
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        "bond_held_idr": bond.balance_idr if bond is not None else 0,
    }


def _number(key: str, what: str) -> int:
    if not key.isdigit():
        raise InvalidInputError(f"{what}: {key!r} is not a number", field=what)
    return int(key)


def _referral(session: Session, key: str, today: dt.date) -> Answer:
    referral = screening.get_referral(session, _number(key, "referral_id"))
    case = cases.case_of_referral(session, referral.id)
    return {
        "referral_id": referral.id,
        "status": referral.status,
        "to_agency": referral.to_agency,
        "case_id": case.id if case else None,
        "case_state": case.state if case else None,
        "determination": case.determination if case else None,
    }


def _case(session: Session, key: str, today: dt.date) -> Answer:
    case = cases.find_case(session, _number(key, "case_id"))
    return {
        "case_id": case.id,
        "agency": case.agency,
        "state": case.state,
        "since": case.state_since.isoformat(),
        "determination": case.determination,
        "legal_stage": case.legal_stage,
        "country": case.country,
    }


SERVICES: dict[str, AgencyService] = {
    s.code: s
    for s in (
        AgencyService(
            "licence-standing", "kemnaker", frozenset({"imigrasi", "bp2mi", "kemlu", "polri"}),
            "Status izin P3MI dan jaminannya", "A recruiter licence's standing and its bond",
            "licence_no",
            ("licence_no", "recruiter_name", "status", "valid_until", "bond_held_idr"),
            _licence,
        ),
        AgencyService(
            "referral-outcome", "bp2mi", frozenset({"imigrasi", "kemnaker"}),
            "Tindak lanjut rujukan dari pemeriksaan keberangkatan",
            "What became of a departure-screening referral",
            "referral_id",
            ("referral_id", "status", "to_agency", "case_id", "case_state", "determination"),
            _referral,
        ),
        AgencyService(
            "case-status", "bp2mi", frozenset({"kemlu", "polri"}),
            "Tahap penanganan kasus (tanpa data pribadi)",
            "A case's stage (no personal data)",
            "case_id",
            ("case_id", "agency", "state", "since", "determination", "legal_stage", "country"),
            _case,
        ),
    )
}  # fmt: skip


def service(code: str) -> AgencyService:
    """The service ``code``, or 404-worthy error naming those that exist."""
    from lindungi.errors import NotFoundError

    try:
        return SERVICES[code]
    except KeyError:
        raise NotFoundError(
            f"no agency service {code!r}; services: {', '.join(SERVICES)}"
        ) from None


def allowed(code: str, agency: str) -> bool:
    """Whether ``agency`` may call service ``code`` (deny by default)."""
    found = SERVICES.get(code)
    return found is not None and agency in found.consumers
