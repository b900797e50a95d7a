"""The legal-hold table: a case or an enrolment that no purge may touch until released."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.db import Base, UtcDateTime, utcnow

HOLD_TARGETS = ("case", "enrolment")


class LegalHold(Base):
    """A hold placed on a record for an investigation, a prosecution or a court order,
    with who placed it and on what authority; released, never deleted."""

    __tablename__ = "legal_holds"
    __table_args__ = (
        CheckConstraint(f"target IN {HOLD_TARGETS}", name="target"),
        Index("ix_legal_holds_target", "target", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    #: The authority: a police report (LP) number, a prosecutor's letter, a court order.
    reference: Mapped[str] = mapped_column(String(200))
    placed_by: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(16))
    placed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    released_by: Mapped[str | None] = mapped_column(String(64))
    released_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)
