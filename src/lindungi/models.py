"""Every table of the hub, imported in one place for migrations and tests."""

from lindungi.audit.models import AuditCheckpoint, AuditEntryRow, AuditNode
from lindungi.auth.models import Agency, ApiToken, User, UserRole
from lindungi.cases.models import (
    Case,
    CaseDetermination,
    CaseEscalation,
    CaseEvent,
    CaseReferral,
)
from lindungi.db import Base
from lindungi.exchange.models import Delivery, ExchangeEvent, Subscription
from lindungi.identity.models import Judgement, LinkageModel, MatchKey, Membership, Person
from lindungi.monitoring.models import Checkin, CheckinBatch, Consent, Enrolment, Zone
from lindungi.people.models import PersonRecord
from lindungi.recruiters.models import (
    Bond,
    BondClaim,
    Complaint,
    Licence,
    LicenceEvent,
    Recruiter,
    RecruiterIdentifier,
    Sanction,
)
from lindungi.retention.models import LegalHold
from lindungi.screening.models import Referral, Screening, SharedOffer

__all__ = [
    "Agency",
    "ApiToken",
    "AuditCheckpoint",
    "AuditEntryRow",
    "AuditNode",
    "Base",
    "Bond",
    "BondClaim",
    "Case",
    "CaseDetermination",
    "CaseEscalation",
    "CaseEvent",
    "CaseReferral",
    "Checkin",
    "CheckinBatch",
    "Complaint",
    "Consent",
    "Delivery",
    "Enrolment",
    "ExchangeEvent",
    "Judgement",
    "LegalHold",
    "Licence",
    "LicenceEvent",
    "LinkageModel",
    "MatchKey",
    "Membership",
    "Person",
    "PersonRecord",
    "Recruiter",
    "RecruiterIdentifier",
    "Referral",
    "Sanction",
    "Screening",
    "SharedOffer",
    "Subscription",
    "User",
    "UserRole",
    "Zone",
]
