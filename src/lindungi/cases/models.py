"""Tables of cases: the case with its protected fields, its timeline (append-only) and the
victim-identification determinations recorded on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.cases.access import PROTECTED
from lindungi.cases.legal import LegalStage, Restitution
from lindungi.cases.referrals import ReferralStatus, Service
from lindungi.cases.workflow import CloseReason, Determination, State
from lindungi.db import Base, UtcDateTime, utcnow

CHANNELS = ("hotline", "family", "sos", "alert", "screening_referral", "ngo",
            "foreign_authority", "walk_in")  # fmt: skip
STATES = tuple(s.value for s in State)
DETERMINATIONS = tuple(d.value for d in Determination)
CLOSE_REASONS = tuple(r.value for r in CloseReason)
SERVICES = tuple(s.value for s in Service)
REFERRAL_STATUSES = tuple(s.value for s in ReferralStatus)
LEGAL_STAGES = tuple(s.value for s in LegalStage)
RESTITUTIONS = tuple(r.value for r in Restitution)
__all__ = ["PROTECTED", "Case", "CaseDetermination", "CaseEscalation", "CaseEvent",
           "CaseReferral"]  # fmt: skip


class Case(Base):
    """A troubled citizen's case, from the first report to reintegration."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"channel IN {CHANNELS}", name="channel"),
        CheckConstraint(f"state IN {STATES}", name="state"),
        CheckConstraint(f"determination IN {DETERMINATIONS}", name="determination"),
        CheckConstraint(f"close_reason IN {CLOSE_REASONS}", name="close_reason"),
        CheckConstraint(f"legal_stage IN {LEGAL_STAGES}", name="legal_stage"),
        CheckConstraint(f"restitution IN {RESTITUTIONS}", name="restitution"),
        UniqueConstraint("created_by", "report_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(24), index=True)
    state_since: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    determination: Mapped[str | None] = mapped_column(String(20))
    close_reason: Mapped[str | None] = mapped_column(String(20))
    agency: Mapped[str] = mapped_column(String(16), index=True)  # the agency handling it
    country: Mapped[str | None] = mapped_column(String(2))  # where the person is (coarse)
    city: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)  # what anyone on the case may read
    # Protected: the person, their account and their health; the reporter.
    full_name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    nik: Mapped[str | None] = mapped_column(String(32))
    passport_no: Mapped[str | None] = mapped_column(String(16))
    narrative: Mapped[str | None] = mapped_column(Text)
    health: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_contact: Mapped[str | None] = mapped_column(String(200))
    screening_referral_id: Mapped[int | None] = mapped_column(ForeignKey("screening_referrals.id"))
    # The recruiter behind the case (for the bond claim and the network), once known.
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id"), index=True)
    # The legal track, alongside the workflow (``cases.legal``).
    legal_stage: Mapped[str | None] = mapped_column(String(20))
    restitution: Mapped[str | None] = mapped_column(String(12))
    restitution_ordered_idr: Mapped[int | None] = mapped_column(BigInteger)
    restitution_paid_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the retention purge erased the person from the closed case (``retention``).
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: The reporter's ``Idempotency-Key`` and a digest of what they sent: a report resent
    #: after a lost answer finds its case instead of opening a second one.
    report_key: Mapped[str | None] = mapped_column(String(128))
    report_digest: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class CaseEvent(Base):
    """One step of a case's timeline (append-only)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)


class CaseDetermination(Base):
    """A victim-identification determination, with who decided and why (append-only: the
    latest one holds)."""

    __tablename__ = "case_determinations"
    __table_args__ = (CheckConstraint(f"determination IN {DETERMINATIONS}", name="value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    determination: Mapped[str] = mapped_column(String(20))
    indicators: Mapped[list[str]] = mapped_column(JSON)
    elements: Mapped[dict[str, Any]] = mapped_column(JSON)  # acts, means, purposes, child
    suggested: Mapped[str] = mapped_column(String(20))  # what the facts pointed to
    suggestion_reasons: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class CaseReferral(Base):
    """A case referred to an agency or an NGO for a service, with how it was justified
    (the person's consent, or an override and its reason) and the receiver's decision."""

    __tablename__ = "case_referrals"
    __table_args__ = (
        CheckConstraint(f"service IN {SERVICES}", name="service"),
        CheckConstraint(f"status IN {REFERRAL_STATUSES}", name="status"),
        CheckConstraint("basis IN ('consent', 'override')", name="basis"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    service: Mapped[str] = mapped_column(String(24))
    to_agency: Mapped[str | None] = mapped_column(String(16))  # a hub agency, or …
    to_organisation: Mapped[str | None] = mapped_column(String(200))  # … an NGO by name
    status: Mapped[str] = mapped_column(String(12), default="referred")
    basis: Mapped[str] = mapped_column(String(8))
    consent_note: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    referred_by: Mapped[str] = mapped_column(String(64))
    from_agency: Mapped[str] = mapped_column(String(16))
    referred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)


class CaseEscalation(Base):
    """A missed stage deadline escalated to someone: written once per case, stage entry
    and level, so the scheduler may run as often as it likes."""

    __tablename__ = "case_escalations"
    __table_args__ = (UniqueConstraint("case_id", "state", "state_since", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    state: Mapped[str] = mapped_column(String(24))
    state_since: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    level: Mapped[int] = mapped_column(Integer)
    notify: Mapped[str] = mapped_column(String(24))
    due: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    escalated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
