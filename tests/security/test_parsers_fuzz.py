"""Bad input at scale for the readers: property tests of every parser that takes what
people or agencies type or send.

Each reader, on anything at all, either answers or raises its documented error (one
that names the line or the field); it answers within a time bound (no input makes it
hang); and the valid records in the same input are kept, as they were written. The
NIK, phone and offer-text properties extend those beside their modules (which cover
short and any text); these add structured and adversarial input. The atheris
harnesses ``fuzz_*.py`` beside this file run the same targets coverage-guided
(docs/security-testing.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from lindungi.identity.ingest import FIELDS, SourceFileError, read_rows, read_source
from lindungi.monitoring.intake import KINDS, Reading, Refused, parse_time, read
from lindungi.monitoring.zones import ZoneFileError, parse_zones, read_zones
from lindungi.people.nik import build_nik, district_codes, nik_facts
from lindungi.people.validation import check_nik, check_phone
from lindungi.recruiters import service as registry
from lindungi.recruiters.importer import (
    COLUMNS,
    HeaderError,
    RegistryRow,
    RowError,
    read_registry,
)
from lindungi.recruiters.normalize import phone_key
from lindungi.screening.batch import Tally, check_offer_lines, screen_lines
from lindungi.screening.contacts import phones
from lindungi.screening.lookups import Lookups
from lindungi.screening.offer_text import analyse_offer

REF = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
#: Seconds one call may take on the largest input drawn here (typically milliseconds).
BOUND = 10.0
E164 = r"\+[1-9][0-9]{4,18}"  # the plan of Indonesia allows 17 national digits


class Hang(Exception):
    """A reader ran past the time bound."""


@contextmanager
def within(seconds: float = BOUND) -> Iterator[None]:
    """Fail (rather than wait) when the block runs past ``seconds``."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < seconds


# --- what people type -----------------------------------------------------------------

digits_and_separators = st.text(alphabet="0123456789 .-/\t\n٠١٢٣٤٥٦٧٨٩０１２", max_size=40)
long_digits = st.integers(1, 20_000).map(lambda n: "9" * n)
anything = st.one_of(st.text(), digits_and_separators, long_digits, st.text(max_size=2000))


def _nested(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=5) | st.dictionaries(
        st.text(max_size=12), children, max_size=5
    )


json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.integers(-(2**2000), 2**2000),
        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    ),
    _nested,
    max_leaves=30,
)  # fmt: skip


# --- NIK ------------------------------------------------------------------------------


@given(anything)
def test_nik_checks_answer_on_any_text(text: str) -> None:
    with within():
        check = check_nik(text, reference_date=REF)
        facts = nik_facts(text, reference_date=REF)
    assert check.valid == (not check.problems)
    assert (facts is None) == (not check.valid)
    if facts is not None:
        assert re.fullmatch(r"[0-9]{16}", facts.nik)


@given(
    st.sampled_from(district_codes()),
    st.dates(dt.date(REF.year - 99, 1, 1), REF),
    st.sampled_from(["M", "F"]),
    st.integers(1, 9999),
    st.sampled_from(["{}", " {} ", "{0}.{1}.{2}", "{0} {1} {2}"]),
)
def test_a_built_nik_reads_back_however_it_is_written(
    district: str, born: dt.date, sex: str, serial: int, layout: str
) -> None:
    nik = build_nik(district, born, sex, serial)  # type: ignore[arg-type]
    written = layout.format(nik[:6], nik[6:12], nik[12:]) if "{0}" in layout else layout.format(nik)
    facts = nik_facts(written, reference_date=REF)
    assert facts is not None
    assert (facts.nik, facts.district_code, facts.birth_date, facts.sex) == (
        nik,
        district,
        born,
        sex,
    )
    check = check_nik(written, birth_date=born, sex=sex, reference_date=REF)  # type: ignore[arg-type]
    assert check.valid
    assert check.problems == ()


@given(st.text(max_size=12), st.dates(), st.text(max_size=2), st.integers())
def test_building_a_nik_refuses_bad_parts_with_value_error(
    district: str, born: dt.date, sex: str, serial: int
) -> None:
    try:
        nik = build_nik(district, born, sex, serial)  # type: ignore[arg-type]
    except ValueError as error:
        nik = str(error)
    assert re.fullmatch(r"[0-9]{16}|(district_code|sex|serial) must .*", nik)


