"""Tables of screening: desk screenings with the officer's decision and any contest,
referrals to BP2MI, and the job offers people chose to share with the hub."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.db import Base, UtcDateTime, utcnow

BANDS = ("low", "medium", "high")
DECISIONS = ("proceed", "interview", "refer", "refuse")
REFERRAL_STATUSES = ("open", "accepted", "declined")


class Screening(Base):
    """One screening at a desk: what was declared, the explained result, the decision."""

    __tablename__ = "screenings"
    __table_args__ = (
        CheckConstraint(f"band IN {BANDS}", name="band"),
        CheckConstraint(f"decision IN {DECISIONS}", name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(200))  # the caller's id for the traveller
    request: Mapped[dict[str, Any]] = mapped_column(JSON)  # as validated, for review
    score: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(8), index=True)
    action: Mapped[str] = mapped_column(String(12))
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    rulebook: Mapped[str] = mapped_column(String(32))
    agency: Mapped[str] = mapped_column(String(16), index=True)
    screened_by: Mapped[str] = mapped_column(String(64))
    screened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    decision: Mapped[str | None] = mapped_column(String(12))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    contest: Mapped[str | None] = mapped_column(Text)  # the traveller's objection, as recorded
    contested_by: Mapped[str | None] = mapped_column(String(64))
    contested_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: When the retention purge erased the traveller from it (``retention``).
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Referral(Base):
    """A screening handed over to BP2MI with its evidence (a case once cases exist)."""

    __tablename__ = "screening_referrals"
    __table_args__ = (CheckConstraint(f"status IN {REFERRAL_STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screenings.id"), unique=True)
    to_agency: Mapped[str] = mapped_column(String(16), default="bp2mi", index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    from_agency: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class SharedOffer(Base):
    """A job offer a member of the public chose to share (consent recorded), for analysts."""

    __tablename__ = "screening_shared_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(8))
    indicators: Mapped[list[str]] = mapped_column(JSON)  # codes
    rulebook: Mapped[str] = mapped_column(String(32))
    consent: Mapped[str] = mapped_column(Text)  # the consent statement shown and accepted
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
