"""Tests for lindungi.demo.generator: a deterministic, plausible, clearly synthetic scenario."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from faker import Faker
from faker.providers.person.id_ID import Provider as IdPersonProvider
from faker.typing import SeedType
from lokal import parse_nik

from lindungi.demo.generator import (
    AGENCY_CODES,
    DemoPerson,
    DemoScenario,
    generate,
)
from lindungi.people.nik import NikFacts, district_codes, nik_facts

REFERENCE_DATE = date(2026, 1, 1)
PHONE = re.compile(r"\+628(11|12|13|21|22|52|53|55|56|57|58|77|78|81|82|95|96|97|98|99)[0-9]{6,9}")
PASSPORT = re.compile(r"[ABCEX][0-9]{7}")
USERNAME = re.compile(r"[a-z0-9._-]+")


@pytest.fixture(scope="module")
def scenario() -> DemoScenario:
    return generate(seed=20231, people=2000, reference_date=REFERENCE_DATE)


def _age(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def test_same_seed_gives_identical_scenario() -> None:
    first = generate(seed=7, people=50)
    second = generate(seed=7, people=50)
    assert first == second
    assert repr(first) == repr(second)


def test_different_seed_gives_different_people_and_passwords() -> None:
    first = generate(seed=7, people=50)
    second = generate(seed=8, people=50)
    assert {p.nik for p in first.people}.isdisjoint(p.nik for p in second.people)
    assert [p.full_name for p in first.people] != [p.full_name for p in second.people]
    assert [p.address for p in first.people] != [p.address for p in second.people]
    assert {u.password for u in first.users}.isdisjoint(u.password for u in second.users)


def test_faker_is_seeded_with_the_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds: list[SeedType | None] = []
    original = Faker.seed_instance

    def spy(self: Faker, seed: SeedType | None = None) -> None:
        seeds.append(seed)
        original(self, seed)

    monkeypatch.setattr(Faker, "seed_instance", spy)
    generate(seed=4242, people=1)
    # people and users; the later users' own Faker; the recruiters' own Faker
    assert seeds == [4242, "lindungi.demo.more:4242", 4243]


def test_smaller_scenario_is_a_prefix_of_a_larger_one() -> None:
    small = generate(seed=3, people=20)
    large = generate(seed=3, people=60)
    assert small.people == large.people[:20]
    assert small.users == large.users


def test_generate_defaults() -> None:
    result = generate()
    assert result.seed == 20231
    assert result.reference_date == date(2026, 1, 1)
    assert len(result.people) == 200
    assert result == generate(20231, 200, date(2026, 1, 1))


@pytest.mark.parametrize("count", [0, 1, 37])
def test_people_count_and_record_ids(count: int) -> None:
    result = generate(seed=11, people=count, reference_date=REFERENCE_DATE)
    assert [p.record_id for p in result.people] == [f"DEMO-P-{i:06d}" for i in range(1, count + 1)]
    assert result.seed == 11
    assert result.reference_date == REFERENCE_DATE
    assert len(result.users) == 13


def test_record_ids_are_zero_padded_in_order(scenario: DemoScenario) -> None:
    assert scenario.people[0].record_id == "DEMO-P-000001"
    assert scenario.people[-1].record_id == "DEMO-P-002000"


@pytest.mark.parametrize("field", ["record_id", "nik", "phone"])
def test_person_identifiers_are_unique(scenario: DemoScenario, field: str) -> None:
    values = [getattr(p, field) for p in scenario.people]
    assert len(set(values)) == len(values) == 2000


def test_passport_numbers_are_unique(scenario: DemoScenario) -> None:
    numbers = [p.passport_no for p in scenario.people if p.passport_no is not None]
    assert len(set(numbers)) == len(numbers)


def test_nik_agrees_with_person(scenario: DemoScenario) -> None:
    codes = set(district_codes())
    for person in scenario.people:
        assert parse_nik(person.nik).valid, person
        facts = nik_facts(person.nik, reference_date=scenario.reference_date)
        assert facts is not None, person
        assert facts == NikFacts(person.nik, facts.district_code, person.birth_date, person.sex)
        assert facts.district_code in codes
        assert person.province_code == person.nik[:2]
        assert person.province_code == facts.district_code[:2]


@pytest.mark.parametrize("reference_date", [date(2026, 1, 1), date(2028, 2, 29)])
def test_ages_are_18_to_55_at_reference_date(reference_date: date) -> None:
    result = generate(seed=5, people=3000, reference_date=reference_date)
    ages = {_age(p.birth_date, reference_date) for p in result.people}
    assert ages == set(range(18, 56))


def test_sex_split_is_about_even(scenario: DemoScenario) -> None:
    counts = Counter(p.sex for p in scenario.people)
    assert set(counts) == {"M", "F"}
    assert 900 <= counts["F"] <= 1100


def test_phone_numbers_are_indonesian_mobile_e164(scenario: DemoScenario) -> None:
    bad = [p.phone for p in scenario.people if not PHONE.fullmatch(p.phone)]
    assert bad == []
    lengths = {len(p.phone) for p in scenario.people}
    assert lengths == {12, 13, 14, 15}  # "+628" plus 8 to 11 digits


def test_passport_numbers_format_and_share(scenario: DemoScenario) -> None:
    numbers = [p.passport_no for p in scenario.people if p.passport_no is not None]
    assert [n for n in numbers if not PASSPORT.fullmatch(n)] == []
    assert 1100 <= len(numbers) <= 1300  # about 60% of 2000
    assert {n[0] for n in numbers} == set("ABCEX")


def test_names_addresses_and_cities_are_filled(scenario: DemoScenario) -> None:
    for person in scenario.people:
        assert person.full_name.strip() == person.full_name != ""
        assert person.address != ""
        assert person.city.startswith(("Kabupaten ", "Kota ")), person.city
    single = sum(" " not in p.full_name for p in scenario.people)
    assert 150 <= single <= 450  # some people have a single name


def test_names_match_sex(scenario: DemoScenario) -> None:
    first_names = {
        "M": set(IdPersonProvider.first_names_male),
        "F": set(IdPersonProvider.first_names_female),
    }
    last_names = {
        "M": set(IdPersonProvider.last_names_male),
        "F": set(IdPersonProvider.last_names_female),
    }
    for person in scenario.people:
        first, *rest = person.full_name.split(" ")
        assert first in first_names[person.sex], person
        assert len(rest) <= 1, person
        if rest:
            assert rest[0] in last_names[person.sex], person


def test_every_record_is_synthetic(scenario: DemoScenario) -> None:
    assert all(p.synthetic is True for p in scenario.people)
    assert all(u.synthetic is True for u in scenario.users)
    assert scenario.label == "SYNTHETIC DEMO DATA — not real people"


def test_users_table(scenario: DemoScenario) -> None:
    assert [(u.username, u.agency, u.roles) for u in scenario.users] == [
        ("imigrasi.admin", "imigrasi", ("admin",)),
        ("imigrasi.officer", "imigrasi", ("officer",)),
        ("kemnaker.admin", "kemnaker", ("admin",)),
        ("kemnaker.licensing", "kemnaker", ("licensing",)),
        ("bp2mi.admin", "bp2mi", ("admin",)),
        ("bp2mi.caseworker", "bp2mi", ("case_worker",)),
        ("bp2mi.analyst", "bp2mi", ("analyst",)),
        ("kemlu.admin", "kemlu", ("admin",)),
        ("kemlu.consular", "kemlu", ("consular",)),
        ("polri.admin", "polri", ("admin",)),
        ("polri.investigator", "polri", ("investigator",)),
        ("bp2mi.supervisor", "bp2mi", ("case_supervisor",)),
        ("bp2mi.auditor", "bp2mi", ("auditor",)),
    ]


def test_every_agency_has_an_admin(scenario: DemoScenario) -> None:
    admins = [u.agency for u in scenario.users if u.roles == ("admin",)]
    assert sorted(admins) == sorted(AGENCY_CODES)


def test_usernames_unique_and_lowercase(scenario: DemoScenario) -> None:
    usernames = [u.username for u in scenario.users]
    assert len(set(usernames)) == len(usernames)
    assert [u for u in usernames if not USERNAME.fullmatch(u)] == []


def test_user_passwords_and_names(scenario: DemoScenario) -> None:
    passwords = [u.password for u in scenario.users]
    assert len(set(passwords)) == len(passwords)
    for user in scenario.users:
        assert len(user.password) >= 12
        assert re.fullmatch(rf"demo-{user.agency}-[a-z]+-[a-z]+-[0-9]{{4}}", user.password)
        assert " " in user.full_name


def test_negative_people_is_rejected() -> None:
    message = "people must be 0 or more, got -1"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        generate(people=-1)


def test_ten_thousand_people_are_unique() -> None:
    # Speed is measured in benchmarks/, never asserted here.
    result = generate(seed=99, people=10_000)
    people: tuple[DemoPerson, ...] = result.people
    assert len({p.nik for p in people}) == 10_000