# --- phones ---------------------------------------------------------------------------


@given(anything)
def test_phone_readers_answer_e164_or_nothing_on_any_text(text: str) -> None:
    with within():
        check, key, found = check_phone(text), phone_key(text), phones(text)
    assert (check.e164 is None) == (check.problem is not None)
    for number in [n for n in (check.e164, key, *found) if n is not None]:
        assert re.fullmatch(E164, number)
    if check.e164 is not None:  # a valid number reads back as itself
        again = phonenumbers.parse(check.e164)
        assert phonenumbers.format_number(again, phonenumbers.PhoneNumberFormat.E164) == check.e164


mobiles = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["811", "812", "813", "821", "822", "852", "853", "857", "858", "878"]),
    st.from_regex(r"[0-9]{7,8}", fullmatch=True),
)


@given(mobiles, st.sampled_from(["0{}", "+62{}", "62{}", "+62 {a} {b}", "0{a}-{b}", "(0{a}) {b}"]))
def test_an_indonesian_mobile_reads_the_same_however_it_is_written(
    number: str, layout: str
) -> None:
    plain = check_phone("0" + number)
    assume(plain.e164 is not None)
    written = layout.format(number, a=number[:3], b=number[3:])
    assert check_phone(written).e164 == plain.e164 == f"+62{number}"
    assert phone_key(written) == plain.e164


# --- offer text -----------------------------------------------------------------------

PIECES = ["1", "9", ".", ",", "000", "Rp", "$", "jt", "juta", " ", "gaji", "@", "+", "-",
          "08", "62", "t.me/", "🔥", "\u200b", "ｇａｊｉ", "WA", "/bln", "k", "x"]  # fmt: skip


@given(st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 2000)), min_size=1, max_size=6))
@settings(max_examples=60)
def test_offer_text_of_long_repetitions_is_read_in_bounded_time(
    runs: list[tuple[str, int]],
) -> None:
    text = "".join(piece * times for piece, times in runs)[:20_000]  # the API's and batch's limit
    with within():
        facts = analyse_offer(text)
    for money in facts.salaries + facts.fees:
        assert math.isfinite(money.idr_month)
        assert money.idr_month >= 0
        assert money.low <= money.amount


# --- the recruiter registry file (contract 1) -----------------------------------------

licences = st.from_regex(r"KEP\.[1-9][0-9]{0,3}/PPTKLN/20[0-9]{2}", fullmatch=True)
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                min_size=1, max_size=60).filter(lambda s: s.strip() == s and s)  # fmt: skip
valid_rows = st.fixed_dictionaries(
    {
        "licence_no": licences,
        "name": names,
        "status": st.sampled_from(["active", "suspended", "revoked", "ACTIVE"]),
        "valid_until": st.one_of(st.just(""), st.dates().map(dt.date.isoformat)),
        "bond_idr": st.one_of(st.just(""), st.integers(0, 10**15).map(str)),
        "phone": st.one_of(st.just(""), mobiles.map(lambda n: "0" + n)),
        "address": st.one_of(st.just(""), names),
    }
)
junk_rows = st.dictionaries(st.sampled_from(COLUMNS), st.text(max_size=40)).map(
    lambda row: {c: row.get(c, "") for c in COLUMNS}
)


def registry_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@given(st.lists(st.one_of(valid_rows.map(lambda r: (True, r)), junk_rows.map(lambda r: (False, r))),
                max_size=12))  # fmt: skip
def test_the_registry_file_keeps_every_valid_row_and_names_each_bad_one(
    rows: list[tuple[bool, dict[str, str]]],
) -> None:
    with within():
        read = list(read_registry(io.StringIO(registry_csv([r for _, r in rows]))))
    starts = [
        2 + sum(registry_csv([r]).count("\n") - 1 for _, r in rows[:n]) for n in range(len(rows))
    ]
    assert [r.line for r in read] == starts  # where each row starts, however many lines it spans
    for (valid, row), got in zip(rows, read, strict=True):
        if valid:  # a junk row may happen to be valid too
            assert isinstance(got, RegistryRow), got
            assert (got.licence_no, got.name, got.status) == (
                row["licence_no"], row["name"], row["status"].lower()
            )  # fmt: skip
            assert got.bond_idr == (int(row["bond_idr"]) if row["bond_idr"] else None)
        if isinstance(got, RowError):
            assert got.field in (*COLUMNS, "row")
            assert str(got).startswith(f"line {got.line}: {got.field}: ")


