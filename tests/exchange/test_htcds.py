"""The HTCDS v2.0 export: a case in the standard's columns and picklist values, gender
from the NIK, nothing that names a person ever written, k-anonymous for random cases, and
the demo's cases exported from both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lindungi.cases.models import Case
from lindungi.demo.generator import generate
from lindungi.demo.service import load, load_cases
from lindungi.errors import InvalidInputError
from lindungi.exchange.htcds import CaseFacts, export, row
from lindungi.exchange.htcds_fields import COLUMNS, DIRECT_IDENTIFIERS, QUASI_IDENTIFIER_COLUMNS
from lindungi.exchange.htcds_service import case_facts, export_htcds
from lindungi.people.nik import build_nik
from lindungi.screening.models import Referral, Screening

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
OPENED = dt.datetime(2025, 3, 14, 9, 0, tzinfo=dt.UTC)
BIRTH = dt.date(1996, 7, 2)
WOMAN, MAN = build_nik("32.76.01", BIRTH, "F", 7), build_nik("73.71.01", BIRTH, "M", 8)


def _facts(**changes: object) -> CaseFacts:
    base = CaseFacts(opened_at=OPENED, state="verified", channel="hotline", country="KH",
                     city="Bavet")  # fmt: skip
    return CaseFacts(**(base.__dict__ | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"nik": WOMAN}, {"gender": "Feminine", "age": 28}),
        ({"nik": MAN}, {"gender": "Masculine", "age": 28}),
        ({"nik": "1234"}, {"gender": "NonSpecifiedUnknown", "age": -1}),
        ({"birth_date": dt.date(2000, 3, 15)}, {"gender": "NonSpecifiedUnknown", "age": 24}),
        ({"nik": MAN, "birth_date": dt.date(2000, 3, 14)}, {"gender": "Masculine", "age": 25}),
        ({"determination": "potential_victim"},
         {"vic_TraffickingStatus": "ActualVictimOfTrafficking",
          "vic_TraffickingStatusDecisionMakingOrg": "NonPoliceGovernmentalOrganization"}),
        ({"determination": "potential_victim", "determination_agency": "polri"},
         {"vic_TraffickingStatusDecisionMakingOrg": "Police"}),
        ({"determination": "potential_victim", "legal_stage": "convicted"},
         {"vic_TraffickingStatus": "ActualVictimOfTrafficking",
          "vic_TraffickingStatusDecisionMakingOrg": "CourtOrProsecution"}),
        ({"determination": "not_victim"},
         {"vic_TraffickingStatus": "NotAVictimOfTrafficking"}),
        ({}, {"vic_TraffickingStatus": "PossibleVictimOfTrafficking",
              "vic_TraffickingStatusDecisionMakingOrg": "", "cas_Status": "Active"}),
        ({"recruitment_channel": "tiktok"},
         {"recruitment": ("TikTok", "ThroughOnlineSocialNetworks")}),
        ({"recruitment_channel": "friend"}, {"recruitment": ("", "ThroughFriendsOrSocialEvents")}),
        ({"purposes": ("forced_criminality", "forced_labour"), "child": True},
         {"vic_TypeOfExploitation": "ForcedLabour;ChildLabour;Other"}),
        ({"indicators": ("retention_of_documents", "deception"), "means": ("debt_bondage",)},
         {"vic_MethodsOfControl": "DebtBondage;FalsePromises;WithholdsDocuments"}),
        ({"services": ("legal_aid", "psychosocial", "medical")},
         {"spl_Type": "Health;Legal", "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired"}),
        ({"state": "closed", "services": ("case_transfer",)},
         {"cas_Status": "ClosedReferred", "cas_ReasonForOutgoingReferral":
          "MigrationOrChangeOfLocation"}),
        ({"state": "reintegration"}, {"cas_Status": "FollowUp"}),
        ({"channel": "foreign_authority"}, {"org_Type": "LawEnforcement"}),
        ({"country": " kh ", "city": "  Phnom   Penh "},
         {"place of exploitation": ("KH", "Phnom Penh"), "hte_Type": "Exploitation"}),
        ({"country": None, "city": "Bavet"}, {"place of exploitation": ("", ""), "hte_Type": ""}),
        ({}, {"month reported": "2025-03", "citizenship": "ID"}),
    ],
)  # fmt: skip
def test_a_case_in_the_standards_terms(
    changes: dict[str, object], expected: dict[str, object]
) -> None:
    got = row(_facts(**changes))
    assert {key: got[key] for key in expected} == expected


def _standard() -> dict[str, set[str]]:
    with (SHARED / "htcds_v2_fields.csv").open(encoding="utf-8") as file:
        return {r["Field Name including Prefix"]: set(r["Value Names (if picklist)"].split("|"))
                for r in csv.DictReader(file) if r["Field Name including Prefix"] != "N/A"}  # fmt: skip


@pytest.mark.skipif(not SHARED.is_dir(), reason="the standard's field list is in ../shared")
def test_the_columns_and_values_are_the_standards() -> None:
    standard = _standard()
    assert set(COLUMNS) <= set(standard)
    assert not set(COLUMNS) & set(DIRECT_IDENTIFIERS)
    assert set(DIRECT_IDENTIFIERS) <= set(standard)
    cases = [_facts(nik=WOMAN if i % 2 else MAN, determination="potential_victim",
                    recruitment_channel="tiktok", purposes=("forced_labour",),
                    indicators=("deception", "debt_bondage"), services=("medical",))
             for i in range(30)]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(export(cases, k=5).csv())))
    picklists = [c for c in COLUMNS if len(standard[c]) > 1]
    assert "vic_MethodsOfControl" in picklists
    for r in rows:
        for column in picklists:
            assert set(r[column].split(";")) - {"", "*"} <= standard[column], (column, r[column])


person = st.tuples(
    st.dates(dt.date(1960, 1, 1), dt.date(2007, 12, 31)),
    st.sampled_from(("M", "F")),
    st.sampled_from(("KH", "MM", "MY", "TW")),
    st.sampled_from(("Bavet", '=HYPERLINK("x")', "Myawaddy", "")),
    st.integers(min_value=0, max_value=700),
)


@given(people=st.lists(person, min_size=2, max_size=80), k=st.integers(2, 25))
def test_random_cases_export_k_anonymous_and_without_identifiers(
    people: list[tuple[dt.date, str, str, str, int]], k: int
) -> None:
    cases = [_facts(nik=build_nik("32.76.01", birth, sex, i + 1), birth_date=birth,
                    country=country, city=city, opened_at=OPENED + dt.timedelta(days=day))
             for i, (birth, sex, country, city, day) in enumerate(people)]  # fmt: skip
    if k > len(cases):
        with pytest.raises(ValueError, match=f"k={k} is larger than the population of"):
            export(cases, k)
        return
    text = export(cases, k).csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0].split(",") == list(COLUMNS)
    counts = Counter(tuple(r[c] for c in QUASI_IDENTIFIER_COLUMNS) for r in rows)
    assert all(n >= k for n in counts.values())
    for case in cases:
        assert case.nik is not None
        assert case.nik not in text
        assert case.birth_date is not None
        assert case.birth_date.isoformat() not in text
    assert not any(r["hte_City"].startswith("=") for r in rows)


SCENARIO = generate(seed=7, people=20)


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[Session]:
    """The demo's cases, loaded once for this module and rolled back at the end."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection) as session:
            load(session, SCENARIO)
            load_cases(session, SCENARIO)
            yield session
        outer.rollback()


