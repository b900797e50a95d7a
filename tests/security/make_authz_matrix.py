"""Write the first version of ``authz_matrix.csv`` from the role catalogue and each route's
declared permission and object rule; the file is then reviewed by hand against the docs.

Run ``python tests/security/make_authz_matrix.py`` from the repository root. It refuses an
operation of the API that has no entry in :data:`OBJECTS` below, so a new route forces a
decision about its object rule. Reviewed rows carry a ``note`` (the doc promise they
encode); ``--check`` compares the file with what the script would write and names the
rows that differ, so a reviewer sees every hand edit.
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lindungi.auth.agencies import AGENCIES
from lindungi.auth.permissions import ROLES, Permission, Principal, Scope
from lindungi.cases.access import FIELD_GROUPS, PROTECTED
from lindungi.exchange.services import SERVICES

HERE = Path(__file__).parent
MATRIX = HERE / "authz_matrix.csv"
COLUMNS = ("operation", "variant", "principal", "object", "expect", "status", "visible",
           "absent", "note")  # fmt: skip
AGENCY_CODES = tuple(sorted(AGENCIES))
CASE_OPEN = ("id", "state", "agency", "summary")
ENROLMENT_HIDDEN = ("passport_no", "phone", "emergency_contacts", "sponsor_contact", "subject")
SCREENING_HIDDEN = ("request", "person", "sex", "religion", "province", "nik")


@dataclass(frozen=True)
class Obj:
    """How a route reaches its record: the ownerships that matter and the refusal."""

    kinds: tuple[str, ...] = ()  # own, own_agency, other_agency, referred
    deny: int = 403  # the status of a refusal at the object (404 hides existence)
    visible: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    variants: tuple[str, ...] = ("",)


AGENCY = ("own_agency", "other_agency")
USER = ("own", "own_agency", "other_agency")
CASE = Obj(AGENCY, visible=CASE_OPEN, absent=PROTECTED)
REVEALS = tuple(f"reveal={g}" for g in FIELD_GROUPS)

#: Every API operation → its object rule. An operation missing here stops the script.
OBJECTS: dict[str, Obj] = {
    "GET /api/v1": Obj(),
    "GET /api/v1/me": Obj(absent=("password_hash",)),
    "GET /api/v1/agencies": Obj(),
    "GET /api/v1/agencies/{code}/users": Obj(AGENCY, absent=("password_hash",)),
    "POST /api/v1/agencies/{code}/users": Obj(AGENCY),
    "GET /api/v1/users/{username}": Obj(USER, absent=("password_hash",)),
    "GET /api/v1/users/{username}/tokens": Obj(USER, absent=("token", "secret_hash")),
    "POST /api/v1/users/{username}/tokens": Obj(USER, visible=("token",)),
    "POST /api/v1/users/{username}/deactivate": Obj(AGENCY),
    "DELETE /api/v1/tokens/{token_id}": Obj(USER, absent=("token",)),
    "GET /api/v1/audit/entries": Obj(),
    "GET /api/v1/audit/entries/{seq}/proof": Obj(),
    "GET /api/v1/audit/checkpoints/latest": Obj(),
    "GET /api/v1/audit/checkpoints": Obj(),
    "POST /api/v1/audit/checkpoints": Obj(),
    "GET /api/v1/audit/consistency": Obj(),
    "GET /api/v1/audit/public-key": Obj(),
    "GET /api/v1/recruiters/standing": Obj(),
    "POST /api/v1/recruiters": Obj(),
    "GET /api/v1/recruiters/{recruiter_id}": Obj(),
    "GET /api/v1/licences": Obj(),
    "POST /api/v1/recruiters/{recruiter_id}/identifiers": Obj(),
    "POST /api/v1/licences/status": Obj(),
    "POST /api/v1/recruiters/{recruiter_id}/bonds": Obj(),
    "POST /api/v1/bonds/{bond_id}/claims": Obj(),
    "POST /api/v1/claims/{claim_id}/decision": Obj(),
    "POST /api/v1/recruiters/{recruiter_id}/sanctions": Obj(),
    "POST /api/v1/recruiters/{recruiter_id}/complaints": Obj(),
    "GET /api/v1/public/verify": Obj(absent=("findings",)),
    "GET /api/v1/network/clusters": Obj(),
    "GET /api/v1/network/graph": Obj(),
    "POST /api/v1/identity/records": Obj(),
    "GET /api/v1/persons/{person_id}": Obj(),
    "GET /api/v1/persons/{person_id}/signals": Obj(),
    "POST /api/v1/identity/judgements": Obj(),
    "POST /api/v1/screenings": Obj(absent=SCREENING_HIDDEN),
    "GET /api/v1/screenings/{screening_id}": Obj(AGENCY, absent=SCREENING_HIDDEN),
    "POST /api/v1/screenings/{screening_id}/decision": Obj(AGENCY, absent=SCREENING_HIDDEN),
    "POST /api/v1/screenings/{screening_id}/contest": Obj(AGENCY, absent=SCREENING_HIDDEN),
    "GET /api/v1/referrals": Obj(absent=SCREENING_HIDDEN),
    "GET /api/v1/screening/rulebook": Obj(),
    "POST /api/v1/public/check-offer": Obj(),
    "POST /api/v1/cases": Obj(visible=CASE_OPEN, absent=PROTECTED),
    "GET /api/v1/cases": Obj(absent=PROTECTED),
    "GET /api/v1/cases/export": Obj(absent=PROTECTED, variants=("", "reveal=all")),
    "GET /api/v1/cases/figures": Obj(),
    "GET /api/v1/case-escalations": Obj(),
    "POST /api/v1/case-escalations/{escalation_id}/acknowledge": Obj(AGENCY),
    "GET /api/v1/cases/{case_id}": Obj(
        (*AGENCY, "referred"), visible=CASE_OPEN, absent=PROTECTED, variants=("", *REVEALS)
    ),
    "POST /api/v1/cases/{case_id}/moves": CASE,
    "POST /api/v1/cases/{case_id}/identification": Obj(AGENCY),
    "GET /api/v1/cases/{case_id}/timeline": Obj(AGENCY),
    "POST /api/v1/cases/{case_id}/referrals": Obj(AGENCY),
    "GET /api/v1/cases/{case_id}/referrals": Obj(AGENCY),
    "POST /api/v1/case-referrals/{referral_id}/decision": Obj(AGENCY, variants=("", "police")),
    "POST /api/v1/cases/{case_id}/legal": Obj(
        (*AGENCY, "referred"), absent=PROTECTED, variants=("refer_to_police", "open_investigation")
    ),
    "POST /api/v1/cases/{case_id}/bond-claims": Obj(AGENCY),
    "GET /api/v1/cases/{case_id}/bond-claims": Obj(AGENCY),
    "POST /api/v1/public/case-status": Obj(absent=PROTECTED),
    "POST /api/v1/monitoring/enrolments": Obj(visible=("full_name", "subject")),
    "GET /api/v1/monitoring/enrolments/{enrolment_id}": Obj(
        AGENCY, visible=("full_name",), absent=ENROLMENT_HIDDEN
    ),
    "POST /api/v1/monitoring/enrolments/{enrolment_id}/withdrawal": Obj(
        AGENCY, absent=ENROLMENT_HIDDEN
    ),
    "POST /api/v1/monitoring/checkins": Obj(),
    "GET /api/v1/monitoring/zones": Obj(),
    "POST /api/v1/monitoring/zones": Obj(),
    "POST /api/v1/monitoring/enrolments/{enrolment_id}/work-zone": Obj(AGENCY),
    "GET /api/v1/monitoring/alerts": Obj(),
    "GET /api/v1/monitoring/alerts/{alert_id}": Obj(),
    "POST /api/v1/monitoring/alerts/{alert_id}/acknowledge": Obj(),
    "POST /api/v1/monitoring/alerts/{alert_id}/resolution": Obj(),
    "POST /api/v1/public/monitoring/withdrawal": Obj(),
    "POST /api/v1/public/monitoring/mine": Obj(),
    "GET /api/v1/exchange/events": Obj(),
    "POST /api/v1/exchange/subscriptions": Obj(),
    "GET /api/v1/exchange/subscriptions": Obj(absent=("secret",)),
    "DELETE /api/v1/exchange/subscriptions/{subscription_id}": Obj(AGENCY, deny=404),
    "GET /api/v1/legal-holds": Obj(),
    "POST /api/v1/legal-holds": Obj(),
    "POST /api/v1/legal-holds/{hold_id}/release": Obj(AGENCY),
    "GET /api/v1/exchange/dead-letters": Obj(),
    "POST /api/v1/exchange/dead-letters/{delivery_id}/replay": Obj(AGENCY, deny=404),
    "POST /api/v1/exchange/dead-letters/replay": Obj(),
    "GET /api/v1/exchange/services": Obj(),
    "GET /api/v1/exchange/services/{code}/{key}": Obj(
        absent=tuple(f"data.{f}" for f in PROTECTED), variants=tuple(SERVICES)
    ),
    "GET /api/v1/exchange/htcds": Obj(absent=PROTECTED),
    "GET /api/v1/analytics/indicators": Obj(),
    "GET /api/v1/analytics/report": Obj(),
}

#: Routes outside ``/api/v1``: only the anonymous caller is in the matrix (the console's
#: pages are tested by role in tests/web). Path prefix → (expect, status) for anonymous.
OUTSIDE: dict[str, tuple[str, int]] = {
    "MOUNT /static": ("allow", 200),
    "/console": ("deny", 303),  # web.md: a page leads back to the login page
    "POST /logout": ("deny", 303),
    "/readyz": ("allow", 200),
    "POST /": ("deny", 303),  # web.md: a form without its CSRF token is sent back
    "GET /": ("allow", 200),
}


def principals() -> list[tuple[str, str | None]]:
    """Every principal kind: each role at each agency it may hold, then anonymous."""
    kinds = [(code, a) for code, r in sorted(ROLES.items()) for a in AGENCY_CODES
             if r.allowed_for(a)]  # fmt: skip
    return [*kinds, ("anonymous", None)]


def _principal(role: str, agency: str) -> Principal:
    return Principal.of(1, f"{role}.{agency}", agency, (role,), None)


def _reaches(scope: Scope | None, ownership: str) -> bool:
    """``Principal.authorize``'s reach, in words: all, own agency, own record."""
    if scope is None:
        return False
    if scope is Scope.ALL:
        return True
    if scope is Scope.AGENCY:
        return ownership in ("own", "own_agency", "referred")
    return ownership == "own"


