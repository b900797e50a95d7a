"""``lindungi geofence`` (contract 5): zones (GeoJSON) and pings (CSV) in, enter and exit events
(CSV) out. Reading, checking and writing live here; the engine is ``geofence``."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import operator
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from lindungi.clitools import Progress, fail, friendly_errors, write_atomically

if TYPE_CHECKING:  # the engine (numpy, shapely, numba) loads only when the command runs
    import numpy as np
    import numpy.typing as npt

    from lindungi.monitoring.geofence import Events

PING_COLUMNS = ("person_id", "ts", "lon", "lat")
EVENT_COLUMNS = ("person_id", "ts", "zone_id", "event")
SHOWN = 20  # unreadable lines named one by one; the rest are counted
_EPOCH = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?")
_FRACTION = re.compile(r"[.,]\d{6}(\d+)")  # digits past microseconds, kept to nanoseconds
_UNIX = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_INT64 = 2**63


def parse_instant(text: str) -> int:
    """Nanoseconds since 1970-01-01 UTC of an ISO 8601 time (a time without an offset is UTC)
    or of epoch seconds (digits, maybe signed, maybe with a fraction); digits past the
    nanosecond are dropped. Raises ValueError saying why not."""
    s = text.strip()
    epoch = _EPOCH.fullmatch(s)
    if epoch and (epoch[2] or epoch[3]):
        ns = int(epoch[2] or 0) * 10**9 + int((epoch[3] or "")[:9].ljust(9, "0"))
        ns = -ns if epoch[1] == "-" else ns
    else:
        extra, fraction = 0, _FRACTION.search(s)
        if fraction:
            extra = int(fraction[1][:3].ljust(3, "0"))
            s = s[: fraction.start(1)] + s[fraction.end(1) :]
        try:
            when = dt.datetime.fromisoformat(s)
        except ValueError:
            raise ValueError("neither ISO 8601 nor epoch seconds") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        delta = when - _UNIX
        ns = (delta.days * 86_400 + delta.seconds) * 10**9 + delta.microseconds * 1000 + extra
    if not -_INT64 <= ns < _INT64:
        raise ValueError("outside the years 1677-2262")
    return ns


def person_codes(person_ids: list[str]) -> npt.NDArray[np.int64]:
    """A number per ping for its person, the persons numbered in string order (the engine's
    output order)."""
    import numpy as np

    rank = {p: i for i, p in enumerate(sorted(set(person_ids)))}
    return np.fromiter((rank[p] for p in person_ids), np.int64, len(person_ids))


def _coordinate(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")  # an invalid coordinate: skipped and counted by the engine


@dataclasses.dataclass
class Pings:
    """The readable pings of a file (column lists, one item per ping) and the rest, named."""

    person: list[str] = dataclasses.field(default_factory=list)
    ts: list[str] = dataclasses.field(default_factory=list)
    instant: list[int] = dataclasses.field(default_factory=list)
    lon: list[float] = dataclasses.field(default_factory=list)
    lat: list[float] = dataclasses.field(default_factory=list)
    line: list[int] = dataclasses.field(default_factory=list)
    unreadable: list[str] = dataclasses.field(default_factory=list)
    unreadable_count: int = 0

    def refuse(self, name: str, line: int, problem: str) -> None:
        """Skip one line, naming it (the first few) and counting it."""
        self.unreadable_count += 1
        if len(self.unreadable) < SHOWN:
            self.unreadable.append(f"{name}:{line}: {problem}")


def read_pings(handle: TextIO, name: str, progress: Callable[[int], None] | None = None) -> Pings:
    """Read ``person_id,ts,lon,lat`` CSV (columns found by the header, in any order). A line
    with the wrong number of fields, no person_id or an unreadable ts is skipped and named; an
    unreadable coordinate becomes NaN. Raises ValueError when there is no usable header."""
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise ValueError(f"{name}: empty; expected the header {','.join(PING_COLUMNS)}")
    header = [h.strip() for h in header]
    missing = [c for c in PING_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{name}:1: the header lacks {', '.join(missing)} "
                         f"(expected {','.join(PING_COLUMNS)})")  # fmt: skip
    fields = operator.itemgetter(*(header.index(c) for c in PING_COLUMNS))
    pings = Pings()
    for row in reader:
        if not row:
            continue
        line = reader.line_num
        if progress and line % 10_000 == 0:
            progress(line)
        if len(row) != len(header):
            pings.refuse(name, line, f"{len(row)} fields; the header has {len(header)}")
            continue
        person, ts, lon, lat = fields(row)
        if not person:
            pings.refuse(name, line, "person_id: empty")
            continue
        try:
            instant = parse_instant(ts)
        except ValueError as problem:
            pings.refuse(name, line, f"ts: {ts!r} is {problem}")
            continue
        pings.person.append(person)
        pings.ts.append(ts)
        pings.instant.append(instant)
        pings.lon.append(_coordinate(lon))
        pings.lat.append(_coordinate(lat))
        pings.line.append(line)
    return pings


def _read_pings(path: str) -> Pings:
    name = "<stdin>" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as error:
        raise fail(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise fail(f"{name}:{line}: not UTF-8 text (byte {error.start}: {error.reason})") from None
    bar = Progress(f"reading {name}")
    try:
        return read_pings(io.StringIO(text, newline=""), name, bar.update)
    except ValueError as error:
        raise fail(str(error)) from None
    except csv.Error as error:
        raise fail(f"{name}: {error}") from None
    finally:
        bar.close()


@friendly_errors
def geofence_command(
    zones: Annotated[
        Path, typer.Option("--zones", help="Zones: GeoJSON FeatureCollection (zone_id, kind).")
    ],
    pings: Annotated[
        str, typer.Option("--pings", help="Pings: CSV person_id,ts,lon,lat ('-': stdin).")
    ],
    out: Annotated[
        str, typer.Option("--out", help="Events: CSV person_id,ts,zone_id,event ('-': stdout).")
    ],
) -> None:
    """Enter and exit events of persons' pings over zones (contract 5). A point on a zone's
    boundary is inside; a ping with an invalid coordinate is skipped and counted; a line that
    cannot be read is named and skipped (exit status 1, the other lines still count)."""
    import numpy as np

    from lindungi.monitoring import geofence
    from lindungi.monitoring.zones import ZoneFileError, read_zones

    try:
        zone_set = read_zones(zones)
    except ZoneFileError as error:
        for problem in error.problems:
            typer.echo(f"error: {problem}", err=True)
        raise fail(f"{zones}: zones refused; nothing evaluated") from None
    for repair in zone_set.repairs:
        typer.echo(f"warning: {repair}", err=True)
    read = _read_pings(pings)
    index = geofence.build_index([z.zone_id for z in zone_set.zones],
                                 [z.geometry for z in zone_set.zones])  # fmt: skip
    codes = person_codes(read.person)
    instant = np.array(read.instant, np.int64)
    lon, lat = np.array(read.lon, np.float64), np.array(read.lat, np.float64)
    events = geofence.evaluate(index, codes, instant, lon, lat)
    rows = zip(events.ping.tolist(), events.zone.tolist(), events.enter.tolist(), strict=True)

    def write(handle: TextIO) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        writer.writerows((read.person[i], read.ts[i], index.zone_ids[z], "enter" if e else "exit")
                         for i, z, e in rows)  # fmt: skip

    if out == "-":
        write(sys.stdout)
        sys.stdout.flush()
    else:
        write_atomically(Path(out), lambda p: _write_file(p, write))
    source, target = ("<stdin>" if pings == "-" else pings), ("<stdout>" if out == "-" else out)
    _summary(source, target, read, events, len(index.zone_ids))
    if read.unreadable_count:
        raise typer.Exit(1)


def _write_file(path: Path, write: Callable[[TextIO], None]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write(handle)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _summary(source: str, out: str, read: Pings, events: Events, zones: int) -> None:
    """What was read, skipped and written, on stderr; the first lines skipped named."""
    for problem in read.unreadable:
        typer.echo(problem, err=True)
    if read.unreadable_count > len(read.unreadable):
        typer.echo(f"... and {read.unreadable_count - len(read.unreadable)} more", err=True)
    invalid, written = len(events.invalid), len(events.ping)
    entered = int(events.enter.sum())
    total = len(read.person) + read.unreadable_count
    lines = [f"geofence: {_count(total, 'ping')} read from {source}; "
             f"{len(read.person) - invalid} evaluated against {_count(zones, 'zone')}"]  # fmt: skip
    if invalid:
        shown = ", ".join(str(read.line[i]) for i in events.invalid[:SHOWN].tolist())
        lines.append(f"geofence: {_count(invalid, 'ping')} skipped with an invalid coordinate "
                     f"({'line' if invalid == 1 else 'lines'} {shown}"
                     f"{', ...' if invalid > SHOWN else ''})")  # fmt: skip
    if read.unreadable_count:
        lines.append(f"geofence: {_count(read.unreadable_count, 'line')} skipped as unreadable")
    lines.append(f"geofence: {_count(written, 'event')} ({entered} enter, {written - entered} "
                 f"exit) written to {out}")  # fmt: skip
    for line in lines:
        typer.echo(line, err=True)
