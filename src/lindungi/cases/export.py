"""Permissioned exports of cases: a CSV of the open fields, and of the protected field
groups the exporter holds for every case and asked for with a purpose. Every exported
case is recorded in the audit log with the fields that left, as a read is."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.cases.access import FIELD_GROUPS
from lindungi.cases.models import Case
from lindungi.cases.workflow import State
from lindungi.errors import InvalidInputError, PermissionDeniedError

OPEN_COLUMNS = ("id", "tracking_no", "channel", "state", "state_since", "determination",
                "close_reason", "agency", "country", "city", "summary", "legal_stage",
                "restitution", "restitution_ordered_idr", "restitution_paid_idr",
                "recruiter_id", "created_at")  # fmt: skip


@dataclass(frozen=True)
class Export:
    """What an export holds: the columns, and the cases in it (by id)."""

    columns: tuple[str, ...]
    case_ids: tuple[int, ...]
    csv: str


def columns_for(principal: Principal, groups: Sequence[str]) -> tuple[str, ...]:
    """The columns of an export of ``groups``; refuses the groups the principal does not
    hold for every case (an export crosses agencies, so it needs scope *all*)."""
    principal.require(Permission("cases", "export"))
    unknown = [g for g in groups if g not in FIELD_GROUPS]
    if unknown:
        raise InvalidInputError(f"reveal: unknown field group {', '.join(map(repr, unknown))}; "
                                f"the groups are {', '.join(FIELD_GROUPS)}")  # fmt: skip
    short = [
        g for g in groups
        if principal.scope_for(Permission("cases", f"read_{g}")) is not Scope.ALL
    ]  # fmt: skip
    if short:
        raise PermissionDeniedError(f"your role may not export the {', '.join(short)} fields")
    return OPEN_COLUMNS + tuple(f for g in dict.fromkeys(groups) for f in FIELD_GROUPS[g])


def _cell(value: object) -> object:
    """A CSV cell; text a spreadsheet would run as a formula is quoted (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _rows(session: Session, state: State | None, agency: str | None) -> Iterator[Case]:
    query = select(Case).order_by(Case.id)
    if state is not None:
        query = query.where(Case.state == state.value)
    if agency is not None:
        query = query.where(Case.agency == agency)
    yield from session.scalars(query)


def export_cases(
    session: Session,
    principal: Principal,
    groups: Sequence[str] = (),
    state: State | None = None,
    agency: str | None = None,
) -> Export:
    """The cases (optionally of one stage or agency) as CSV with the allowed columns."""
    columns = columns_for(principal, groups)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    ids = []
    for case in _rows(session, state, agency):
        ids.append(case.id)
        writer.writerow([_cell(getattr(case, c)) for c in columns])
    return Export(columns, tuple(ids), out.getvalue())