@given(st.lists(st.text(max_size=300), max_size=8), st.booleans())
def test_the_registry_file_never_raises_but_a_header_error(lines: list[str], header: bool) -> None:
    text = (",".join(COLUMNS) + "\n" if header else "") + "\n".join(lines)
    read: list[object]
    try:
        with within():
            read = list(read_registry(io.StringIO(text)))
    except HeaderError as error:
        read = [error]
    assert all(isinstance(r, RegistryRow | RowError) for r in read) or str(read[0]).startswith(
        "line 1: "
    )


def test_a_field_past_the_csv_limit_costs_its_row_only() -> None:
    text = registry_csv([dict.fromkeys(COLUMNS, "")])
    text += (
        "KEP.1/PPTKLN/2020,PT A,active,,,"
        + "9" * 200_000
        + ",\nKEP.2/PPTKLN/2020,PT B,active,,,,\n"
    )
    read = list(read_registry(io.StringIO(text)))
    assert [str(r) for r in read if isinstance(r, RowError)] == [
        "line 2: licence_no: is empty",
        "line 3: row: is not CSV (field larger than field limit (131072)); skipped",
    ]
    assert [r.licence_no for r in read if isinstance(r, RegistryRow)] == ["KEP.2/PPTKLN/2020"]


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ({"bond_idr": "9" * 5000}, "line 2: bond_idr: is longer than 300 characters"),
        ({"bond_idr": "1" + "0" * 16}, "line 2: bond_idr: 10000000000000000 is more than "
                                       "1,000,000,000,000,000 rupiah"),
        ({"bond_idr": "²"}, "line 2: bond_idr: '²' is not a whole number of rupiah"),
        ({"licence_no": "K" * 101}, "line 2: licence_no: is longer than 100 characters"),
        ({"name": "PT \x00 Maju"}, "line 2: name: contains a NUL character"),
    ],
)  # fmt: skip
def test_registry_values_no_database_can_store_are_refused(
    cells: dict[str, str], error: str
) -> None:
    row = {"licence_no": "KEP.1/PPTKLN/2020", "name": "PT A", "status": "active"} | cells
    (read,) = read_registry(io.StringIO(registry_csv([{c: row.get(c, "") for c in COLUMNS}])))
    assert str(read) == error


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(valid_rows, junk_rows), max_size=6))
def test_every_row_the_registry_file_takes_is_stored_on_both_databases(
    session: Session, rows: list[dict[str, str]]
) -> None:
    read = list(read_registry(io.StringIO(registry_csv(rows))))
    savepoint = session.begin_nested()
    try:
        report = registry.import_registry(session, iter(read), actor="test", source="fuzz.csv")
    finally:
        savepoint.rollback()
    taken = [r for r in read if isinstance(r, RegistryRow)]
    assert report.created + report.updated + report.unchanged == len(taken)
    assert len(report.errors) == len(read) - len(taken)


# --- agency extracts for linkage (contract 4) -----------------------------------------

DATE_LAYOUTS = ["{y}-{m}-{d}", "{d}/{m}/{y}", "{d}-{m}-{y}", "{d}.{m}.{y}", "{y}{m}{d}"]
people = st.lists(
    st.fixed_dictionaries(
        {
            "full_name": names,
            "birth_date": st.tuples(st.dates(dt.date(1000, 1, 1)), st.sampled_from(DATE_LAYOUTS)),
            "sex": st.sampled_from(["M", "F", "L", "P", "laki-laki", "perempuan", ""]),
        }
    ),
    min_size=1,
    max_size=8,
)