def test_the_demo_cases_export_as_one_group_of_twelve(demo: Session) -> None:
    made = export_htcds(demo, k=11)
    assert made.report.summary() | {"levels": None, "loss": None} == {
        "k": 11, "population": 12, "exported": 12, "suppressed": 0, "max_suppression": 0.05,
        "classes": 1, "smallest_class": 12, "levels": None, "loss": None}  # fmt: skip
    text = made.csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["hte_Country"], r["hte_City"]) for r in rows} == {("South-eastern Asia", "*")}
    assert Counter(r["vic_TraffickingStatus"] for r in rows) == {
        "ActualVictimOfTrafficking": 6, "PossibleVictimOfTrafficking": 5,
        "NotAVictimOfTrafficking": 1}  # fmt: skip
    assert Counter(r["vic_TraffickingStatusDecisionMakingOrg"] for r in rows) == {
        "NonPoliceGovernmentalOrganization": 6, "": 5, "CourtOrProsecution": 1}  # fmt: skip
    assert Counter(r["cas_Status"] for r in rows) == {"Active": 9, "Closed": 2, "FollowUp": 1}
    assert sum("Health" in r["spl_Type"] for r in rows) == 6
    for person in SCENARIO.people:
        assert person.nik not in text
        assert person.full_name not in text
    assert "Sihanoukville" not in text
    assert "cerita" not in text.lower()
    assert "sintetis" not in text


