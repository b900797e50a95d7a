"""What crosses the API about recruiters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
LicenceStatus = Literal["active", "suspended", "revoked", "expired"]


class LicenceEventOut(BaseModel):
    """One change in a licence's history."""

    model_config = ConfigDict(from_attributes=True)

    at: dt.datetime
    from_status: str | None
    to_status: str
    valid_until: dt.date | None
    reason: str
    actor: str


class LicenceOut(BaseModel):
    """A licence with its history."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    format_known: bool
    status: str
    valid_until: dt.date | None
    issuer: str
    recruiter_id: int
    events: list[LicenceEventOut]


class IdentifierOut(BaseModel):
    """An identifier behind a recruiter."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    display: str
    source: str


class BondOut(BaseModel):
    """A bond and its balance."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    amount_idr: int
    balance_idr: int
    guarantor: str
    status: str


class ClaimOut(BaseModel):
    """A claim on a bond."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    bond_id: int
    case_ref: str
    amount_idr: int
    status: str
    reason: str
    filed_by: str
    decided_by: str | None
    case_id: int | None = None


class RecruiterOut(BaseModel):
    """A recruiter as licensing staff and officers see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    name: str
    synthetic: bool
    licences: list[LicenceOut]
    identifiers: list[IdentifierOut]
    bonds: list[BondOut]


class RecruiterCreate(BaseModel):
    """A new licensed company."""

    model_config = ConfigDict(extra="forbid")

    name: Text
    licence_no: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    status: LicenceStatus = "active"
    valid_until: dt.date | None = None
    issuer: Text = "Kementerian Ketenagakerjaan"
    reason: Reason
    phones: list[Text] = Field(default_factory=list, max_length=20)
    addresses: list[Text] = Field(default_factory=list, max_length=20)


class LicenceChange(BaseModel):
    """A change of a licence's status or validity, with its reason."""

    model_config = ConfigDict(extra="forbid")

    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    status: LicenceStatus
    valid_until: dt.date | None = None
    reason: Reason


class IdentifierCreate(BaseModel):
    """Something found behind a recruiter."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["phone", "address", "director", "bank_account", "social", "employer"]
    value: Text
    source: Text = "manual"


class BondCreate(BaseModel):
    """A deposit or guarantee."""

    model_config = ConfigDict(extra="forbid")

    amount_idr: Annotated[int, Field(gt=0, le=10**15)]
    guarantor: Annotated[str, StringConstraints(max_length=200)] = ""


class ClaimCreate(BaseModel):
    """A victim's claim on a bond, for a case."""

    model_config = ConfigDict(extra="forbid")

    case_ref: Text
    amount_idr: Annotated[int, Field(gt=0, le=10**15)]


class ClaimDecision(BaseModel):
    """Verify, pay or reject a claim."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["verify", "pay", "reject"]
    reason: Reason


class MatchOut(BaseModel):
    """A registered recruiter that answers a query."""

    name: str
    licence_no: str | None
    status: str
    valid_until: dt.date | None
    matched_by: str
    score: float
    kind: str


class FindingOut(BaseModel):
    """A front finding with the path that explains it (officers only)."""

    code: str
    recruiter_id: int
    other_recruiter_id: int | None
    path: list[str]
    explanation: str


class StandingOut(BaseModel):
    """A recruiter's standing for officers: verdict, matches, similar names, fronts."""

    verdict: str
    matches: list[MatchOut]
    similar: list[MatchOut]
    findings: list[FindingOut]


class Message(BaseModel):
    """The same text in both languages."""

    id: str
    en: str


class PublicVerification(BaseModel):
    """What the public self-check answers: no personal data, ever."""

    verdict: Literal["licensed", "suspended", "revoked", "expired", "unknown"]
    message: Message
    matches: list[MatchOut]
    similar: list[MatchOut]
    warning: Message | None
    hotline: str


class SanctionCreate(BaseModel):
    """An administrative sanction, with its legal reason."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["warning", "fine", "suspension", "revocation", "blacklist", "other"]
    reason: Reason
    starts_on: dt.date
    ends_on: dt.date | None = None


class SanctionOut(BaseModel):
    """A sanction as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    recruiter_id: int
    kind: str
    reason: str
    starts_on: dt.date
    ends_on: dt.date | None
    imposed_by: str


class ComplaintCreate(BaseModel):
    """A complaint about a recruiter: a summary without personal data, and its case."""

    model_config = ConfigDict(extra="forbid")

    channel: Literal["hotline", "walk_in", "online", "embassy", "ngo", "other"]
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]
    case_ref: Text | None = None


class ComplaintOut(BaseModel):
    """A complaint as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    recruiter_id: int
    channel: str
    summary: str
    case_ref: str | None
    received_at: dt.datetime