@given(people, st.sampled_from([",", ";", "\t", "|"]))
def test_an_extract_keeps_every_valid_row_as_written(
    rows: list[dict[str, Any]], delimiter: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["record_id", "full_name", "birth_date", "sex"])
    for n, row in enumerate(rows, 1):
        day, layout = row["birth_date"]
        born = layout.format(y=f"{day.year:04d}", m=f"{day.month:02d}", d=f"{day.day:02d}")
        writer.writerow([f"R{n}", row["full_name"], born, row["sex"]])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        with within():
            result = read_source(path, source="fuzz")
    assert not result.errors, [str(e) for e in result.errors]
    assert [(r.record_id, r.full_name, r.birth_date) for r in result.records] == [
        (f"R{n}", row["full_name"].strip() or None, row["birth_date"][0])
        for n, row in enumerate(rows, 1)
    ]


@given(st.binary(max_size=3000) | st.lists(st.text(max_size=60), max_size=10).map(
    lambda lines: ("record_id,full_name,birth_date,sex\n" + "\n".join(lines)).encode()
))  # fmt: skip
def test_an_extract_of_any_bytes_answers_or_refuses_the_file_by_name(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.csv"
        path.write_bytes(content)
        try:
            with within():
                problems = [str(e) for e in read_source(path, source="fuzz").errors]
        except SourceFileError as error:
            problems = [str(error)]
    assert all(re.match(rf"{re.escape(str(path))}(:[1-9][0-9]*)?[: ]", p) for p in problems)


@given(st.lists(st.dictionaries(st.sampled_from([*FIELDS, "x"]), json_values, min_size=1),
                min_size=1, max_size=5))  # fmt: skip
def test_rows_in_memory_of_any_values_answer_or_refuse_by_name(rows: list[dict[str, Any]]) -> None:
    try:
        with within():
            problems = [str(e) for e in read_rows(rows, source="fuzz", name="rows").errors]
    except SourceFileError as error:
        problems = [str(error)]
    assert all(re.match(r"rows(:[1-9][0-9]*)?[: ]", p) for p in problems)


def test_a_carriage_return_inside_the_header_refuses_the_file_by_name(tmp_path: Path) -> None:
    """Found by fuzz_extract_csv.py: the csv module's error escaped the reader."""
    path = tmp_path / "extract.csv"
    path.write_bytes(b"record_id,full\rname\n1,Siti\n")
    with pytest.raises(SourceFileError) as refused:
        read_source(path, source="fuzz")
    assert str(refused.value) == (
        f"{path}:1: the header is not CSV (new-line character seen in unquoted field)"
    )


# --- JSON Lines (contracts 2 and 3) ---------------------------------------------------

travellers = st.fixed_dictionaries(
    {"id": st.from_regex(r"T-[0-9]{1,6}", fullmatch=True)},
    optional={
        "person": st.fixed_dictionaries({}, optional={
            "full_name": names, "nik": digits_and_separators, "sex": st.sampled_from(["M", "F"]),
            "birth_date": st.dates(dt.date(1930, 1, 1), REF).map(dt.date.isoformat)}),
        "trip": st.fixed_dictionaries({}, optional={
            "destination_country": st.sampled_from(["KH", "MY", "SA", "JP"]),
            "visa_type": st.sampled_from(["tourist", "work", "none"]),
            "return_ticket": st.booleans()}),
        "job_offer": st.fixed_dictionaries({}, optional={
            "text": st.text(max_size=200), "salary_idr_month": st.integers(0, 10**9)}),
        "history": st.fixed_dictionaries({}, optional={"deportations": st.integers(0, 5)}),
        "extra": json_values,
    },
)  # fmt: skip
junk_lines = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 5000).map(lambda n: b"[" * n),
    st.just(b'{"id": "\\ud800"}'),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.one_of(travellers.map(lambda t: (True, t)), junk_lines.map(lambda j: (False, j))),
             max_size=8),
    st.booleans(),
)  # fmt: skip
def test_json_lines_give_one_line_each_in_order_and_screen_every_valid_one(
    session: Session, lines: list[tuple[bool, Any]], offers: bool
) -> None:
    raw = [json.dumps(item).encode() if valid else item for valid, item in lines]
    if offers:  # contract 3 reads id and text
        raw = [json.dumps({"id": i["id"], "text": i.get("job_offer", {}).get("text", "")}).encode()
               if valid else r for (valid, i), r in zip(lines, raw, strict=True)]  # fmt: skip
    lookups = Lookups(session, REF, batch=True)
    read = check_offer_lines if offers else screen_lines
    with within():
        written = list(read(raw, lookups, Tally()))
    out = [json.loads(line.encode("utf-8")) for line in written]  # each writable as UTF-8
    numbered = [(n, valid, item) for n, ((valid, item), r) in enumerate(zip(lines, raw, strict=True), 1)
                if r.strip()]  # fmt: skip
    assert len(out) == len(numbered)
    for (number, valid, item), answer in zip(numbered, out, strict=True):
        if valid:
            assert (answer["id"], answer["band"] in ("low", "medium", "high")) == (item["id"], True)
        elif "error" in answer:
            assert (answer["line"], bool(answer["error"])) == (number, True)


