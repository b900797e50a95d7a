"""Screening with the real registry and person index (SQLite and PostgreSQL): what the
other modules answer reaches the indicators, with their explanations; decisions, referrals
and contests are kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Principal
from lindungi.errors import ConflictError, PermissionDeniedError
from lindungi.identity import incremental
from lindungi.identity.ingest import SourceRecord
from lindungi.recruiters.models import Recruiter
from lindungi.screening import service
from lindungi.screening.lookups import Lookups
from lindungi.screening.schemas import OfferIn, ScreeningIn

TODAY = dt.date(2026, 12, 1)
OFFICER = Principal.of(1, "petugas1", "imigrasi", ("officer",), None)


def screen(session: Session, **data: Any) -> dict[str, str]:
    request = ScreeningIn.model_validate({"id": "T-1", **data})
    result = service.evaluate(request, Lookups(session, TODAY))
    return {h.indicator.code: h.evidence for h in result.hits}


@pytest.mark.parametrize(
    ("recruiter", "code", "cited"),
    [
        ({"name": "PT Cahaya Timur", "licence_no": "KEP.102/PPTKLN/2020"},
         "recruiter_revoked", "PT Cahaya Timur (revoked)"),
        ({"name": "PT Cahaya Timur Baru"}, "recruiter_front",
         "shares phone +62 813 2222 3333 with PT Cahaya Timur, revoked"),
        ({"name": "CV Lama Sekali"}, "recruiter_expired", "CV Lama Sekali (expired)"),
        ({"phone": "0813 2222 3333"}, "recruiter_revoked", "revoked"),
        ({"name": "Pak Budi"}, "recruiter_unlicensed", "an individual agent, Pak Budi (unlicensed)"),
        ({"name": "PT Tidak Ada Sama Sekali"}, "recruiter_unlicensed", "no licensed agency"),
    ],
)  # fmt: skip
def test_the_registry_answers_reach_the_indicators(
    session: Session, registry: dict[str, Recruiter], recruiter: dict[str, str], code: str,
    cited: str,
) -> None:  # fmt: skip
    fired = screen(session, recruiter=recruiter, trip={"purpose": "work", "visa_type": "work"})
    assert cited in fired[code]


def test_a_licensed_agency_with_a_work_visa_raises_nothing(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    fired = screen(
        session,
        recruiter={"name": "PT Maju Jaya Abadi", "licence_no": "KEP.101/PPTKLN/2020"},
        trip={"purpose": "work", "visa_type": "work", "destination_country": "TW",
              "ticket_paid_by": "employer", "return_ticket": False},
    )  # fmt: skip
    assert fired == {}


def test_a_phone_in_an_offer_that_belongs_to_a_revoked_agency_is_named(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    offer = OfferIn(id="O-1", text="Lowker admin, info lengkap WA 0813-2222-3333 ya")
    result = service.evaluate_offer(offer, Lookups(session, TODAY))
    fired = {h.indicator.code: h.evidence for h in result.hits}
    assert "PT Cahaya Timur (revoked)" in fired["recruiter_revoked"]
    assert "phone +6281322223333 in the offer" in fired["recruiter_revoked"]
    public = service.evaluate_offer(offer, Lookups(session, TODAY, public=True))
    shown = " ".join(h.evidence for h in public.hits)
    assert "Pak Budi" not in shown  # an individual agent is never named to the public


def _record(record_id: str, name: str, nik: str, **more: Any) -> SourceRecord:
    facts: dict[str, Any] = {"birth_date": None, "sex": None, "passport_no": None,
                             "phone": None, "address": None, "city": None, "postcode": None,
                             "seen_at": None, "outcome": None, **more}  # fmt: skip
    return SourceRecord(source="x", record_id=record_id, line=0, full_name=name,
                        national_id=nik, **facts)  # fmt: skip


def test_cross_agency_signals_come_from_the_person_index(session: Session) -> None:
    nik = "3273014506950001"
    for source, record_id, name, outcome in (
        ("kanim_bandung", "B1", "Rina Marlina", "refused"),
        ("kanim_batam", "T1", "Rina Marlina", "issued"),
        ("disdukcapil", "D1", "Yuliani Pratiwi", None),
    ):
        item = _record(record_id, name, nik, birth_date=dt.date(1995, 6, 5),
                       seen_at=dt.date(2026, 1, 10), outcome=outcome)  # fmt: skip
        incremental.link_record(session, source, item)
    fired = screen(
        session, person={"full_name": "Rina Marlina", "nik": nik, "birth_date": "1995-06-05"}
    )
    assert "2 names" in fired["identity_inconsistent"]
    assert "refused by kanim_bandung" in fired["refused_before"]
    nobody = screen(session, person={"nik": "3273010101900001", "birth_date": "1990-01-01"})
    assert nobody == {}


def test_decide_refer_creates_a_referral_with_the_evidence(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    request = ScreeningIn.model_validate(
        {"id": "D-9", "trip": {"visa_type": "tourist", "purpose": "work",
                               "destination_country": "KH"},
         "recruiter": {"name": "PT Cahaya Timur"}}
    )  # fmt: skip
    screening = service.screen_at_desk(session, request, OFFICER, TODAY)
    assert screening.band == "high"
    assert screening.action == "refer"
    decided, referral = service.decide(session, screening.id, "refer", "tourist visa, KH",
                                       OFFICER)  # fmt: skip
    assert referral is not None
    assert referral.to_agency == "bp2mi"
    assert referral.status == "open"
    assert [e["code"] for e in referral.evidence] == [e["code"] for e in screening.indicators]
    assert service.referrals(session, "open")[0].screening_id == screening.id
    with pytest.raises(ConflictError, match="already decided \\(refer\\) by petugas1"):
        service.decide(session, screening.id, "proceed", "changed my mind", OFFICER)
    contested = service.contest(session, screening.id, "I have a return ticket", OFFICER)
    assert contested.contest == "I have a return ticket"
    assert contested.band == "high"
    other = Principal.of(2, "petugas9", "kemlu", ("officer",), None)
    with pytest.raises(PermissionDeniedError):
        service.get_screening(session, screening.id, other)
    assert decided.decided_by == "petugas1"


def test_a_long_run_keeps_its_caches_bounded_and_its_answers_right(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    lookups = Lookups(session, TODAY, cache_limit=3)
    names = ["PT Cahaya Timur", "PT Maju Jaya Abadi", "CV Lama Sekali", "PT Entah Apa"] * 3
    verdicts = []
    for i, name in enumerate(names):
        request = ScreeningIn.model_validate(
            {"id": str(i), "recruiter": {"name": name},
             "person": {"nik": f"327301010190{i + 1:04d}", "passport_no": f"C00000{i:02d}"}}
        )  # fmt: skip
        lookups.prefetch([request])
        result = service.evaluate(request, lookups)
        verdicts.append(sorted(h.indicator.code for h in result.hits))
        assert len(lookups._standings) <= 3
        assert len(lookups._documents) <= 3
    assert verdicts[:4] == verdicts[4:8] == verdicts[8:]
    assert "recruiter_revoked" in verdicts[0]
    assert verdicts[1] == []


def test_a_batch_reading_the_registry_once_answers_as_the_desk_does(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    asked = [
        {"name": "PT Cahaya Timur"}, {"name": "PT Cahaya Timor"}, {"name": "Pak Budi"},
        {"licence_no": "kep 101/pptkln/2020"}, {"phone": "0813 2222 3333"},
        {"name": "PT Maju Jaya Abadi", "phone": "0813-2222-3333"}, {"name": "CV Lama Sekali"},
        {"name": "Nama Yang Tidak Ada"}, {"name": "PT Cahaya Timur Baru", "licence_no": "X"},
    ]  # fmt: skip
    desk = Lookups(session, TODAY)
    batch = Lookups(session, TODAY, batch=True)
    for recruiter in asked:
        request = ScreeningIn.model_validate({"id": "R", "recruiter": recruiter})
        assert batch.registry(request, None) == desk.registry(request, None), recruiter
