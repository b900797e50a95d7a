"""The role catalogue and the pure permission check."""

from __future__ import annotations

import pytest

from lindungi.auth.agencies import AGENCIES
from lindungi.auth.permissions import ROLES, Permission, Principal, Scope, check_roles
from lindungi.errors import InvalidInputError, PermissionDeniedError

USERS_READ = Permission("users", "read")


def principal(agency: str, *roles: str, user_id: int = 7) -> Principal:
    return Principal.of(user_id, f"{agency}.u{user_id}", agency, roles, None)


def test_every_role_lets_its_holder_read_their_own_account_and_the_agencies() -> None:
    for code, role in ROLES.items():
        agency = next(a for a in AGENCIES if role.allowed_for(a))
        p = principal(agency, code)
        assert p.scope_for(USERS_READ) is not None, code
        assert p.scope_for(Permission("agencies", "read")) is Scope.ALL, code


@pytest.mark.parametrize(
    ("agency", "roles", "expected"),
    [
        ("bp2mi", ["case_worker", "admin", "case_worker"], ["admin", "case_worker"]),
        ("imigrasi", ["officer"], ["officer"]),
        ("polri", ["analyst"], ["analyst"]),
    ],
)
def test_check_roles_accepts_and_normalises(
    agency: str, roles: list[str], expected: list[str]
) -> None:
    assert check_roles(agency, roles) == expected


@pytest.mark.parametrize(
    ("agency", "roles", "message"),
    [
        ("bp2mi", [], "a user needs at least one role"),
        (
            "bp2mi",
            ["superuser"],
            "unknown role 'superuser'; known roles: admin, agency_system, analyst, auditor, "
            "case_supervisor, case_worker, consular, gateway, investigator, licensing, officer",
        ),
        (
            "kemnaker",
            ["officer"],
            "role 'officer' is not available to agency 'kemnaker'; "
            "roles for kemnaker: admin, agency_system, analyst, auditor, licensing",
        ),
    ],
)
def test_check_roles_refuses_with_a_clear_message(
    agency: str, roles: list[str], message: str
) -> None:
    with pytest.raises(InvalidInputError) as err:
        check_roles(agency, roles)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("roles", "owner_agency", "owner_user_id", "allowed"),
    [
        (("admin",), "bp2mi", 99, True),  # agency scope: any user of the same agency
        (("admin",), "kemlu", 99, False),  # ...but not another agency's
        (("case_worker",), "bp2mi", 7, True),  # own scope: the principal's own record
        (("case_worker",), "bp2mi", 99, False),  # ...not a colleague's
        (("case_worker", "admin"), "bp2mi", 99, True),  # the widest grant wins
    ],
)
def test_authorize_follows_scope_and_ownership(
    roles: tuple[str, ...], owner_agency: str, owner_user_id: int, allowed: bool
) -> None:
    p = principal("bp2mi", *roles)
    if allowed:
        p.authorize(USERS_READ, owner_agency=owner_agency, owner_user_id=owner_user_id)
    else:
        with pytest.raises(PermissionDeniedError):
            p.authorize(USERS_READ, owner_agency=owner_agency, owner_user_id=owner_user_id)


def test_a_permission_no_role_grants_is_refused() -> None:
    p = principal("bp2mi", "case_worker")
    with pytest.raises(PermissionDeniedError) as err:
        p.require(Permission("users", "create"))
    assert str(err.value) == "bp2mi.u7 lacks the permission users:create"


def test_a_retired_role_grants_nothing() -> None:
    p = principal("bp2mi", "retired_role")
    assert p.grants == {}
