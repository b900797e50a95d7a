"""Registry operations. Each flushes; the caller commits once and records the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lindungi.db import utcnow
from lindungi.errors import ConflictError, InvalidInputError, NotFoundError
from lindungi.exchange import service as exchange
from lindungi.recruiters import bonds
from lindungi.recruiters.importer import RegistryRow, RowError
from lindungi.recruiters.models import (
    LICENCE_STATUSES,
    Bond,
    Licence,
    LicenceEvent,
    Recruiter,
    RecruiterIdentifier,
)
from lindungi.recruiters.normalize import (
    identifier_key,
    licence_format_known,
    licence_key,
    name_key,
)


@dataclass
class ImportReport:
    """What an import did, line by line where it matters."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    created_licences: list[str] = field(default_factory=list)
    changed_licences: list[str] = field(default_factory=list)


#: The agency that licenses recruiters (and so emits their sanctions).
LICENSING_AGENCY = "kemnaker"


def get_licence(session: Session, number: str) -> Licence:
    """The licence with this number (however spaced or cased), or 404."""
    licence = session.scalar(
        select(Licence)
        .where(Licence.number_key == licence_key(number))
        .options(selectinload(Licence.recruiter), selectinload(Licence.events))
    )
    if licence is None:
        raise NotFoundError(f"no licence {number!r} in the registry")
    return licence


def add_identifier(
    session: Session, recruiter: Recruiter, kind: str, display: str, source: str
) -> tuple[RecruiterIdentifier, bool]:
    """Record one identifier behind a recruiter, normalised by kind; refresh when it was
    last seen if it is already there. Returns the row and whether it is new."""
    value = identifier_key(kind, display)
    if value is None:
        raise InvalidInputError(f"{display!r} is not a phone number")
    found = session.scalar(
        select(RecruiterIdentifier).where(
            RecruiterIdentifier.recruiter_id == recruiter.id,
            RecruiterIdentifier.kind == kind,
            RecruiterIdentifier.value == value,
        )
    )
    if found is not None:
        found.last_seen = utcnow()
        return found, False
    row = RecruiterIdentifier(
        recruiter=recruiter, kind=kind, value=value, display=display, source=source
    )
    session.add(row)
    session.flush()
    return row, True


def set_licence_status(
    session: Session,
    licence: Licence,
    status: str,
    *,
    reason: str,
    actor: str,
    valid_until: dt.date | None = None,
) -> bool:
    """Change a licence's status (and validity), writing its history; True if it changed."""
    if status not in LICENCE_STATUSES:
        raise InvalidInputError(f"status {status!r} is not one of {', '.join(LICENCE_STATUSES)}")
    if not reason.strip():
        raise InvalidInputError("a licence change needs a reason")
    new_until = valid_until if valid_until is not None else licence.valid_until
    if licence.status == status and licence.valid_until == new_until:
        return False
    session.add(
        LicenceEvent(
            licence=licence,
            from_status=licence.status,
            to_status=status,
            valid_until=new_until,
            reason=reason,
            actor=actor,
        )
    )
    before = licence.status
    licence.status = status
    licence.valid_until = new_until
    session.flush()
    if before != status:
        exchange.emit(
            session, "licence.sanctioned", subject=f"licence:{licence.id}",
            source_agency=LICENSING_AGENCY, actor=actor,
            data={"licence_no": licence.number, "recruiter_id": licence.recruiter_id,
                  "recruiter_name": licence.recruiter.name, "from_status": before,
                  "to_status": status, "valid_until": new_until, "reason": reason},
        )  # fmt: skip
    return True


def create_licensed_recruiter(
    session: Session,
    *,
    name: str,
    licence_no: str,
    status: str,
    valid_until: dt.date | None,
    actor: str,
    reason: str,
    issuer: str = "Kementerian Ketenagakerjaan",
    synthetic: bool = False,
) -> Licence:
    """A new company with its licence, the first event of its history."""
    if status not in LICENCE_STATUSES:
        raise InvalidInputError(f"status {status!r} is not one of {', '.join(LICENCE_STATUSES)}")
    if session.scalar(select(Licence.id).where(Licence.number_key == licence_key(licence_no))):
        raise ConflictError(f"licence {licence_no!r} is already registered")
    recruiter = Recruiter(kind="company", name=name, name_key=name_key(name), synthetic=synthetic)
    licence = Licence(
        recruiter=recruiter,
        number=licence_no.strip(),
        number_key=licence_key(licence_no),
        format_known=licence_format_known(licence_no),
        status=status,
        valid_until=valid_until,
        issuer=issuer,
    )
    session.add(
        LicenceEvent(
            licence=licence,
            from_status=None,
            to_status=status,
            valid_until=valid_until,
            reason=reason,
            actor=actor,
        )
    )
    session.add_all([recruiter, licence])
    session.flush()
    return licence


def _set_bond(session: Session, recruiter: Recruiter, amount: int) -> bool:
    bond = bonds.current_bond(session, recruiter.id)
    if bond is None:
        session.add(Bond(recruiter=recruiter, amount_idr=amount, balance_idr=amount))
        return True
    if bond.amount_idr == amount:
        return False
    paid_out = bond.amount_idr - bond.balance_idr
    bond.amount_idr = amount
    bond.balance_idr = max(amount - paid_out, 0)
    bond.status = "held" if bond.balance_idr > 0 else "exhausted"
    return True


def import_registry(
    session: Session, rows: Iterable[RegistryRow | RowError], *, actor: str, source: str
) -> ImportReport:
    """Upsert the registry file's rows by licence number; bad rows are reported, not fatal."""
    report = ImportReport()
    for row in rows:
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        if not row.format_known:
            report.flagged.append(
                f"line {row.line}: licence_no {row.licence_no!r} has an unknown format "
                "(imported as given; please check it)"
            )
        reason = f"registry import {source} line {row.line}"
        existing = session.scalar(
            select(Licence)
            .where(Licence.number_key == licence_key(row.licence_no))
            .options(selectinload(Licence.recruiter))
        )
        if existing is None:
            licence = create_licensed_recruiter(
                session,
                name=row.name,
                licence_no=row.licence_no,
                status=row.status,
                valid_until=row.valid_until,
                actor=actor,
                reason=reason,
            )
            changed, created = True, True
        else:
            licence, created = existing, False
            changed = set_licence_status(
                session,
                licence,
                row.status,
                reason=reason,
                actor=actor,
                valid_until=row.valid_until,
            )
            if licence.recruiter.name != row.name:
                licence.recruiter.name = row.name
                licence.recruiter.name_key = name_key(row.name)
                changed = True
        recruiter = licence.recruiter
        if row.bond_idr is not None:
            changed |= _set_bond(session, recruiter, row.bond_idr)
        if row.phone_display:
            changed |= add_identifier(session, recruiter, "phone", row.phone_display, source)[1]
        if row.address:
            changed |= add_identifier(session, recruiter, "address", row.address, source)[1]
        session.flush()
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
        if created:
            report.created_licences.append(licence.number)
        elif changed:
            report.changed_licences.append(licence.number)
    return report
