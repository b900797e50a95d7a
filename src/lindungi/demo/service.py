"""Load the synthetic scenario into the database, idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.auth import service as auth_service
from lindungi.auth.credentials import verify_password
from lindungi.auth.models import ApiToken, User
from lindungi.db import utcnow
from lindungi.demo.generator import DemoScenario, DemoUser
from lindungi.demo.recruiters import DemoRecruiter
from lindungi.errors import ConflictError
from lindungi.people.models import PersonRecord
from lindungi.recruiters import bonds
from lindungi.recruiters import service as registry
from lindungi.recruiters.models import Complaint, Licence, Recruiter
from lindungi.recruiters.normalize import licence_key, name_key

DEMO_SOURCE = "demo"
DEMO_TOKEN_NAME = "demo"  # noqa: S105 - a label, not a secret


@dataclass(frozen=True)
class DemoLogin:
    """A demo user's credentials, shown to whoever starts the demo."""

    username: str
    agency: str
    roles: tuple[str, ...]
    password: str
    token: str


@dataclass(frozen=True)
class LoadReport:
    """What a load added, and what was already there."""

    people_added: int
    people_kept: int
    users_added: int
    users_kept: int
    recruiters_added: int = 0


def load(session: Session, scenario: DemoScenario) -> LoadReport:
    """Insert the scenario's people and users that are not there yet.

    People are keyed by (source ``demo``, seed and record id), users by username;
    loading the same scenario twice adds nothing, and another seed adds its own people.
    Demo users already there get this scenario's password, so the logins printed
    always work. A real (non-synthetic) user holding a demo username is never
    touched: that is refused.
    """
    existing_people = set(
        session.scalars(
            select(PersonRecord.source_record_id).where(PersonRecord.source == DEMO_SOURCE)
        )
    )
    now = utcnow()
    new_people = [
        PersonRecord(
            source=DEMO_SOURCE,
            source_record_id=demo_record_id(scenario, p.record_id),
            full_name=p.full_name,
            sex=p.sex,
            birth_date=p.birth_date,
            nik=p.nik,
            passport_no=p.passport_no,
            phone=p.phone,
            address=p.address,
            city=p.city,
            province_code=p.province_code,
            synthetic=True,
            first_seen=now,
            last_seen=now,
        )
        for p in scenario.people
        if demo_record_id(scenario, p.record_id) not in existing_people
    ]
    session.add_all(new_people)
    users_added = sum(_ensure_user(session, u) for u in scenario.users)
    session.flush()
    recruiters_added = sum(_ensure_recruiter(session, r) for r in scenario.recruiters)
    if recruiters_added:
        audit.record(
            session,
            audit.SYSTEM,
            Action.CREATE,
            "recruiters",
            f"demo:seed={scenario.seed}",
            fields=["name", "licences", "identifiers", "bonds", "claims", "complaints"],
            purpose="load the synthetic demonstration scenario",
        )
    if users_added:
        audit.record(
            session,
            audit.SYSTEM,
            Action.CREATE,
            "users",
            f"demo:seed={scenario.seed}",
            fields=["username", "full_name", "roles", "password"],
            purpose="load the synthetic demonstration scenario",
        )
    if new_people:
        audit.record(
            session,
            audit.SYSTEM,
            Action.CREATE,
            "person_records",
            f"demo:seed={scenario.seed}",
            fields=[c.name for c in PersonRecord.__table__.columns if c.name != "id"],
            purpose="load the synthetic demonstration scenario",
        )
    return LoadReport(
        people_added=len(new_people),
        people_kept=len(scenario.people) - len(new_people),
        users_added=users_added,
        users_kept=len(scenario.users) - users_added,
        recruiters_added=recruiters_added,
    )


