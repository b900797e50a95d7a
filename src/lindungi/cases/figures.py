"""Figures about cases for the analytics: how many, how they were screened and identified,
how fast they moved, what the victims received, and what the legal track and the bonds
brought them. Counted in SQL (SQLite and PostgreSQL alike); only the medians and
percentiles of per-case durations are taken in Python, from one row per case.

Every figure has a one-sentence definition in :data:`DEFINITIONS`, served beside the
numbers, so a reader of a dashboard or an export knows exactly what was counted.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Select, case, distinct, func, select
from sqlalchemy.orm import Session

from lindungi.cases.deadlines import LEVELS
from lindungi.cases.models import (
    CHANNELS,
    STATES,
    Case,
    CaseDetermination,
    CaseEscalation,
    CaseEvent,
    CaseReferral,
)
from lindungi.cases.referrals import ReferralStatus, Service
from lindungi.cases.workflow import Determination
from lindungi.errors import InvalidInputError
from lindungi.recruiters import bonds

#: Referral outcomes that mean the service was taken up.
_TAKEN_UP = (ReferralStatus.ACCEPTED.value, ReferralStatus.DELIVERED.value)
_CARE = (Service.PSYCHOSOCIAL.value, Service.MEDICAL.value)

DEFINITIONS: dict[str, str] = {
    "cases": "Cases opened in the window (by created_at) and, when an agency is given, "
    "handled by that agency.",
    "by_channel": "Those cases by the channel they were reported through.",
    "by_state": "Those cases by the stage of the workflow they are in now.",
    "screened": "Cases with at least one victim-identification determination recorded, "
    "i.e. screened for trafficking by an identification interview.",
    "screened_share": "Screened cases divided by all cases (null when there are none).",
    "identified": "Cases whose current determination is potential victim of trafficking.",
    "identified_share": "Identified cases divided by all cases (null when there are none).",
    "not_victim": "Cases whose current determination is not a victim.",
    "undetermined": "Cases whose current determination is undetermined.",
    "deportations": "Cases referred for deportation (an event refer_for_deportation).",
    "deported_without_identification": "Cases referred for deportation with no "
    "victim-identification determination recorded before that referral (the workflow "
    "forbids it, so this should be 0).",
    "verified": "Cases with a verify event.",
    "hours_to_verify": "Median and 90th percentile (nearest rank) of the hours from a "
    "case's report to its first verification, over verified cases.",
    "repatriated": "Cases with an arrange_repatriation event (humanitarian repatriation) "
    "whose arrival in Indonesia is confirmed.",
    "hours_to_repatriation": "Median and 90th percentile (nearest rank) of the hours from "
    "the report to the first confirmed arrival, over repatriated cases.",
    "victims_rehabilitated": "Identified victims who started rehabilitation, or whose "
    "psychosocial or medical referral was accepted or delivered.",
    "rehabilitation_share": "Victims rehabilitated divided by identified victims (null "
    "when there are none).",
    "victims_legal_aid": "Identified victims whose legal-aid referral was accepted or delivered.",
    "legal_aid_share": "Victims with legal aid divided by identified victims (null when "
    "there are none).",
    "victims_referred_to_police": "Identified victims whose case entered the legal track "
    "(referred to the police).",
    "police_referral_share": "Victims referred to the police divided by identified victims "
    "(null when there are none).",
    "convictions": "Cases whose legal track ended in a conviction.",
    "restitution_ordered_idr": "Restitution the courts ordered on these cases, in Rupiah.",
    "restitution_paid_idr": "Restitution paid to the victims of these cases, in Rupiah.",
    "claims_filed": "Claims on recruiters' bonds filed for these cases, whatever their status.",
    "claims_paid": "Those claims that were paid.",
    "claims_paid_idr": "The amount of the paid claims, in Rupiah.",
    "escalations": "Missed-deadline escalations recorded on these cases, by level "
    "(1 supervisor, 2 duty officer, 3 command centre).",
}


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile by nearest rank: the smallest value with at least ``p``
    per cent of the values at or below it (always one of the values). ``None`` when
    there are no values."""
    if not 0 < p <= 100:
        raise ValueError(f"a percentile is above 0 and at most 100, not {p}")
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(Fraction(p) * len(ordered) / 100)  # exact: in floats 0.28 * 25 = 7.000…1
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    """The median (the mean of the two middle values for an even count), or ``None``."""
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True)
class Hours:
    """How long something took across cases, in hours."""

    median: float | None
    p90: float | None

    @classmethod
    def of(cls, hours: Sequence[float]) -> Hours:
        """The median and 90th percentile of ``hours``."""
        return cls(median(hours), percentile(hours, 90))

    def to_dict(self) -> dict[str, float | None]:
        """JSON-friendly, rounded to 4 places."""
        return {"median": _round(self.median), "p90": _round(self.p90)}


