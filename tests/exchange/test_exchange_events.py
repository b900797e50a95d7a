"""Domain events: each module's change writes its event in the same transaction (a rolled
back change leaves none), the subscriptions that want it get a pending delivery, and
what an agency may subscribe to stays within its mandate (both databases for storage)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.cases import handoffs
from lindungi.cases import service as cases
from lindungi.cases.identification import Facts
from lindungi.cases.workflow import Determination
from lindungi.errors import InvalidInputError, PermissionDeniedError
from lindungi.exchange import catalogue, service
from lindungi.exchange.models import Delivery, ExchangeEvent
from lindungi.recruiters import service as registry_service
from lindungi.recruiters.models import Recruiter

WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
KEMLU_ADMIN = Principal.of(2, "admin.kemlu", "kemlu", ("admin",), None)
POLRI_ADMIN = Principal.of(3, "admin.polri", "polri", ("admin",), None)
HOOK = "http://127.0.0.1:9/hook"


def _events(session: Session, kind: str | None = None) -> list[ExchangeEvent]:
    query = select(ExchangeEvent).order_by(ExchangeEvent.id)
    if kind is not None:
        query = query.where(ExchangeEvent.kind == kind)
    return list(session.scalars(query))


def test_a_case_s_life_emits_its_events_in_order(session: Session) -> None:
    made = cases.report(session, {"channel": "hotline", "summary": "ditahan di kompleks",
                                  "country": "KH", "full_name": "Siti Rahma"}, WORKER)  # fmt: skip
    cid = made.case.id
    cases.move(session, cid, "verify", "keluarga mengonfirmasi", WORKER)
    cases.identify(session, cid, _facts(), Determination.VICTIM, "wawancara", WORKER)
    handoffs.refer(session, cid, {"service": "legal_aid", "to_agency": None,
                                  "to_organisation": "LBH Jakarta", "consent": True,
                                  "note": "pendampingan hukum"}, WORKER)  # fmt: skip
    got = [(e.kind, e.subject) for e in _events(session)]
    assert got == [
        ("case.opened", f"case:{cid}"), ("case.stage_changed", f"case:{cid}"),
        ("case.identified", f"case:{cid}"), ("case.referred", f"case:{cid}"),
    ]  # fmt: skip
    opened, moved = _events(session)[:2]
    # No identity of the person ever travels in a case event.
    assert "full_name" not in opened.data
    assert opened.data == {"case_id": cid, "agency": "bp2mi", "channel": "hotline",
                           "state": "reported", "country": "KH"}  # fmt: skip
    assert moved.data["from_state"] == "reported"
    assert moved.data["to_state"] == "verified"
    assert moved.actor == "pendamping1"
    assert moved.source_agency == "bp2mi"


def _facts() -> Facts:
    return Facts(indicators=frozenset({"retention_of_documents"}),
                       acts=frozenset({"recruitment"}), means=frozenset({"deception"}),
                       purposes=frozenset({"forced_criminality"}), child=False)  # fmt: skip


def test_a_change_rolled_back_leaves_no_event(session: Session) -> None:
    before = session.scalar(select(func.count(ExchangeEvent.id)))
    savepoint = session.begin_nested()
    cases.report(session, {"channel": "hotline", "summary": "x"}, WORKER)
    assert session.scalar(select(func.count(ExchangeEvent.id))) == (before or 0) + 1
    savepoint.rollback()
    assert session.scalar(select(func.count(ExchangeEvent.id))) == before


def test_subscribers_get_a_pending_delivery_of_the_kinds_they_asked_for(session: Session) -> None:
    alerts_only = service.subscribe(
        session,
        KEMLU_ADMIN,
        name="pusat komando",
        transport="webhook",
        kinds=["alert.raised"],
        url=HOOK,
    )
    cases_too = service.subscribe(session, KEMLU_ADMIN, name="kasus", transport="webhook",
                                  kinds=["case.opened"], url=HOOK)  # fmt: skip
    made = cases.report(session, {"channel": "family", "summary": "anak tidak bisa dihubungi"},
                        WORKER)  # fmt: skip
    [event] = [e for e in _events(session, "case.opened") if e.data["case_id"] == made.case.id]
    deliveries = list(session.scalars(select(Delivery).where(Delivery.event_id == event.id)))
    assert [(d.subscription_id, d.status) for d in deliveries] == [(cases_too.id, "pending")]
    assert alerts_only.id not in {d.subscription_id for d in deliveries}
    service.end(session, cases_too.id, KEMLU_ADMIN)
    cases.report(session, {"channel": "family", "summary": "lagi"}, WORKER)
    assert session.scalar(select(func.count(Delivery.id))) == 1  # ended: nothing new


def test_a_licence_sanction_is_an_event_and_an_unchanged_status_is_not(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    licence = registry["good"].licences[0]
    why = "mengirim pekerja dengan visa turis"
    assert registry_service.set_licence_status(session, licence, "suspended", reason=why,
                                               actor="kemnaker.lisa")  # fmt: skip
    assert not registry_service.set_licence_status(session, licence, "suspended", reason=why,
                                                   actor="kemnaker.lisa")  # fmt: skip
    [event] = [e for e in _events(session, "licence.sanctioned")
               if e.data["licence_no"] == "KEP.101/PPTKLN/2020"]  # fmt: skip
    assert event.source_agency == "kemnaker"
    assert event.data["from_status"] == "active"
    assert event.data["to_status"] == "suspended"
    assert event.data["recruiter_name"] == "PT Maju Jaya Abadi"


def test_an_event_may_carry_only_the_fields_its_kind_declares(session: Session) -> None:
    with pytest.raises(ValueError, match="does not declare the fields nik"):
        service.emit(session, "case.opened", subject="case:1", source_agency="bp2mi",
                     actor="x", data={"case_id": 1, "nik": "3201010101900001"})  # fmt: skip
    with pytest.raises(ValueError, match=r"unknown event kind 'case\.deleted'"):
        service.emit(session, "case.deleted", subject="case:1", source_agency="bp2mi",
                     actor="x", data={})  # fmt: skip


@pytest.mark.parametrize(
    ("agency", "kinds", "fields", "error", "message"),
    [
        ("kemlu", ["screening.referred"], {"screening.referred": ["band", "nik", "full_name"]},
         PermissionDeniedError, "agency kemlu's mandate does not cover the fields "
         "screening.referred.nik, screening.referred.full_name"),
        ("polri", ["person.linked", "case.opened"], None, PermissionDeniedError,
         "agency polri has no mandate for the events person.linked, case.opened"),
        ("kemlu", ["case.deleted"], None, InvalidInputError,
         "kinds: unknown event kinds case.deleted"),
        ("kemlu", ["case.opened"], {"case.opened": ["shoe_size"]}, InvalidInputError,
         "fields: case.opened has no fields shoe_size"),
        ("kemlu", ["case.opened"], {"alert.raised": ["kind"]}, InvalidInputError,
         "fields: given for kinds not asked for: alert.raised"),
        ("kemlu", [], None, InvalidInputError, "kinds: name at least one event kind"),
    ],
)  # fmt: skip
def test_a_grant_beyond_the_mandate_is_refused_naming_every_field(
    agency: str, kinds: list[str], fields: dict[str, list[str]] | None,
    error: type[Exception], message: str,
) -> None:  # fmt: skip
    with pytest.raises(error) as refused:
        catalogue.grant(agency, kinds, fields)
    assert str(refused.value).startswith(message)


def test_a_grant_within_the_mandate_keeps_the_catalogue_order() -> None:
    granted = catalogue.grant("kemlu", ["alert.raised", "case.opened"],
                              {"case.opened": ["country", "case_id"]})  # fmt: skip
    assert granted == {"alert.raised": catalogue.EVENTS["alert.raised"].fields,
                       "case.opened": ("case_id", "country")}  # fmt: skip
    assert catalogue.view({"case_id": 4, "agency": "bp2mi", "country": "KH"},
                          granted["case.opened"]) == {"case_id": 4, "country": "KH"}  # fmt: skip


def test_every_mandate_names_real_kinds_and_fields_and_only_bp2mi_gets_identity() -> None:
    identity = {"full_name", "nik", "passport_no", "birth_date"}
    for agency, kinds in catalogue.MANDATES.items():
        for kind, fields in kinds.items():
            assert set(fields) <= set(catalogue.EVENTS[kind].fields), (agency, kind)
            if agency != "bp2mi":
                assert not identity & set(fields), (agency, kind)


def test_a_webhook_needs_a_url_and_production_takes_https_only(session: Session) -> None:
    with pytest.raises(InvalidInputError, match="url: a webhook subscription needs"):
        service.subscribe(session, KEMLU_ADMIN, name="x", transport="webhook",
                          kinds=["case.opened"])  # fmt: skip
    with pytest.raises(InvalidInputError, match="production takes https only"):
        service.subscribe(session, KEMLU_ADMIN, name="x", transport="webhook",
                          kinds=["case.opened"], url=HOOK, production=True)  # fmt: skip
    made = service.subscribe(session, KEMLU_ADMIN, name="x", transport="webhook",
                             kinds=["case.opened"], url="https://kemlu.example/hook",
                             production=True)  # fmt: skip
    assert made.secret is not None
    assert made.secret.startswith("whsec_")
    assert made.created_at <= dt.datetime.now(dt.UTC)
