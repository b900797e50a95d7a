"""Synthetic recruiters for the demo: licensed, suspended and revoked companies, fronts
that reuse revoked companies' phones, addresses and directors, unlicensed agents,
bonds with claims, and complaints tied to cases. Pure and seeded; all fictitious."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from faker import Faker

# Words Indonesian recruitment companies are commonly named with (fictitious combinations).
_WORDS = (
    "Maju", "Jaya", "Abadi", "Sentosa", "Makmur", "Karya", "Mandiri", "Sejahtera", "Bintang",
    "Timur", "Nusantara", "Harapan", "Cahaya", "Samudra", "Mulia", "Perkasa", "Utama", "Gemilang",
)  # fmt: skip
_EMPLOYERS = (
    "Golden Dragon Trading Co., Ltd (Sihanoukville)",
    "Lucky Star Investment Group (Poipet)",
    "Royal Bay Entertainment (Myawaddy)",
    "Sunrise Digital Services (Bavet)",
)


@dataclass(frozen=True)
class DemoClaim:
    """A claim on a bond, with where it ended up."""

    case_ref: str
    amount_idr: int
    outcome: str  # filed | verified | paid | rejected


@dataclass(frozen=True)
class DemoRecruiter:
    """One synthetic recruiter and everything behind its name."""

    name: str
    kind: str  # company | agent
    licence_no: str | None
    status: str | None  # active | suspended | revoked
    valid_until: datetime.date | None
    bond_idr: int | None
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    claims: tuple[DemoClaim, ...] = ()
    complaint_cases: tuple[str, ...] = ()
    status_reason: str = ""


def _phone(rng: random.Random) -> str:
    return f"+628{rng.choice('1256789')}{rng.randrange(10**9):09d}"


def generate_recruiters(seed: int, reference_date: datetime.date) -> tuple[DemoRecruiter, ...]:
    """A reproducible registry: 12 licensed, 2 suspended, 3 revoked, 3 fronts, 2 agents."""
    rng = random.Random(f"lindungi.demo.recruiters:{seed}")  # noqa: S311 - reproducible demo data
    fake = Faker("id_ID")
    fake.seed_instance(seed + 1)
    names: set[str] = set()

    def company_name() -> str:
        while True:
            name = "PT " + " ".join(rng.sample(_WORDS, rng.choice((2, 3))))
            if name not in names:
                names.add(name)
                return name

    def licence(n: int) -> str:
        return f"KEP.{100 + n}/PPTKLN/{reference_date.year - rng.randint(1, 8)}"

    def until() -> datetime.date:
        return reference_date + datetime.timedelta(days=rng.randint(90, 1500))

    out: list[DemoRecruiter] = []
    number = 0
    for status, count in (("active", 12), ("suspended", 2), ("revoked", 3)):
        for _ in range(count):
            number += 1
            claims: tuple[DemoClaim, ...] = ()
            complaints: tuple[str, ...] = ()
            if status == "revoked":
                claims = tuple(
                    DemoClaim(
                        f"DEMO-CASE-{number:03d}-{k}", rng.randint(20, 80) * 1_000_000, outcome
                    )
                    for k, outcome in enumerate(("paid", "verified", "filed"), start=1)
                )
                complaints = tuple(f"DEMO-CASE-{number:03d}-{k}" for k in (1, 2, 3))
            out.append(
                DemoRecruiter(
                    name=company_name(),
                    kind="company",
                    licence_no=licence(number),
                    status=status,
                    valid_until=until(),
                    bond_idr=rng.choice((1_500, 2_000, 3_000)) * 1_000_000,
                    phones=(_phone(rng),),
                    addresses=(fake.street_address() + ", " + fake.city(),),
                    directors=(f"{fake.first_name()} {fake.last_name()}",),
                    employers=(rng.choice(_EMPLOYERS),) if status != "active" else (),
                    claims=claims,
                    complaint_cases=complaints,
                    status_reason={
                        "suspended": "fees charged to workers; under investigation",
                        "revoked": "workers sent on tourist visas to online-scam compounds",
                    }.get(status, ""),
                )
            )
    revoked = [r for r in out if r.status == "revoked"]
    for k, old in enumerate(revoked, start=1):
        number += 1
        out.append(
            DemoRecruiter(
                name=company_name(),
                kind="company",
                licence_no=licence(number),
                status="active",
                valid_until=until(),
                bond_idr=None,  # a front posts no bond
                phones=old.phones if k != 2 else (_phone(rng),),
                addresses=old.addresses
                if k != 1
                else (fake.street_address() + ", " + fake.city(),),
                directors=old.directors,
                employers=old.employers,
                complaint_cases=(f"DEMO-CASE-F{k:02d}",),
            )
        )
    for k in range(2):
        out.append(
            DemoRecruiter(
                name=f"{fake.first_name_male()} (agen lepas)",
                kind="agent",
                licence_no=None,
                status=None,
                valid_until=None,
                bond_idr=None,
                phones=revoked[0].phones if k == 0 else (_phone(rng),),
                complaint_cases=(f"DEMO-CASE-A{k + 1:02d}",),
            )
        )
    return tuple(out)
