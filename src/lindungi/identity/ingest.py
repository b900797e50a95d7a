"""Reading agency person-record extracts (contract 4 input) into checked records.

File I/O only, no database. A CSV or Parquet file becomes :class:`SourceRecord` values
and an :class:`IngestError` for each problem of a refused row, naming the file, the line
and the column as written in the file; the valid rows still come through. Only a file
that cannot be read at all raises :class:`SourceFileError`. Decisions:

- An empty file, a header without rows, and a Parquet file without rows raise
  ``SourceFileError("FILE is empty ...")``: an extract without records is almost always
  the wrong export, and nothing can be linked from it.
- Dates are ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``DD-MM-YYYY``, ``DD.MM.YYYY`` or ``YYYYMMDD``,
  optionally followed by a time, which is dropped. Slash, dot and dash dates are read
  day first, as Indonesian agencies write them. Two-digit years are refused: "01/02/03"
  could be 1903 or 2003 for a birth date, and a wrong guess links the wrong people.
- A row with more fields than the header is refused; a shorter row's missing trailing
  fields are empty. Rows whose cells are all blank are skipped silently.
- ``full_name`` wins; ``given_name`` + ``family_name`` are joined only without it.
  ``national_id`` is kept as written (stripped): the linkage validates NIKs.
- CSV is decoded line by line (see :func:`_decoded_lines`), so the encoding must keep
  ASCII bytes as they are (UTF-8, Latin-1, cp1252 …); UTF-16 is refused.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Literal

FIELDS: tuple[str, ...] = (
    "record_id", "full_name", "given_name", "family_name", "birth_date", "sex",
    "national_id", "passport_no", "phone", "address", "city", "postcode", "seen_at", "outcome",
)  # fmt: skip
PROGRESS_EVERY = 10_000
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYYMMDD"

_DELIMITERS = (",", ";", "\t", "|")
_SEX: dict[str, Literal["M", "F"]] = {
    "m": "M", "l": "M", "male": "M", "laki-laki": "M", "pria": "M",
    "f": "F", "p": "F", "female": "F", "perempuan": "F", "wanita": "F",
}  # fmt: skip
_SEXES = "M/F, L/P, laki-laki/perempuan, pria/wanita, male/female"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE = re.compile(  # one pattern, so a date costs one match: ISO | day first | compact
    r"(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})([/.-])(\d{1,2})\5(\d{4})|(\d{4})(\d{2})(\d{2}))"
    + _TIME,
    re.ASCII,
)
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}" + _TIME, re.ASCII)

Plan = dict[str, tuple[int, str]]  # field -> (cell index, column name as written)
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)  # slots: a million records in memory stay small
class SourceRecord:
    """One checked person record from one agency source."""

    source: str
    record_id: str
    line: int  # CSV: physical line where the row starts (header = 1); Parquet: row + 1
    full_name: str | None
    birth_date: dt.date | None
    sex: Literal["M", "F"] | None
    national_id: str | None
    passport_no: str | None
    phone: str | None
    address: str | None
    city: str | None
    postcode: str | None
    seen_at: dt.date | None
    outcome: str | None


@dataclass(frozen=True)
class IngestError:
    """A row (or the file, at line 0) that was not read, and why."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column + ': ' if self.column else ''}{self.message}"


@dataclass
class IngestResult:
    """The records read from one file and the rows refused."""

    records: list[SourceRecord]
    errors: list[IngestError]


