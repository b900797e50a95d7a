"""Prepared columns: what the linkage model compares."""

import datetime as dt

import pytest

from lindungi.identity.features import (
    Facts,
    address_key,
    city_key,
    lookup_keys,
    match_keys,
    phone_e164,
    record_features,
)


def test_a_titled_old_spelled_name_and_its_modern_form_prepare_alike() -> None:
    old = record_features(Facts(full_name="H. Moh. Djoko Soesilo, S.Kom bin Soekarno"))
    new = record_features(Facts(full_name="Muhammad Joko Susilo"))
    for column in ("name_text", "name_sorted", "name_phon", "name_first", "name_last"):
        assert old[column] == new[column]
    assert old["father"] == "sukarno"
    assert new["father"] is None


def test_word_order_is_ignored_by_the_sorted_name() -> None:
    a = record_features(Facts(full_name="Nurhaliza Siti"))
    b = record_features(Facts(full_name="SITI NURHALIZA"))
    assert a["name_sorted"] == b["name_sorted"] == "nurhaliza siti"
    assert a["name_text"] != b["name_text"]


def test_a_valid_nik_gives_its_birth_date_region_and_sex() -> None:
    row = record_features(Facts(national_id="3301 0152 0590 0001"))
    assert row["nik"] == "3301015205900001"
    assert row["nik_prefix"] == "330101520590"
    assert row["nik_dob"] == "1990-05-12"  # day 52 = 12 + 40: a woman
    assert row["sex"] == "F"
    assert row["dob_any"] == "1990-05-12"  # no stated date: the NIK's
    assert row["dob"] is None


def test_a_stated_birth_date_wins_over_the_niks_and_its_swap_is_kept() -> None:
    row = record_features(Facts(birth_date=dt.date(1990, 5, 3), national_id="3301015205900001"))
    assert row["dob_any"] == "1990-05-03"
    assert row["dob_swapped"] == "1990-03-05"
    assert row["nik_dob"] == "1990-05-12"


def test_a_foreign_id_is_compared_as_an_identifier_without_nik_facts() -> None:
    row = record_features(Facts(national_id="ab-123 456"))
    assert row["nik"] == "AB123456"
    assert row["nik_prefix"] is None


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+855 12 345 678", "+85512345678"),
        ("not a phone", None),
    ],
)
def test_phones_are_compared_in_e164(written: str, e164: str | None) -> None:
    assert phone_e164(written) == e164


def test_city_and_address_spellings_agree() -> None:
    assert city_key("Kab. Cilacap") == city_key("KABUPATEN CILACAP") == city_key("Cilacap")
    assert address_key("Jalan Melati No. 5 RT 003/RW 05") == address_key("Jl Melati no 5 rt 3 rw 5")


def test_match_keys_cover_identifiers_and_name_with_birth_date() -> None:
    row = record_features(
        Facts(full_name="Siti Aminah", birth_date=dt.date(1990, 5, 3), phone="08123456789")
    )
    keys = match_keys(row)
    assert "ph:+628123456789" in keys
    assert "nd:siti|1990-05-03" in keys
    assert "ld:amina|1990-05-03" in keys
    assert "nd:siti|1990-03-05" in lookup_keys(row) - keys  # a day/month swap is found too
