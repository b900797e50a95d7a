"""What the hub tells other agencies, as data: the domain events and their fields, and
each agency's mandate (the events and fields it may receive).

A subscription asks for some events and, for each, some fields; it is granted only
within the agency's mandate, and every delivery carries exactly the fields granted (a
data-minimising view, as X-Road's per-service access and the UU 27/2022 purpose
limitation want). Pure: no I/O, so the API, the dispatcher and the tests share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lindungi.errors import InvalidInputError, PermissionDeniedError


@dataclass(frozen=True)
class EventKind:
    """A kind of domain event: who emits it, what it means, and the fields it carries."""

    code: str
    module: str
    label_id: str
    label_en: str
    fields: tuple[str, ...]


_IDENTITY = ("full_name", "nik", "passport_no", "birth_date")

EVENTS: dict[str, EventKind] = {
    e.code: e
    for e in (
        EventKind(
            "screening.referred", "screening",
            "Penumpang dirujuk ke BP2MI dari pemeriksaan keberangkatan",
            "A traveller was referred to BP2MI at departure screening",
            ("referral_id", "screening_id", "from_agency", "to_agency", "score", "band",
             "indicator_codes", "destination_country", "visa_type", *_IDENTITY),
        ),
        EventKind(
            "case.opened", "cases", "Kasus dibuka", "A case was opened",
            ("case_id", "agency", "channel", "state", "country", "city",
             "screening_referral_id"),
        ),
        EventKind(
            "case.stage_changed", "cases", "Tahap kasus berubah", "A case moved to another stage",
            ("case_id", "agency", "action", "from_state", "to_state", "country",
             "determination", "reason"),
        ),
        EventKind(
            "case.identified", "cases", "Identifikasi korban dicatat",
            "A victim-identification determination was recorded",
            ("case_id", "agency", "determination", "country"),
        ),
        EventKind(
            "case.referred", "cases", "Kasus dirujuk untuk layanan",
            "A case was referred for a service or to another agency",
            ("case_id", "referral_id", "service", "from_agency", "to_agency", "basis"),
        ),
        EventKind(
            "case.legal_changed", "cases", "Jalur hukum kasus berubah",
            "A case's legal track moved (police referral, prosecution, verdict, restitution)",
            ("case_id", "agency", "legal_stage", "restitution"),
        ),
        EventKind(
            "alert.raised", "monitoring", "Peringatan keselamatan muncul",
            "A safety alert was raised for a monitored worker",
            ("alert_id", "kind", "enrolment_id", "agency", "country", "zone_id", "explanation"),
        ),
        EventKind(
            "licence.sanctioned", "recruiters", "Izin perekrut dikenai sanksi atau dipulihkan",
            "A recruiter's licence was suspended, revoked or restored",
            ("licence_no", "recruiter_id", "recruiter_name", "from_status", "to_status",
             "valid_until", "reason"),
        ),
        EventKind(
            "person.linked", "identity", "Dua catatan dinyatakan orang yang sama",
            "An officer judged two agency records to be one person",
            ("judgement_id", "person_id", "records", "verdict"),
        ),
    )
}  # fmt: skip

_ALL = {code: kind.fields for code, kind in EVENTS.items()}


def _without(code: str, *names: str) -> tuple[str, ...]:
    return tuple(f for f in EVENTS[code].fields if f not in names)


#: Each agency's mandate: the events it may receive and, of each, the fields. BP2MI
#: receives the referrals it must act on with the traveller's identity; the others get
#: what their work needs and no identity of victims: the foreign ministry's missions
#: the alerts and the cases abroad, immigration the outcome of its referrals and the
#: sanctions it checks at the desk, manpower the sanctions and the cases that concern
#: its licensing, the police the legal track and the sanctions.
MANDATES: dict[str, dict[str, tuple[str, ...]]] = {
    "bp2mi": dict(_ALL),
    "kemlu": {
        "case.opened": _ALL["case.opened"],
        "case.stage_changed": _ALL["case.stage_changed"],
        "case.identified": _ALL["case.identified"],
        "case.referred": _ALL["case.referred"],
        "alert.raised": _ALL["alert.raised"],
        "licence.sanctioned": _ALL["licence.sanctioned"],
        "screening.referred": _without("screening.referred", *_IDENTITY),
    },
    "imigrasi": {
        "screening.referred": _without("screening.referred", *_IDENTITY),
        "case.opened": ("case_id", "agency", "state", "screening_referral_id"),
        "case.stage_changed": ("case_id", "agency", "action", "from_state", "to_state"),
        "licence.sanctioned": _ALL["licence.sanctioned"],
        "person.linked": _ALL["person.linked"],
    },
    "kemnaker": {
        "licence.sanctioned": _ALL["licence.sanctioned"],
        "case.opened": ("case_id", "agency", "channel", "state", "country"),
        "case.legal_changed": _ALL["case.legal_changed"],
        "screening.referred": ("referral_id", "band", "indicator_codes", "destination_country"),
    },
    "polri": {
        "case.legal_changed": _ALL["case.legal_changed"],
        "case.referred": _ALL["case.referred"],
        "licence.sanctioned": _ALL["licence.sanctioned"],
        "alert.raised": ("alert_id", "kind", "country", "zone_id"),
    },
}


def event_kind(code: str) -> EventKind:
    """The event kind ``code``, or a programming error naming the known ones."""
    try:
        return EVENTS[code]
    except KeyError:
        raise ValueError(f"unknown event kind {code!r}; known: {', '.join(EVENTS)}") from None


def check_data(code: str, data: Mapping[str, Any]) -> None:
    """An emitter may send only the fields its kind declares (a programming error
    otherwise: a field nobody reviewed would leak into every agency's feed)."""
    extra = sorted(set(data) - set(event_kind(code).fields))
    if extra:
        raise ValueError(f"event {code} does not declare the fields {', '.join(extra)}")


def grant(
    agency: str, kinds: Iterable[str], fields: Mapping[str, Iterable[str]] | None
) -> dict[str, tuple[str, ...]]:
    """What a subscription of ``agency`` asking for ``kinds`` (and, per kind, ``fields``;
    the whole mandate of a kind when not given) is granted. Unknown kinds or fields are
    422; kinds or fields beyond the mandate are 403, each naming all of them."""
    asked = list(dict.fromkeys(kinds))
    if not asked:
        raise InvalidInputError("kinds: name at least one event kind", field="kinds")
    unknown = [k for k in asked if k not in EVENTS]
    if unknown:
        raise InvalidInputError(
            f"kinds: unknown event kinds {', '.join(unknown)}; known: {', '.join(EVENTS)}",
            field="kinds",
        )
    fields = dict(fields or {})
    stray = sorted(set(fields) - set(asked))
    if stray:
        raise InvalidInputError(
            f"fields: given for kinds not asked for: {', '.join(stray)}", field="fields"
        )
    mandate = MANDATES.get(agency, {})
    outside = [k for k in asked if k not in mandate]
    if outside:
        raise PermissionDeniedError(
            f"agency {agency} has no mandate for the events {', '.join(outside)}"
        )
    granted: dict[str, tuple[str, ...]] = {}
    refused: list[str] = []
    for kind in asked:
        wanted = list(dict.fromkeys(fields.get(kind) or mandate[kind]))
        bad = [f for f in wanted if f not in EVENTS[kind].fields]
        if bad:
            raise InvalidInputError(
                f"fields: {kind} has no fields {', '.join(bad)}; it has "
                f"{', '.join(EVENTS[kind].fields)}",
                field="fields",
            )
        refused += [f"{kind}.{f}" for f in wanted if f not in mandate[kind]]
        granted[kind] = tuple(f for f in EVENTS[kind].fields if f in wanted)
    if refused:
        raise PermissionDeniedError(
            f"agency {agency}'s mandate does not cover the fields {', '.join(refused)}"
        )
    return granted


def view(data: Mapping[str, Any], granted: Iterable[str]) -> dict[str, Any]:
    """The event's data as a subscription sees it: the granted fields the event has."""
    return {f: data[f] for f in granted if f in data}
