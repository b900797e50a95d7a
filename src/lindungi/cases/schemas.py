"""What crosses the cases API: intake, moves, identification, the case as each role may
see it, and the reporter's status answer."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lindungi.cases.referrals import Service
from lindungi.cases.workflow import CloseReason, Determination

Channel = Literal["hotline", "family", "sos", "alert", "screening_referral", "ngo",
                  "foreign_authority", "walk_in"]  # fmt: skip
Text = str | None


class CaseIn(BaseModel):
    """A report. ``summary`` is what anyone on the case may read: keep names, health and
    the person's account in the protected fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    summary: str = Field(min_length=3, max_length=2000, pattern=r"^[^\x00]*$")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    city: str | None = Field(default=None, max_length=100)
    full_name: str | None = Field(default=None, max_length=200)
    birth_date: dt.date | None = None
    nik: str | None = Field(default=None, max_length=32)
    passport_no: str | None = Field(default=None, max_length=16)
    narrative: str | None = Field(default=None, max_length=20_000, pattern=r"^[^\x00]*$")
    health: str | None = Field(default=None, max_length=5000, pattern=r"^[^\x00]*$")
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_contact: str | None = Field(default=None, max_length=200)


class MoveIn(BaseModel):
    """One step of the workflow, with the reason that goes into the timeline."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=3, max_length=2000)
    close_reason: CloseReason | None = None


class IdentificationIn(BaseModel):
    """What the interview found, and the determination the officer records."""

    model_config = ConfigDict(extra="forbid")

    indicators: list[str] = Field(default_factory=list, max_length=20)
    acts: list[str] = Field(default_factory=list, max_length=10)
    means: list[str] = Field(default_factory=list, max_length=20)
    purposes: list[str] = Field(default_factory=list, max_length=10)
    child: bool = False
    interview_complete: bool = False
    determination: Determination
    reason: str = Field(min_length=3, max_length=4000)


class CaseOut(BaseModel):
    """A case as the caller may see it: protected fields only when asked for, with a
    purpose, by a role that may read them (``revealed`` names the groups included)."""

    id: int
    tracking_no: str
    channel: str
    state: str
    state_since: dt.datetime
    determination: str | None
    close_reason: str | None
    agency: str
    country: str | None
    city: str | None
    summary: str
    allowed: list[str]
    legal_stage: str | None
    restitution: str | None
    restitution_ordered_idr: int | None
    restitution_paid_idr: int
    legal_allowed: list[str]
    recruiter_id: int | None
    revealed: list[str] = Field(description="The protected field groups included")
    may_reveal: list[str] = Field(description="The groups the caller could ask for")
    full_name: Text = None
    birth_date: dt.date | None = None
    nik: Text = None
    passport_no: Text = None
    narrative: Text = None
    health: Text = None
    reporter_name: Text = None
    reporter_contact: Text = None


class ReportedOut(CaseOut):
    """A new case with the reporter's secret, shown this once."""

    secret: str


class IdentificationOut(BaseModel):
    """The recorded determination beside what the facts suggested."""

    id: int
    determination: str
    suggested: str
    suggestion_reasons: list[str]
    decided_by: str
    decided_at: dt.datetime
    allowed: list[str]


class EventOut(BaseModel):
    """One step of the timeline."""

    at: dt.datetime
    actor: str
    agency: str
    action: str
    from_state: str | None
    to_state: str
    reason: str


class StatusIn(BaseModel):
    """The reporter's tracking number and secret."""

    model_config = ConfigDict(extra="forbid")

    tracking_no: str = Field(min_length=4, max_length=20)
    secret: str = Field(min_length=4, max_length=40)


class StatusOut(BaseModel):
    """Where the case stands, and nothing more."""

    tracking_no: str
    stage: str
    updated_on: dt.date


class ReferralIn(BaseModel):
    """A referral for a service: to a hub agency or to an NGO by name, with the person's
    consent — or an override reason, for those who hold ``cases:override``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    service: Service
    to_agency: Literal["imigrasi", "kemnaker", "bp2mi", "kemlu", "polri"] | None = None
    to_organisation: str | None = Field(default=None, min_length=2, max_length=200)
    consent: bool
    consent_note: str | None = Field(default=None, max_length=2000)
    override_reason: str | None = Field(default=None, min_length=3, max_length=2000)
    note: str = Field(min_length=3, max_length=2000)

    @model_validator(mode="after")
    def _one_receiver(self) -> ReferralIn:
        if (self.to_agency is None) == (self.to_organisation is None):
            raise ValueError("give either to_agency or to_organisation")
        return self


class ReferralDecisionIn(BaseModel):
    """The receiver's answer."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject", "deliver"]
    reason: str = Field(min_length=3, max_length=2000)


class CaseReferralOut(BaseModel):
    """A referral and where it stands."""

    id: int
    case_id: int
    service: str
    to_agency: str | None
    to_organisation: str | None
    status: str
    basis: str
    override_reason: str | None
    note: str
    referred_by: str
    from_agency: str
    referred_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str | None


class LegalIn(BaseModel):
    """One step of the legal track. ``refer_to_police`` needs the person's consent or an
    override reason, like any referral; ``order_restitution`` and ``pay_restitution``
    need the amount."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: Literal["refer_to_police", "open_investigation", "prosecute", "convict", "acquit",
                    "drop", "request_restitution", "order_restitution",
                    "refuse_restitution", "pay_restitution"]  # fmt: skip
    reason: str = Field(min_length=3, max_length=2000)
    amount_idr: int | None = Field(default=None, gt=0, le=10**13)
    consent: bool = False
    consent_note: str | None = Field(default=None, max_length=2000)
    override_reason: str | None = Field(default=None, min_length=3, max_length=2000)


class BondClaimIn(BaseModel):
    """A victim's claim on the bond of the recruiter behind the case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    recruiter_id: int = Field(gt=0, le=2**31 - 1)  # an INTEGER id
    amount_idr: int = Field(gt=0, le=10**13)
    reason: str = Field(min_length=3, max_length=2000)


class EscalationOut(BaseModel):
    """A missed stage deadline and who it was escalated to."""

    id: int
    case_id: int
    state: str
    level: int
    notify: str
    due: dt.datetime
    escalated_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None


class FiguresOut(BaseModel):
    """The case figures of a window, each with its definition."""

    start: dt.date | None
    end: dt.date | None
    agency: str | None
    figures: dict[str, Any]
    definitions: dict[str, str]