def _ensure_recruiter(session: Session, demo: DemoRecruiter) -> bool:
    """Add one synthetic recruiter with what is behind it, unless it is there already."""
    actor, source = "system:demo", "synthetic demo"
    if demo.licence_no is not None:
        if session.scalar(
            select(Licence.id).where(Licence.number_key == licence_key(demo.licence_no))
        ):
            return False
        licence = registry.create_licensed_recruiter(
            session,
            name=demo.name,
            licence_no=demo.licence_no,
            status="active",
            valid_until=demo.valid_until,
            actor=actor,
            reason="synthetic demo licence",
            synthetic=True,
        )
        recruiter = licence.recruiter
        if demo.status and demo.status != "active":
            registry.set_licence_status(
                session, licence, demo.status, reason=demo.status_reason, actor=actor
            )
    else:
        if session.scalar(
            select(Recruiter.id).where(
                Recruiter.kind == "agent", Recruiter.name == demo.name, Recruiter.synthetic
            )
        ):
            return False
        recruiter = Recruiter(
            kind="agent", name=demo.name, name_key=name_key(demo.name), synthetic=True
        )
        session.add(recruiter)
        session.flush()
    for kind, values in (
        ("phone", demo.phones),
        ("address", demo.addresses),
        ("director", demo.directors),
        ("employer", demo.employers),
    ):
        for value in values:
            registry.add_identifier(session, recruiter, kind, value, source)
    if demo.bond_idr:
        bond = bonds.add_bond(session, recruiter, demo.bond_idr, "Bank (synthetic)")
        for claim in demo.claims:
            filed = bonds.file_claim(
                session, bond, case_ref=claim.case_ref, amount_idr=claim.amount_idr, actor=actor
            )
            steps = {"filed": (), "verified": ("verify",), "paid": ("verify", "pay")}
            for decision in steps.get(claim.outcome, ("reject",)):
                bonds.decide_claim(session, filed, decision, reason="synthetic demo", actor=actor)
    for case_ref in demo.complaint_cases:
        session.add(
            Complaint(
                recruiter_id=recruiter.id,
                channel="hotline",
                summary="synthetic demo complaint: fees demanded, tourist visa, passport held",
                case_ref=case_ref,
            )
        )
    session.flush()
    return True


def demo_record_id(scenario: DemoScenario, record_id: str) -> str:
    """The stored id of a demo person: seeds never collide."""
    return f"seed{scenario.seed}/{record_id}"


def _ensure_user(session: Session, demo: DemoUser) -> bool:
    found = session.scalar(select(User).where(User.username == demo.username))
    if found is not None:
        if not found.synthetic:
            raise ConflictError(
                f"user {demo.username!r} exists and is not a demo user; "
                "load the demo into a database of its own"
            )
        if found.password_hash is None or not verify_password(found.password_hash, demo.password):
            auth_service.set_password(session, found, demo.password)  # another seed's demo
        return False
    auth_service.add_user(
        session,
        demo.username,
        agency=demo.agency,
        roles=demo.roles,
        full_name=demo.full_name,
        password=demo.password,
        synthetic=True,
    )
    return True


def issue_logins(session: Session, scenario: DemoScenario, ttl: dt.timedelta) -> list[DemoLogin]:
    """Fresh demo tokens for the scenario's users, revoking their previous demo tokens.

    Tokens are stored only as hashes, so a restarted demo cannot show the old ones.
    """
    logins = []
    for demo in scenario.users:
        user = auth_service.get_user(session, demo.username)
        for old in session.scalars(
            select(ApiToken).where(
                ApiToken.user_id == user.id,
                ApiToken.name == DEMO_TOKEN_NAME,
                ApiToken.revoked_at.is_(None),
            )
        ):
            auth_service.revoke_token(session, old)
            audit.record(
                session, audit.SYSTEM, Action.UPDATE, "tokens", str(old.id),
                fields=["revoked_at"], purpose="demo login replaced",
            )  # fmt: skip
        issued = auth_service.issue_token(session, user, ttl=ttl, name=DEMO_TOKEN_NAME)
        audit.record(
            session,
            audit.SYSTEM,
            Action.CREATE,
            "tokens",
            str(issued.token.id),
            fields=["user", "name", "expires_at"],
            purpose="demo login",
        )
        logins.append(
            DemoLogin(demo.username, demo.agency, demo.roles, demo.password, issued.secret)
        )
    return logins


@dataclass(frozen=True)
class IndexReport:
    """What loading the synthetic agency records into the person index did."""

    records_added: int
    records: int
    persons: int


def load_identities(session: Session, *, seed: int, people: int) -> IndexReport:
    """Store the synthetic multi-agency records (``demo.identities``) in the person index
    and link them, so that the demo's officers find people across agencies. Idempotent:
    records already there are kept, and the index is re-linked only when some were added."""
    from lindungi.demo.identities import generate_agency_records
    from lindungi.identity import service as identity
    from lindungi.identity.ingest import read_rows

    data = generate_agency_records(people, seed=seed)
    added = 0
    for source, rows in data.records.items():
        stored = identity.store_records(
            session, source, read_rows(rows, source=source).records, synthetic=True
        )
        added += stored.created
    if added:
        identity.relink(session)
        audit.record(
            session, audit.SYSTEM, Action.CREATE, "person_records", f"demo-index:seed={seed}",
            fields=["identity"], purpose="load the synthetic demonstration scenario",
        )  # fmt: skip
    records, persons = identity.index_size(session)
    return IndexReport(added, records, persons)


@dataclass(frozen=True)
class ScreeningReport:
    """What screening the synthetic departures did."""

    added: int
    bands: dict[str, int]
    referrals: int