def expect(op: str, variant: str, who: Principal, ownership: str, declared: str) -> bool:
    """Whether ``who`` may call ``op`` (``variant``) on a record owned as ``ownership``."""
    resource, action = declared.split(":")
    scope = who.scope_for(Permission(resource, action))
    if scope is None:
        return False
    if ownership == "referred" and scope is Scope.AGENCY:
        ownership = "own_agency"  # a referral reaches the receiver's agency-scoped grants
    # No record to own: holding the permission at any scope is enough.
    has = _reaches(scope, ownership) if OBJECTS[op].kinds else True
    if op == "POST /api/v1/users/{username}/tokens":
        has = _reaches(who.scope_for(Permission("tokens", "issue")), ownership)
    if op == "GET /api/v1/cases/{case_id}" and variant.startswith("reveal="):
        group_scope = who.scope_for(Permission("cases", f"read_{variant[7:]}"))
        reach = "own_agency" if ownership == "referred" else ownership
        has = has and _reaches(group_scope, reach) if group_scope is not Scope.AGENCY else (
            has and ownership in ("own_agency", "referred"))  # fmt: skip
    if op == "GET /api/v1/cases/export" and variant == "reveal=all":
        has = has and all(who.scope_for(Permission("cases", f"read_{g}")) is Scope.ALL
                          for g in FIELD_GROUPS)  # fmt: skip
    if op == "POST /api/v1/cases/{case_id}/bond-claims":
        has = has and who.scope_for(Permission("claims", "file")) is not None
    if op == "POST /api/v1/cases/{case_id}/legal":
        needed = "update" if variant == "refer_to_police" else "legal"
        legal = who.scope_for(Permission("cases", needed))
        has = legal is Scope.ALL or (legal is not None and ownership in ("own_agency", "referred"))
    if op == "POST /api/v1/case-referrals/{referral_id}/decision":
        needed = "legal" if variant == "police" else "update"
        has = ownership == "own_agency" and who.scope_for(Permission("cases", needed)) is not None
    if op == "GET /api/v1/exchange/services/{code}/{key}":
        has = has and who.agency in SERVICES[variant].consumers
    return has


