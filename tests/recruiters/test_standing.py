"""Standing and fronts, each finding explained."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from lindungi.recruiters.models import Recruiter
from lindungi.recruiters.standing import recruiter_standing

TODAY = dt.date(2026, 11, 30)  # the registry's expiry dates are fixed around this day


def test_a_licensed_company_by_licence_number(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    standing = recruiter_standing(session, licence_no="kep.101/pptkln/2020", today=TODAY)
    assert standing.verdict == "licensed"
    assert [(m.name, m.status, m.matched_by) for m in standing.matches] == [
        ("PT Maju Jaya Abadi", "active", "licence_no")
    ]
    assert standing.findings == ()


def test_a_name_with_a_typo_still_finds_the_company(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    standing = recruiter_standing(session, name="Maju Jaja Abadi, PT", today=TODAY)
    assert standing.verdict == "licensed"
    assert standing.matches[0].name == "PT Maju Jaya Abadi"
    assert standing.matches[0].matched_by == "name (similar)"


def test_revoked_and_expired_are_said_so(session: Session, registry: dict[str, Recruiter]) -> None:
    assert recruiter_standing(session, name="PT. CAHAYA TIMUR", today=TODAY).verdict == "revoked"
    assert recruiter_standing(session, name="CV Lama Sekali", today=TODAY).verdict == "expired"
    assert (
        recruiter_standing(session, name="PT Tidak Ada Sama Sekali", today=TODAY).verdict
        == "unknown"
    )


def test_a_front_is_found_with_the_path_that_explains_it(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    standing = recruiter_standing(session, name="PT Cahaya Timur Baru", today=TODAY)
    assert standing.verdict == "licensed"  # its own licence is fine ...
    front, old = registry["front"].id, registry["old"].id
    by_code = {f.code: f for f in standing.findings}
    assert set(by_code) == {
        "shares_phone_with_revoked",
        "shares_director_with_revoked",
        "phone_recruits_for_many_names",
    }
    phone = by_code["shares_phone_with_revoked"]
    assert phone.path == (f"recruiter:{front}", "phone:+62 813 2222 3333", f"recruiter:{old}")
    assert phone.explanation == (
        "shares phone +62 813 2222 3333 with PT Cahaya Timur, revoked "
        f"{dt.datetime.now(dt.UTC).date().isoformat()}"
    )
    director = by_code["shares_director_with_revoked"]
    assert director.explanation.startswith("shares a director with PT Cahaya Timur, revoked ")
    assert "Hendra" not in director.explanation
    assert by_code["phone_recruits_for_many_names"].explanation == (
        "phone +62 813 2222 3333 recruits for 3 names"
    )


def test_a_phone_points_to_every_name_behind_it(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    standing = recruiter_standing(session, phone="0813 2222 3333", today=TODAY)
    assert sorted((m.name for m in standing.matches), key=str.lower) == [
        "Pak Budi",
        "PT Cahaya Timur",
        "PT Cahaya Timur Baru",
    ]
    assert standing.verdict == "revoked"
    assert {m.status for m in standing.matches if m.name == "Pak Budi"} == {"unlicensed"}


def test_the_name_index_sees_a_company_registered_after_it_was_built(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    from lindungi.recruiters import service

    assert recruiter_standing(session, name="Samudra Birru", today=TODAY).verdict == "unknown"
    service.create_licensed_recruiter(
        session, name="PT Samudra Biru", licence_no="KEP.300/PPTKLN/2026", status="active",
        valid_until=dt.date(2029, 1, 1), actor="kemnaker.lisa", reason="new licence",
    )  # fmt: skip
    found = recruiter_standing(session, name="Samudra Birru", today=TODAY)
    assert (found.verdict, found.matches[0].name) == ("licensed", "PT Samudra Biru")
