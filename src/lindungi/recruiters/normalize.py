"""Keys that make the same recruiter findable however its name, licence number,
phone or address is written. Pure."""

from __future__ import annotations

import re

import fingerprints
import phonenumbers

# Indonesian legal forms and words that do not tell companies apart; `fingerprints`
# already removes PT and CV.
_LEGAL_FORMS = frozenset({"pt", "cv", "tbk", "persero", "ud", "fa", "perseroan", "terbatas"})

# Licence number shapes seen on Kemnaker decisions and the OSS system. A number in
# another shape is kept as given and flagged for a licensing officer to check.
LICENCE_FORMATS = (
    re.compile(r"KEP\.?\s?\d{1,5}/[A-Z0-9.\-]+(/[A-Z0-9.\-]+)*/\d{4}"),
    re.compile(r"B\.?\s?\d{1,5}/[A-Z0-9.\-]+(/[A-Z0-9.\-]+)*/\d{4}"),
    re.compile(r"\d{1,4} TAHUN \d{4}"),
    re.compile(r"SIP3MI[/-]\d{1,6}[/-]\d{4}"),
    re.compile(r"\d{13}"),  # NIB from OSS
)


def name_key(name: str) -> str:
    """Company name without legal forms, case, punctuation or word order.

    "PT. Maju Jaya Abadi", "Maju Jaya Abadi, PT" and "PT MAJU JAYA ABADI Tbk" share one key.
    """
    text = fingerprints.generate(fingerprints.remove_types(name) or name) or ""
    tokens = [t for t in text.split() if t not in _LEGAL_FORMS]
    return " ".join(sorted(tokens))


def licence_key(number: str) -> str:
    """A licence number in upper case with separators made uniform."""
    text = re.sub(r"\s+", " ", number.strip().upper())
    return re.sub(r"\s*([/.\-])\s*", r"\1", text)


def licence_format_known(number: str) -> bool:
    """Whether the number has one of the known shapes (others are flagged, not refused)."""
    key = licence_key(number)
    return any(pattern.fullmatch(key) for pattern in LICENCE_FORMATS)


def phone_key(text: str, region: str = "ID") -> str | None:
    """The phone number in E.164 (Indonesian by default), or ``None`` when it is not one."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def address_key(text: str) -> str:
    """An address folded to lower-case words, so spelling of punctuation does not matter."""
    return " ".join(re.findall(r"[0-9a-z]+", text.lower()))


def identifier_key(kind: str, display: str) -> str | None:
    """The normalised key of an identifier of ``kind`` (``None``: not a valid phone)."""
    if kind == "phone":
        return phone_key(display)
    if kind == "address":
        return address_key(display)
    if kind in ("director", "employer"):
        return name_key(display)
    return display.strip().lower()
