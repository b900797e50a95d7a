"""Field-level protection of a case: who may see the person's identity, their account,
their health and who reported them. Pure: the rules read the principal's grants and the
case, nothing else.

Each group of protected fields has its own permission (``cases:read_identity``,
``cases:read_narrative``, ``cases:read_health``, ``cases:read_reporter``). A grant with
scope *all* reaches every case; a grant with scope *agency* reaches the cases the
agency handles and those referred to it (a police unit sees the victim's identity and
account once the case is referred to the police, not before). Protected fields are
never sent by default: a caller asks for the groups it needs, with a purpose, and the
read is audited field by field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from lindungi.auth.permissions import Permission, Principal, Scope
from lindungi.errors import InvalidInputError, PermissionDeniedError

#: Group → the protected fields it opens.
FIELD_GROUPS: Mapping[str, tuple[str, ...]] = {
    "identity": ("full_name", "birth_date", "nik", "passport_no"),
    "narrative": ("narrative",),
    "health": ("health",),
    "reporter": ("reporter_name", "reporter_contact"),
}
PROTECTED: tuple[str, ...] = tuple(f for fields in FIELD_GROUPS.values() for f in fields)


class Reachable(Protocol):
    """What the rules need of a case."""

    @property
    def agency(self) -> str: ...


def readable_groups(
    principal: Principal, case: Reachable, referred_to: Iterable[str] = ()
) -> tuple[str, ...]:
    """The field groups ``principal`` may reveal on ``case``; ``referred_to`` names the
    agencies the case has been referred to."""
    reach = {case.agency, *referred_to}
    groups = []
    for group in FIELD_GROUPS:
        scope = principal.scope_for(Permission("cases", f"read_{group}"))
        if scope is Scope.ALL or (scope is Scope.AGENCY and principal.agency in reach):
            groups.append(group)
    return tuple(groups)


def check_reveal(
    principal: Principal,
    case: Reachable,
    wanted: Iterable[str],
    referred_to: Iterable[str] = (),
) -> tuple[str, ...]:
    """The fields opened by the groups ``wanted``; refuses an unknown group (422) and the
    groups that are not the principal's to read (403), naming them."""
    asked = list(dict.fromkeys(wanted))
    unknown = [g for g in asked if g not in FIELD_GROUPS]
    if unknown:
        raise InvalidInputError(
            f"reveal: unknown field group {', '.join(map(repr, unknown))}; the groups are "
            + ", ".join(FIELD_GROUPS)
        )
    may = readable_groups(principal, case, referred_to)
    refused = [g for g in asked if g not in may]
    if refused:
        raise PermissionDeniedError(
            f"your role may not read the {', '.join(refused)} fields of this case"
            + (f"; you may reveal: {', '.join(may)}" if may else ""),
            actor=principal.username, agency=principal.agency, resource="cases",
            action=f"read_{refused[0]}", resource_id=str(getattr(case, "id", "")),
        )  # fmt: skip
    return tuple(f for g in asked for f in FIELD_GROUPS[g])