def test_the_demo_at_a_smaller_k_keeps_more_detail(demo: Session) -> None:
    made = export_htcds(demo, k=2, max_suppression=0.2)
    levels = {c.name: c.level for c in made.report.levels}
    assert sum(levels.values()) < sum(len(h) - 1 for h in (
        ("value", "*"), ("y", "5", "10", "*"), ("v", "*"), ("c", "c", "r", "*"),
        ("v", "c", "*"), ("m", "q", "y", "*")))  # fmt: skip
    assert made.report.exported + made.report.suppressed == 12
    assert made.report.smallest_class >= 2


def test_k_above_the_number_of_cases_is_refused(demo: Session) -> None:
    with pytest.raises(InvalidInputError, match="k=13 is larger than the population of 12"):
        export_htcds(demo, k=13)
    with pytest.raises(InvalidInputError, match="k=11 is larger than the population of 0"):
        export_htcds(demo, k=11, since=dt.date(2001, 1, 1), until=dt.date(2001, 12, 31))
    with pytest.raises(InvalidInputError, match="until 2001-01-01 comes before since 2002-01-01"):
        export_htcds(demo, k=11, since=dt.date(2002, 1, 1), until=dt.date(2001, 1, 1))


def test_the_recruitment_channel_comes_from_the_screening_that_referred_the_case(
    demo: Session,
) -> None:
    savepoint = demo.begin_nested()  # the demo module's other tests do not see this case
    try:
        _screened_case(demo)
        found = list(case_facts(demo, since=dt.date(2025, 6, 1), until=dt.date(2025, 6, 1)))
        assert [(f.recruitment_channel, f.channel) for f in found] == [
            ("tiktok", "screening_referral")]  # fmt: skip
        assert row(found[0])["org_Type"] == "ImmigrationService"
        assert list(case_facts(demo, since=dt.date(2025, 6, 2), until=dt.date(2025, 6, 3))) == []
    finally:
        savepoint.rollback()


def _screened_case(session: Session) -> None:
    screening = Screening(reference="T-1", request={"job_offer": {"channel": "tiktok"}}, score=80,
                          band="high", action="refer", indicators=[], rulebook="test",
                          agency="imigrasi", screened_by="petugas1")  # fmt: skip
    session.add(screening)
    session.flush()
    referral = Referral(screening_id=screening.id, reason="tawaran kerja palsu", evidence=[],
                        created_by="petugas1", from_agency="imigrasi")  # fmt: skip
    session.add(referral)
    session.flush()
    session.add(Case(tracking_no="SCR-0001", secret_hash="x", channel="screening_referral",
                     state="reported", agency="bp2mi", summary="dari pemeriksaan",
                     created_by="t", screening_referral_id=referral.id,
                     created_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)))  # fmt: skip
    session.flush()
