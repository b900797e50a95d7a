"""What the API takes and answers for legal holds."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lindungi.retention.models import LegalHold


class HoldIn(BaseModel):
    """A hold to place: the record, why, and on what authority."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["case", "enrolment"]
    target_id: int = Field(ge=1, le=2**31 - 1)
    reason: str = Field(min_length=1, max_length=2000)
    reference: str = Field(min_length=1, max_length=200)


class ReleaseIn(BaseModel):
    """Why a hold ends."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class HoldOut(BaseModel):
    """A legal hold as stored."""

    id: int
    target: str
    target_id: int
    reason: str
    reference: str
    placed_by: str
    agency: str
    placed_at: dt.datetime
    released_by: str | None
    released_at: dt.datetime | None
    release_reason: str | None


def hold_view(hold: LegalHold) -> HoldOut:
    """The API's view of a hold."""
    return HoldOut.model_validate(hold, from_attributes=True)
