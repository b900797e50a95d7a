"""The figures that are not about cases alone, counted in SQL over a window: screening
referrals and what became of them, recruiter sanctions and bond claims, alerts and how
fast an officer took them in hand. Only the medians and percentiles of per-alert delays
are taken in Python, from one row per alert (as ``cases.figures`` does)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from lindungi.analytics.periods import Period
from lindungi.cases.figures import Hours
from lindungi.cases.models import Case, CaseReferral
from lindungi.cases.workflow import CloseReason, Determination, State
from lindungi.monitoring.models import ALERT_KINDS, Alert, AlertEvent, Enrolment
from lindungi.recruiters.models import BondClaim, LicenceEvent, Sanction
from lindungi.screening.models import Referral, Screening

#: What became of a screening referral, judged by the case it opened (mutually exclusive).
OUTCOMES = ("potential_victim", "not_victim", "undetermined", "closed_without_identification",
            "awaiting_identification", "no_case")  # fmt: skip


def _within(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


@dataclass(frozen=True)
class ScreeningFigures:
    """Screenings at the desks in the window, the referrals made, and their outcomes."""

    screenings: int
    referrals: int
    outcomes: dict[str, int]


def screening_figures(session: Session, period: Period) -> ScreeningFigures:
    """Screenings (by ``screened_at``) and referrals (by ``created_at``) in the window, with
    each referral's outcome read from the case it opened (its current determination, or
    whether it is closed or still waiting for an identification interview)."""
    screenings = session.scalar(
        select(func.count(Screening.id)).where(_within(Screening.screened_at, period))
    )
    outcome = case(
        (Case.id.is_(None), "no_case"),
        (Case.determination.is_not(None), Case.determination),
        (Case.state == State.CLOSED.value, "closed_without_identification"),
        else_="awaiting_identification",
    )
    query = (
        select(outcome, func.count(Referral.id))
        .select_from(Referral)
        .outerjoin(Case, Case.screening_referral_id == Referral.id)
        .where(_within(Referral.created_at, period))
        .group_by(outcome)
    )
    counts = {str(name): int(n) for name, n in session.execute(query)}
    return ScreeningFigures(
        screenings=int(screenings or 0),
        referrals=sum(counts.values()),
        outcomes=dict.fromkeys(OUTCOMES, 0) | counts,
    )


@dataclass(frozen=True)
class RecruiterFigures:
    """Sanctions on recruiters and the claims paid from their bonds, in the window."""

    suspensions: int
    revocations: int
    sanctions: int
    claims_filed: int
    claims_paid: int
    claims_paid_idr: int


def recruiter_figures(session: Session, period: Period) -> RecruiterFigures:
    """Licence suspensions and revocations (status changes dated in the window), other
    administrative sanctions (starting in it), claims filed in it and claims paid in it."""
    changes: dict[str, int] = {
        status: int(n)
        for status, n in session.execute(
            select(LicenceEvent.to_status, func.count(LicenceEvent.id))
            .where(_within(LicenceEvent.at, period),
                   LicenceEvent.to_status.in_(("suspended", "revoked")),
                   LicenceEvent.from_status.is_distinct_from(LicenceEvent.to_status))
            .group_by(LicenceEvent.to_status)
        )
    }  # fmt: skip
    sanctions = session.scalar(
        select(func.count(Sanction.id)).where(
            Sanction.starts_on >= period.start.date(), Sanction.starts_on < period.end.date()
        )
    )
    filed = session.scalar(
        select(func.count(BondClaim.id)).where(_within(BondClaim.filed_at, period))
    )
    paid, paid_idr = session.execute(
        select(func.count(BondClaim.id), func.coalesce(func.sum(BondClaim.amount_idr), 0)).where(
            BondClaim.status == "paid", _within(BondClaim.decided_at, period)
        )
    ).one()
    return RecruiterFigures(
        suspensions=int(changes.get("suspended", 0)),
        revocations=int(changes.get("revoked", 0)),
        sanctions=int(sanctions or 0),
        claims_filed=int(filed or 0),
        claims_paid=int(paid),
        claims_paid_idr=int(paid_idr or 0),
    )


@dataclass(frozen=True)
class AlertGroup:
    """Alerts of one kind (or one embassy): how many, how many were taken in hand, how
    long that took, and how many the ladder turned into cases."""

    alerts: int
    acknowledged: int
    minutes_to_acknowledge: Hours  # in minutes, despite the name of the type
    became_case: int


def alert_groups(session: Session, period: Period, by: str = "kind") -> dict[str, AlertGroup]:
    """Alerts raised in the window (by ``opened_at``), grouped by ``kind`` (every kind
    listed), by the ``embassy`` of the worker's enrolment, or ``all`` together. Taken in
    hand means an ``acknowledged`` event; the delay runs from the alert's opening to the
    first one."""
    first_ack = (
        select(AlertEvent.alert_id, func.min(AlertEvent.at).label("at"))
        .where(AlertEvent.action == "acknowledged")
        .group_by(AlertEvent.alert_id)
        .subquery()
    )
    query = (
        select(Alert.kind, Enrolment.embassy, Alert.opened_at, first_ack.c.at, Alert.case_id)
        .join(Enrolment, Enrolment.id == Alert.enrolment_id)
        .outerjoin(first_ack, first_ack.c.alert_id == Alert.id)
        .where(_within(Alert.opened_at, period))
    )
    rows: dict[str, list[tuple[dt.datetime, dt.datetime | None, int | None]]] = {}
    for kind, embassy, opened, acked, case_id in session.execute(query):
        name = {"kind": kind, "embassy": embassy}.get(by, "all")
        rows.setdefault(str(name), []).append((opened, acked, case_id))
    names = {"kind": list(ALERT_KINDS), "embassy": sorted(rows)}.get(by, ["all"])
    out = {}
    for name in names:
        group = rows.get(name, [])
        delays = [(acked - opened).total_seconds() / 60 for opened, acked, _ in group if acked]
        out[name] = AlertGroup(
            alerts=len(group),
            acknowledged=len(delays),
            minutes_to_acknowledge=Hours.of(delays),
            became_case=sum(case_id is not None for _, _, case_id in group),
        )
    return out


@dataclass(frozen=True)
class RouteFigures:
    """How the cases of the window left the hub's hands: administratively (closed as an
    overstay) or into protection (identified victims referred for services)."""

    closed_as_overstay: int
    victims_referred: int


def route_figures(session: Session, period: Period) -> RouteFigures:
    """Cases opened in the window that were closed as an overstay, and identified victims
    among them with at least one referral (a service or the police, whatever its answer)."""
    scope = (Case.created_at >= period.start, Case.created_at < period.end)
    referred = select(CaseReferral.id).where(CaseReferral.case_id == Case.id).exists()
    overstay, victims = session.execute(
        select(
            func.count(case((Case.close_reason == CloseReason.OVERSTAY.value, 1))),
            func.count(case((and_(Case.determination == Determination.VICTIM.value,
                                  referred), 1))),
        ).where(*scope)
    ).one()  # fmt: skip
    return RouteFigures(int(overstay), int(victims))
