"""The indicator functions of the SOP rulebook: pure, one per rulebook code.

Each takes the :class:`Case` (what was declared, what the offer text says, what the
registry and the person index answered) and returns the evidence it cites, or ``None``
when it does not fire. The docstring of each is the rule as an officer would say it.
``sex``, ``religion``, ``ethnicity`` and ``province`` are never read here.
"""

from __future__ import annotations

from collections.abc import Callable

from lindungi.people.validation import check_nik
from lindungi.screening.case import (
    DIGITAL_ROLES,
    HIGH_WAGE,
    IMPLAUSIBLE_SALARY,
    MORATORIUM,
    NO_PLACEMENT,
    SHORT_STAY,
    SOCIAL,
    Case,
    abroad,
    age_on_departure,
    compound_place,
    cues,
    domestic_offer,
    idr,
    job_countries,
    lawful,
    named_checks,
    offered,
    paid_by_other,
    quoted,
    roles_of,
    works,
)


def minor_for_work(case: Case) -> str | None:
    """A child (under 18 on the departure date) who travels for work, or an offer open to
    children."""
    age = age_on_departure(case)
    if age is not None and age < 18 and works(case):
        return f"aged {age} on departure, travelling for work"
    found = cues(case, "age_minor")
    return f"offer accepts minors: {quoted(found)}" if found else None


def visa_not_for_work(case: Case) -> str | None:
    """Work on a tourist, visit, on-arrival or no visa, or an offer saying to do so."""
    trip = case.request.trip
    if trip.visa_type in SHORT_STAY and (trip.purpose == "work" or offered(case)):
        why = "purpose work" if trip.purpose == "work" else "a job offer"
        return f"visa_type {trip.visa_type} with {why}"
    found = cues(case, "tourist_visa_for_work")  # "visit visa now, permit later" too
    if found and not domestic_offer(case):
        return f"offer says {quoted(found)}"
    return None


def business_visa_for_work(case: Case) -> str | None:
    """Work on a business visa."""
    trip = case.request.trip
    if trip.visa_type == "business" and (trip.purpose == "work" or offered(case)):
        return "visa_type business with " + (
            "purpose work" if trip.purpose == "work" else "a job offer"
        )
    return None


def no_placement_channel(case: Case) -> str | None:
    """A job in a country that has no lawful placement channel for Indonesian workers."""
    for country, where in job_countries(case):
        if country in NO_PLACEMENT:
            return f"job in {NO_PLACEMENT[country]} ({where})"
    return None


def moratorium_destination(case: Case) -> str | None:
    """Domestic work in a country closed to the placement of domestic workers, outside an
    official programme."""
    if "domestic_worker" not in roles_of(case) or (
        case.offer is not None and any(c.kind == "government_programme" for c in case.offer.legit)
    ):
        return None
    for country, where in job_countries(case):
        if country in MORATORIUM:
            return f"domestic work in {country} ({where})"
    return None


def compound_area(case: Case) -> str | None:
    """A destination or an offer naming a known scam-compound area."""
    place = compound_place(case.request.trip.destination_city)
    if place is not None:
        return f"destination city {case.request.trip.destination_city!r} ({place.name})"
    if case.offer is not None:
        for place in case.offer.places:
            if place.compound_area:
                return f"offer names {place.text!r} ({place.name})"
    return None


def salary_implausible(case: Case) -> str | None:
    """Rp 10 juta a month or more for entry-level office or online work, for work needing
    no experience, or for an unnamed job abroad — unless through a lawful channel or where
    such wages are ordinary (Japan, Korea, Taiwan, Hong Kong, Singapore, the Gulf, …)."""
    offer = case.request.job_offer
    salary = offer.salary_idr_month if offer is not None else None
    if salary is None and case.offer is not None:
        salary = case.offer.salary_idr_month
    if salary is None or salary < IMPLAUSIBLE_SALARY or lawful(case) or domestic_offer(case):
        return None
    countries = {country for country, _ in job_countries(case)}
    if countries and countries <= HIGH_WAGE:
        return None
    roles = roles_of(case)
    digital = sorted(roles & DIGITAL_ROLES)
    if digital:
        why = f"for {', '.join(r.replace('_', ' ') for r in digital)}"
    elif cues(case, "no_experience"):
        why = "with no experience required"
    elif not roles and not (offer and offer.position) and abroad(case):
        why = "for a job abroad with no stated role"
    else:
        return None
    return f"{idr(salary)} a month {why} (such work pays about Rp 3–6 juta)"


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
        found = cues(case, *kinds)
        return f"{label} {quoted(found)}" if found else None

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
        f"{m.text!r} ({idr(m.idr_month)})" if m.currency != "IDR" else repr(m.text)
        for m in case.offer.fees
    )


def excessive_hours(case: Case) -> str | None:
    """Twelve or more working hours a day."""
    hours = case.offer.hours_per_day if case.offer is not None else None
    return f"{hours} hours a day" if hours is not None and hours >= 12 else None


def free_travel_without_work_visa(case: Case) -> str | None:
    """The recruiter pays the ticket, or the employer of someone going to work, without a
    work visa or lawful channel."""
    if lawful(case):
        return None
    trip = case.request.trip
    if paid_by_other(case):
        return f"ticket paid by {trip.ticket_paid_by}, visa_type {trip.visa_type or 'not stated'}"
    found = cues(case, "free_travel")
    return f"offer says {quoted(found)}" if found else None


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
    by = paid_by_other(case) or trip.ticket_paid_by == "unknown"
    if size >= 3 and (case.request.recruiter is not None or by) and not lawful(case):
        who = f"ticket paid by {trip.ticket_paid_by}" if by else "with a recruiter"
        return f"group of {size}, {who}"
    return None


def recruiter_unlicensed(case: Case) -> str | None:
    """The recruiter named is not a licensed agency in the registry, or is an individual."""
    for check in named_checks(case):
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
