"""Tests for lindungi.demo.identities: a seeded, synthetic multi-agency linkage benchmark."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime
from itertools import combinations, product

import pytest

from lindungi.demo.identities import (
    COLUMNS,
    SOURCE_PROFILES,
    SOURCES,
    AgencyRecords,
    generate_agency_records,
)
from lindungi.identity.names import normalize_name
from lindungi.people.validation import check_phone

PEOPLE = 300
Row = dict[str, str]


@pytest.fixture(scope="module")
def data() -> AgencyRecords:
    return generate_agency_records(PEOPLE, seed=11)


@pytest.fixture(scope="module")
def by_person(data: AgencyRecords) -> dict[str, list[tuple[str, Row]]]:
    """Person id -> that person's (source, row) pairs, from the answer key."""
    rows: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for source, source_rows in data.records.items():
        for row in source_rows:
            rows[data.truth[(source, row["record_id"])]].append((source, row))
    return rows


def _phone_key(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        return digits[2:]
    return digits.removeprefix("0")


_ADDRESS_WORDS = {"jalan": "jl", "jln": "jl", "gang": "gg", "dsn": "dusun", "ds": "desa"}


def _address_key(text: str) -> tuple[str, ...]:
    tokens = re.findall(r"[a-z]+|[0-9]+", text.lower())
    return tuple(
        str(int(t)) if t.isdigit() else _ADDRESS_WORDS.get(t, t) for t in tokens if t != "no"
    )


def _birth_date(source: str, row: Row) -> date | None:
    text = row["birth_date"]
    return datetime.strptime(text, SOURCE_PROFILES[source].date_format).date() if text else None


def _households(
    data: AgencyRecords, by_person: dict[str, list[tuple[str, Row]]], kind: str
) -> list[tuple[str, str]]:
    """Pairs of different people of ``kind`` with records at one address and one phone."""
    people = [pid for pid, k in data.kinds.items() if k == kind]
    pairs = []
    for first, second in combinations(people, 2):
        for (_, a), (_, b) in product(by_person[first], by_person[second]):
            if (
                a["phone"]
                and b["phone"]
                and a["address"]
                and _phone_key(a["phone"]) == _phone_key(b["phone"])
                and _address_key(a["address"]) == _address_key(b["address"])
            ):
                pairs.append((first, second))
                break
    return pairs


def test_same_seed_gives_identical_records_whatever_the_global_random_state() -> None:
    random.seed(1)
    first = generate_agency_records(60, seed=5)
    random.seed(2)
    second = generate_agency_records(60, seed=5)
    assert first == second


def test_another_seed_gives_other_records() -> None:
    first = generate_agency_records(60, seed=5)
    other = generate_agency_records(60, seed=6)
    assert first.records["bp2mi"] != other.records["bp2mi"]
    assert {r["full_name"] for r in first.records["bp2mi"]} != {
        r["full_name"] for r in other.records["bp2mi"]
    }


def test_every_source_has_rows_with_exactly_the_columns_as_strings(data: AgencyRecords) -> None:
    assert tuple(data.records) == SOURCES
    for rows in data.records.values():
        assert rows
        for row in rows:
            assert tuple(row) == COLUMNS
            assert all(isinstance(value, str) for value in row.values())


def test_record_ids_are_unique_within_a_source_and_carry_its_prefix(data: AgencyRecords) -> None:
    for source, rows in data.records.items():
        ids = [row["record_id"] for row in rows]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(rf"{SOURCE_PROFILES[source].prefix}-[0-9]{{6}}", i) for i in ids)


def test_truth_covers_exactly_the_records_and_every_person(data: AgencyRecords) -> None:
    keys = {(source, row["record_id"]) for source, rows in data.records.items() for row in rows}
    assert set(data.truth) == keys
    assert set(data.truth.values()) == set(data.kinds)
    assert len(data.kinds) == PEOPLE


def test_about_a_tenth_of_people_are_hard_negatives(data: AgencyRecords) -> None:
    counts = {kind: list(data.kinds.values()).count(kind) for kind in set(data.kinds.values())}
    assert set(counts) == {"ordinary", "namesake", "relative", "twin"}
    assert counts["twin"] % 2 == 0
    assert 0.05 <= 1 - counts["ordinary"] / PEOPLE <= 0.15


def test_people_appear_in_several_sources_and_repeat_within_imigrasi(
    by_person: dict[str, list[tuple[str, Row]]],
) -> None:
    source_counts = [len({source for source, _ in rows}) for rows in by_person.values()]
    assert max(source_counts) == 4
    assert sum(count >= 2 for count in source_counts) > PEOPLE / 2
    # A repeat departure: the same person twice at imigrasi with a renewed passport.
    assert any(
        len({row["passport_no"] for source, row in rows if source == "imigrasi"}) >= 2
        for rows in by_person.values()
    )


