"""What crosses the screening boundary: contract 2 and 3 lines, desk requests, results.

Unknown fields are ignored (the contract says so); unknown enum values are refused with
the allowed ones named, so a clerk sees ``trip.visa_type: Input should be 'tourist', …``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

VisaType = Literal[
    "tourist", "visit", "business", "work", "digital_work", "visa_on_arrival", "student", "none"
]
Purpose = Literal["tourism", "work", "business", "family", "study", "religious", "medical", "other"]
Payer = Literal["self", "family", "employer", "recruiter", "unknown"]
Channel = Literal[
    "facebook", "instagram", "tiktok", "telegram", "whatsapp", "agency", "friend", "family",
    "job_portal", "other",
]  # fmt: skip
Band = Literal["low", "medium", "high"]
Action = Literal["proceed", "interview", "refer"]


# Text fields are stripped, and numbers are taken as text (a phone or a licence number
# written as a JSON number), by the model configuration: no Python call per field.
Text = str | None
LongText = Annotated[str | None, Field(max_length=20_000)]
#: Text a database can store (PostgreSQL refuses NUL characters in text).
NO_NUL = r"^[^\x00]*$"
#: ISO 3166-1 alpha-2; an empty string means not given.
Country = Annotated[str | None, Field(pattern=r"^([A-Za-z]{2})?$")]


class _In(BaseModel):
    model_config = ConfigDict(
        extra="ignore", str_max_length=500, str_strip_whitespace=True, coerce_numbers_to_str=True
    )


class PersonIn(_In):
    """The traveller. ``sex``, ``religion``, ``ethnicity`` and ``province`` are accepted so
    that a record can be passed as it is, and are never read by any indicator."""

    full_name: Text = None
    nik: Text = None
    passport_no: Text = None
    birth_date: dt.date | None = None
    sex: Literal["M", "F"] | None = None
    phone: Text = None
    province: Text = None
    religion: Text = None
    ethnicity: Text = None


class TripIn(_In):
    """The journey as declared and as documented."""

    destination_country: Country = None
    destination_city: Text = None
    visa_type: VisaType | None = None
    purpose: Purpose | None = None
    return_ticket: bool | None = None
    travel_group_size: int | None = Field(default=None, ge=1, le=10_000)
    ticket_paid_by: Payer | None = None
    first_trip_abroad: bool | None = None
    departure_date: dt.date | None = None


class JobOfferIn(_In):
    """The job the traveller says they were offered, and how it reached them."""

    text: LongText = None
    channel: Channel | None = None
    salary_idr_month: int | None = Field(default=None, ge=0)
    position: Text = None
    employer_name: Text = None
    country: Country = None


class RecruiterIn(_In):
    """Who arranged the job or the trip; checked against the registry."""

    name: Text = None
    licence_no: Text = None
    phone: Text = None


class HistoryIn(_In):
    """Earlier encounters with immigration, as known at the desk."""

    deportations: int = Field(default=0, ge=0)
    overstays: int = Field(default=0, ge=0)
    prior_refusals: int = Field(default=0, ge=0)


class ScreeningIn(_In):
    """One line of contract 2: a passport application or a departing traveller."""

    id: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    person: PersonIn = Field(default_factory=PersonIn)
    trip: TripIn = Field(default_factory=TripIn)
    job_offer: JobOfferIn | None = None
    recruiter: RecruiterIn | None = None
    history: HistoryIn = Field(default_factory=HistoryIn)


class OfferIn(_In):
    """One line of contract 3: a job offer as the person received it."""

    id: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    text: Annotated[str, Field(max_length=20_000)]
    channel: Channel | None = None


class IndicatorOut(BaseModel):
    """An indicator that fired, with what it cites."""

    code: str
    label: str
    weight: float
    evidence: str


class ScreeningOut(BaseModel):
    """One line of contract 2's output."""

    id: str
    score: int
    band: Band
    action: Action
    indicators: list[IndicatorOut]
    rulebook: str


class OfferIndicatorOut(BaseModel):
    """An indicator in a job-offer check (contract 3 carries no weights)."""

    code: str
    label: str
    evidence: str


class OfferOut(BaseModel):
    """One line of contract 3's output."""

    id: str
    score: int
    band: Band
    indicators: list[OfferIndicatorOut]


def describe(error: ValidationError) -> str:
    """A validation error as one line naming each field, e.g. ``trip.visa_type: …``."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "line"
        message = item["msg"]
        if item["type"] in ("literal_error", "enum") and "input" in item:
            message += f" (got {item['input']!r})"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


class HitOut(BaseModel):
    """An indicator that fired, as the desk and the API show it."""

    code: str
    label_id: str
    label_en: str
    weight: float
    weak: bool
    basis: str
    evidence: str


class DeskScreeningOut(BaseModel):
    """A screening stored at a desk, with its decision and any contest."""

    id: int
    reference: str
    score: int
    band: Band
    action: Action
    indicators: list[HitOut]
    rulebook: str
    agency: str
    screened_by: str
    screened_at: dt.datetime
    decision: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    contest: str | None
    contested_at: dt.datetime | None
    referral_id: int | None = None
    case_id: int | None = Field(default=None, description="The case opened at BP2MI by a referral")


class DecisionIn(BaseModel):
    """The officer's decision, with the reason that goes into the record."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["proceed", "interview", "refer", "refuse"]
    reason: str = Field(min_length=3, max_length=2000)


class ContestIn(BaseModel):
    """The traveller's objection to a result, as an officer records it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=3, max_length=4000)


class ReferralOut(BaseModel):
    """A referral to BP2MI with the evidence that caused it."""

    id: int
    screening_id: int
    to_agency: str
    status: str
    reason: str
    evidence: list[HitOut]
    created_by: str
    from_agency: str
    created_at: dt.datetime


class PublicOfferIn(BaseModel):
    """A job offer pasted into the public self-check."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000, pattern=NO_NUL)
    channel: Channel | None = None
    share: bool = Field(
        default=False,
        description="The person consents to the hub keeping this text to protect others.",
    )


class Advice(BaseModel):
    """Plain-language advice in both languages."""

    id: str
    en: str


class PublicIndicatorOut(BaseModel):
    """An indicator in plain language for the public."""

    code: str
    label_id: str
    label_en: str
    evidence: str


class PublicOfferOut(BaseModel):
    """The public self-check's answer: nothing about anyone, and where to get help."""

    score: int
    band: Band
    indicators: list[PublicIndicatorOut]
    advice: Advice
    hotline: str
    rulebook: str
    stored: bool


class RulebookIndicatorOut(BaseModel):
    """One indicator of the SOP."""

    code: str
    weight: float
    weak: bool
    applies: list[str]
    label_id: str
    label_en: str
    description_id: str
    description_en: str
    basis: str
    evidence: str


class RulebookOut(BaseModel):
    """The SOP rulebook in force."""

    version: str
    medium_from: int
    high_from: int
    indicators: list[RulebookIndicatorOut]
