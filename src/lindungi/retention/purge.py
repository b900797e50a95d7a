"""The daily retention purge across the hub (``lindungi retention purge``).

What goes, and when:

- raw check-ins: past the retention the worker agreed to, and all of them at once when
  they withdrew their consent (``monitoring.retention``);
- zone enter/exit events: past :attr:`Policy.zone_event_days`, and all of a withdrawn
  worker's at once, with where they were last seen inside a zone;
- a withdrawn worker's details (name, passport, phone, sponsor contact, emergency
  contacts): erased once none of their alerts is still open — the alerts, their history
  and the notifications sent stay, as the record of what officials did;
- a closed case: the person, their account, their health and the reporter erased
  :attr:`Policy.case_days` after it closed; the states, dates, determination, indicator
  codes and country stay for the statistics, the free text of its timeline, decisions
  and referrals is replaced;
- a desk screening that was not referred: the traveller (what they declared, the
  reference, the evidence quoted, the words of the decision and of a contest) erased
  :attr:`Policy.screening_days` after it; the score, band, action, indicator codes,
  rulebook and decision stay. A referred screening is erased with its case;
- agency events: once every delivery is settled (delivered or dead) and
  :attr:`Policy.exchange_days` have passed, the event and its delivery records.

Nothing under a legal hold (``holds``) is touched, nor a case whose criminal track is
open or whose restitution is unpaid, nor the worker whose alert opened a held case. The
audit log is never purged: it holds record ids and field names, not the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from lindungi.cases.models import Case, CaseDetermination, CaseEvent, CaseReferral
from lindungi.cases.workflow import State
from lindungi.exchange.models import Delivery, ExchangeEvent
from lindungi.monitoring import retention as monitoring_retention
from lindungi.monitoring.models import Alert, Consent, Enrolment, Presence, ZoneEvent
from lindungi.retention.holds import Held, held
from lindungi.screening.models import Referral, Screening
from lindungi.settings import Settings

#: What erased text reads as (Indonesian first, as the console shows it).
ERASED = "[dihapus: masa retensi berakhir / erased: retention ended]"


@dataclass(frozen=True)
class Policy:
    """How long each kind of record is kept (days)."""

    case_days: int
    zone_event_days: int
    exchange_days: int
    screening_days: int = 730

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        """The policy the deployment configured."""
        return cls(settings.case_retention_days, settings.zone_event_retention_days,
                   settings.exchange_retention_days,
                   settings.screening_retention_days)  # fmt: skip


@dataclass(frozen=True)
class Report:
    """What one purge did, and what it left because of holds."""

    checkins: int
    withdrawn_checkins: int
    batches: int
    zone_events: int
    workers_erased: int
    cases_erased: int
    screenings_erased: int
    exchange_events: int
    held_cases: int
    held_enrolments: int

    def as_dict(self) -> dict[str, int]:
        """For the CLI's JSON and the audit entry."""
        return asdict(self)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def standing_holds(session: Session) -> Held:
    """Placed holds and those of the law, plus the workers whose alerts opened a held
    case (their check-ins are its evidence)."""
    found = held(session)
    linked = session.scalars(
        select(Alert.enrolment_id).where(Alert.case_id.in_(found.cases)).distinct()
    )
    return Held(found.cases, found.enrolments | frozenset(linked))


def _withdrawn(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(Enrolment.id)
            .join(Consent, Consent.id == Enrolment.consent_id, isouter=True)
            .where(or_(Enrolment.status == "withdrawn", Consent.withdrawn_at.is_not(None)))
        )
    )


def _zone_events(session: Session, now: dt.datetime, days: int, gone: set[int],
                 hold: frozenset[int]) -> int:  # fmt: skip
    expired = _count(session.execute(
        delete(ZoneEvent).where(ZoneEvent.at < now - dt.timedelta(days=days),
                                ZoneEvent.enrolment_id.not_in(hold))
    ))  # fmt: skip
    withdrawn = sorted(gone - hold)
    if withdrawn:
        expired += _count(
            session.execute(delete(ZoneEvent).where(ZoneEvent.enrolment_id.in_(withdrawn)))
        )
        session.execute(delete(Presence).where(Presence.enrolment_id.in_(withdrawn)))
    return expired


def _erase_workers(session: Session, now: dt.datetime, gone: set[int],
                   hold: frozenset[int]) -> int:  # fmt: skip
    waiting = set(
        session.scalars(select(Alert.enrolment_id).where(Alert.status != "resolved").distinct())
    )
    ids = sorted(gone - hold - waiting)
    if not ids:
        return 0
    return _count(session.execute(
        update(Enrolment)
        .where(Enrolment.id.in_(ids), Enrolment.erased_at.is_(None))
        .values(full_name=ERASED[:200], passport_no=None, phone=None, sponsor_contact=None,
                emergency_contacts=[], erased_at=now)
    ))  # fmt: skip


