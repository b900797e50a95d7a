"""Contract 1: the registry file, its per-row report, and upserts on both databases."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lindungi.recruiters import service
from lindungi.recruiters.importer import HeaderError, RegistryRow, RowError, read_registry
from lindungi.recruiters.models import Bond, Licence, LicenceEvent, Recruiter

HEADER = "licence_no,name,status,valid_until,bond_idr,phone,address\n"
GOOD = (
    "KEP.101/PPTKLN/2020,PT Maju Jaya Abadi,active,2027-06-30,1500000000,0812-1111-2222,"
    '"Jl. Melati No. 5, Jakarta"\n'
    "KEP.102/PPTKLN/2020,PT Cahaya Timur,suspended,2026-12-31,,+62 813 2222 3333,\n"
)
BAD = (
    "KEP.103/PPTKLN/2020,PT Tanpa Status,closed,2027-01-01,,,\n"
    "KEP.104/PPTKLN/2020,PT Tanggal Salah,active,31/12/2027,,,\n"
    "KEP.105/PPTKLN/2020,PT Telepon Salah,active,,,halo,\n"
    ",PT Tanpa Nomor,active,,,,\n"
    "IZIN-XYZ,PT Nomor Aneh,active,,,,\n"
)


def rows(text: str) -> list[RegistryRow | RowError]:
    return list(read_registry(io.StringIO(text)))


def test_bad_lines_are_named_by_line_and_field_and_the_rest_is_read() -> None:
    read = rows(HEADER + GOOD + BAD)
    errors = [str(r) for r in read if isinstance(r, RowError)]
    assert errors == [
        "line 4: status: 'closed' is not one of active, suspended, revoked",
        "line 5: valid_until: '31/12/2027' is not YYYY-MM-DD",
        "line 6: phone: 'halo' is not a phone number",
        "line 7: licence_no: is empty",
    ]
    good = [r for r in read if isinstance(r, RegistryRow)]
    assert [(r.line, r.licence_no, r.format_known) for r in good] == [
        (2, "KEP.101/PPTKLN/2020", True),
        (3, "KEP.102/PPTKLN/2020", True),
        (8, "IZIN-XYZ", False),
    ]
    assert good[0].phone == "+6281211112222"
    assert good[0].bond_idr == 1_500_000_000


def test_a_file_without_the_contract_columns_is_refused() -> None:
    with pytest.raises(HeaderError, match="line 1: missing column"):
        rows("licence,name\nX,Y\n")


def test_import_is_an_upsert_that_never_duplicates(session: Session) -> None:
    first = service.import_registry(
        session, rows(HEADER + GOOD + BAD), actor="cli:test", source="r.csv"
    )
    assert (first.created, first.updated, first.unchanged, len(first.errors)) == (3, 0, 0, 4)
    assert first.flagged == [
        "line 8: licence_no 'IZIN-XYZ' has an unknown format (imported as given; please check it)"
    ]
    again = service.import_registry(session, rows(HEADER + GOOD), actor="cli:test", source="r.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    revoked = HEADER + GOOD.replace("suspended,2026-12-31", "revoked,2026-12-31")
    third = service.import_registry(session, rows(revoked), actor="cli:test", source="r2.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert session.scalar(select(func.count()).select_from(Recruiter)) == 3
    licence = service.get_licence(session, "kep.102/pptkln/2020")
    assert licence.status == "revoked"
    assert [(e.from_status, e.to_status, e.reason) for e in licence.events] == [
        (None, "suspended", "registry import r.csv line 3"),
        ("suspended", "revoked", "registry import r2.csv line 3"),
    ]
    bond = session.scalar(
        select(Bond).join(Recruiter).where(Recruiter.name == "PT Maju Jaya Abadi")
    )
    assert bond is not None
    assert (bond.amount_idr, bond.balance_idr) == (1_500_000_000, 1_500_000_000)
    assert session.scalar(select(func.count()).select_from(LicenceEvent)) == 4
    assert session.scalar(
        select(Licence.valid_until).where(Licence.number == "KEP.101/PPTKLN/2020")
    ) == dt.date(2027, 6, 30)
