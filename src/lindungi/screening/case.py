"""What the indicators read: the case under screening (the declared facts, the offer text
as read, the registry's and the person index's answers) and the facts derived from it that
several indicators share. Pure: plain values in, plain values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from lindungi.screening.offer_text import OfferFacts, Place, analyse_offer
from lindungi.screening.schemas import ScreeningIn

Mode = Literal["departure", "offer"]

#: Countries with no lawful placement channel for Indonesian migrant workers.
NO_PLACEMENT = {"KH": "Cambodia", "MM": "Myanmar", "LA": "Laos", "PH": "the Philippines"}
#: Entry-level office and online roles that scam compounds advertise.
DIGITAL_ROLES = frozenset(
    {"admin", "customer_service", "data_entry", "typist", "marketing_online", "operator_online",
     "chat_agent", "game_host"}
)  # fmt: skip
#: At or above this (Rupiah a month) an entry-level offer is implausible: such work pays
#: Rp 3–6 juta, and the compounds advertise Rp 10–25 juta.
IMPLAUSIBLE_SALARY = 10_000_000
#: Destinations where such wages are ordinary for lawful work (no implausibility there).
HIGH_WAGE = frozenset(
    {"JP", "KR", "TW", "HK", "SG", "AU", "NZ", "US", "CA", "GB", "DE", "NL", "PL", "FR", "IT",
     "ES", "SA", "AE", "QA", "KW", "BH", "OM"}
)  # fmt: skip
#: Countries closed to the placement of domestic workers (Kepmenaker 260/2015).
MORATORIUM = frozenset(
    {"DZ", "SA", "BH", "IQ", "IR", "KW", "LB", "LY", "MA", "MR", "EG", "OM", "PK", "PS", "QA",
     "SS", "SY", "TN", "AE", "YE", "JO"}
)  # fmt: skip
#: Entries for a short stay; "none" is visa-free entry (Indonesians need no visa in ASEAN).
SHORT_STAY = ("tourist", "visit", "visa_on_arrival", "none")
WORK_VISAS = ("work", "digital_work")
SOCIAL = ("facebook", "instagram", "tiktok", "telegram", "whatsapp")
#: Signs in an offer that it is a lawful placement (work visa, official programme, agency).
LAWFUL = frozenset({"work_visa", "government_programme", "licensed_p3mi"})


@dataclass(frozen=True)
class RegistryCheck:
    """What the recruiter registry answered about one reference."""

    asked: str  # e.g. "recruiter PT Maju (KEP.1/2020)" or "phone +6281… in the offer"
    verdict: str  # licensed | suspended | revoked | expired | unknown
    names: tuple[str, ...] = ()  # each "Name (status)"
    named: bool = True  # the recruiter the traveller named, not a contact found in text
    individual: bool = False  # an individual agent rather than a company
    fronts: tuple[str, ...] = ()  # explanations of front findings


@dataclass(frozen=True)
class Case:
    """Everything the indicators see about one screening."""

    request: ScreeningIn
    mode: Mode = "departure"
    offer: OfferFacts | None = None
    registry: tuple[RegistryCheck, ...] = ()
    identity: tuple[tuple[str, str], ...] = ()  # (code, explanation) from the person index
    today: dt.date = field(default_factory=dt.date.today)


def idr(amount: int) -> str:
    """Rupiah as officers write it: ``Rp 15.000.000``."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def cues(case: Case, *kinds: str) -> list[str]:
    """The phrases of these kinds found in the offer text."""
    if case.offer is None:
        return []
    return [c.text for c in case.offer.cues if c.kind in kinds]


def quoted(found: Iterable[str]) -> str:
    """Phrases quoted for evidence, each once."""
    return ", ".join(f"'{t}'" for t in dict.fromkeys(found))


def offered(case: Case) -> bool:
    """The traveller holds a job offer (any part of one)."""
    offer = case.request.job_offer
    return offer is not None and any(v is not None for v in offer.model_dump().values())


def works(case: Case) -> bool:
    """The traveller travels for work: declared, documented or offered."""
    trip = case.request.trip
    return trip.purpose == "work" or trip.visa_type in WORK_VISAS or offered(case)


def lawful(case: Case) -> bool:
    """A work visa, or an offer that names a lawful channel."""
    if case.request.trip.visa_type in WORK_VISAS:
        return True
    return case.offer is not None and any(c.kind in LAWFUL for c in case.offer.legit)


def age_on_departure(case: Case) -> int | None:
    """Age in whole years on the departure date (or today)."""
    born = case.request.person.birth_date
    if born is None:
        return None
    on = case.request.trip.departure_date or case.today
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def job_countries(case: Case) -> list[tuple[str, str]]:
    """(country, where it was read) for the job's place."""
    found = []
    offer = case.request.job_offer
    if offer is not None and offer.country:
        found.append((offer.country.upper(), "job_offer.country"))
    trip = case.request.trip
    if trip.destination_country and works(case):
        found.append((trip.destination_country.upper(), "destination (travelling for work)"))
    if case.offer is not None:
        found += [(c, "offer text") for c in case.offer.countries]
    return found


@lru_cache(maxsize=4096)
def short_text(text: str) -> OfferFacts:
    """A city or a position, read once per distinct value (they repeat across a batch)."""
    return analyse_offer(text)


def compound_place(text: str | None) -> Place | None:
    """The scam-compound area a place name refers to, if any."""
    if not text:
        return None
    return next((p for p in short_text(text).places if p.compound_area), None)


def roles_of(case: Case) -> set[str]:
    """The roles named in the offer text and in the stated position."""
    roles = set(case.offer.roles) if case.offer is not None else set()
    position = case.request.job_offer.position if case.request.job_offer else None
    if position:
        roles |= set(short_text(position).roles)
    return roles


def domestic_offer(case: Case) -> bool:
    """An offer read on its own whose only named place is in Indonesia."""
    countries = {country for country, _ in job_countries(case)}
    return case.mode == "offer" and countries == {"ID"} and not cues(case, "overseas")


def abroad(case: Case) -> bool:
    """The job is abroad: a foreign country named, "luar negeri", or a departure."""
    if any(country != "ID" for country, _ in job_countries(case)):
        return True
    trip = case.request.trip
    return (
        case.mode == "departure"
        or bool(cues(case, "overseas"))
        or bool(trip.destination_country and trip.destination_country.upper() != "ID")
    )


def paid_by_other(case: Case) -> bool:
    """A recruiter pays, or an employer pays for someone going to work (an employer paying
    for a business trip is ordinary)."""
    trip = case.request.trip
    if trip.ticket_paid_by == "recruiter":
        return True
    return trip.ticket_paid_by == "employer" and (trip.purpose == "work" or offered(case))


def named_checks(case: Case) -> list[RegistryCheck]:
    """The registry's answers about the recruiter the traveller named."""
    return [c for c in case.registry if c.named]
