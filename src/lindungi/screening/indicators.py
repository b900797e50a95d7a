"""The indicator functions of the SOP rulebook: pure, one per rulebook code.

Each takes the :class:`Case` (what was declared, what the offer text says, what the
registry and the person index answered) and returns the evidence it cites, or ``None``
when it does not fire. The docstring of each is the rule as an officer would say it.
``sex``, ``religion``, ``ethnicity`` and ``province`` are never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from lindungi.people.validation import check_nik
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
NOT_FOR_WORK = SHORT_STAY
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


def _idr(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def _cues(case: Case, *kinds: str) -> list[str]:
    if case.offer is None:
        return []
    return [c.text for c in case.offer.cues if c.kind in kinds]


def _quote(found: Iterable[str]) -> str:
    return ", ".join(f"'{t}'" for t in dict.fromkeys(found))


def _offered(case: Case) -> bool:
    offer = case.request.job_offer
    return offer is not None and any(v is not None for v in offer.model_dump().values())


def _works(case: Case) -> bool:
    """The traveller travels for work: declared, documented or offered."""
    trip = case.request.trip
    return trip.purpose == "work" or trip.visa_type in WORK_VISAS or _offered(case)


def _lawful(case: Case) -> bool:
    """A work visa, or an offer that names a lawful channel."""
    if case.request.trip.visa_type in WORK_VISAS:
        return True
    return case.offer is not None and any(c.kind in LAWFUL for c in case.offer.legit)


def _age(case: Case) -> int | None:
    born = case.request.person.birth_date
    if born is None:
        return None
    on = case.request.trip.departure_date or case.today
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def minor_for_work(case: Case) -> str | None:
    """A child (under 18 on the departure date) who travels for work, or an offer open to
    children."""
    age = _age(case)
    if age is not None and age < 18 and _works(case):
        return f"aged {age} on departure, travelling for work"
    found = _cues(case, "age_minor")
    return f"offer accepts minors: {_quote(found)}" if found else None


def visa_not_for_work(case: Case) -> str | None:
    """Work on a tourist, visit, on-arrival or no visa, or an offer saying to do so."""
    trip = case.request.trip
    if trip.visa_type in NOT_FOR_WORK and (trip.purpose == "work" or _offered(case)):
        why = "purpose work" if trip.purpose == "work" else "a job offer"
        return f"visa_type {trip.visa_type} with {why}"
    found = _cues(case, "tourist_visa_for_work")  # "visit visa now, permit later" too
    if found and not _domestic(case):
        return f"offer says {_quote(found)}"
    return None


def business_visa_for_work(case: Case) -> str | None:
    """Work on a business visa."""
    trip = case.request.trip
    if trip.visa_type == "business" and (trip.purpose == "work" or _offered(case)):
        return "visa_type business with " + (
            "purpose work" if trip.purpose == "work" else "a job offer"
        )
    return None


def _job_countries(case: Case) -> list[tuple[str, str]]:
    """(country, where it was read) for the job's place."""
    found = []
    offer = case.request.job_offer
    if offer is not None and offer.country:
        found.append((offer.country.upper(), "job_offer.country"))
    trip = case.request.trip
    if trip.destination_country and _works(case):
        found.append((trip.destination_country.upper(), "destination (travelling for work)"))
    if case.offer is not None:
        found += [(c, "offer text") for c in case.offer.countries]
    return found


def no_placement_channel(case: Case) -> str | None:
    """A job in a country that has no lawful placement channel for Indonesian workers."""
    for country, where in _job_countries(case):
        if country in NO_PLACEMENT:
            return f"job in {NO_PLACEMENT[country]} ({where})"
    return None


@lru_cache(maxsize=4096)
def _short_text(text: str) -> OfferFacts:
    """A city or a position, read once per distinct value (they repeat across a batch)."""
    return analyse_offer(text)


def moratorium_destination(case: Case) -> str | None:
    """Domestic work in a country closed to the placement of domestic workers, outside an
    official programme."""
    if "domestic_worker" not in _roles(case) or (
        case.offer is not None and any(c.kind == "government_programme" for c in case.offer.legit)
    ):
        return None
    for country, where in _job_countries(case):
        if country in MORATORIUM:
            return f"domestic work in {country} ({where})"
    return None


def _compound(text: str | None) -> Place | None:
    if not text:
        return None
    return next((p for p in _short_text(text).places if p.compound_area), None)


def compound_area(case: Case) -> str | None:
    """A destination or an offer naming a known scam-compound area."""
    place = _compound(case.request.trip.destination_city)
    if place is not None:
        return f"destination city {case.request.trip.destination_city!r} ({place.name})"
    if case.offer is not None:
        for place in case.offer.places:
            if place.compound_area:
                return f"offer names {place.text!r} ({place.name})"
    return None


def _roles(case: Case) -> set[str]:
    roles = set(case.offer.roles) if case.offer is not None else set()
    position = case.request.job_offer.position if case.request.job_offer else None
    if position:
        roles |= set(_short_text(position).roles)
    return roles


