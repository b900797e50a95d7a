"""The screening desk's form: its fields, the labels of the codes it offers, and how the
posted form becomes a ``ScreeningIn`` or errors next to the fields, in the user's language.

Pure: values in, values out. The desk asks nothing that never changes a score (sex,
religion, ethnicity, province): they are not in the form at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from babel import Locale
from pydantic import ValidationError

from lindungi.screening.schemas import ScreeningIn
from lindungi.web.i18n import N_

#: The desk's fields, by section of ``ScreeningIn`` (a field is posted as ``section.name``).
SECTIONS: dict[str, tuple[str, ...]] = {
    "person": ("full_name", "nik", "passport_no", "birth_date", "phone"),
    "trip": ("destination_country", "destination_city", "visa_type", "purpose",
             "return_ticket", "ticket_paid_by", "first_trip_abroad", "departure_date"),
    "job_offer": ("text", "channel", "salary_idr_month", "position", "employer_name",
                  "country"),
    "recruiter": ("name", "licence_no", "phone"),
    "history": ("deportations", "overstays", "prior_refusals"),
}  # fmt: skip
FIELDS = ("id", *(f"{section}.{name}" for section, names in SECTIONS.items() for name in names))
OPTIONAL_SECTIONS = ("job_offer", "recruiter")
COUNTRY_FIELDS = ("trip.destination_country", "job_offer.country")
# Codes CLDR names that are not countries in ISO 3166-1.
_NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB",
                  "XK", "ZZ"}  # fmt: skip

VISA_TYPES = {
    "tourist": N_("tourist visa"),
    "visit": N_("visit visa"),
    "business": N_("business visa"),
    "work": N_("work visa"),
    "digital_work": N_("remote (digital) work visa"),
    "visa_on_arrival": N_("visa on arrival"),
    "student": N_("student visa"),
    "none": N_("no visa needed"),
}
PURPOSES = {
    "tourism": N_("tourism"),
    "work": N_("work"),
    "business": N_("business"),
    "family": N_("visiting family"),
    "study": N_("study"),
    "religious": N_("pilgrimage or religious visit"),
    "medical": N_("medical treatment"),
    "other": N_("other purpose"),
}
PAYERS = {
    "self": N_("the traveller"),
    "family": N_("the traveller's family"),
    "employer": N_("the employer"),
    "recruiter": N_("the recruiter or agent"),
    "unknown": N_("not known"),
}
ACTIONS = {
    "proceed": N_("proceed"),
    "interview": N_("interview the traveller"),
    "refer": N_("refer to BP2MI"),
}
#: The decisions the desk offers, as the form words them.
DECISIONS = {
    "proceed": N_("Proceed: the traveller may go on"),
    "interview": N_("Interview: hold the traveller for an interview"),
    "refer": N_("Refer: hand the case over to BP2MI"),
}
#: Recorded decisions as lists and results show them (``refuse`` comes from the API).
DECIDED = {
    "proceed": N_("proceeded"),
    "interview": N_("held for interview"),
    "refer": N_("referred to BP2MI"),
    "refuse": N_("refused"),
}
BANDS = {"low": N_("low risk"), "medium": N_("medium risk"), "high": N_("high risk")}

#: What each kind of validation error says to the officer (English message ids).
_BY_TYPE = {
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": N_("Enter a date as YYYY-MM-DD."),
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "greater_than_equal": N_("Enter zero or more."),
    "less_than_equal": N_("The number is too large."),
    "string_too_long": N_("This is too long."),
    "string_too_short": N_("This must not be empty."),
    "missing": N_("This must not be empty."),
    "literal_error": N_("Choose one of the options in the list."),
    "bool_parsing": N_("Choose one of the options in the list."),
}
_BY_FIELD = {
    "job_offer.salary_idr_month": N_(
        "Enter the monthly salary in rupiah as a whole number, e.g. 15000000."
    ),
    "trip.destination_country": N_("Choose the country from the list."),
    "job_offer.country": N_("Choose the country from the list."),
    "id": N_("The reference may not contain control characters."),
}
_INVALID = N_("This value is not valid.")


def countries(lang: str) -> list[tuple[str, str]]:
    """(code, name) of every country, named in ``lang`` (CLDR's names), by name."""
    names = Locale.parse(lang).territories
    found = [(code, name) for code, name in names.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]  # fmt: skip
    return sorted(found, key=lambda item: item[1].casefold())


def message(field: str, error_type: str) -> str:
    """The officer's message (an English message id) for one validation error."""
    if field in _BY_FIELD and error_type not in ("string_too_long", "greater_than_equal"):
        return _BY_FIELD[field]
    return _BY_TYPE.get(error_type, _INVALID)


def default_reference(agency: str, now: dt.datetime) -> str:
    """A reference for a traveller the desk gave none to, readable on the phone."""
    return f"{agency.upper()}-{now:%Y%m%d-%H%M%S}"


def payload(form: Mapping[str, str]) -> dict[str, Any]:
    """The posted fields as ``ScreeningIn`` reads them: empty fields left out, an optional
    section (job offer, recruiter) only when something of it was given."""
    data: dict[str, Any] = {"id": form.get("id", "").strip()}
    for section, names in SECTIONS.items():
        values = {}
        for name in names:
            value = form.get(f"{section}.{name}", "").strip()
            if value:
                values[name] = value.upper() if f"{section}.{name}" in COUNTRY_FIELDS else value
        if values or section not in OPTIONAL_SECTIONS:
            data[section] = values
    return data


def parse(form: Mapping[str, str]) -> tuple[ScreeningIn | None, dict[str, str]]:
    """The screening request, or the errors by field (English message ids)."""
    try:
        return ScreeningIn.model_validate(payload(form)), {}
    except ValidationError as invalid:
        errors: dict[str, str] = {}
        for item in invalid.errors(include_url=False):
            field = ".".join(str(part) for part in item["loc"][:2])
            errors.setdefault(field, message(field, item["type"]))
        return None, errors
