"""What crosses the API about agencies, users and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Username = Annotated[
    str,
    StringConstraints(min_length=3, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$"),
]


class AgencyOut(BaseModel):
    """An agency of the hub."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name_id: str
    name_en: str


class UserOut(BaseModel):
    """A user as other users may see them (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    username: str
    full_name: str
    agency: str = Field(validation_alias="agency_code")
    roles: list[str] = Field(validation_alias="role_codes")
    is_active: bool
    synthetic: bool
    created_at: dt.datetime


class UserCreate(BaseModel):
    """A new user of the agency named in the path (the caller's own, for an admin)."""

    model_config = ConfigDict(extra="forbid")

    username: Username
    full_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    roles: Annotated[list[str], Field(min_length=1, max_length=10)]


class TokenCreate(BaseModel):
    """Options for a new token."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(max_length=100)] = ""
    expires_in_days: Annotated[int | None, Field(ge=1, le=365)] = None


class TokenOut(BaseModel):
    """A token's metadata; the secret itself is shown only once, when issued."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    prefix: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class IssuedToken(TokenOut):
    """A token just issued, with its secret (shown once, never stored)."""

    token: str
