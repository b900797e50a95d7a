"""Keys for names, licence numbers, phones and addresses."""

from __future__ import annotations

import pytest

from lindungi.recruiters.normalize import (
    address_key,
    licence_format_known,
    licence_key,
    name_key,
    phone_key,
)


@pytest.mark.parametrize(
    "name",
    [
        "PT. Maju Jaya Abadi",
        "Maju Jaya Abadi, PT",
        "PT MAJU JAYA ABADI Tbk",
        "P.T. Maju-Jaya Abadi",
    ],
)
def test_company_names_share_a_key_whatever_the_legal_form(name: str) -> None:
    assert name_key(name) == "abadi jaya maju"


def test_different_companies_keep_different_keys() -> None:
    assert name_key("PT Maju Jaya Abadi") != name_key("PT Maju Jaya Sentosa")
    assert name_key("CV Sinar Harapan (Persero)") == "harapan sinar"


@pytest.mark.parametrize(
    ("number", "key", "known"),
    [
        ("KEP.123/PPTKLN/2019", "KEP.123/PPTKLN/2019", True),
        ("kep. 123 / pptkln / 2019", "KEP.123/PPTKLN/2019", True),
        ("B.45/PHI-JSK/2023", "B.45/PHI-JSK/2023", True),
        ("123 tahun 2021", "123 TAHUN 2021", True),
        ("SIP3MI/000123/2024", "SIP3MI/000123/2024", True),
        ("9120001234567", "9120001234567", True),
        ("IZIN-ABC", "IZIN-ABC", False),
    ],
)
def test_licence_numbers(number: str, key: str, known: bool) -> None:
    assert licence_key(number) == key
    assert licence_format_known(number) is known


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+855 12 345 678", "+85512345678"),  # Cambodia
        ("+66 81 234 5678", "+66812345678"),  # Thailand
        ("not a phone", None),
        ("12", None),
    ],
)
def test_phones_normalise_to_e164(text: str, expected: str | None) -> None:
    assert phone_key(text) == expected


def test_addresses_fold_case_and_punctuation() -> None:
    assert address_key("Jl. Melati No. 5, RT 02/RW 03") == address_key("JL MELATI NO 5 RT 02 RW 03")