@dataclass(frozen=True)
class CaseFigures:
    """The figures about a set of cases; see :data:`DEFINITIONS` for each one."""

    cases: int
    by_channel: dict[str, int]
    by_state: dict[str, int]
    screened: int
    screened_share: float | None
    identified: int
    identified_share: float | None
    not_victim: int
    undetermined: int
    deportations: int
    deported_without_identification: int
    verified: int
    hours_to_verify: Hours
    repatriated: int
    hours_to_repatriation: Hours
    victims_rehabilitated: int
    rehabilitation_share: float | None
    victims_legal_aid: int
    legal_aid_share: float | None
    victims_referred_to_police: int
    police_referral_share: float | None
    convictions: int
    restitution_ordered_idr: int
    restitution_paid_idr: int
    claims_filed: int
    claims_paid: int
    claims_paid_idr: int
    escalations: dict[int, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: ints, floats rounded to 4 places or ``None``, hours as floats,
        escalation levels as string keys (as JSON would make them)."""
        out: dict[str, Any] = {}
        for name in DEFINITIONS:
            value = getattr(self, name)
            if isinstance(value, Hours):
                out[name] = value.to_dict()
            elif name == "escalations":
                out[name] = {str(level): n for level, n in value.items()}
            elif isinstance(value, dict):
                out[name] = dict(value)
            elif isinstance(value, float) or value is None:
                out[name] = _round(value)
            else:
                out[name] = int(value)
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _aware(name: str, value: dt.datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise InvalidInputError(f"{name} {value.isoformat()} has no time zone; give it in UTC")


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(*where)) or 0


def _grouped(session: Session, column: Any, where: list[ColumnElement[bool]]) -> dict[Any, int]:
    query = select(column, func.count()).select_from(Case).where(*where).group_by(column)
    return {key: int(n) for key, n in session.execute(query)}


def _first(action: str, ids: Select[Any]) -> Any:
    """Per case, when ``action`` first happened."""
    return (
        select(CaseEvent.case_id, func.min(CaseEvent.at).label("at"))
        .where(CaseEvent.action == action, CaseEvent.case_id.in_(ids))
        .group_by(CaseEvent.case_id)
        .subquery()
    )


def _hours_between(
    session: Session, ids: Select[Any], until: str, only_with: str | None = None
) -> list[float]:
    """Per case, the hours from its report to the first ``until`` event (of the cases
    that also have an ``only_with`` event, when given)."""
    report, done = _first("report", ids), _first(until, ids)
    query = select(report.c.at, done.c.at).join(done, done.c.case_id == report.c.case_id)
    if only_with is not None:
        query = query.where(
            select(CaseEvent.id)
            .where(CaseEvent.case_id == report.c.case_id, CaseEvent.action == only_with)
            .exists()
        )
    rows = session.execute(query).all()
    return [(end - start).total_seconds() / 3600 for start, end in rows]


def case_figures(
    session: Session,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    agency: str | None = None,
) -> CaseFigures:
    """The figures about the cases created in ``[start, end)`` (``None``: unbounded) and,
    when ``agency`` is given, handled by that agency."""
    _aware("start", start)
    _aware("end", end)
    scope: list[ColumnElement[bool]] = []
    if start is not None:
        scope.append(Case.created_at >= start)
    if end is not None:
        scope.append(Case.created_at < end)
    if agency is not None:
        scope.append(Case.agency == agency)
    ids = select(Case.id).where(*scope)

    cases = _count(session, *scope)
    channels = _grouped(session, Case.channel, scope)
    states = _grouped(session, Case.state, scope)
    determinations = _grouped(session, Case.determination, scope)
    screened = (
        session.scalar(
            select(func.count(distinct(CaseDetermination.case_id))).where(
                CaseDetermination.case_id.in_(ids)
            )
        )
        or 0
    )

    deported = (CaseEvent.action == "refer_for_deportation", CaseEvent.case_id.in_(ids))
    identified_before = (
        select(CaseDetermination.id)
        .where(
            CaseDetermination.case_id == CaseEvent.case_id,
            CaseDetermination.decided_at <= CaseEvent.at,
        )
        .exists()
    )
    deportations = (
        session.scalar(select(func.count(distinct(CaseEvent.case_id))).where(*deported)) or 0
    )
    unidentified = (
        session.scalar(
            select(func.count(distinct(CaseEvent.case_id))).where(*deported, ~identified_before)
        )
        or 0
    )

    to_verify = _hours_between(session, ids, "verify")
    to_home = _hours_between(session, ids, "confirm_arrival", only_with="arrange_repatriation")

    victims = [*scope, Case.determination == Determination.VICTIM.value]
    identified = determinations.get(Determination.VICTIM.value, 0)
    rehabilitated = _count(
        session,
        *victims,
        select(CaseEvent.id)
        .where(CaseEvent.case_id == Case.id, CaseEvent.action == "start_rehabilitation")
        .exists()
        | _referred(_CARE),
    )
    legal_aid = _count(session, *victims, _referred((Service.LEGAL_AID.value,)))
    police = _count(session, *victims, Case.legal_stage.is_not(None))

    convictions, ordered, paid = session.execute(
        select(
            func.count(case((Case.legal_stage == "convicted", 1))),
            func.coalesce(func.sum(Case.restitution_ordered_idr), 0),
            func.coalesce(func.sum(Case.restitution_paid_idr), 0),
        ).where(*scope)
    ).one()
    claims = bonds.claim_totals(session, ids)
    levels = session.execute(
        select(CaseEscalation.level, func.count())
        .where(CaseEscalation.case_id.in_(ids))
        .group_by(CaseEscalation.level)
    ).all()

    return CaseFigures(
        cases=cases,
        by_channel=dict.fromkeys(CHANNELS, 0) | channels,
        by_state=dict.fromkeys(STATES, 0) | states,
        screened=screened,
        screened_share=_share(screened, cases),
        identified=identified,
        identified_share=_share(identified, cases),
        not_victim=determinations.get(Determination.NOT_VICTIM.value, 0),
        undetermined=determinations.get(Determination.UNDETERMINED.value, 0),
        deportations=deportations,
        deported_without_identification=unidentified,
        verified=len(to_verify),
        hours_to_verify=Hours.of(to_verify),
        repatriated=len(to_home),
        hours_to_repatriation=Hours.of(to_home),
        victims_rehabilitated=rehabilitated,
        rehabilitation_share=_share(rehabilitated, identified),
        victims_legal_aid=legal_aid,
        legal_aid_share=_share(legal_aid, identified),
        victims_referred_to_police=police,
        police_referral_share=_share(police, identified),
        convictions=int(convictions),
        restitution_ordered_idr=int(ordered or 0),
        restitution_paid_idr=int(paid or 0),
        claims_filed=claims.filed,
        claims_paid=claims.paid,
        claims_paid_idr=claims.paid_idr,
        escalations=dict.fromkeys(range(1, len(LEVELS) + 1), 0)
        | {int(level): int(n) for level, n in levels},
    )


def _referred(services: tuple[str, ...]) -> ColumnElement[bool]:
    """The case has a referral for one of ``services`` that was accepted or delivered."""
    return (
        select(CaseReferral.id)
        .where(
            CaseReferral.case_id == Case.id,
            CaseReferral.service.in_(services),
            CaseReferral.status.in_(_TAKEN_UP),
        )
        .exists()
    )