def rows(operations: dict[str, tuple[str, int]]) -> Iterator[dict[str, Any]]:
    """The matrix: ``operations`` maps ``METHOD path`` → (declared permission, success)."""
    for op, (declared, success) in operations.items():
        spec = OBJECTS[op]
        for variant in spec.variants:
            for role, agency in principals():
                yield from _cells(op, variant, spec, declared, success, role, agency)


def _cells(op: str, variant: str, spec: Obj, declared: str, success: int, role: str,
           agency: str | None) -> Iterator[dict[str, Any]]:  # fmt: skip
    name = "anonymous" if agency is None else f"{role}@{agency}"
    base = {"operation": op, "variant": variant, "principal": name, "note": ""}
    if declared == "public":
        yield {**base, "object": "-", "expect": "allow", "status": success,
               "visible": ";".join(spec.visible), "absent": ";".join(spec.absent)}  # fmt: skip
        return
    if agency is None:
        yield {**base, "object": "-", "expect": "deny", "status": 401, "visible": "", "absent": ""}
        return
    who = _principal(role, agency)
    resource, action = declared.split(":")
    holds = who.scope_for(Permission(resource, action)) is not None
    kinds = spec.kinds if (spec.kinds and holds) else ("-",)
    if spec.kinds and not holds:
        kinds = ("other_agency",)
    if variant == "police" and holds:  # the one police referral: the police's own
        kinds = ("own_agency" if agency == "polri" else "other_agency",)
    for ownership in kinds:
        allowed = holds and expect(op, variant, who, ownership, declared)
        status = success if allowed else (spec.deny if holds and spec.kinds else 403)
        visible, absent = _fields(spec, variant)
        yield {**base, "object": ownership, "expect": "allow" if allowed else "deny",
               "status": status, "visible": ";".join(visible) if allowed else "",
               "absent": ";".join(absent) if allowed else ""}  # fmt: skip