def _erase_cases(session: Session, now: dt.datetime, days: int, hold: frozenset[int]) -> list[int]:
    ids = list(session.scalars(
        select(Case.id).where(Case.state == State.CLOSED.value, Case.erased_at.is_(None),
                              Case.state_since < now - dt.timedelta(days=days),
                              Case.id.not_in(hold))
    ))  # fmt: skip
    if not ids:
        return []
    session.execute(
        update(Case).where(Case.id.in_(ids)).values(
            full_name=None, birth_date=None, nik=None, passport_no=None, narrative=None,
            health=None, reporter_name=None, reporter_contact=None, city=None,
            summary=ERASED, report_key=None, report_digest=None, erased_at=now, updated_at=now,
        )
    )  # fmt: skip
    session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(ids)).values(reason=ERASED))
    session.execute(
        update(CaseDetermination)
        .where(CaseDetermination.case_id.in_(ids))
        .values(reason=ERASED, elements={}, suggestion_reasons=[])
    )
    session.execute(
        update(CaseReferral).where(CaseReferral.case_id.in_(ids)).values(
            note=ERASED, consent_note=None, override_reason=None,
            decision_reason=sql_case((CaseReferral.decision_reason.is_(None), None),
                                     else_=ERASED),
        )
    )  # fmt: skip
    return ids


def _erase_screenings(session: Session, now: dt.datetime, ids: list[int]) -> int:
    """Erase the traveller from these screenings: what they declared, the caller's
    reference, the evidence quoted, the decision's and the contest's words, and the
    referral's; the score, band, action, indicator codes, rulebook and decision stay."""
    done = 0
    for row in session.scalars(
        select(Screening).where(Screening.id.in_(ids), Screening.erased_at.is_(None))
    ):
        row.request = {}
        row.reference = ERASED[:200]
        row.indicators = [{**hit, "evidence": ERASED} for hit in row.indicators]
        row.decision_reason = ERASED if row.decision_reason is not None else None
        row.contest = ERASED if row.contest is not None else None
        row.erased_at = now
        done += 1
    session.execute(
        update(Referral).where(Referral.screening_id.in_(ids)).values(reason=ERASED, evidence=[])
    )
    return done


def _unreferred_screenings(session: Session, now: dt.datetime, days: int) -> list[int]:
    referred = select(Referral.screening_id)
    return list(session.scalars(
        select(Screening.id).where(Screening.erased_at.is_(None),
                                   Screening.screened_at < now - dt.timedelta(days=days),
                                   Screening.id.not_in(referred))
    ))  # fmt: skip


def _screenings_of(session: Session, case_ids: list[int]) -> list[int]:
    """The screenings whose referral opened these cases."""
    return list(session.scalars(
        select(Referral.screening_id)
        .join(Case, Case.screening_referral_id == Referral.id)
        .where(Case.id.in_(case_ids))
    ))  # fmt: skip


def _exchange(session: Session, now: dt.datetime, days: int, hold: Held) -> int:
    unsettled = select(Delivery.event_id).where(Delivery.status == "pending")
    alerts = session.scalars(select(Alert.id).where(Alert.enrolment_id.in_(hold.enrolments)))
    kept = [f"case:{c}" for c in sorted(hold.cases)] + [f"alert:{a}" for a in alerts]
    ids = list(session.scalars(
        select(ExchangeEvent.id).where(
            ExchangeEvent.occurred_at < now - dt.timedelta(days=days),
            ExchangeEvent.id.not_in(unsettled),
            ExchangeEvent.subject.not_in(kept),
        )
    ))  # fmt: skip
    done = 0
    for start in range(0, len(ids), 5000):  # bounded IN lists
        chunk = ids[start : start + 5000]
        session.execute(delete(Delivery).where(Delivery.event_id.in_(chunk)))
        done += _count(session.execute(delete(ExchangeEvent).where(ExchangeEvent.id.in_(chunk))))
    return done


def purge(session: Session, now: dt.datetime, policy: Policy) -> Report:
    """Run every purge once, as of ``now``, in the caller's transaction."""
    hold = standing_holds(session)
    gone = _withdrawn(session)
    raw = monitoring_retention.purge(session, now, hold.enrolments)
    zone_events = _zone_events(session, now, policy.zone_event_days, gone, hold.enrolments)
    workers = _erase_workers(session, now, gone, hold.enrolments)
    cases = _erase_cases(session, now, policy.case_days, hold.cases)
    screenings = _erase_screenings(
        session, now,
        _unreferred_screenings(session, now, policy.screening_days)
        + _screenings_of(session, cases),
    )  # fmt: skip
    events = _exchange(session, now, policy.exchange_days, hold)
    session.flush()
    return Report(raw.checkins, raw.withdrawn_checkins, raw.batches, zone_events, workers,
                  len(cases), screenings, events, len(hold.cases),
                  len(hold.enrolments))  # fmt: skip
