"""A test table per SOP indicator: a case where it fires (with the evidence it must cite)
and cases where it must stay silent; plus the scoring rule of the rulebook."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lindungi.screening.case import Case, Mode, RegistryCheck
from lindungi.screening.indicators import FUNCTIONS
from lindungi.screening.offer_text import analyse_offer
from lindungi.screening.rulebook import RulebookError, default_rulebook, parse
from lindungi.screening.schemas import ScreeningIn

TODAY = dt.date(2026, 12, 1)
SCAM_TEXT = (
    "LOWKER ADMIN ONLINE KAMBOJA gaji 15jt/bln, tanpa pengalaman, tiket PP ditanggung, "
    "berangkat cepat! minat japri WA 0812-3456-7890"
)
LAWFUL_TEXT = (
    "Penempatan resmi PMI ke Taiwan melalui P3MI berizin Kemnaker, operator produksi pabrik "
    "elektronik, gaji NT$ 27.470/bulan, visa kerja, daftar via SISKOP2MI"
)
REVOKED = RegistryCheck("recruiter 'PT Gelap'", "revoked", ("PT Gelap Jaya (revoked)",))
LICENSED = RegistryCheck("recruiter 'PT Terang'", "licensed", ("PT Terang (licensed)",))
UNKNOWN = RegistryCheck("recruiter 'Pak Budi'", "unknown")
AGENT = RegistryCheck("recruiter 'Bu Sari'", "unknown", ("Sari (unlicensed)",), individual=True)
FRONT = RegistryCheck(
    "recruiter 'PT Baru'", "licensed", ("PT Baru (licensed)",),
    fronts=("shares phone +62215550000 with PT Gelap Jaya, revoked 2025-01-01",),
)  # fmt: skip
SUSPENDED = RegistryCheck("recruiter 'PT Beku'", "suspended", ("PT Beku (suspended)",))
EXPIRED = RegistryCheck("recruiter 'PT Lama'", "expired", ("PT Lama (expired)",))


def case(
    data: dict[str, Any] | None = None,
    *,
    mode: Mode = "departure",
    registry: tuple[RegistryCheck, ...] = (),
    identity: tuple[tuple[str, str], ...] = (),
) -> Case:
    request = ScreeningIn.model_validate({"id": "T", **(data or {})})
    text = request.job_offer.text if request.job_offer else None
    return Case(request, mode, analyse_offer(text) if text else None, registry, identity, TODAY)


def offer(text: str) -> dict[str, Any]:
    return {"job_offer": {"text": text}}


TOURIST_WORK = {"trip": {"visa_type": "tourist", "purpose": "work"}}
# (code, case, cited evidence or None when the indicator must not fire)
TABLE: list[tuple[str, Case, str | None]] = [
    ("minor_for_work", case({"person": {"birth_date": "2010-03-01"}, "trip": {
        "purpose": "work", "departure_date": "2026-12-10"}}), "aged 16"),
    ("minor_for_work", case({"person": {"birth_date": "2008-12-09"}, "trip": {
        "purpose": "work", "departure_date": "2026-12-10"}}), None),  # 18 the day before
    ("minor_for_work", case({"person": {"birth_date": "2012-01-01"}, "trip": {
        "purpose": "tourism"}}), None),  # a child on holiday
    ("visa_not_for_work", case(TOURIST_WORK), "visa_type tourist with purpose work"),
    ("visa_not_for_work", case({"trip": {"visa_type": "visa_on_arrival"}, **offer("admin")}),
     "a job offer"),
    ("visa_not_for_work", case({"trip": {"visa_type": "work", "purpose": "work"}}), None),
    ("visa_not_for_work", case({"trip": {"visa_type": "tourist", "purpose": "tourism"}}), None),
    ("business_visa_for_work", case({"trip": {"visa_type": "business", "purpose": "work"}}),
     "business"),
    ("business_visa_for_work", case({"trip": {"visa_type": "business",
                                              "purpose": "business"}}), None),
    ("no_placement_channel", case({"job_offer": {"country": "KH"}}), "Cambodia"),
    ("no_placement_channel", case({"trip": {"destination_country": "MM", "purpose": "work"}}),
     "Myanmar"),
    ("no_placement_channel", case({"trip": {"destination_country": "KH",
                                            "purpose": "tourism"}}), None),
    ("no_placement_channel", case({"job_offer": {"country": "TW"}}), None),
    ("moratorium_destination", case({"job_offer": {"position": "ART", "country": "SA"}}),
     "domestic work in SA"),
    ("moratorium_destination", case({"job_offer": {"position": "ART", "country": "TW"}}), None),
    ("moratorium_destination", case({"job_offer": {"position": "sopir", "country": "SA"}}),
     None),
    ("compound_area", case({"trip": {"destination_city": "Sihanoukville"}}), "Sihanoukville"),
    ("compound_area", case(offer("kerja di Bavet, gaji besar")), "Bavet"),
    ("compound_area", case({"trip": {"destination_city": "Siem Reap"}}), None),
    ("salary_implausible", case({"job_offer": {"salary_idr_month": 15_000_000,
                                               "position": "admin online"}}), "Rp 15.000.000"),
    ("salary_implausible", case({"job_offer": {"salary_idr_month": 9_000_000,
                                               "position": "admin"}}), None),
    ("salary_implausible", case({"job_offer": {"salary_idr_month": 15_000_000,
                                               "position": "admin", "country": "JP"}}), None),
    ("salary_implausible", case({"trip": {"visa_type": "work"}, "job_offer": {
        "salary_idr_month": 15_000_000, "position": "admin"}}), None),  # lawful channel
    ("salary_implausible", case({"job_offer": {"salary_idr_month": 25_000_000,
                                               "position": "operator produksi"}}), None),
    ("social_media_recruitment", case({"job_offer": {"channel": "telegram"}}), "telegram"),
    ("social_media_recruitment", case({"job_offer": {"channel": "agency"}}), None),
    ("urgency", case(offer("berangkat cepat, slot terbatas")), "offer says"),
    ("urgency", case(offer(LAWFUL_TEXT)), None),
    ("secrecy", case(offer("nanti di bandara bilang aja liburan ya")), "bilang"),
    ("secrecy", case(offer(SCAM_TEXT)), None),
    ("passport_retention", case(offer("paspor disimpan perusahaan selama kontrak")),
     "paspor"),
    ("passport_retention", case(offer(LAWFUL_TEXT)), None),
    ("penalty_or_debt", case(offer("kalau resign sebelum 6 bulan kena denda $3000")),
     "denda"),
    ("penalty_or_debt", case(offer(LAWFUL_TEXT)), None),
    ("worker_pays_fees", case(offer("biaya proses Rp 15.000.000 dibayar di muka")),
     "offer asks the worker to pay"),
    ("worker_pays_fees", case(offer(LAWFUL_TEXT)), None),
    ("scam_or_gambling_work", case(offer("tugas cari member untuk trading crypto")),
     "offer says"),
    ("scam_or_gambling_work", case(offer(LAWFUL_TEXT)), None),
    ("excessive_hours", case(offer("kerja 14 jam/hari, libur 1x sebulan")), "14 hours"),
    ("excessive_hours", case(offer("kerja 8 jam sehari")), None),
    ("free_travel_without_work_visa", case({"trip": {"ticket_paid_by": "recruiter",
                                                     "visa_type": "tourist"}}), "recruiter"),
    ("free_travel_without_work_visa", case({"trip": {"ticket_paid_by": "employer",
                                                     "visa_type": "work"}}), None),
    ("free_travel_without_work_visa", case(offer(SCAM_TEXT)), "offer says"),
    ("free_travel_without_work_visa", case({"trip": {"ticket_paid_by": "employer",
     "visa_type": "business", "purpose": "business"}}), None),  # a business trip
    ("visa_not_for_work", case(offer("admin travel umroh di Makassar, urus visa umroh"),
                               mode="offer"), None),  # a job at home
    ("salary_implausible", case(offer("marketing online di Bekasi gaji 15jt"), mode="offer"),
     None),  # a job at home
    ("one_way_short_stay", case({"trip": {"return_ticket": False, "visa_type": "tourist"}}),
     "no return ticket"),
    ("one_way_short_stay", case({"trip": {"return_ticket": False, "visa_type": "work"}}), None),
    ("ticket_payer_unknown", case({"trip": {"ticket_paid_by": "unknown"}}), "unknown"),
    ("ticket_payer_unknown", case({"trip": {"ticket_paid_by": "family"}}), None),
    ("group_by_recruiter", case({"trip": {"travel_group_size": 6,
                                          "ticket_paid_by": "recruiter"}}), "group of 6"),
    ("group_by_recruiter", case({"trip": {"travel_group_size": 4,
                                          "ticket_paid_by": "family"}}), None),
    ("group_by_recruiter", case({"trip": {"travel_group_size": 14, "visa_type": "work",
                                          "ticket_paid_by": "employer"}}), None),  # a cohort
    ("recruiter_unlicensed", case(registry=(UNKNOWN,)), "no licensed agency"),
    ("recruiter_unlicensed", case(registry=(AGENT,)), "individual agent"),
    ("recruiter_unlicensed", case(registry=(LICENSED,)), None),
    ("recruiter_revoked", case(registry=(REVOKED,)), "PT Gelap Jaya (revoked)"),
    ("recruiter_revoked", case(registry=(SUSPENDED,)), None),
    ("recruiter_suspended", case(registry=(SUSPENDED,)), "PT Beku (suspended)"),
    ("recruiter_suspended", case(registry=(LICENSED,)), None),
    ("recruiter_expired", case(registry=(EXPIRED,)), "expired"),
    ("recruiter_expired", case(registry=(LICENSED,)), None),
    ("recruiter_front", case(registry=(FRONT,)), "shares phone"),
    ("recruiter_front", case(registry=(LICENSED,)), None),
    ("deported_before", case({"history": {"deportations": 1}}), "1 deportation"),
    ("deported_before", case(), None),
    ("overstayed_before", case({"history": {"overstays": 2}}), "2 overstays"),
    ("overstayed_before", case(), None),
    ("refused_before", case({"history": {"prior_refusals": 1}}), "1 prior refusal"),
    ("refused_before", case(identity=(("refused_elsewhere", "refused by kanim_a"),)),
     "kanim_a"),
    ("refused_before", case(), None),
    ("identity_inconsistent", case({"person": {"nik": "3273014506950001",
                                               "birth_date": "1996-06-05"}}), "NIK says"),
    ("identity_inconsistent", case({"person": {"nik": "3273014506950001",
                                               "birth_date": "1995-06-05"}}), None),
    ("identity_inconsistent", case(identity=(("passports", "3 passport numbers"),)),
     "3 passport numbers"),
    ("first_trip_abroad", case({"trip": {"first_trip_abroad": True}}), "first trip"),
    ("first_trip_abroad", case({"trip": {"first_trip_abroad": False}}), None),
    ("risk_destination", case({"trip": {"destination_country": "LA"}}), "Laos"),
    ("risk_destination", case({"trip": {"destination_country": "JP"}}), None),
    ("no_experience_lure", case(offer("tanpa pengalaman, lulusan SMP bisa")), "offer says"),
    ("no_experience_lure", case(offer(LAWFUL_TEXT)), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "subject", "cited"), TABLE, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(TABLE)]
)
def test_indicator(code: str, subject: Case, cited: str | None) -> None:
    evidence = FUNCTIONS[code](subject)
    if cited is None:
        assert evidence is None
    else:
        assert evidence is not None
        assert cited in evidence


def test_every_indicator_has_a_firing_and_a_silent_case() -> None:
    fires = {c for c, _, cited in TABLE if cited is not None}
    silent = {c for c, _, cited in TABLE if cited is None}
    codes = {i.code for i in default_rulebook().indicators}
    assert codes == set(FUNCTIONS)
    assert codes <= fires
    assert codes <= silent


def test_every_indicator_is_documented_in_both_languages() -> None:
    for ind in default_rulebook().indicators:
        assert ind.label_id
        assert ind.label_en
        assert ind.label_id != ind.label_en
        assert ind.description_id
        assert ind.description_en
        assert ind.basis
        assert ind.evidence
        assert ind.test.__doc__, ind.code


def test_weak_signals_alone_never_raise_the_band() -> None:
    book = default_rulebook()
    weak_only = case({"trip": {"destination_country": "KH", "first_trip_abroad": True}},
                     **{})  # fmt: skip
    result = book.evaluate(weak_only)
    assert {h.indicator.code for h in result.hits} == {"risk_destination", "first_trip_abroad"}
    assert (result.score, result.band, result.action) == (0, "low", "proceed")
    # beside a real indicator, they count
    combined = book.evaluate(
        case({"trip": {"destination_country": "KH", "first_trip_abroad": True,
                       "return_ticket": False, "visa_type": "tourist"}})
    )  # fmt: skip
    assert combined.score == 15 + 10 + 5
    assert combined.band == "medium"
    assert combined.action == "interview"


def test_the_full_modus_is_referred_and_a_lawful_placement_proceeds() -> None:
    book = default_rulebook()
    scam = book.evaluate(case({**offer(SCAM_TEXT), "trip": {"visa_type": "tourist"}}))
    assert scam.band == "high"
    assert scam.action == "refer"
    assert scam.score == 100
    codes = [h.indicator.code for h in scam.hits]
    assert codes[0] == "visa_not_for_work"  # strongest first
    lawful = book.evaluate(
        case({**offer(LAWFUL_TEXT), "trip": {"visa_type": "work", "purpose": "work",
                                             "ticket_paid_by": "employer"}})
    )  # fmt: skip
    assert (lawful.score, lawful.band, lawful.hits) == (0, "low", ())


def test_departure_only_indicators_do_not_run_on_offers() -> None:
    result = default_rulebook().evaluate(case({"history": {"deportations": 3}}, mode="offer"))
    assert result.hits == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["indicator"].append(dict(d["indicator"][0])), "defined twice"),
        (lambda d: d["indicator"][0].update(code="nope"), "no function"),
        (lambda d: d["indicator"][0].pop("basis"), "missing basis"),
        (lambda d: d["indicator"][0].update(weight=0), "weight"),
        (lambda d: d.update(medium_from=60), "thresholds"),
    ],
)
def test_a_rulebook_that_does_not_hold_together_is_refused(change: Any, message: str) -> None:
    import tomllib
    from importlib import resources

    data = tomllib.loads(
        resources.files("lindungi.screening").joinpath("rulebook.toml").read_text("utf-8")
    )
    change(data)
    with pytest.raises(RulebookError, match=message):
        parse(data, FUNCTIONS)
