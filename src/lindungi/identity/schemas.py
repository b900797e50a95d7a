"""What crosses the API for the person index."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Text = Field(default=None, max_length=300)


class RecordIn(BaseModel):
    """One person as a source (an agency desk) states them."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=64, examples=["imigrasi"])
    record_id: str = Field(min_length=1, max_length=128)
    full_name: str | None = Text
    birth_date: dt.date | None = None
    sex: Literal["M", "F"] | None = None
    national_id: str | None = Field(default=None, max_length=32)
    passport_no: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    address: str | None = Text
    city: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=16)
    seen_at: dt.date | None = None
    outcome: str | None = Field(default=None, max_length=32)


class EvidenceOut(BaseModel):
    """How one field compared, and its weight (log2 Bayes factor; + same person)."""

    field: str
    level: str
    weight: float


class CandidateOut(BaseModel):
    """A person the record was compared with."""

    person_id: int
    record_id: int
    probability: float
    evidence: list[EvidenceOut]
    refused: str | None = None


class SignalOut(BaseModel):
    """A document-fraud signal, explained in both languages."""

    code: str
    message_en: str
    message_id: str
    records: list[tuple[str, str]]


class IdentificationOut(BaseModel):
    """Which person the record belongs to, why, and what to look at."""

    record_id: int
    person_id: int
    method: Literal["model", "judgement", "alone"]
    probability: float | None
    via_record_id: int | None
    evidence: list[EvidenceOut]
    candidates: list[CandidateOut]
    signals: list[SignalOut]


class RecordOut(BaseModel):
    """A stored record with its provenance and the link that placed it."""

    id: int
    source: str
    source_record_id: str
    full_name: str
    birth_date: dt.date | None
    sex: str | None
    nik: str | None
    passport_no: str | None
    phone: str | None
    address: str | None
    city: str | None
    seen_on: dt.date | None
    outcome: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    method: str
    via_record_id: int | None
    probability: float | None
    evidence: list[EvidenceOut]


class PersonOut(BaseModel):
    """One person in the index and all their records."""

    id: int
    records: list[RecordOut]


class RecordRef(BaseModel):
    """A record named by its source and its id there."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=64)
    record_id: str = Field(min_length=1, max_length=128)


class JudgementIn(BaseModel):
    """An officer's decision on two records."""

    model_config = ConfigDict(extra="forbid")

    first: RecordRef
    second: RecordRef
    verdict: Literal["same", "different"]
    reason: str = Field(min_length=3, max_length=2000)


class JudgementOut(BaseModel):
    """A stored judgement and where the two records now stand."""

    id: int
    verdict: str
    reason: str
    actor: str
    created_at: dt.datetime
    first_person_id: int | None
    second_person_id: int | None
