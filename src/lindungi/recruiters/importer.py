"""Reading the registry file of contract 1 into checked rows. Pure (no database)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lindungi.recruiters.normalize import licence_format_known, phone_key

COLUMNS = ("licence_no", "name", "status", "valid_until", "bond_idr", "phone", "address")
IMPORT_STATUSES = ("active", "suspended", "revoked")


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
        if not digits.isdigit():
            return RowError(
                line, "bond_idr", f"{text('bond_idr')!r} is not a whole number of rupiah"
            )
        bond = int(digits)
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


def read_registry(lines: Iterable[str]) -> Iterator[RegistryRow | RowError]:
    """Each data line as a checked row or an error; line numbers count the header as 1."""
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise HeaderError(
            f"line 1: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"
        )
    for raw in reader:
        if None in raw:  # more cells than columns
            yield RowError(reader.line_num, "row", "has more cells than the header")
            continue
        yield _row(reader.line_num, raw)