def _domestic(case: Case) -> bool:
    """An offer read on its own whose only named place is in Indonesia."""
    countries = {country for country, _ in _job_countries(case)}
    return case.mode == "offer" and countries == {"ID"} and not _cues(case, "overseas")


def _abroad(case: Case) -> bool:
    if any(country != "ID" for country, _ in _job_countries(case)):
        return True
    trip = case.request.trip
    return (
        case.mode == "departure"
        or bool(_cues(case, "overseas"))
        or bool(trip.destination_country and trip.destination_country.upper() != "ID")
    )


def salary_implausible(case: Case) -> str | None:
    """Rp 10 juta a month or more for entry-level office or online work, for work needing
    no experience, or for an unnamed job abroad — unless through a lawful channel or where
    such wages are ordinary (Japan, Korea, Taiwan, Hong Kong, Singapore, the Gulf, …)."""
    offer = case.request.job_offer
    salary = offer.salary_idr_month if offer is not None else None
    if salary is None and case.offer is not None:
        salary = case.offer.salary_idr_month
    if salary is None or salary < IMPLAUSIBLE_SALARY or _lawful(case) or _domestic(case):
        return None
    countries = {country for country, _ in _job_countries(case)}
    if countries and countries <= HIGH_WAGE:
        return None
    roles = _roles(case)
    digital = sorted(roles & DIGITAL_ROLES)
    if digital:
        why = f"for {', '.join(r.replace('_', ' ') for r in digital)}"
    elif _cues(case, "no_experience"):
        why = "with no experience required"
    elif not roles and not (offer and offer.position) and _abroad(case):
        why = "for a job abroad with no stated role"
    else:
        return None
    return f"{_idr(salary)} a month {why} (such work pays about Rp 3–6 juta)"


def social_media_recruitment(case: Case) -> str | None:
    """An offer that came through social media or private messages."""
    offer = case.request.job_offer
    if offer is not None and offer.channel in SOCIAL:
        return f"channel {offer.channel}"
    if case.offer is not None and case.offer.channels:
        return "offer text names " + ", ".join(case.offer.channels)
    return None


def _cue_rule(*kinds: str, label: str) -> Callable[[Case], str | None]:
    def rule(case: Case) -> str | None:
        found = _cues(case, *kinds)
        return f"{label} {_quote(found)}" if found else None

    rule.__doc__ = f"Phrases of the kinds {', '.join(kinds)} in the offer text."
    return rule


urgency = _cue_rule("urgency", label="offer says")
secrecy = _cue_rule("secrecy", label="offer says")
passport_retention = _cue_rule("passport_retention", label="offer says")
penalty_or_debt = _cue_rule("penalty", "debt", label="offer says")
scam_or_gambling_work = _cue_rule("crypto", "gambling", "scam_work", label="offer says")
no_experience_lure = _cue_rule("no_experience", label="offer says")


def worker_pays_fees(case: Case) -> str | None:
    """The worker is asked to pay a processing fee, a deposit or a down payment."""
    if case.offer is None or not case.offer.fees:
        return None
    return "offer asks the worker to pay " + ", ".join(
        f"{m.text!r} ({_idr(m.idr_month)})" if m.currency != "IDR" else repr(m.text)
        for m in case.offer.fees
    )


def excessive_hours(case: Case) -> str | None:
    """Twelve or more working hours a day."""
    hours = case.offer.hours_per_day if case.offer is not None else None
    return f"{hours} hours a day" if hours is not None and hours >= 12 else None


def _paid_by_other(case: Case) -> bool:
    """A recruiter pays, or an employer pays for someone going to work (an employer paying
    for a business trip is ordinary)."""
    trip = case.request.trip
    if trip.ticket_paid_by == "recruiter":
        return True
    return trip.ticket_paid_by == "employer" and (trip.purpose == "work" or _offered(case))


def free_travel_without_work_visa(case: Case) -> str | None:
    """The recruiter pays the ticket, or the employer of someone going to work, without a
    work visa or lawful channel."""
    if _lawful(case):
        return None
    trip = case.request.trip
    if _paid_by_other(case):
        return f"ticket paid by {trip.ticket_paid_by}, visa_type {trip.visa_type or 'not stated'}"
    found = _cues(case, "free_travel")
    return f"offer says {_quote(found)}" if found else None


def one_way_short_stay(case: Case) -> str | None:
    """A one-way ticket on a tourist, visit, on-arrival or visa-free entry."""
    trip = case.request.trip
    if trip.return_ticket is False and trip.visa_type in SHORT_STAY:
        return f"no return ticket, visa_type {trip.visa_type}"
    return None


def ticket_payer_unknown(case: Case) -> str | None:
    """The traveller cannot say who paid for the ticket."""
    return "ticket paid by: unknown" if case.request.trip.ticket_paid_by == "unknown" else None