# --- zones (contract 5) and check-ins -------------------------------------------------

boxes = st.tuples(
    st.floats(-179, 178), st.floats(-89, 88), st.floats(0.001, 1), st.floats(0.001, 1)
)


@given(st.lists(st.tuples(boxes, st.sampled_from(["work", "high_risk", "other"])),
                min_size=1, max_size=6))  # fmt: skip
def test_valid_zones_are_kept_with_their_ids_kinds_and_areas(
    zones: list[tuple[tuple[float, float, float, float], str]],
) -> None:
    features = [
        {"type": "Feature", "properties": {"zone_id": f"Z{n}", "kind": kind},
         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + w, y], [x + w, y + h],
                                                           [x, y + h], [x, y]]]}}
        for n, ((x, y, w, h), kind) in enumerate(zones)
    ]  # fmt: skip
    with within():
        read = parse_zones({"type": "FeatureCollection", "features": features})
    assert [(z.zone_id, z.kind) for z in read.zones] == [
        (f"Z{n}", k) for n, (_, k) in enumerate(zones)
    ]
    for zone, ((_, _, w, h), _) in zip(read.zones, zones, strict=True):
        assert zone.geometry.area == pytest.approx(w * h, rel=1e-6)
    assert read.repairs == []


def geojson_like(value: Any) -> Any:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"zone_id": "Z", "kind": "work"}, "geometry": value},
        {"type": "Feature", "properties": value, "geometry": {"type": "Polygon", "coordinates": value}},
        value,
    ], "crs": value}  # fmt: skip


@given(st.one_of(json_values, json_values.map(geojson_like)))
def test_any_json_gives_zones_or_a_zone_file_error(document: Any) -> None:
    problems = ["zones.geojson: "]
    try:
        with within():
            parse_zones(document, "zones.geojson")
    except ZoneFileError as error:
        problems = error.problems
    assert problems
    assert all(p.startswith("zones.geojson: ") for p in problems)


@given(st.binary(max_size=500))
def test_a_zones_file_of_any_bytes_gives_zones_or_a_zone_file_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "zones.geojson"
        path.write_bytes(content)
        problems = []
        try:
            read_zones(path)
        except ZoneFileError as error:
            problems = error.problems
    assert all(p.startswith(str(path)) for p in problems)


CHECKIN_FIELDS = ["subject", "kind", "at", "lon", "lat", "accuracy_m"]


@given(st.dictionaries(st.sampled_from(CHECKIN_FIELDS), json_values))
def test_any_check_in_is_read_or_refused_naming_a_field(record: dict[str, Any]) -> None:
    got = read(record, NOW, NOW - dt.timedelta(days=30))
    if isinstance(got, Refused):
        assert got.field in CHECKIN_FIELDS
        assert got.error
    else:
        assert abs(got.lon) <= 180
        assert abs(got.lat) <= 90


@given(json_values)
def test_any_time_is_an_aware_instant_or_none(value: Any) -> None:
    moment = parse_time(value)
    assert moment is None or moment.tzinfo is not None