class SourceFileError(ValueError):
    """The whole file cannot be read: missing, unknown format, no record_id column, empty."""


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["NAMA=full_name", "JK=sex"]`` -> ``{"NAMA": "full_name", "JK": "sex"}``.

    Raises ValueError for an item without "=", an unknown field, or a column given twice.
    """
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, field = item.rpartition("=")
        column, field = column.strip(), field.strip().lower()
        if not sep or not column:
            raise ValueError(f"{item!r} is not FILE_COLUMN=field")
        _known(field, f" in {item!r}")
        if column in mapping:
            raise ValueError(f"column {column!r} is mapped twice")
        mapping[column] = field
    return mapping


def _known(field: str, where: str) -> None:
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}{where}; fields: {', '.join(FIELDS)}")


def read_source(
    path: Path,
    *,
    source: str,
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> IngestResult:
    """Read one agency extract (.csv/.tsv/.txt or .parquet/.pq) into checked records.

    ``mapping`` renames the file's columns to :data:`FIELDS`; columns already named as a
    field are taken as they are; other columns are ignored. ``progress`` gets the number
    of rows read so far, every :data:`PROGRESS_EVERY` rows and at the end.
    """
    file, mapping = str(path), mapping or {}
    for field in mapping.values():
        _known(field, " in the mapping")
    if not path.exists():
        raise SourceFileError(f"{file} does not exist")
    if not path.is_file():
        raise SourceFileError(f"{file} is not a file")
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + PARQUET_SUFFIXES:
        raise SourceFileError(
            f"{file}: unknown format {suffix or '(no suffix)'!r}; expected .csv or .parquet"
            + (" (save the sheet as CSV)" if suffix in (".xls", ".xlsx", ".ods") else "")
        )

    def checker(header: Sequence[str]) -> _Checker:
        return _Checker(file, source, _plan(file, header, mapping), progress)

    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path, file, encoding, checker).finish()
        return _read_parquet(path, file, checker).finish()
    except OSError as exc:
        raise SourceFileError(f"{file} cannot be read: {exc.strerror or exc}") from exc


def read_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    source: str,
    mapping: Mapping[str, str] | None = None,
    name: str = "<rows>",
) -> IngestResult:
    """Check rows already in memory (csv.DictReader's, generated data) as :func:`read_source`
    checks a file's: the first row's keys are the header, row n reads as line n + 1."""
    rows = iter(rows)
    if (first := next(rows, None)) is None:
        raise SourceFileError(f"{name} is empty")
    header = list(first)
    check = _Checker(name, source, _plan(name, header, mapping or {}), None)
    for line, row in enumerate(itertools.chain([first], rows), start=2):
        check.row(line, [None if (v := row.get(h)) is None else str(v) for h in header])
    return check.finish()


def _plan(file: str, header: Sequence[str], mapping: Mapping[str, str]) -> Plan:
    """Which cell gives which field: explicit mapping first, then canonically named columns."""
    positions: dict[str, list[int]] = {}
    columns = ", ".join(h.strip() for h in header)
    for i, name in enumerate(header):
        positions.setdefault(name.strip().casefold(), []).append(i)

    def position(name: str) -> int:
        found = positions.get(name.strip().casefold(), [])
        if len(found) > 1:
            written = ", ".join(repr(header[i].strip()) for i in found)
            raise SourceFileError(f"{file}: column {name.strip()!r} appears as {written}")
        return found[0]

    plan: Plan = {}
    for column, field in mapping.items():
        if column.strip().casefold() not in positions:
            raise SourceFileError(f"{file}: mapped column {column!r} is not in the file: {columns}")
        if field in plan:
            raise SourceFileError(
                f"{file}: columns {plan[field][1]!r} and {column!r} are both mapped to {field}"
            )
        i = position(column)
        plan[field] = (i, header[i].strip())
    taken = {i for i, _ in plan.values()}
    for field in FIELDS:
        if field not in plan and field in positions and positions[field][0] not in taken:
            i = position(field)
            plan[field] = (i, header[i].strip())
    if "record_id" not in plan:
        raise SourceFileError(f"{file}: no record_id column ({columns}); map one to record_id")
    return plan


@functools.lru_cache(maxsize=1 << 16)  # a file repeats its dates; parse each once
def _date(text: str) -> dt.date:
    """Parse one of :data:`DATE_FORMATS` (with an optional time, dropped); ValueError says why."""
    if m := _DATE.fullmatch(text):
        g = m.groups()
        year, month, day = g[0:3] if g[0] else (g[6], g[5], g[3]) if g[3] else g[7:10]
    elif _TWO_DIGIT_YEAR.fullmatch(text):
        raise ValueError(f"{text!r} has a two-digit year; write the year with four digits")
    else:
        raise ValueError(f"{text!r} is not a date ({DATE_FORMATS})")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None


class _Checker:
    """Turns the cells of one row into a record, or into errors naming its columns."""

    def __init__(self, file: str, source: str, plan: Plan, progress: Progress | None) -> None:
        self.file, self.source, self.plan, self.progress = file, source, plan, progress
        self.fields, indexes = tuple(plan), [i for i, _ in plan.values()]
        self.cells: Callable[[Sequence[str | None]], tuple[str | None, ...]] = (
            itemgetter(*indexes) if len(indexes) > 1 else lambda cells: (cells[indexes[0]],)
        )
        self.blank: dict[str, str | None] = dict.fromkeys(FIELDS)
        self.column = {field: column for field, (_, column) in plan.items()}
        self.width = 1 + max(i for i, _ in plan.values())
        self.result = IngestResult([], [])
        self.first_line: dict[str, int] = {}  # record_id -> line it was first seen on
        self.rows = 0  # rows read, blank ones not counted

    def tick(self) -> None:
        self.rows += 1
        if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
            self.progress(self.rows)

    def finish(self) -> IngestResult:
        if self.progress is not None and (self.rows == 0 or self.rows % PROGRESS_EVERY):
            self.progress(self.rows)
        if self.rows == 0:
            raise SourceFileError(f"{self.file} is empty (a header but no records)")
        return self.result

    def error(self, line: int, column: str, message: str) -> None:
        self.result.errors.append(IngestError(self.file, line, column, message))

    def row(self, line: int, cells: Sequence[str | None]) -> None:
        """Check one row and keep its record or its errors; skip it if it is blank."""
        if len(cells) < self.width:  # a short row: the missing trailing cells are empty
            cells = [*cells, *[None] * (self.width - len(cells))]
        text = self.blank.copy()
        stripped = [(c.strip() or None) if c else None for c in self.cells(cells)]
        text.update(zip(self.fields, stripped, strict=True))
        record_id = text["record_id"]
        if record_id is None and not any(c and c.strip() for c in cells):
            return
        self.tick()
        problems = len(self.result.errors)
        if record_id is None:
            self.error(line, self.column["record_id"], "is empty; a record_id is required")
        elif (first := self.first_line.setdefault(record_id, line)) != line:
            self.error(line, self.column["record_id"], f"{record_id!r} repeats line {first}")
        dates: dict[str, dt.date | None] = {"birth_date": None, "seen_at": None}
        for field in dates:
            if (written := text[field]) is not None:
                try:
                    dates[field] = _date(written)
                except ValueError as exc:
                    self.error(line, self.column[field], str(exc))
        sex = None if text["sex"] is None else _SEX.get(text["sex"].casefold())
        if text["sex"] is not None and sex is None:
            self.error(line, self.column["sex"], f"{text['sex']!r} is not a sex ({_SEXES})")
        if record_id is None or len(self.result.errors) > problems:
            return
        full_name = text["full_name"] or (
            " ".join(n for n in (text["given_name"], text["family_name"]) if n) or None
        )
        outcome = None if text["outcome"] is None else text["outcome"].lower()
        self.result.records.append(SourceRecord(
            source=self.source, record_id=record_id, line=line, full_name=full_name,
            birth_date=dates["birth_date"], sex=sex, national_id=text["national_id"],
            passport_no=text["passport_no"], phone=text["phone"], address=text["address"],
            city=text["city"], postcode=text["postcode"], seen_at=dates["seen_at"], outcome=outcome,
        ))  # fmt: skip


def _encoding(file: str, encoding: str) -> str:
    """The codec's name, refusing encodings that write ASCII differently (UTF-16, UTF-32)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise SourceFileError(f"{file}: unknown encoding {encoding!r}") from None
    if name == "utf-8-sig":
        return "utf-8"  # the BOM is stripped from the first line, whatever the encoding
    if '\n,;|\t"azAZ09'.encode(name) != b'\n,;|\t"azAZ09':
        raise SourceFileError(f"{file}: encoding {encoding!r} is not supported; use UTF-8")
    return name


def _bad_bytes(exc: UnicodeDecodeError, encoding: str) -> str:
    return f"byte {exc.start + 1} (0x{exc.object[exc.start]:02X}) is not valid {encoding}"


def _decoded_lines(lines: Iterable[bytes], encoding: str, bad: dict[int, str]) -> Iterator[str]:
    """Decode each physical line on its own, so one bad byte costs one row, not the file.

    A line that does not decode is recorded in ``bad`` (by line number) and passed on
    decoded with replacement characters: with an ASCII-compatible encoding the
    replacement cannot add or remove a quote, delimiter or newline, so the csv module
    still splits the file into the same rows, including rows whose quoted fields span
    several lines, and the caller refuses the one row that contains a bad line.
    """
    for number, raw in enumerate(lines, start=2):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as exc:
            bad[number] = _bad_bytes(exc, encoding)
            yield raw.decode(encoding, errors="replace")


def _read_csv(
    path: Path, file: str, encoding: str, checker: Callable[[Sequence[str]], _Checker]
) -> _Checker:
    encoding = _encoding(file, encoding)
    with path.open("rb") as fh:
        first = fh.readline()
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise SourceFileError(f"{file} is UTF-16 (it starts with a UTF-16 BOM); save as UTF-8")
        first = first.removeprefix(codecs.BOM_UTF8)
        if not first.strip():
            if not any(line.strip() for line in fh):
                raise SourceFileError(f"{file} is empty")
            raise SourceFileError(f"{file}:1: the first line is blank; it must be the header")
        try:
            header_line = first.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SourceFileError(
                f"{file}:1: {_bad_bytes(exc, encoding)} (is the file in another encoding?)"
            ) from exc
        delimiter = max(_DELIMITERS, key=header_line.count)  # ties: the earlier one
        bad: dict[int, str] = {}
        lines = itertools.chain([header_line], _decoded_lines(fh, encoding, bad))
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader)
        except csv.Error as exc:  # e.g. a carriage return inside the header line
            why = str(exc).split(" - ")[0]
            raise SourceFileError(f"{file}:1: the header is not CSV ({why})") from None
        check = checker(header)
        end = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return check
            except csv.Error as exc:  # e.g. a field past the size limit: an unclosed quote
                at = f"lines {end + 1}-{reader.line_num}" if reader.line_num > end + 1 else "row"
                why = str(exc).split(" - ")[0]  # not the hint about opening files
                check.error(end + 1, "", f"is not CSV ({why}); {at} skipped")
                end = reader.line_num
                continue
            start, end = end + 1, reader.line_num
            if bad and (hits := sorted(n for n in bad if start <= n <= end)):
                check.error(hits[0], "", bad[hits[0]])
                for n in hits:
                    del bad[n]
                check.tick()
            elif len(cells) > len(header):
                check.error(start, "", f"has {len(cells)} fields, the header has {len(header)}")
                check.tick()
            else:
                check.row(start, cells)