def _fields(spec: Obj, variant: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields an allowed answer shows and hides; a reveal shows its group only."""
    if not variant.startswith("reveal="):
        return spec.visible, spec.absent
    opened = PROTECTED if variant == "reveal=all" else FIELD_GROUPS[variant[7:]]
    return (*spec.visible, *opened), tuple(f for f in spec.absent if f not in opened)


def operations_of(openapi: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """``METHOD path`` → (x-permission, first 2xx status) for every documented operation."""
    found = {}
    for path, methods in openapi["paths"].items():
        for method, op in methods.items():
            if "x-permission" not in op:
                continue
            ok = min(int(code) for code in op["responses"] if code.startswith("2"))
            found[f"{method.upper()} {path}"] = (str(op["x-permission"]), ok)
    return found


def build_app() -> Any:
    """The app, on an empty in-memory database (enough for its routes and OpenAPI)."""
    sys.path.insert(0, str(HERE.parent))
    from lindungi.api.app import create_app
    from lindungi.db import make_engine, session_factory
    from tests_support import make_settings

    folder = Path(tempfile.mkdtemp())
    return create_app(make_settings(folder), sessions=session_factory(make_engine("sqlite://")))


def app_routes(app: Any) -> list[str]:
    """``METHOD path`` of every route the app serves, walking included routers and mounts
    (``HEAD`` left out: it answers as ``GET`` does)."""
    found: list[str] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + route.include_context.prefix)
                continue
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", prefix + str(getattr(route, "path", "")))
            methods = sorted(getattr(route, "methods", None) or {"MOUNT"})
            found.extend(f"{m} {path}" for m in methods if m != "HEAD")

    walk(list(app.routes), "")
    return found


def outside(op: str) -> tuple[str, int]:
    """The anonymous caller's expectation on a route outside ``/api/v1``."""
    for prefix, answer in OUTSIDE.items():
        if op.split(" ", 1)[1].startswith(prefix) or op.startswith(prefix):
            return answer
    raise SystemExit(f"no rule for the route outside the API: {op}")


def generate() -> list[dict[str, Any]]:
    """Every row the script derives, in a stable order."""
    app = build_app()
    operations = operations_of(app.openapi())
    missing = sorted(set(operations) - set(OBJECTS))
    if missing:
        raise SystemExit("no object rule for: " + ", ".join(missing))
    made = list(rows(operations))
    for op in app_routes(app):
        if op not in operations and op.split(" ", 1)[1] != "/api/v1" and " /api/v1/" not in op:
            verdict, status = outside(op)
            made.append({"operation": op, "variant": "", "principal": "anonymous",
                         "object": "-", "expect": verdict, "status": status, "visible": "",
                         "absent": "", "note": "outside the API: anonymous only"})  # fmt: skip
    return made


def main(argv: list[str]) -> int:
    """Write the matrix (or, with ``--check``, list the rows the file changed by hand)."""
    made = generate()
    if "--check" in argv:
        with MATRIX.open(newline="") as handle:
            kept = {tuple(r[c] for c in COLUMNS[:8]) for r in csv.DictReader(handle)}
        for row in made:
            if tuple(str(row[c]) for c in COLUMNS[:8]) not in kept:
                print("reviewed:", *(row[c] for c in COLUMNS[:5]))
        return 0
    with MATRIX.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(made)
    print(f"wrote {len(made)} rows to {MATRIX}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
