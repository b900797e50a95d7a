"""Services and referrals of a case: the rules, pure.

A person's case is referred to another agency or an NGO for a service only with their
recorded consent — or, as Primero does, when someone holding the explicit override
permission records why consent could not wait (a child in danger, a person unconscious).
The receiving side accepts or rejects; an accepted service is marked delivered.
"""

from __future__ import annotations

from enum import StrEnum


class Service(StrEnum):
    """What a case is referred for."""

    PSYCHOSOCIAL = "psychosocial"
    MEDICAL = "medical"
    LEGAL_AID = "legal_aid"  # pro bono
    SHELTER = "shelter"
    FAMILY_TRACING = "family_tracing"
    ECONOMIC_REINTEGRATION = "economic_reintegration"
    CASE_TRANSFER = "case_transfer"  # the whole case moves to another agency
    POLICE = "police"  # the criminal case: the legal track's referral (``cases.legal``)


class ReferralStatus(StrEnum):
    """Where a referral stands."""

    REFERRED = "referred"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DELIVERED = "delivered"


#: Decision → the statuses it may follow.
DECISIONS: dict[str, tuple[ReferralStatus, ReferralStatus]] = {
    "accept": (ReferralStatus.REFERRED, ReferralStatus.ACCEPTED),
    "reject": (ReferralStatus.REFERRED, ReferralStatus.REJECTED),
    "deliver": (ReferralStatus.ACCEPTED, ReferralStatus.DELIVERED),
}


class ReferralRefused(ValueError):
    """A referral or decision the rules refuse, with the reason."""


def check_consent(consent: bool, may_override: bool, override_reason: str | None) -> str:
    """How the referral is justified (``"consent"`` or ``"override"``), or refuse it."""
    if consent:
        return "consent"
    if not override_reason:
        raise ReferralRefused(
            "the person's consent is not recorded; refer with consent, or with an override "
            "reason by someone holding cases:override"
        )
    if not may_override:
        raise ReferralRefused(
            "referring without consent needs the cases:override permission, which you do not hold"
        )
    return "override"


def decide(status: str, decision: str) -> ReferralStatus:
    """The status after ``decision``; refuses a decision that does not fit."""
    if decision not in DECISIONS:
        raise ReferralRefused(f"unknown decision {decision!r}; expected {', '.join(DECISIONS)}")
    source, target = DECISIONS[decision]
    if status != source.value:
        raise ReferralRefused(f"cannot {decision} a referral that is {status}")
    return target
