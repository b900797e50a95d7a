"""Roles and permissions as data, and the pure check of a principal against them.

A permission is a (resource, action) pair. A role grants permissions, each with a
scope: the principal's own records, its agency's records, or all records. The role
catalogue lives in code so that changing who may do what is a reviewed change with
tests, like the SOP rulebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from lindungi.errors import InvalidInputError, PermissionDeniedError


class Scope(IntEnum):
    """How far a grant reaches; a wider scope includes the narrower ones."""

    OWN = 1
    AGENCY = 2
    ALL = 3


@dataclass(frozen=True, order=True)
class Permission:
    """An action on a kind of resource, e.g. ``Permission("users", "create")``."""

    resource: str
    action: str

    def __str__(self) -> str:
        return f"{self.resource}:{self.action}"


@dataclass(frozen=True)
class Role:
    """A named set of grants, available to some agencies (``None``: to all)."""

    code: str
    label_id: str
    label_en: str
    grants: dict[Permission, Scope]
    agencies: frozenset[str] | None = None

    def allowed_for(self, agency: str) -> bool:
        """Whether a user of ``agency`` may hold this role."""
        return self.agencies is None or agency in self.agencies


def _grants(*items: tuple[str, str, Scope]) -> dict[Permission, Scope]:
    return {Permission(resource, action): scope for resource, action, scope in items}


# Every user may list the agencies, see their own account, manage their own tokens,
# and read the audit log's checkpoints and proofs (hashes only) to witness it.
_SELF = (
    ("agencies", "read", Scope.ALL),
    ("audit_checkpoints", "read", Scope.ALL),
    ("users", "read", Scope.OWN),
    ("tokens", "read", Scope.OWN),
    ("tokens", "issue", Scope.OWN),
    ("tokens", "revoke", Scope.OWN),
)

# Officers of every working role look recruiters up (screening, cases, investigations).
_REGISTRY = (("recruiters", "read", Scope.ALL),)

# Analysts and investigators work on the graph of recruiters, identifiers and cases.
_NETWORK = (("network", "read", Scope.ALL), ("network", "export", Scope.ALL))

# The person index: officers at a desk look a traveller up (which links the record);
# those who resolve identities also judge whether two records are one person.
_PERSONS = (("persons", "read", Scope.ALL), ("persons", "link", Scope.ALL))
_JUDGE = (("persons", "judge", Scope.ALL),)

# Screening at the desk: officers screen, decide and record contests for their agency;
# those who receive referrals (BP2MI, consular case workers, police) read them all.
_SCREEN = (
    ("screenings", "create", Scope.ALL),
    ("screenings", "read", Scope.AGENCY),
    ("screenings", "decide", Scope.AGENCY),
    ("screenings", "contest", Scope.AGENCY),
)
_REFERRALS = (("screenings", "read", Scope.ALL), ("referrals", "read", Scope.ALL))

# Monitoring: case workers and consular officers enrol workers abroad with their consent,
# read the enrolments and take alerts in hand; a gateway (the migrants' app backend)
# submits check-ins.
_MONITOR = (
    ("monitoring", "enrol", Scope.ALL),
    ("monitoring", "read", Scope.ALL),
    ("monitoring", "alerts", Scope.ALL),  # acknowledge and resolve alerts
)

# Cases: BP2MI and consular case workers run them, reveal the person's identity, their
# account and the reporter, and record identification; health is for those who arrange
# care (BP2MI case workers and supervisors). Police read cases without protected fields
# until a case is referred to them, then its identity and account, and record the legal
# track. Immigration officers open one (a walk-in at the airport).
_CASEWORK = (
    ("cases", "create", Scope.ALL),
    ("cases", "read", Scope.ALL),
    ("cases", "update", Scope.ALL),
    ("cases", "identify", Scope.ALL),
    ("cases", "read_identity", Scope.ALL),
    ("cases", "read_narrative", Scope.ALL),
    ("cases", "read_reporter", Scope.ALL),
    ("cases", "escalations", Scope.AGENCY),  # the missed deadlines of one's own agency
    ("cases", "figures", Scope.ALL),  # aggregates only: no person in them
    *_MONITOR,
)
_CARE = (("cases", "read_health", Scope.ALL),)
# Legal holds stop the retention purge for a case or a worker while an investigation,
# a prosecution or a court needs the record (``retention``); a hold is released by the
# agency that placed it.
_HOLDS = (("legal_holds", "read", Scope.ALL), ("legal_holds", "manage", Scope.AGENCY))
_POLICE = (
    ("cases", "read", Scope.ALL),
    ("cases", "read_identity", Scope.AGENCY),  # the agency's own, and referred to it
    ("cases", "read_narrative", Scope.AGENCY),
    ("cases", "legal", Scope.AGENCY),
)

ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role(
            "admin",
            "Administrator instansi",
            "Agency administrator",
            _grants(
                ("agencies", "read", Scope.ALL),
                ("audit_checkpoints", "read", Scope.ALL),
                ("users", "read", Scope.AGENCY),
                ("users", "create", Scope.AGENCY),
                ("users", "update", Scope.AGENCY),
                ("tokens", "read", Scope.AGENCY),
                # Issuing a token for a colleague would let an admin act as them:
                # admins issue only their own; operators issue others' on the server.
                ("tokens", "issue", Scope.OWN),
                ("tokens", "revoke", Scope.AGENCY),
                # The agency's event subscriptions and their dead letters.
                ("subscriptions", "read", Scope.AGENCY),
                ("subscriptions", "manage", Scope.AGENCY),
                ("subscriptions", "replay", Scope.AGENCY),
            ),
        ),
        Role(
            "officer",
            "Petugas imigrasi",
            "Immigration officer",
            _grants(
                *_SELF, *_REGISTRY, *_PERSONS, *_JUDGE, *_SCREEN, ("cases", "create", Scope.ALL)
            ),
            frozenset({"imigrasi"}),
        ),
        Role(
            "licensing",
            "Petugas perizinan",
            "Licensing officer",
            _grants(
                *_SELF,
                *_REGISTRY,
                ("recruiters", "create", Scope.ALL),
                ("recruiters", "update", Scope.ALL),
                ("licences", "update", Scope.ALL),
                ("bonds", "create", Scope.ALL),
                ("claims", "decide", Scope.ALL),
            ),
            frozenset({"kemnaker"}),
        ),
        Role(
            "case_worker",
            "Pendamping kasus",
            "Case worker",
            _grants(
                *_SELF,
                *_REGISTRY,
                *_PERSONS,
                *_REFERRALS,
                *_CASEWORK,
                *_CARE,
                ("claims", "file", Scope.ALL),
            ),
            frozenset({"bp2mi", "kemlu"}),
        ),
        Role(
            "consular",
            "Petugas konsuler",
            "Consular officer",
            _grants(*_SELF, *_REGISTRY, *_PERSONS, *_JUDGE, *_CASEWORK),
            frozenset({"kemlu"}),
        ),
        Role(
            "case_supervisor",
            "Supervisor kasus",
            "Case supervisor",
            _grants(
                *_SELF,
                *_REGISTRY,
                *_PERSONS,
                *_REFERRALS,
                *_CASEWORK,
                *_CARE,
                ("cases", "override", Scope.ALL),
                ("cases", "export", Scope.ALL),
                ("cases", "escalations", Scope.ALL),
                *_HOLDS,
                ("analytics", "read", Scope.ALL),
                ("monitoring", "zones", Scope.ALL),
                ("claims", "file", Scope.ALL),
            ),
            frozenset({"bp2mi", "kemlu"}),
        ),
        Role(
            "investigator",
            "Penyidik TPPO",
            "Trafficking investigator",
            _grants(
                *_SELF,
                *_REGISTRY,
                *_NETWORK,
                ("persons", "read", Scope.ALL),
                *_JUDGE,
                *_REFERRALS,
                *_POLICE,
                *_HOLDS,
            ),
            frozenset({"polri"}),
        ),
        Role(
            "analyst",
            "Analis",
            "Analyst",
            _grants(
                *_SELF,
                *_REGISTRY,
                *_NETWORK,
                ("cases", "figures", Scope.ALL),
                ("monitoring", "zones", Scope.ALL),  # the high-risk zones
                ("analytics", "read", Scope.ALL),  # indicators and reports (aggregates)
                ("exchange", "htcds", Scope.ALL),  # the k-anonymous HTCDS export
            ),
        ),
        Role(
            "agency_system",
            "Sistem instansi",
            "Agency system",
            # Another agency's system calling the exchange's services; which services
            # each agency may call is the exchange's own deny-by-default table.
            _grants(*_SELF, ("exchange", "query", Scope.ALL)),
        ),
        Role(
            "gateway",
            "Gerbang check-in",
            "Check-in gateway",
            _grants(*_SELF, ("checkins", "submit", Scope.ALL)),
            frozenset({"bp2mi", "kemlu"}),
        ),
        Role(
            "auditor",
            "Auditor",
            "Auditor",
            _grants(
                *_SELF,
                ("audit", "read", Scope.ALL),
                ("audit", "checkpoint", Scope.ALL),
                ("legal_holds", "read", Scope.ALL),
            ),
        ),
    )
}


def role(code: str) -> Role:
    """Look up a role, or name the roles that exist."""
    try:
        return ROLES[code]
    except KeyError:
        raise InvalidInputError(
            f"unknown role {code!r}; known roles: {', '.join(sorted(ROLES))}"
        ) from None


def check_roles(agency: str, roles: list[str] | tuple[str, ...]) -> list[str]:
    """Validate role codes for a user of ``agency``; return them sorted, deduplicated."""
    if not roles:
        raise InvalidInputError("a user needs at least one role")
    for code in roles:
        if not role(code).allowed_for(agency):
            allowed = sorted(r.code for r in ROLES.values() if r.allowed_for(agency))
            raise InvalidInputError(
                f"role {code!r} is not available to agency {agency!r}; "
                f"roles for {agency}: {', '.join(allowed)}"
            )
    return sorted(set(roles))


@dataclass(frozen=True)
class Principal:
    """Who is acting: an authenticated user of one agency, with their roles."""

    user_id: int
    username: str
    agency: str
    roles: tuple[str, ...]
    token_id: int | None = None
    grants: dict[Permission, Scope] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls, user_id: int, username: str, agency: str, roles: tuple[str, ...], token_id: int | None
    ) -> Principal:
        """Build a principal, merging its roles' grants (the widest scope wins)."""
        merged: dict[Permission, Scope] = {}
        for code in roles:
            known = ROLES.get(code)
            if known is None:  # a role retired from the catalogue grants nothing
                continue
            for permission, scope in known.grants.items():
                merged[permission] = max(scope, merged.get(permission, scope))
        return cls(user_id, username, agency, tuple(roles), token_id, merged)

    def scope_for(self, permission: Permission) -> Scope | None:
        """The widest scope this principal holds for ``permission``, if any."""
        return self.grants.get(permission)

    def require(self, permission: Permission) -> Scope:
        """The principal's scope for ``permission``; 403 when it holds none."""
        scope = self.scope_for(permission)
        if scope is None:
            raise self._denied(f"{self.username} lacks the permission {permission}", permission)
        return scope

    def _denied(
        self, detail: str, permission: Permission, resource_id: str = ""
    ) -> PermissionDeniedError:
        return PermissionDeniedError(
            detail,
            actor=self.username,
            agency=self.agency,
            resource=permission.resource,
            action=permission.action,
            resource_id=resource_id,
        )

    def authorize(
        self,
        permission: Permission,
        *,
        owner_agency: str | None,
        owner_user_id: int | None = None,
        resource_id: str = "",
    ) -> None:
        """Refuse (403) unless the grant's scope reaches a record owned as given."""
        scope = self.require(permission)
        if scope is Scope.ALL:
            return
        if scope is Scope.AGENCY and owner_agency == self.agency:
            return
        if owner_user_id is not None and owner_user_id == self.user_id:
            return
        whose = "another user" if owner_agency == self.agency else f"agency {owner_agency}"
        raise self._denied(
            f"{self.username} ({self.agency}) may not {permission.action} "
            f"{permission.resource} of {whose}",
            permission,
            resource_id,
        )
