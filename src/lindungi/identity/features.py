"""One record's identifying facts made comparable for linkage. Pure: values in, a flat row out.

Every agency writes the same person differently (titles, bin/binti, Muhammad, old
spelling, the NIK with a digit wrong, the phone with or without +62, the city as
"Kab. Cilacap"). The linkage model compares these prepared columns, never raw text, so the
same rules apply on DuckDB and on Spark and in the incremental lookup.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import phonenumbers

from lindungi.identity.ingest import SourceRecord
from lindungi.identity.names import normalize_name, phonetic_key
from lindungi.people.nik import nik_facts

#: The prepared columns, in the order the linkage tables hold them.
FEATURE_COLUMNS = (
    "name_text",  # own name, normalised, parts in the order written
    "name_sorted",  # own name, parts sorted: word order ignored
    "name_phon",  # phonetic keys of the parts, sorted and joined
    "name_tokens",  # phonetic keys of the parts (a list)
    "name_first",  # phonetic key of the first part (blocking)
    "name_last",  # phonetic key of the last part when there are two or more (blocking)
    "father",  # father's name after bin / binti, normalised
    "dob",  # stated birth date, ISO
    "dob_any",  # stated birth date, else the one the NIK encodes
    "dob_swapped",  # dob_any with day and month swapped, when that is a date
    "nik",  # national id: 16 digits for a NIK, else the id upper-cased without spaces
    "nik_prefix",  # a valid NIK's region and birth-date digits (its first 12)
    "nik_dob",  # the birth date a valid NIK encodes, ISO
    "sex",  # M / F, stated, else from a valid NIK
    "passport",
    "phone",  # E.164
    "city",
    "address",
    "postcode",
)

_CITY_PREFIX = re.compile(r"^(kabupaten|kab|kota|kotamadya|kodya|city of)\s+")
_ADDRESS_WORDS = {
    "jalan": "jl",
    "jln": "jl",
    "gang": "gg",
    "nomor": "no",
    "nmr": "no",
    "kelurahan": "kel",
    "desa": "ds",
    "kecamatan": "kec",
    "street": "st",
    "road": "rd",
}


@dataclass(frozen=True)
class Facts:
    """A record's identifying facts as a source states them (values already parsed)."""

    full_name: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    national_id: str | None = None
    passport_no: str | None = None
    phone: str | None = None
    address: str | None = None
    city: str | None = None
    postcode: str | None = None


