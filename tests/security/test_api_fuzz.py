"""Bad input at scale: schemathesis against the hub's own ``/openapi.json``.

The real app (``create_app``) runs on the test's database, loaded with the synthetic
demo scenario so that generated requests reach real records, and is called in-process
(no network). Every operation of the document gets schema-valid (positive) and
schema-breaking (negative) requests from schemathesis's Hypothesis strategies, sent
with the bearer token of a user who holds the operation's permission (the demo's
logins of every agency and role, plus a check-in gateway and an agency system), now
and then with a user who lacks it or with no valid token at all.

Each response must be no server error (5xx), have a documented status code and
content type, and match the documented schema. The campaign is seeded and bounded:
``EXAMPLES`` cases per operation and mode on SQLite (at least ``MIN_REQUESTS`` in
all), a fifth of that on PostgreSQL; ``LINDUNGI_FUZZ_SEED`` and
``LINDUNGI_FUZZ_EXAMPLES`` widen it (docs/security-testing.md).
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from lindungi.api.app import create_app
from lindungi.auth import service as auth_service
from lindungi.auth.models import ApiToken, User
from lindungi.auth.permissions import Permission, Principal
from lindungi.demo import service as demo_service
from lindungi.demo.generator import generate
from lindungi.demo.monitoring import load_monitoring
from tests_support import make_settings

# Read once at import: the suite's autouse fixture clears LINDUNGI_* variables.
SEED = int(os.environ.get("LINDUNGI_FUZZ_SEED", "20261111"))
EXAMPLES = int(os.environ.get("LINDUNGI_FUZZ_EXAMPLES", "70"))
MIN_REQUESTS = 10_000
POSTGRES_SHARE = 5  # PostgreSQL runs EXAMPLES // POSTGRES_SHARE per operation and mode
REQUEST_TIMEOUT = 20.0  # seconds; a request that takes longer counts as a hang
DEMO_SEED = 20231
DEMO_PEOPLE = 24

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

# Users beside the demo's logins, for the permissions no demo login holds.
EXTRA_USERS = {
    "fuzz.gateway": ("bp2mi", ("gateway",)),
    "fuzz.system": ("kemnaker", ("agency_system",)),
}


@dataclass
class Caller:
    """A user the campaign sends requests as, with a live token."""

    username: str
    agency: str
    roles: tuple[str, ...]
    token: str
    principal: Principal

    def holds(self, permission: str) -> bool:
        resource, _, action = permission.partition(":")
        return self.principal.scope_for(Permission(resource, action)) is not None


@dataclass
class Callers:
    """Who sends each request: mostly someone allowed, sometimes not, or nobody."""

    sessions: sessionmaker[Session]
    everyone: list[Caller]
    reissued: int = 0

    def headers(self, permission: str, draw: int) -> dict[str, str]:
        """Authorization for a request to an operation needing ``permission``.

        ``draw`` (0-99, from Hypothesis) picks: below 80 a caller holding the
        permission, below 93 any caller, below 97 a token that is not one, else none.
        Public operations go without a token below 80.
        """
        allowed = [c for c in self.everyone if permission != "public" and c.holds(permission)]
        if draw < 80:
            if not allowed:
                return {}
            return {"Authorization": f"Bearer {allowed[draw % len(allowed)].token}"}
        if draw < 93:
            return {"Authorization": f"Bearer {self.everyone[draw % len(self.everyone)].token}"}
        if draw < 97:
            return {"Authorization": "Bearer lgi_not-a-token"}
        return {}

    def keep_alive(self, authorization: str) -> None:
        """Give a caller a new token when the campaign itself revoked theirs or
        deactivated them (the API lets an admin do both)."""
        token = authorization.removeprefix("Bearer ")
        caller = next((c for c in self.everyone if c.token == token), None)
        if caller is None:
            return
        with self.sessions() as session:
            user = auth_service.get_user(session, caller.username)
            if not user.is_active:
                auth_service.set_active(session, user, True)
            caller.token = auth_service.issue_token(
                session, user, ttl=dt.timedelta(days=1), name="fuzz"
            ).secret
            session.commit()
        self.reissued += 1


@dataclass
class Campaign:
    """What was sent and what went wrong, deduplicated by operation and kind."""

    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def fail(self, label: str, kind: str, detail: str, report: str) -> None:
        self.failures.setdefault((label, kind, detail), report)

    def summary(self) -> str:
        lines = [f"{len(self.failures)} distinct failures in {self.sent} requests:"]
        lines += [f"\n--- {label}: {kind} {detail}\n{report[:1500]}"
                  for (label, kind, detail), report in sorted(self.failures.items())]  # fmt: skip
        return "\n".join(lines)


def load_demo(sessions: sessionmaker[Session]) -> None:
    """The synthetic scenario: people, users of every agency, screenings, cases,
    monitoring with alerts, recruiters with bonds."""
    scenario = generate(seed=DEMO_SEED, people=DEMO_PEOPLE)
    with sessions() as session:
        demo_service.load(session, scenario)
        demo_service.load_identities(session, seed=DEMO_SEED, people=DEMO_PEOPLE)
        demo_service.load_screenings(session, scenario, DEMO_PEOPLE)
        demo_service.load_cases(session, scenario)
        load_monitoring(session, scenario, dt.datetime.now(dt.UTC))
        session.commit()


def make_callers(sessions: sessionmaker[Session]) -> Callers:
    """Every demo login, and the extra users, each with a fresh token."""
    with sessions() as session:
        for username, (agency, roles) in EXTRA_USERS.items():
            auth_service.add_user(session, username, agency=agency, roles=list(roles))
        everyone = []
        users = session.scalars(select(User).where(User.is_active).order_by(User.username))
        for user in users:
            secret = auth_service.issue_token(
                session, user, ttl=dt.timedelta(days=1), name="fuzz"
            ).secret
            principal = Principal.of(
                user.id, user.username, user.agency_code, tuple(user.role_codes), None
            )
            everyone.append(
                Caller(user.username, user.agency_code, tuple(user.role_codes), secret, principal)
            )
        session.commit()
    return Callers(sessions, everyone)


def known_path_values(sessions: sessionmaker[Session]) -> dict[str, list[Any]]:
    """Identifiers that exist, by path parameter name, so that many requests reach
    a real record instead of a 404."""
    from lindungi.audit.models import AuditEntryRow
    from lindungi.cases.models import Case, CaseEscalation, CaseReferral
    from lindungi.exchange.models import Delivery, Subscription
    from lindungi.identity.models import Person
    from lindungi.monitoring.models import Alert, Enrolment
    from lindungi.recruiters.models import Bond, BondClaim, Recruiter
    from lindungi.screening.models import Screening

    def ids(column: Any, limit: int = 4) -> list[Any]:
        with sessions() as session:
            return list(session.scalars(select(column).order_by(column).limit(limit)))

    return {
        "alert_id": ids(Alert.id),
        "bond_id": ids(Bond.id),
        "case_id": ids(Case.id),
        "claim_id": ids(BondClaim.id),
        "code": ["bp2mi", "imigrasi", "kemnaker", "polri"],
        "enrolment_id": ids(Enrolment.id),
        "escalation_id": ids(CaseEscalation.id),
        "person_id": ids(Person.id),
        "recruiter_id": ids(Recruiter.id),
        "referral_id": ids(CaseReferral.id),
        "screening_id": ids(Screening.id),
        "seq": ids(AuditEntryRow.seq),
        "subscription_id": ids(Subscription.id),
        "delivery_id": ids(Delivery.id),
        "token_id": ids(ApiToken.id),
        "username": ["bp2mi.caseworker", "imigrasi.officer", "kemnaker.licensing"],
    }


def case_strategy(
    operation: schemathesis.APIOperation, mode: GenerationMode, known: dict[str, list[Any]]
) -> st.SearchStrategy[schemathesis.Case]:
    """Generated cases; where every path parameter has known values, half of them
    aim at existing records."""
    free = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    if not names or not all(known.get(n) for n in names):
        return free
    combos = [
        {n: known[n][i % len(known[n])] for n in names}
        for i in range(max(len(known[n]) for n in names))
    ]
    aimed = st.one_of(
        [operation.as_strategy(generation_mode=mode, path_parameters=c) for c in combos]
    )
    return st.one_of(free, aimed)


def run_operation(
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    strategy: st.SearchStrategy[schemathesis.Case],
    examples: int,
    callers: Callers,
    campaign: Campaign,
) -> None:
    """Send up to ``examples`` generated cases to one operation, recording failures."""
    label = operation.label
    permission = str(operation.definition.raw.get("x-permission", "public"))

    @hypothesis_settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @seed(SEED ^ zlib.crc32(f"{label} {mode.value}".encode()))
    @given(case=strategy, draw=st.integers(0, 99))
    def send(case: schemathesis.Case, draw: int) -> None:
        headers = callers.headers(permission, draw)
        campaign.sent += 1
        campaign.by_operation[label] += 1
        try:
            response = case.call(headers=headers, timeout=REQUEST_TIMEOUT)
        except requests.Timeout:
            campaign.fail(label, "hang", f"over {REQUEST_TIMEOUT} s", case.as_curl_command())
            return
        except Exception as error:  # the app raised: a 500 that Starlette re-raises
            report = f"{type(error).__name__}: {error}\n{case.as_curl_command()}"
            campaign.fail(label, "unhandled", type(error).__name__, report)
            return
        campaign.statuses[response.status_code] += 1
        if response.status_code == 401:
            callers.keep_alive(response.request.headers.get("Authorization", ""))
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                assert isinstance(failure, Failure)
                detail = f"{response.status_code} {failure.title}"
                campaign.fail(label, type(failure).__name__, detail, str(group))

    with suppress(Unsatisfiable):  # nothing in this operation can be made invalid
        send()


@pytest.fixture
def fuzz_app(tmp_path: Path, sessions: sessionmaker[Session]) -> FastAPI:
    """The hub on the test's database, with the public rate limit out of the way
    (a test of its own checks the 429)."""
    settings = make_settings(tmp_path, public_rate_limit="1000000/minute")
    return create_app(settings, sessions=sessions)


def test_generated_requests_get_no_server_error_and_match_the_schema(
    fuzz_app: FastAPI, sessions: sessionmaker[Session], request: pytest.FixtureRequest
) -> None:
    load_demo(sessions)
    callers = make_callers(sessions)
    known = known_path_values(sessions)
    on_postgres = "postgresql" in request.node.callspec.id
    examples = max(1, EXAMPLES // POSTGRES_SHARE) if on_postgres else EXAMPLES
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    # Who calls is this test's choice (Callers), never a generated Authorization header.
    schema.config.generation.update(with_security_parameters=False)
    campaign = Campaign()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 80, "the OpenAPI document lost operations"
    for operation in operations:
        for mode in MODES:
            strategy = case_strategy(operation, mode, known)
            run_operation(operation, mode, strategy, examples, callers, campaign)
    print(  # shown with -s, and in the report of a failure
        f"\nfuzzed {len(operations)} operations with {campaign.sent} requests "
        f"(seed {SEED}, {examples} per operation and mode); statuses "
        f"{dict(sorted(campaign.statuses.items()))}; tokens re-issued {callers.reissued}"
    )
    assert not campaign.failures, campaign.summary()
    if not on_postgres and EXAMPLES >= 70:
        assert campaign.sent >= MIN_REQUESTS
    untouched = [o.label for o in operations if campaign.by_operation[o.label] == 0]
    assert not untouched