def group_by_recruiter(case: Case) -> str | None:
    """Three or more travelling together, arranged or paid for by a recruiter, an employer
    or someone the travellers cannot name — unless it is a lawful placement (a cohort with
    work visas)."""
    trip = case.request.trip
    size = trip.travel_group_size or 1
    by = _paid_by_other(case) or trip.ticket_paid_by == "unknown"
    if size >= 3 and (case.request.recruiter is not None or by) and not _lawful(case):
        who = f"ticket paid by {trip.ticket_paid_by}" if by else "with a recruiter"
        return f"group of {size}, {who}"
    return None


def _named(case: Case) -> list[RegistryCheck]:
    return [c for c in case.registry if c.named]


def recruiter_unlicensed(case: Case) -> str | None:
    """The recruiter named is not a licensed agency in the registry, or is an individual."""
    for check in _named(case):
        if check.individual:
            return f"{check.asked}: an individual agent, {', '.join(check.names)}"
        if check.verdict == "unknown":
            return f"{check.asked}: no licensed agency found in the registry"
    return None


def _verdict_rule(verdict: str) -> Callable[[Case], str | None]:
    def rule(case: Case) -> str | None:
        for check in case.registry:
            if check.verdict == verdict:
                return f"{check.asked}: {', '.join(check.names)}"
        return None

    rule.__doc__ = f"The recruiter, or a contact in the offer, has a {verdict} licence."
    return rule


recruiter_revoked = _verdict_rule("revoked")
recruiter_suspended = _verdict_rule("suspended")


recruiter_expired = _verdict_rule("expired")


def recruiter_front(case: Case) -> str | None:
    """The recruiter or a contact shares identifiers with a sanctioned agency."""
    for check in case.registry:
        if check.fronts:
            return f"{check.asked}: {'; '.join(check.fronts)}"
    return None


def deported_before(case: Case) -> str | None:
    """The traveller was deported before."""
    n = case.request.history.deportations
    return f"{n} deportation{'s' if n > 1 else ''} declared" if n else None


def overstayed_before(case: Case) -> str | None:
    """The traveller overstayed a permit before."""
    n = case.request.history.overstays
    return f"{n} overstay{'s' if n > 1 else ''} declared" if n else None


def refused_before(case: Case) -> str | None:
    """An earlier refusal, as declared or as recorded in the person index."""
    n = case.request.history.prior_refusals
    if n:
        return f"{n} prior refusal{'s' if n > 1 else ''} declared"
    found = [text for code, text in case.identity if code == "refused_elsewhere"]
    return "; ".join(found) if found else None


def identity_inconsistent(case: Case) -> str | None:
    """An invalid NIK or one that disagrees with the birth date, a NIK shared with other
    names, or several passports in a short time. (Sex is not compared: see the docs.)"""
    person = case.request.person
    found = []
    if person.nik:
        check = check_nik(person.nik, birth_date=person.birth_date, register=False)
        found += list(check.problems)
    found += [text for code, text in case.identity if code in ("nik_shared", "passports")]
    return "; ".join(found) if found else None


def first_trip_abroad(case: Case) -> str | None:
    """The first trip abroad (weak: counts only beside another indicator)."""
    return "first trip abroad" if case.request.trip.first_trip_abroad else None


def risk_destination(case: Case) -> str | None:
    """A destination country where most compounds are (weak)."""
    country = (case.request.trip.destination_country or "").upper()
    return f"destination {NO_PLACEMENT[country]}" if country in NO_PLACEMENT else None


FUNCTIONS: dict[str, Callable[[Case], str | None]] = {
    "minor_for_work": minor_for_work,
    "visa_not_for_work": visa_not_for_work,
    "business_visa_for_work": business_visa_for_work,
    "no_placement_channel": no_placement_channel,
    "moratorium_destination": moratorium_destination,
    "compound_area": compound_area,
    "salary_implausible": salary_implausible,
    "social_media_recruitment": social_media_recruitment,
    "urgency": urgency,
    "secrecy": secrecy,
    "passport_retention": passport_retention,
    "penalty_or_debt": penalty_or_debt,
    "worker_pays_fees": worker_pays_fees,
    "scam_or_gambling_work": scam_or_gambling_work,
    "excessive_hours": excessive_hours,
    "free_travel_without_work_visa": free_travel_without_work_visa,
    "one_way_short_stay": one_way_short_stay,
    "ticket_payer_unknown": ticket_payer_unknown,
    "group_by_recruiter": group_by_recruiter,
    "recruiter_unlicensed": recruiter_unlicensed,
    "recruiter_revoked": recruiter_revoked,
    "recruiter_suspended": recruiter_suspended,
    "recruiter_expired": recruiter_expired,
    "recruiter_front": recruiter_front,
    "deported_before": deported_before,
    "overstayed_before": overstayed_before,
    "refused_before": refused_before,
    "identity_inconsistent": identity_inconsistent,
    "first_trip_abroad": first_trip_abroad,
    "risk_destination": risk_destination,
    "no_experience_lure": no_experience_lure,
}