def _cell(value: object) -> str | None:
    """A Parquet value (not an int, date or time: Arrow writes those) as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)  # Excel's 6281….0
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _read_parquet(path: Path, file: str, checker: Callable[[Sequence[str]], _Checker]) -> _Checker:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # an optional engine: say what to install
        raise SourceFileError(f"{file}: Parquet needs pyarrow (pip install pyarrow)") from exc
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise SourceFileError(f"{file} is not a Parquet file pyarrow can read: {exc}") from exc
    header: list[str] = list(parquet.schema_arrow.names)
    check = checker(header)
    used, is_timestamp = sorted({i for i, _ in check.plan.values()}), pa.types.is_timestamp
    line = 1  # the first row reads as line 2, as under a CSV header
    try:
        for batch in parquet.iter_batches(PROGRESS_EVERY, columns=[header[i] for i in used]):
            columns: list[Iterable[str | None]] = [itertools.repeat(None)] * len(header)
            for i, array in zip(used, batch.columns, strict=True):
                kind = array.type  # Arrow writes ints and dates as text faster than Python
                if pa.types.is_integer(kind) or pa.types.is_date(kind) or is_timestamp(kind):
                    array, kind = array.cast(pa.string()), pa.string()
                values = array.to_pylist()
                text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
                columns[i] = values if text else [_cell(v) for v in values]
            for cells in zip(*columns, strict=False):  # unused columns repeat None
                line += 1
                check.row(line, cells)
    except (OSError, pa.ArrowException) as exc:
        raise SourceFileError(f"{file}: cannot read past line {line}: {exc}") from exc
    return check