def test_names_vary_between_the_records_of_one_person(
    by_person: dict[str, list[tuple[str, Row]]],
) -> None:
    multi = [rows for rows in by_person.values() if len({s for s, _ in rows}) >= 2]
    differing = [rows for rows in multi if len({r["full_name"].casefold() for _, r in rows}) > 1]
    assert len(differing) / len(multi) > 0.3
    names = [row["full_name"] for rows in by_person.values() for _, row in rows]
    assert any(re.search(r"\b(bin|binti|BIN|BINTI)\b", name) for name in names)
    assert any(re.search(r"(?i)dj|oe|tj", name) for name in names)  # old spelling
    muhammads = {m.casefold() for n in names for m in re.findall(r"(?i)\bM[ou]\w*\.?", n)}
    assert len(muhammads & {"muhammad", "muhamad", "mohammad", "mochamad", "moh.", "muh."}) >= 2
    # Some people's names differ only in what name normalisation undoes (titles, bin/binti,
    # spelling, Muhammad variants).
    undone = [
        rows
        for rows in differing
        if len({normalize_name(r["full_name"]).text for _, r in rows}) == 1
    ]
    assert undone


def test_twins_share_birth_date_address_phone_and_nik_up_to_the_serial(
    data: AgencyRecords, by_person: dict[str, list[tuple[str, Row]]]
) -> None:
    pairs = _households(data, by_person, "twin")
    assert pairs

    def same_birth_date(first: str, second: str) -> bool:
        births = [{_birth_date(s, r) for s, r in by_person[p]} - {None} for p in (first, second)]
        return bool(births[0] & births[1])

    # Any one record may carry a wrong date or NIK, so not every pair shows everything.
    assert any(same_birth_date(first, second) for first, second in pairs)

    def adjacent_niks(first: str, second: str) -> bool:
        niks = [{r["national_id"] for _, r in by_person[pid]} - {""} for pid in (first, second)]
        return any(
            a[:12] == b[:12] and abs(int(a[12:]) - int(b[12:])) == 1
            for a, b in product(niks[0], niks[1])
        )

    assert any(adjacent_niks(first, second) for first, second in pairs)


def test_relatives_share_address_and_phone_but_not_birth_date(
    data: AgencyRecords, by_person: dict[str, list[tuple[str, Row]]]
) -> None:
    pairs = _households(data, by_person, "relative")
    assert pairs
    for first, second in pairs:
        assert first != second
        births = [
            {_birth_date(s, r) for s, r in by_person[pid]} - {None} for pid in (first, second)
        ]
        assert not births[0] & births[1]


def test_namesakes_are_written_alike_but_are_different_people(
    data: AgencyRecords, by_person: dict[str, list[tuple[str, Row]]]
) -> None:
    people = [pid for pid, kind in data.kinds.items() if kind == "namesake"]
    alike = [
        (first, second)
        for first, second in combinations(people, 2)
        if {r["full_name"].casefold() for _, r in by_person[first]}
        & {r["full_name"].casefold() for _, r in by_person[second]}
    ]
    assert alike
    for first, second in alike:
        niks = [
            {r["national_id"][:12] for _, r in by_person[pid]} - {""} for pid in (first, second)
        ]
        assert not niks[0] & niks[1]


def test_identifiers_and_dates_look_like_agency_extracts(data: AgencyRecords) -> None:
    regions = set()
    for source, rows in data.records.items():
        profile = SOURCE_PROFILES[source]
        for row in rows:
            assert row["national_id"] == "" or re.fullmatch(r"[0-9]{16}", row["national_id"])
            assert row["sex"] in {"", *profile.sex_labels}
            _birth_date(source, row)  # raises if not in the source's format
            assert row["postcode"] == "" or re.fullmatch(r"[1-9][0-9]{4}", row["postcode"])
            assert row["passport_no"] == "" or re.fullmatch(r"[A-Z][0-9]{7}", row["passport_no"])
            if row["phone"]:
                check = check_phone(row["phone"])
                if check.region != "ID":
                    check = check_phone(row["phone"], default_region="KH")
                assert check.region in {"ID", "KH"}, row["phone"]
                regions.add(check.region)
    assert regions == {"ID", "KH"}
    imigrasi = data.records["imigrasi"]
    assert all(row["passport_no"] for row in imigrasi)
    missing_nik = {s: sum(not r["national_id"] for r in data.records[s]) for s in SOURCES}
    assert missing_nik["kemlu"] / len(data.records["kemlu"]) > 0.3
    assert missing_nik["kemnaker"] / len(data.records["kemnaker"]) < 0.1


def test_zero_people_gives_empty_extracts_and_negative_is_refused() -> None:
    empty = generate_agency_records(0)
    assert empty.records == {source: [] for source in SOURCES}
    assert empty.truth == {}
    assert empty.kinds == {}
    with pytest.raises(ValueError, match="people"):
        generate_agency_records(-1)
