"""NIK, passport and phone checks, as an officer at a desk would meet them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.people.validation import check_nik, check_passport, check_phone

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
REF = dt.date(2026, 11, 30)


def test_a_consistent_nik_is_valid_and_decoded() -> None:
    result = check_nik(
        "3276015705900001", birth_date=dt.date(1990, 5, 17), sex="F", reference_date=REF
    )
    assert result.valid
    assert (result.district_code, result.birth_date, result.sex) == (
        "32.76.01",
        dt.date(1990, 5, 17),
        "F",
    )
    assert result.problems == ()


@pytest.mark.parametrize(
    ("nik", "birth_date", "sex", "problem"),
    [
        (
            "3276015705900001",
            dt.date(1990, 5, 18),
            "F",
            "NIK says born 1990-05-17, the stated birth date is 1990-05-18",
        ),
        (
            "3276010505900001",
            dt.date(1990, 5, 5),
            "F",
            "NIK encodes sex M (day as is), the stated sex is F",
        ),
        (
            "3276011203900001",
            dt.date(1990, 12, 3),
            "M",
            "NIK says born 1990-03-12, the stated birth date is 1990-12-03 (day and month swapped)",
        ),
        ("32760157059000", None, None, "NIK must be 16 digits"),
        ("9976011705900001", None, None, "NIK starts with an unknown province code"),
        (
            "3276013202900001",
            None,
            None,
            "NIK's date part is not a real date (day, +40 for women, month, year)",
        ),
        ("3276011705900000", None, None, "NIK's serial number cannot be 0000"),
    ],
)
def test_inconsistent_or_malformed_niks_are_explained(
    nik: str, birth_date: dt.date | None, sex: str | None, problem: str
) -> None:
    result = check_nik(nik, birth_date=birth_date, sex=sex, reference_date=REF)  # type: ignore[arg-type]
    assert not result.valid
    assert problem in result.problems


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the repository")
def test_every_district_code_of_2016_to_2025_validates_and_retired_ones_are_flagged() -> None:
    checked = retired = 0
    with (SHARED / "kode_wilayah_kec_union_2016_2025.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "kecamatan":
                continue
            result = check_nik(row["nik_prefix"] + "5705900001", reference_date=REF)
            assert result.valid, (row["kode"], result.problems)
            flagged = bool(result.warnings)
            assert flagged == (row["in_2025"] != "True"), row["kode"]
            checked += 1
            retired += flagged
    assert (checked, retired) == (7879, 594)
    # python-stdnum rejects these provinces; they are real.
    for prefix in ("650101", "920101", "930101", "950101", "960101", "910101"):
        assert check_nik(prefix + "1705900001", reference_date=REF).valid, prefix


@pytest.mark.parametrize(
    ("text", "indonesian", "number", "kind"),
    [
        ("c 1234567", True, "C1234567", "indonesian"),
        ("AT-123456", True, "AT123456", "indonesian"),
        ("123456789", True, None, None),
        ("K01234567", False, "K01234567", "foreign"),
        ("N-1", False, None, None),
    ],
)
def test_passports(text: str, indonesian: bool, number: str | None, kind: str | None) -> None:
    result = check_passport(text, indonesian=indonesian)
    assert (result.number, result.kind) == (number, kind)
    assert (result.problem is None) == (number is not None)


@pytest.mark.parametrize(
    ("text", "e164", "region", "mobile"),
    [
        ("0812-3456-7890", "+6281234567890", "ID", True),
        ("+62 21 3456 7890", "+622134567890", "ID", False),
        ("+855 12 345 678", "+85512345678", "KH", True),
        ("+66 81 234 5678", "+66812345678", "TH", True),
        ("+95 9 250 123 456", "+959250123456", "MM", True),
        ("+856 20 5555 1234", "+8562055551234", "LA", True),
    ],
)
def test_phones_of_indonesia_and_the_compound_countries(
    text: str, e164: str, region: str, mobile: bool
) -> None:
    result = check_phone(text)
    assert (result.e164, result.region, result.mobile, result.problem) == (
        e164,
        region,
        mobile,
        None,
    )


def test_a_non_number_is_explained() -> None:
    assert check_phone("halo kak").problem == "'halo kak' is not a phone number"
    assert check_phone("0812").problem == "'0812' is not a valid phone number"


@given(st.text(max_size=30))
def test_checks_never_raise_on_any_text(text: str) -> None:
    assert isinstance(check_nik(text, reference_date=REF).valid, bool)
    assert check_passport(text).kind in (None, "indonesian")
    assert check_phone(text).e164 is None or check_phone(text).e164.startswith("+")