@given(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).filter(str.strip),
    st.sampled_from(KINDS),
    st.datetimes(NOW.replace(tzinfo=None) - dt.timedelta(days=29), NOW.replace(tzinfo=None),
                 timezones=st.just(dt.UTC)),
    st.floats(-180, 180),
    st.floats(-90, 90),
    st.one_of(st.none(), st.floats(0, 1e6)),
    st.booleans(),
)  # fmt: skip
def test_a_valid_check_in_is_taken_as_sent(
    subject: str, kind: str, at: dt.datetime, lon: float, lat: float,
    accuracy: float | None, epoch: bool,
) -> None:  # fmt: skip
    record = {"subject": subject, "kind": kind, "lon": lon, "lat": lat, "accuracy_m": accuracy,
              "at": at.timestamp() if epoch else at.isoformat()}  # fmt: skip
    got = read(record, NOW, NOW - dt.timedelta(days=30))
    assert isinstance(got, Reading), got
    assert (got.subject, got.kind, got.lon, got.lat, got.accuracy_m) == (
        subject.strip(),
        kind,
        lon,
        lat,
        accuracy,
    )
    assert abs((got.at - at).total_seconds()) < 1e-3


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"lon": 2**1100}, "lon"),
        ({"at": 2**1100}, "at"),
        ({"accuracy_m": 2**1100}, "accuracy_m"),
    ],
)
def test_integers_past_any_float_are_refused_not_raised(record: dict[str, Any], field: str) -> None:
    good = {"subject": "k" * 20, "at": NOW.isoformat(), "lon": 103.5, "lat": 10.6}
    got = read({**good, **record}, NOW, NOW - dt.timedelta(days=30))
    assert isinstance(got, Refused)
    assert got.field == field


@pytest.mark.parametrize(
    "crs", [{"properties": ["x"]}, {"properties": {"name": ["EPSG:4326"]}}, "EPSG:4326"]
)
def test_a_malformed_crs_is_refused_not_raised(crs: object) -> None:
    with pytest.raises(ZoneFileError, match=r"^z: crs .* is not WGS84 lon/lat$"):
        parse_zones({"type": "FeatureCollection", "crs": crs, "features": []}, "z")


def test_a_coordinate_past_any_float_is_refused_naming_the_zone() -> None:
    ring = [[0, 0], [2**1100, 0], [1, 1], [0, 0]]
    feature = {"type": "Feature", "properties": {"zone_id": "Z1", "kind": "work"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    with pytest.raises(ZoneFileError) as refused:
        parse_zones({"type": "FeatureCollection", "features": [feature]}, "z")
    assert refused.value.problems == [
        "z: zone Z1 (feature 1): ring 1, position 2 is out of range (lon -180..180, lat -90..90)"
    ]


def test_json_lines_nested_past_the_stack_or_with_a_lone_surrogate_get_an_error_line(
    session: Session,
) -> None:
    lookups = Lookups(session, REF, batch=True)
    raw = [b"[" * 100_000, b'{"id": "\\ud800"}', b'{"id": "T-1"}']
    out = [json.loads(line) for line in screen_lines(raw, lookups, Tally())]
    assert [sorted(o) for o in out] == [
        ["error", "line"], ["error", "line"], ["action", "band", "id", "indicators", "rulebook",
                                               "score"],
    ]  # fmt: skip
    assert out[0]["error"].startswith("not a JSON object: Invalid JSON: recursion limit exceeded")


# --- the atheris harnesses, briefly ---------------------------------------------------

HARNESSES = sorted(p for p in Path(__file__).parent.glob("fuzz_*.py") if p.stem != "fuzz_support")
ATHERIS_RUNS = 2000


@pytest.mark.parametrize("harness", HARNESSES, ids=lambda p: p.stem)
def test_each_atheris_harness_runs_clean_for_a_bounded_seeded_run(
    harness: Path, tmp_path: Path
) -> None:
    """Coverage-guided, a few thousand inputs each (seconds); longer campaigns are run by
    hand (docs/security-testing.md). A crash leaves its input in ``tmp_path``."""
    pytest.importorskip("atheris", reason="atheris has no wheel for this platform")
    run = subprocess.run(
        [sys.executable, str(harness), f"-runs={ATHERIS_RUNS}", "-seed=1", "-max_len=4096",
         f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-4000:]
    assert f"Done {ATHERIS_RUNS} runs" in run.stderr
