"""The retention purge across the hub, on both databases: what has expired goes (or is
erased), and nothing under a legal hold, an open criminal track or an open alert."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs
from lindungi.cases import service as cases
from lindungi.cases.models import Case, CaseEvent
from lindungi.cases.workflow import CloseReason
from lindungi.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from lindungi.exchange import service as exchange
from lindungi.exchange.models import Delivery, ExchangeEvent
from lindungi.monitoring import alerts, places, service
from lindungi.monitoring.models import Alert, Checkin, Enrolment, Presence, ZoneEvent
from lindungi.monitoring.retention import held_about
from lindungi.retention import holds
from lindungi.retention.purge import ERASED, Policy, purge
from lindungi.screening import service as screening
from lindungi.screening.models import Screening
from lindungi.screening.schemas import ScreeningIn

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
POLICE = Principal.of(3, "penyidik1", "polri", ("investigator",), None)
KEMLU = Principal.of(2, "admin.kemlu", "kemlu", ("admin",), None)
OFFICER = Principal.of(4, "petugas1", "imigrasi", ("officer",), None)
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
POLICY = Policy(case_days=3650, zone_event_days=365, exchange_days=90, screening_days=730)
PERSON = {"full_name": "Siti Rahma", "nik": "3201234567890123", "passport_no": "C1234567",
          "narrative": "dijanjikan kerja admin", "health": "luka di tangan",
          "reporter_name": "Ibu Rahma", "reporter_contact": "+62812000111"}  # fmt: skip


def _closed(session: Session, closed_days_ago: int, **extra: Any) -> Case:
    fields = {"channel": "hotline", "summary": "Siti di Bavet", "country": "KH",
              "city": "Bavet", **PERSON, **extra}  # fmt: skip
    case = cases.report(session, fields, WORKER).case
    cases.move(session, case.id, "close", "tidak terbukti", WORKER, CloseReason.UNFOUNDED)
    case.state_since = NOW - closed_days_ago * DAY
    session.flush()
    return case


def test_a_closed_case_is_erased_when_its_retention_ends(session: Session) -> None:
    old, recent = _closed(session, 4000), _closed(session, 30)
    report = purge(session, NOW, POLICY)
    assert report.cases_erased == 1
    session.refresh(old)
    assert (old.full_name, old.nik, old.passport_no, old.narrative, old.health) == (None,) * 5
    assert (old.reporter_name, old.reporter_contact, old.city) == (None, None, None)
    assert old.summary == ERASED
    assert old.erased_at is not None
    # What the statistics need stays: state, close reason, country, dates.
    assert (old.state, old.close_reason, old.country) == ("closed", "unfounded", "KH")
    reasons = session.scalars(select(CaseEvent.reason).where(CaseEvent.case_id == old.id))
    assert set(reasons) == {ERASED}
    session.refresh(recent)
    assert recent.full_name == "Siti Rahma"
    assert purge(session, NOW, POLICY).cases_erased == 0  # erased once


def test_a_held_case_is_kept_until_the_hold_is_released(session: Session) -> None:
    case = _closed(session, 4000)
    hold = holds.place(session, "case", case.id, "bukti perkara TPPO", "LP/B/123/XI/2026",
                       POLICE.username, POLICE.agency)  # fmt: skip
    report = purge(session, NOW, POLICY)
    assert (report.cases_erased, report.held_cases) == (0, 1)
    session.refresh(case)
    assert case.full_name == "Siti Rahma"
    holds.release(session, hold.id, "putusan berkekuatan hukum tetap", POLICE.username,
                  POLICE.agency)  # fmt: skip
    assert purge(session, NOW, POLICY).cases_erased == 1
    session.refresh(case)
    assert case.full_name is None


def test_an_open_criminal_track_holds_a_case_without_anyone_placing_a_hold(
    session: Session,
) -> None:
    case = _closed(session, 4000)
    moved = {"action": "refer_to_police", "reason": "laporan polisi", "consent": True}
    handoffs.legal_move(session, case.id, moved, WORKER)
    handoffs.legal_move(session, case.id, {**moved, "action": "open_investigation"}, POLICE)
    assert purge(session, NOW, POLICY).cases_erased == 0
    session.refresh(case)
    assert case.narrative == "dijanjikan kerja admin"


def test_holds_name_their_record_authority_and_are_released_once(session: Session) -> None:
    case = _closed(session, 10)
    with pytest.raises(NotFoundError, match="case 999999"):
        holds.place(session, "case", 999999, "x", "LP/1", "penyidik1", "polri")
    with pytest.raises(InvalidInputError, match="reference"):
        holds.place(session, "case", case.id, "bukti", "   ", "penyidik1", "polri")
    with pytest.raises(InvalidInputError, match="target"):
        holds.place(session, "person", case.id, "bukti", "LP/1", "penyidik1", "polri")
    hold = holds.place(session, "case", case.id, "bukti", "LP/1", "penyidik1", "polri")
    assert [h.id for h in holds.holds(session)] == [hold.id]
    with pytest.raises(PermissionDeniedError, match="only polri releases it"):
        holds.release(session, hold.id, "bukan urusan kami", "supervisor1", "bp2mi")
    holds.release(session, hold.id, "selesai", "penyidik1", "polri")
    with pytest.raises(ConflictError, match="already released"):
        holds.release(session, hold.id, "lagi", "penyidik1", "polri")
    assert holds.holds(session) == []
    assert [h.release_reason for h in holds.holds(session, active_only=False)] == ["selesai"]


def _enrol(session: Session, name: str) -> Enrolment:
    return service.enrol(session, {
        "full_name": name, "passport_no": "C7654321", "phone": "+60123456", "country": "MY",
        "city": "Johor Bahru", "visa": "placement", "sponsor": "Kilang Contoh",
        "sponsor_contact": "+6071234", "recruiter_id": None, "embassy": "KJRI Johor Bahru",
        "every_minutes": 1440, "grace_minutes": 120,
        "emergency_contacts": [{"name": "Pak Joko", "relation": "ayah", "phone": "+6281300001"}],
        "consent": {"version": "1", "purpose": "keselamatan pekerja", "collected": ["location"],
                    "retention_days": 30, "withdrawal": "lewat aplikasi atau hotline",
                    "language": "id", "given_at": NOW - 40 * DAY},
    }, WORKER)  # fmt: skip


def _zone_around(session: Session, who: Enrolment) -> None:
    square = {"type": "Polygon", "coordinates": [[[103.6, 1.4], [103.8, 1.4], [103.8, 1.6],
                                                  [103.6, 1.6], [103.6, 1.4]]]}  # fmt: skip
    places.import_zones(session, {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square,
         "properties": {"zone_id": f"kerja-{who.id}", "kind": "work", "name": "pabrik"}}]},
        "pendamping1", "test", work_of=who.id)  # fmt: skip


def _track(session: Session, who: Enrolment, key: str) -> None:
    """Inside the work zone, out of it, and back: three zone events (enter, exit,
    enter) and three raw check-ins."""
    for n, lon in enumerate((103.7, 104.5, 103.7)):
        at = NOW - (20 - n) * DAY
        record = {"subject": who.subject, "at": at.isoformat(), "lon": lon, "lat": 1.5}
        assert service.ingest(session, "gerbang1", f"{key}-{n}", [record], now=at).accepted == 1


def _held_count(session: Session, model: Any, who: Enrolment) -> int:
    return session.scalar(select(func.count()).where(model.enrolment_id == who.id)) or 0


def test_withdrawal_purges_location_and_details_unless_held(session: Session) -> None:
    kept, gone = _enrol(session, "Ani"), _enrol(session, "Dedi")
    for who, key in ((kept, "a"), (gone, "b")):
        _zone_around(session, who)
        _track(session, who, key)
        service.withdraw(session, who, "tidak mau dipantau lagi")
    session.execute(update(Alert).values(status="resolved"))  # the exits were dealt with
    assert _held_count(session, ZoneEvent, gone) == 3
    raised = session.scalar(select(func.count(Alert.id)))
    assert raised
    holds.place(session, "enrolment", kept.id, "saksi perkara", "LP/B/9/2026", "penyidik1",
                "polri")  # fmt: skip
    report = purge(session, NOW, POLICY)
    assert (report.withdrawn_checkins, report.zone_events, report.workers_erased) == (3, 3, 1)
    assert [_held_count(session, m, gone) for m in (Checkin, ZoneEvent, Presence)] == [0, 0, 0]
    assert [_held_count(session, m, kept) for m in (Checkin, ZoneEvent)] == [3, 3]
    session.refresh(gone)
    session.refresh(kept)
    assert (gone.passport_no, gone.phone, gone.sponsor_contact) == (None, None, None)
    assert gone.emergency_contacts == []
    assert gone.full_name.startswith("[dihapus")
    assert kept.full_name == "Ani"
    # The held worker still sees what is kept about them, crossings included.
    assert [e["event"] for e in held_about(session, kept)["zone_events"]] == [
        "enter", "exit", "enter"]  # fmt: skip
    assert held_about(session, gone)["zone_events"] == []
    assert session.scalar(select(func.count(Alert.id))) == raised  # what officials did stays


def test_a_withdrawn_worker_with_an_open_alert_keeps_their_details(session: Session) -> None:
    who = _enrol(session, "Ani")
    alerts.raise_alert(session, who, alerts.AlertKind.SOS, "SOS di Johor", NOW - DAY)
    service.withdraw(session, who, "tidak mau dipantau lagi")
    assert purge(session, NOW, POLICY).workers_erased == 0
    session.refresh(who)
    assert who.phone == "+60123456"  # the embassy may still need to reach them


def test_zone_events_go_when_their_retention_ends(session: Session) -> None:
    who = _enrol(session, "Ani")
    _zone_around(session, who)
    _track(session, who, "a")
    assert purge(session, NOW, POLICY).zone_events == 0
    later = NOW + 400 * DAY
    assert purge(session, later, POLICY).zone_events == 3


def test_settled_agency_events_go_and_pending_or_held_ones_stay(session: Session) -> None:
    exchange.subscribe(session, KEMLU, name="kjri", transport="webhook",
                       kinds=["case.opened"], url="https://kjri.example.org/events")  # fmt: skip
    made = [cases.report(session, {"channel": "hotline", "summary": f"laporan {n}"}, WORKER).case
            for n in range(3)]  # fmt: skip
    session.execute(update(ExchangeEvent).values(occurred_at=NOW - 200 * DAY))
    settled, pending, held = made
    for case, status in ((settled, "delivered"), (held, "dead")):
        session.execute(
            update(Delivery)
            .where(Delivery.event_id.in_(
                select(ExchangeEvent.id).where(ExchangeEvent.subject == f"case:{case.id}")))
            .values(status=status)
        )  # fmt: skip
    holds.place(session, "case", held.id, "bukti", "LP/2", "penyidik1", "polri")
    assert purge(session, NOW, POLICY).exchange_events == 1
    left = set(session.scalars(select(ExchangeEvent.subject)))
    assert left == {f"case:{pending.id}", f"case:{held.id}"}
    assert session.scalar(select(func.count(Delivery.id))) == 2


def _screened(session: Session, days_ago: int, reference: str) -> int:
    fields = ScreeningIn.model_validate({
        "id": reference,
        "person": {"full_name": "Budi Santoso", "sex": "M", "nik": "3201010204980003"},
        "trip": {"destination_country": "KH", "visa_type": "tourist", "purpose": "work"},
        "job_offer": {"text": "Admin online Rp 20 juta, hubungi 0812-3456-7890 di Telegram",
                      "channel": "telegram"},
    })  # fmt: skip
    made = screening.screen_at_desk(session, fields, OFFICER)
    made.screened_at = NOW - days_ago * DAY
    session.flush()
    return made.id


def test_screenings_are_erased_after_their_retention_or_with_their_case(
    session: Session,
) -> None:
    old, recent = _screened(session, 800, "BDG-1"), _screened(session, 10, "BDG-2")
    referred = _screened(session, 800, "BDG-3")
    _, referral = screening.decide(session, referred, "refer", "tawaran mencurigakan", OFFICER)
    assert referral is not None
    report = purge(session, NOW, POLICY)
    assert report.screenings_erased == 1  # the referred one waits for its case
    gone, kept = session.get(Screening, old), session.get(Screening, recent)
    assert gone is not None
    assert kept is not None
    assert (gone.request, gone.reference) == ({}, ERASED)
    assert gone.indicators  # the codes stay, for the statistics ...
    assert {h["evidence"] for h in gone.indicators} == {ERASED}  # ... not what was quoted
    assert "0812" not in str(gone.indicators)
    assert (gone.score, gone.band) == (kept.score, kept.band)
    assert kept.request["person"]["full_name"] == "Budi Santoso"
    with pytest.raises(ConflictError, match="erased when its retention ended"):
        screening.decide(session, old, "proceed", "sudah lama", OFFICER)
    case = session.scalars(select(Case).where(Case.screening_referral_id == referral.id)).one()
    cases.move(session, case.id, "close", "tidak terbukti", WORKER, CloseReason.UNFOUNDED)
    case.state_since = NOW - 4000 * DAY
    session.flush()
    assert purge(session, NOW, POLICY).screenings_erased == 1  # with its case
    with_case = session.get(Screening, referred)
    assert with_case is not None
    assert with_case.request == {}
    session.refresh(referral)
    assert (referral.reason, referral.evidence) == (ERASED, [])
