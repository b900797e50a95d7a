"""``lindungi geofence`` (contract 5) as a user runs it: exact output bytes, the summary on
stderr, exit statuses and messages for bad files; and how ts is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from lindungi.cli import app
from lindungi.monitoring.geofence_cli import parse_instant

ZONES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"zone_id": "work-B", "kind": "work"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}},
        {"type": "Feature", "properties": {"zone_id": "risk-A", "kind": "high_risk"},
         "geometry": {"type": "Polygon", "coordinates": [[[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]}},
    ],
}  # fmt: skip
PINGS = """person_id,ts,lon,lat
p1,2024-05-01T10:00:00Z,-1,-1
p1,2024-05-01T10:05:00+07:00,1.5,1.5
p1,1714557600,2,2
p2,1714557600.5,0,0
p1,2024-05-01T11:00:00.000000001Z,5,5
"""
EVENTS = """person_id,ts,zone_id,event
p1,2024-05-01T10:05:00+07:00,risk-A,enter
p1,2024-05-01T10:05:00+07:00,work-B,enter
p1,2024-05-01T10:00:00Z,risk-A,exit
p1,2024-05-01T10:00:00Z,work-B,exit
p1,1714557600,risk-A,enter
p1,1714557600,work-B,enter
p1,2024-05-01T11:00:00.000000001Z,risk-A,exit
p1,2024-05-01T11:00:00.000000001Z,work-B,exit
p2,1714557600.5,work-B,enter
"""


def files(tmp_path: Path, pings: str = PINGS, zones: object = ZONES) -> tuple[Path, Path, Path]:
    (tmp_path / "zones.geojson").write_text(json.dumps(zones), encoding="utf-8")
    (tmp_path / "pings.csv").write_text(pings, encoding="utf-8")
    return tmp_path / "zones.geojson", tmp_path / "pings.csv", tmp_path / "events.csv"


def run(zones: Path, pings: Path | str, out: Path | str) -> Result:
    args = ["geofence", "--zones", str(zones), "--pings", str(pings), "--out", str(out)]
    return CliRunner().invoke(app, args)


def test_events_are_written_exactly_in_contract_order(tmp_path: Path) -> None:
    zones, pings, out = files(tmp_path)
    done = run(zones, pings, out)
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == EVENTS.encode()
    assert done.stderr == (
        f"geofence: 5 pings read from {pings}; 5 evaluated against 2 zones\n"
        f"geofence: 9 events (5 enter, 4 exit) written to {out}\n"
    )


def test_invalid_coordinates_are_counted_and_unreadable_lines_named(tmp_path: Path) -> None:
    pings = PINGS + "\n".join([
        "p2,2024-05-01T12:00:00Z,,1",  # line 7: empty: skipped, p2 stays inside
        "p2,2024-05-01T12:01:00Z,0.5,NaN",
        "p2,2024-05-01T12:02:00Z,181,0",
        "p2,yesterday,9,9",  # line 10
        "p2,2024-05-01T12:03:00Z,9",  # a field short
        ",2024-05-01T12:04:00Z,9,9",
        "p2,2024-05-01T12:05:00Z,abc,1",
        "p2,2024-05-01T12:06:00Z,0.5,0.5",  # still inside: no event
    ]) + "\n"  # fmt: skip
    zones, pings_file, out = files(tmp_path, pings)
    done = run(zones, pings_file, out)
    assert done.exit_code == 1  # some lines could not be read; the rest still count
    assert out.read_bytes() == EVENTS.encode()
    assert done.stderr.splitlines() == [
        f"{pings_file}:10: ts: 'yesterday' is neither ISO 8601 nor epoch seconds",
        f"{pings_file}:11: 3 fields; the header has 4",
        f"{pings_file}:12: person_id: empty",
        f"geofence: 13 pings read from {pings_file}; 6 evaluated against 2 zones",
        "geofence: 4 pings skipped with an invalid coordinate (lines 7, 8, 9, 13)",
        "geofence: 3 lines skipped as unreadable",
        f"geofence: 9 events (5 enter, 4 exit) written to {out}",
    ]


def test_only_invalid_coordinates_still_succeed(tmp_path: Path) -> None:
    zones, pings, out = files(tmp_path, "person_id,ts,lon,lat\np,1,nan,0\np,2,1,1\n")
    done = run(zones, pings, out)
    assert done.exit_code == 0
    assert out.read_text() == "person_id,ts,zone_id,event\np,2,risk-A,enter\np,2,work-B,enter\n"
    assert "geofence: 1 ping skipped with an invalid coordinate (line 2)" in done.stderr


def test_columns_in_another_order_quoting_and_standard_output(tmp_path: Path) -> None:
    pings = 'lat,extra,lon,ts,person_id\n1,x,1,5,"Sari, W."\n1,y,1,5,"b""q"\n'
    zones, pings_file, _ = files(tmp_path, pings)
    done = run(zones, pings_file, "-")
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        'person_id,ts,zone_id,event\n"Sari, W.",5,risk-A,enter\n"Sari, W.",5,work-B,enter\n'
        '"b""q",5,risk-A,enter\n"b""q",5,work-B,enter\n'
    )


@pytest.mark.parametrize(
    ("pings", "message"),
    [
        ("", "error: {pings}: empty; expected the header person_id,ts,lon,lat\n"),
        (
            "person,ts,lon,lat\n",
            "error: {pings}:1: the header lacks person_id (expected person_id,ts,lon,lat)\n",
        ),
    ],
)
def test_a_pings_file_without_its_header_is_refused(tmp_path: Path, pings: str, message: str) -> None:  # fmt: skip
    zones, pings_file, out = files(tmp_path, pings)
    done = run(zones, pings_file, out)
    assert (done.exit_code, done.stderr) == (1, message.format(pings=pings_file))
    assert not out.exists()


def test_unreadable_files_give_a_message_and_no_output(tmp_path: Path) -> None:
    zones, pings, out = files(tmp_path)
    missing = run(tmp_path / "nope.geojson", pings, out)
    assert missing.exit_code == 1
    assert missing.stderr == (f"error: {tmp_path / 'nope.geojson'}: No such file or directory\n"
                              f"error: {tmp_path / 'nope.geojson'}: zones refused; nothing evaluated\n")  # fmt: skip
    gone = run(zones, tmp_path / "nope.csv", out)
    assert (gone.exit_code, gone.stderr) == (1, f"error: {tmp_path / 'nope.csv'}: No such file or directory\n")  # fmt: skip
    pings.write_bytes(b"person_id,ts,lon,lat\np,1,\xff,0\n")
    latin = run(zones, pings, out)
    assert (latin.exit_code, latin.stderr) == (1, f"error: {pings}:2: not UTF-8 text (byte 25: invalid start byte)\n")  # fmt: skip
    nowhere = run(zones, files(tmp_path)[1], tmp_path / "no" / "events.csv")
    assert nowhere.exit_code == 1
    assert "does not exist" in nowhere.stderr
    assert not out.exists()


def test_a_malformed_zone_refuses_the_run_and_a_repair_is_reported(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(ZONES))
    bad["features"][1]["properties"]["kind"] = "danger"
    zones, pings, out = files(tmp_path, zones=bad)
    refused = run(zones, pings, out)
    assert refused.exit_code == 1
    assert not out.exists()
    assert refused.stderr.splitlines() == [
        f'error: {zones}: zone risk-A (feature 2): kind must be one of work, high_risk, other, not "danger"',
        f"error: {zones}: zones refused; nothing evaluated",
    ]
    bowtie = json.loads(json.dumps(ZONES))
    bowtie["features"][0]["geometry"]["coordinates"] = [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]
    zones, pings, out = files(tmp_path, zones=bowtie)
    repaired = run(zones, pings, out)
    assert repaired.exit_code == 0
    assert repaired.stderr.splitlines()[0] == (
        f"warning: {zones}: zone work-B (feature 1): invalid geometry (Self-intersection[1 1]) "
        "repaired with make_valid"
    )


def test_the_installed_command_end_to_end(tmp_path: Path) -> None:
    zones, pings, out = files(tmp_path)
    command = [str(Path(sys.executable).with_name("lindungi")), "geofence", "--zones", str(zones),
               "--pings", str(pings), "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stdout) == (0, "")
    assert out.read_bytes() == EVENTS.encode()


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("1714557600", 1_714_557_600 * 10**9),
        ("1714557600.25", 1_714_557_600_250_000_000),
        ("-1.5", -1_500_000_000),
        (".000000001", 1),
        (" 7 ", 7 * 10**9),
        ("1970-01-01T00:00:01Z", 10**9),
        ("1970-01-01T07:00:01+07:00", 10**9),
        ("1970-01-01 00:00:01", 10**9),  # no offset: UTC
        ("1970-01-01T00:00:00.123456789Z", 123_456_789),  # to the nanosecond
        ("1970-01-01T00:00:00,5", 500_000_000),
        ("1970-01-02", 86_400 * 10**9),
        ("19700101T000001Z", 10**9),
    ],
)
def test_ts_is_read_as_iso_8601_or_epoch_seconds(text: str, ns: int) -> None:
    assert parse_instant(text) == ns


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("yesterday", "neither ISO 8601 nor epoch seconds"),
        ("", "neither ISO 8601 nor epoch seconds"),
        ("1.2.3", "neither ISO 8601 nor epoch seconds"),
        ("1e9", "neither ISO 8601 nor epoch seconds"),
        ("2024-05-01T23:59:60Z", "neither ISO 8601 nor epoch seconds"),
        ("3000-01-01T00:00:00Z", "outside the years 1677-2262"),
        ("99999999999", "outside the years 1677-2262"),
    ],
)
def test_unreadable_ts_says_why(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_instant(text)
