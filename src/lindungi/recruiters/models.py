"""Tables of the recruiter registry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lindungi.db import Base, UtcDateTime, utcnow

LICENCE_STATUSES = ("active", "suspended", "revoked", "expired")
RECRUITER_KINDS = ("company", "branch", "agent")
IDENTIFIER_KINDS = ("phone", "address", "director", "bank_account", "social", "employer")
BOND_STATUSES = ("held", "exhausted", "released")
CLAIM_STATUSES = ("filed", "verified", "paid", "rejected")


class Recruiter(Base):
    """A licensed P3MI company, one of its branches, or an individual agent / sponsor."""

    __tablename__ = "recruiters"
    __table_args__ = (CheckConstraint(f"kind IN {RECRUITER_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="company")
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id"))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Indexed: the in-memory name index asks for the newest update on every fuzzy lookup.
    updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, index=True
    )

    licences: Mapped[list[Licence]] = relationship(back_populates="recruiter")
    identifiers: Mapped[list[RecruiterIdentifier]] = relationship(back_populates="recruiter")
    bonds: Mapped[list[Bond]] = relationship(back_populates="recruiter")


class Licence(Base):
    """A SIP3MI licence and its current status; its history is in ``licence_events``."""

    __tablename__ = "licences"
    __table_args__ = (
        UniqueConstraint("number"),
        CheckConstraint(f"status IN {LICENCE_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    number_key: Mapped[str] = mapped_column(String(100), index=True)
    format_known: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200), default="Kementerian Ketenagakerjaan")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    recruiter: Mapped[Recruiter] = relationship(back_populates="licences")
    events: Mapped[list[LicenceEvent]] = relationship(
        back_populates="licence", order_by="LicenceEvent.id"
    )


class LicenceEvent(Base):
    """One change of a licence's status or validity, with who made it and why."""

    __tablename__ = "licence_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(100))

    licence: Mapped[Licence] = relationship(back_populates="events")


class RecruiterIdentifier(Base):
    """Something behind a recruiter's name: a phone, address, director, bank or social
    account, or an employer abroad it places with; ``value`` is the normalised key."""

    __tablename__ = "recruiter_identifiers"
    __table_args__ = (
        UniqueConstraint("recruiter_id", "kind", "value"),
        Index("ix_recruiter_identifiers_kind_value", "kind", "value"),
        CheckConstraint(f"kind IN {IDENTIFIER_KINDS}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    display: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(100))
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    recruiter: Mapped[Recruiter] = relationship(back_populates="identifiers")


class Bond(Base):
    """A deposit or guarantee that pays victims' claims against the recruiter."""

    __tablename__ = "bonds"
    __table_args__ = (
        CheckConstraint(f"status IN {BOND_STATUSES}", name="status"),
        CheckConstraint("balance_idr >= 0 AND balance_idr <= amount_idr", name="balance"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"), index=True)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    balance_idr: Mapped[int] = mapped_column(BigInteger)
    guarantor: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="held")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    recruiter: Mapped[Recruiter] = relationship(back_populates="bonds")
    claims: Mapped[list[BondClaim]] = relationship(back_populates="bond", order_by="BondClaim.id")


class BondClaim(Base):
    """A victim's claim on a bond: filed for a case → verified → paid, or rejected."""

    __tablename__ = "bond_claims"
    __table_args__ = (
        CheckConstraint(f"status IN {CLAIM_STATUSES}", name="status"),
        CheckConstraint("amount_idr > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bond_id: Mapped[int] = mapped_column(ForeignKey("bonds.id"), index=True)
    case_ref: Mapped[str] = mapped_column(String(100))
    # The hub's own case, when the claim was filed from one (``case_ref`` then names it).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="filed")
    reason: Mapped[str] = mapped_column(String(500), default="")
    filed_by: Mapped[str] = mapped_column(String(100))
    filed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    bond: Mapped[Bond] = relationship(back_populates="claims")


class Sanction(Base):
    """An administrative sanction on a recruiter."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    imposed_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Complaint(Base):
    """A complaint about a recruiter: a summary without personal data, and its channel."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(String(1000))
    case_ref: Mapped[str | None] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