def load_screenings(session: Session, scenario: DemoScenario, count: int) -> ScreeningReport:
    """Screen ``count`` synthetic departures at the demo's immigration desk and record the
    officer's decisions (refer the high ones, interview the medium ones). Idempotent:
    departures already screened are kept."""
    from lindungi.auth.permissions import Principal
    from lindungi.cases.models import Case
    from lindungi.demo.screenings import demo_screenings
    from lindungi.screening import service as screening
    from lindungi.screening.models import Referral, Screening
    from lindungi.screening.schemas import ScreeningIn

    officer = session.scalar(select(User).where(User.username == "imigrasi.officer"))
    if officer is None:
        return ScreeningReport(0, {}, 0)
    desk = Principal.of(officer.id, officer.username, officer.agency_code, ("officer",), None)
    known = set(session.scalars(select(Screening.reference).where(Screening.agency == "imigrasi")))
    added = 0
    for item in demo_screenings(scenario, count):
        if item.line["id"] in known:
            continue
        request = ScreeningIn.model_validate(item.line)
        done = screening.screen_at_desk(session, request, desk, scenario.reference_date)
        reason = {"high": "indikator tinggi: dirujuk ke BP2MI (demo sintetis)",
                  "medium": "wawancara tambahan (demo sintetis)"}.get(done.band)  # fmt: skip
        if reason is not None:
            _, sent = screening.decide(session, done.id, done.action, reason, desk)
            if sent is not None:  # the case it opened at BP2MI is as synthetic as the rest
                session.execute(update(Case).where(Case.screening_referral_id == sent.id)
                                .values(synthetic=True))  # fmt: skip
        added += 1
    if added:
        audit.record(
            session, audit.SYSTEM, Action.CREATE, "screenings", f"demo:seed={scenario.seed}",
            fields=["screening"], purpose="load the synthetic demonstration scenario",
        )  # fmt: skip
    bands: dict[str, int] = {}
    for band in session.scalars(select(Screening.band)):
        bands[band] = bands.get(band, 0) + 1
    referrals = len(list(session.scalars(select(Referral.id))))
    return ScreeningReport(added, bands, referrals)


@dataclass(frozen=True)
class CasesReport:
    """What loading the synthetic cases did, and what the demo's cases now show: their
    stages, their referrals (by status), their legal track (by stage) and the bond claims
    filed from them (by status)."""

    added: int
    by_state: dict[str, int]
    referrals: dict[str, int]
    legal: dict[str, int]
    bond_claims: dict[str, int]


def load_cases(session: Session, scenario: DemoScenario) -> CasesReport:
    """Open the synthetic cases at the BP2MI desk and walk each to its stage through the
    real services, as its officers would have: the case worker's moves, identification
    and referrals for services, the police investigator's legal track and the licensing
    office's decisions on a bond claim. Idempotent: cases already there (by their demo
    marker) are kept, and nothing is added to them."""
    from lindungi.auth.permissions import Principal
    from lindungi.cases.models import Case, CaseReferral
    from lindungi.demo.cases import Officers, claimed_recruiter, demo_cases, tally, walk
    from lindungi.recruiters.models import BondClaim

    staff: dict[str, Principal] = {}
    for username, role in (
        ("bp2mi.caseworker", "case_worker"),
        ("polri.investigator", "investigator"),
        ("kemnaker.licensing", "licensing"),
    ):
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            return CasesReport(0, {}, {}, {}, {})
        staff[role] = Principal.of(user.id, user.username, user.agency_code, (role,), None)
    officers = Officers(staff["case_worker"], staff["investigator"], staff["licensing"])
    known = set(session.scalars(select(Case.summary).where(Case.synthetic.is_(True))))
    fresh = [item for item in demo_cases(scenario) if item.fields["summary"] not in known]
    recruiter_id = claimed_recruiter(session, scenario) if fresh else None
    for item in fresh:
        walk(session, item, officers, recruiter_id)
    if fresh:
        audit.record(
            session, audit.SYSTEM, Action.CREATE, "cases", f"demo:seed={scenario.seed}",
            fields=["case", "referrals", "legal", "bond_claims"],
            purpose="load the synthetic demonstration scenario",
        )  # fmt: skip
    synthetic = Case.synthetic.is_(True)
    demo = select(Case.id).where(synthetic)
    referrals = select(CaseReferral.status).where(CaseReferral.case_id.in_(demo))
    claims = select(BondClaim.status).where(BondClaim.case_id.in_(demo))
    return CasesReport(
        added=len(fresh),
        by_state=tally(session.scalars(select(Case.state).where(synthetic))),
        referrals=tally(session.scalars(referrals)),
        legal=tally(session.scalars(select(Case.legal_stage).where(synthetic))),
        bond_claims=tally(session.scalars(claims)),
    )
