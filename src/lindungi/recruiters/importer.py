"""Reading the registry file of contract 1 into checked rows. Pure (no database)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lindungi.recruiters.normalize import licence_format_known, phone_key

COLUMNS = ("licence_no", "name", "status", "valid_until", "bond_idr", "phone", "address")
IMPORT_STATUSES = ("active", "suspended", "revoked")
#: The longest text each column may hold (the registry's columns, as the API takes them).
MAX_LENGTHS = {"licence_no": 100, "name": 300, "phone": 300, "address": 300}
#: The largest bond, as the API takes it (Rp 1,000 trillion).
MAX_BOND_IDR = 10**15


@dataclass(frozen=True)
class RegistryRow:
    """One valid line of the registry file."""

    line: int
    licence_no: str
    name: str
    status: str
    valid_until: dt.date | None
    bond_idr: int | None
    phone: str | None
    phone_display: str | None
    address: str | None
    format_known: bool


@dataclass(frozen=True)
class RowError:
    """A line that was not imported, and why (naming the field)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class HeaderError(ValueError):
    """The file lacks a required column."""


def _row(line: int, raw: dict[str, str | None]) -> RegistryRow | RowError:
    def text(field: str) -> str:
        return (raw.get(field) or "").strip()

    for field in COLUMNS:
        if "\x00" in text(field):  # no database stores it in text (PostgreSQL refuses it)
            return RowError(line, field, "contains a NUL character")
        if len(text(field)) > MAX_LENGTHS.get(field, 300):
            return RowError(line, field, f"is longer than {MAX_LENGTHS.get(field, 300)} characters")
    licence_no, name, status = text("licence_no"), text("name"), text("status").lower()
    if not licence_no:
        return RowError(line, "licence_no", "is empty")
    if not name:
        return RowError(line, "name", "is empty")
    if status not in IMPORT_STATUSES:
        return RowError(
            line, "status", f"{text('status')!r} is not one of {', '.join(IMPORT_STATUSES)}"
        )
    valid_until = None
    if text("valid_until"):
        try:
            valid_until = dt.date.fromisoformat(text("valid_until"))
        except ValueError:
            return RowError(line, "valid_until", f"{text('valid_until')!r} is not YYYY-MM-DD")
    bond = None
    if text("bond_idr"):
        digits = text("bond_idr").replace(".", "").replace(",", "").replace("_", "")
        if not (digits.isascii() and digits.isdigit()):
            return RowError(
                line, "bond_idr", f"{text('bond_idr')!r} is not a whole number of rupiah"
            )
        bond = int(digits)  # no longer than 300 characters: below int()'s own limit
        if bond > MAX_BOND_IDR:
            return RowError(line, "bond_idr", f"{bond} is more than {MAX_BOND_IDR:,} rupiah")
    phone = None
    if text("phone"):
        phone = phone_key(text("phone"))
        if phone is None:
            return RowError(line, "phone", f"{text('phone')!r} is not a phone number")
    return RegistryRow(
        line=line,
        licence_no=licence_no,
        name=name,
        status=status,
        valid_until=valid_until,
        bond_idr=bond,
        phone=phone,
        phone_display=text("phone") or None,
        address=text("address") or None,
        format_known=licence_format_known(licence_no),
    )


def _why(error: csv.Error) -> str:
    return str(error).split(" - ")[0]  # not the csv module's hint about opening files


def read_registry(lines: Iterable[str]) -> Iterator[RegistryRow | RowError]:
    """Each data line as a checked row or an error. Line numbers count the header as 1
    and name the line where a row starts (a quoted cell may span lines); a row the csv
    module cannot read (a cell past its size limit) is an error of its own, and reading
    goes on."""
    reader = csv.reader(lines)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise HeaderError(f"line 1: is not CSV ({_why(error)})") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise HeaderError(
            f"line 1: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"
        )
    end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RowError(end + 1, "row", f"is not CSV ({_why(error)}); skipped")
            end = reader.line_num
            continue
        start, end = end + 1, reader.line_num
        if not cells:  # a blank line
            continue
        if len(cells) > len(header):
            yield RowError(start, "row", "has more cells than the header")
            continue
        yield _row(start, dict(zip(header, cells, strict=False)))