def facts_of(record: SourceRecord) -> Facts:
    """The identifying facts of an ingested record."""
    return Facts(
        full_name=record.full_name,
        birth_date=record.birth_date,
        sex=record.sex,
        national_id=record.national_id,
        passport_no=record.passport_no,
        phone=record.phone,
        address=record.address,
        city=record.city,
        postcode=record.postcode,
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@functools.lru_cache(maxsize=200_000)
def name_features(full_name: str) -> tuple[str, str, str, tuple[str, ...], str, str, str]:
    """(text, sorted, phonetic, tokens, first, last, father) of a written name."""
    name = normalize_name(full_name)
    tokens = tuple(phonetic_key(part) for part in name.given)
    return (
        name.text,
        name.sorted_key,
        " ".join(sorted(tokens)),
        tokens,
        tokens[0] if tokens else "",
        tokens[-1] if len(tokens) > 1 else "",
        " ".join(name.father),
    )


def national_id_key(text: str) -> str:
    """Digits only when it is all digits and separators; otherwise upper-case alphanumerics."""
    stripped = re.sub(r"[\s.\-/]", "", text)
    return stripped if stripped.isdigit() else re.sub(r"[^0-9A-Z]", "", text.upper())


@functools.lru_cache(maxsize=100_000)
def phone_e164(text: str) -> str | None:
    """A phone number in E.164 (Indonesian when it has no country code), or None."""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def city_key(text: str) -> str:
    """ "Kab. Cilacap", "KABUPATEN CILACAP" and "Cilacap" agree."""
    words = " ".join(re.findall(r"[0-9a-z]+", _fold(text)))
    return _CITY_PREFIX.sub("", words)


def address_key(text: str) -> str:
    """Lower-case words with the usual abbreviations unified and leading zeros dropped
    ("Jalan Melati No. 5 RT 003/RW 05" agrees with "Jl Melati no 5 rt 3 rw 5")."""
    words = re.findall(r"[0-9]+|[a-z]+", _fold(text))
    return " ".join(_ADDRESS_WORDS.get(w, w.lstrip("0") or "0") for w in words)


def _swapped(date: dt.date | None) -> str | None:
    if date is None or date.day > 12 or date.day == date.month:
        return None
    return dt.date(date.year, date.day, date.month).isoformat()


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def record_features(facts: Facts) -> dict[str, Any]:
    """The prepared columns (``FEATURE_COLUMNS``) of one record; absent facts are None."""
    row: dict[str, Any] = dict.fromkeys(FEATURE_COLUMNS)
    full_name = _clean(facts.full_name)
    if full_name:
        text, sorted_key, phon, tokens, first, last, father = name_features(full_name)
        row.update(
            name_text=text or None,
            name_sorted=sorted_key or None,
            name_phon=phon or None,
            name_tokens=list(tokens) or None,
            name_first=first or None,
            name_last=last or None,
            father=father or None,
        )
    national_id = _clean(facts.national_id)
    nik_date: dt.date | None = None
    nik_sex: str | None = None
    if national_id:
        key = national_id_key(national_id)
        row["nik"] = key or None
        if len(key) == 16 and key.isdigit():
            decoded = nik_facts(key)
            if decoded is not None:
                nik_date, nik_sex = decoded.birth_date, decoded.sex
                row["nik_prefix"] = key[:12]
                row["nik_dob"] = nik_date.isoformat()
    stated = facts.birth_date
    row["dob"] = stated.isoformat() if stated else None
    any_date = stated or nik_date
    row["dob_any"] = any_date.isoformat() if any_date else None
    row["dob_swapped"] = _swapped(any_date)
    sex = (facts.sex or "").strip().upper()[:1]
    row["sex"] = sex if sex in ("M", "F") else nik_sex
    passport = _clean(facts.passport_no)
    if passport:
        row["passport"] = re.sub(r"[^0-9A-Z]", "", passport.upper()) or None
    phone = _clean(facts.phone)
    if phone:
        row["phone"] = phone_e164(phone)
    city = _clean(facts.city)
    if city:
        row["city"] = city_key(city) or None
    address = _clean(facts.address)
    if address:
        row["address"] = address_key(address) or None
    postcode = _clean(facts.postcode)
    if postcode:
        row["postcode"] = re.sub(r"\s", "", postcode).upper()
    return row


def match_keys(row: dict[str, Any]) -> set[str]:
    """Keys under which a prepared record is stored for incremental lookup (the blocking
    rules' columns: one shared identifier, or a name part with the birth date)."""
    keys = set()
    for prefix, column in (
        ("nik", "nik"),
        ("pp", "passport"),
        ("ph", "phone"),
        ("np", "nik_prefix"),
    ):
        if row.get(column):
            keys.add(f"{prefix}:{row[column]}")
    for prefix, column in (("nd", "name_first"), ("ld", "name_last")):
        if row.get(column) and row.get("dob_any"):
            keys.add(f"{prefix}:{row[column]}|{row['dob_any']}")
    if row.get("name_sorted") and row.get("city"):
        keys.add(f"ns:{row['name_sorted']}|{row['city']}")
    return {key[:120] for key in keys}


def lookup_keys(row: dict[str, Any]) -> set[str]:
    """Keys to look a new record up by: its own, and its name with day and month swapped."""
    keys = match_keys(row)
    for prefix, column in (("nd", "name_first"), ("ld", "name_last")):
        if row.get(column) and row.get("dob_swapped"):
            keys.add(f"{prefix}:{row[column]}|{row['dob_swapped']}"[:120])
    return keys
