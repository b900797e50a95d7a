"""A recruiter's standing, and the fronts behind a name: the one call screening and
the public verification share. Every finding carries the path that explains it."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, selectinload

from lindungi.recruiters.models import Licence, LicenceEvent, Recruiter, RecruiterIdentifier
from lindungi.recruiters.normalize import licence_key, name_key, phone_key

#: How similar a typed name must be to a registered one to count as the same company.
NAME_MATCH = 90.0
#: A phone used by this many names or more is a finding by itself.
SHARED_PHONE = 3
BAD_STANDING = ("revoked", "suspended")


@dataclass(frozen=True)
class Match:
    """A registered recruiter that answers the query."""

    recruiter_id: int
    name: str
    licence_no: str | None
    status: str  # active | suspended | revoked | expired | unlicensed
    valid_until: dt.date | None
    matched_by: str
    score: float = 100.0
    kind: str = "company"


@dataclass(frozen=True)
class Finding:
    """Something behind the name that should worry an officer, with its explanation."""

    code: str
    recruiter_id: int
    other_recruiter_id: int | None
    kind: str
    path: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class Standing:
    """The answer: a verdict, what matched, and the fronts found behind it."""

    verdict: str  # licensed | suspended | revoked | expired | unknown
    matches: tuple[Match, ...]
    similar: tuple[Match, ...] = ()
    findings: tuple[Finding, ...] = field(default=())


def _effective(licence: Licence | None, today: dt.date) -> str:
    if licence is None:
        return "unlicensed"
    if (
        licence.status == "active"
        and licence.valid_until is not None
        and licence.valid_until < today
    ):
        return "expired"
    return licence.status


def _match(recruiter: Recruiter, by: str, today: dt.date, score: float = 100.0) -> Match:
    licence = max(recruiter.licences, key=lambda lc: lc.id, default=None)
    return Match(
        recruiter.id,
        recruiter.name,
        licence.number if licence else None,
        _effective(licence, today),
        licence.valid_until if licence else None,
        by,
        score,
        recruiter.kind,
    )


@dataclass
class StandingMemo:
    """The registry read once for a run over a registry that does not change meanwhile (a
    batch screening in one transaction): every recruiter with its licences, the keys that
    find them, and each recruiter's fronts as they are first asked for."""

    name_keys: dict[int, str] | None = None
    fronts: dict[int, list[Finding]] = field(default_factory=dict)
    recruiters: dict[int, Recruiter] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    by_licence: dict[str, int] = field(default_factory=dict)
    by_phone: dict[str, list[int]] = field(default_factory=dict)
    loaded: bool = False

    def load(self, session: Session) -> StandingMemo:
        """Read the registry (once)."""
        if self.loaded:
            return self
        for recruiter in _with_licences(session, select(Recruiter).order_by(Recruiter.id)):
            self.recruiters[recruiter.id] = recruiter
            self.by_name.setdefault(recruiter.name_key, []).append(recruiter.id)
            for licence in recruiter.licences:
                self.by_licence[licence.number_key] = recruiter.id
        phones = select(RecruiterIdentifier.value, RecruiterIdentifier.recruiter_id).where(
            RecruiterIdentifier.kind == "phone"
        )
        for value, rid in session.execute(phones.order_by(RecruiterIdentifier.id)):
            self.by_phone.setdefault(value, []).append(rid)
        self.name_keys = {rid: r.name_key for rid, r in self.recruiters.items()}
        self.loaded = True
        return self


def _with_licences(session: Session, query: Any) -> list[Recruiter]:
    return list(session.scalars(query.options(selectinload(Recruiter.licences))))


def _by_name(
    session: Session, name: str, today: dt.date, memo: StandingMemo | None = None
) -> tuple[list[Match], list[Match]]:
    key = name_key(name)
    if memo is not None and memo.loaded:
        exact = [memo.recruiters[rid] for rid in memo.by_name.get(key, [])]
    else:
        exact = _with_licences(session, select(Recruiter).where(Recruiter.name_key == key))
    if exact:
        return [_match(r, "name", today) for r in exact], []
    if memo is not None and memo.name_keys is not None:
        keys = memo.name_keys
    else:
        keys = _NAMES.keys(session)
        if memo is not None:
            memo.name_keys = keys
    # Keys are already lower-case words in sorted order, so plain `ratio` scores exactly
    # as token_sort_ratio would, without re-tokenising 50,000 keys per query.
    found = process.extract(key, keys, scorer=fuzz.ratio, processor=None, limit=5, score_cutoff=75)
    if memo is not None and memo.loaded:
        loaded = {rid: memo.recruiters[rid] for _, _, rid in found if rid in memo.recruiters}
    else:
        wanted = select(Recruiter).where(Recruiter.id.in_([rid for _, _, rid in found]))
        loaded = {r.id: r for r in _with_licences(session, wanted)}
    close = [
        _match(loaded[rid], "name (similar)", today, round(score, 1))
        for _, score, rid in found
        if rid in loaded  # gone since the index was read
    ]
    strong = [m for m in close if m.score >= NAME_MATCH]
    if len(strong) == 1:
        return strong, [m for m in close if m is not strong[0]]
    return [], close


_MINE, _THEIRS = aliased(RecruiterIdentifier), aliased(RecruiterIdentifier)


class _NameIndex:
    """Every recruiter's name key, kept in memory per database and reloaded only when the
    registry changed (its row count or newest update moved), so a typo-tolerant lookup
    does not read the whole table each time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[object, ...], dict[int, str]]] = {}

    def keys(self, session: Session) -> dict[int, str]:
        database = str(session.connection().engine.url)
        version = tuple(
            session.execute(select(func.count(Recruiter.id), func.max(Recruiter.updated_at))).one()
        )
        with self._lock:
            cached = self._cache.get(database)
            if cached is not None and cached[0] == version:
                return cached[1]
        keys: dict[int, str] = dict(session.execute(select(Recruiter.id, Recruiter.name_key)).all())
        with self._lock:
            self._cache[database] = (version, keys)
        return keys


_NAMES = _NameIndex()


def _revoked_on(session: Session, licence_id: int, status: str) -> dt.date | None:
    moment = session.scalar(
        select(func.max(LicenceEvent.at)).where(
            LicenceEvent.licence_id == licence_id, LicenceEvent.to_status == status
        )
    )
    return moment.date() if moment else None


def fronts(session: Session, recruiter_ids: list[int], today: dt.date) -> list[Finding]:
    """Shared phones, addresses, directors, accounts with recruiters in bad standing, and
    phones that recruit for many names."""
    if not recruiter_ids:
        return []
    mine, theirs = _MINE, _THEIRS
    rows = session.execute(
        select(mine.recruiter_id, mine.kind, mine.display, theirs.recruiter_id)
        .join(theirs, (theirs.kind == mine.kind) & (theirs.value == mine.value))
        .where(mine.recruiter_id.in_(recruiter_ids), theirs.recruiter_id != mine.recruiter_id)
        .order_by(mine.recruiter_id, mine.kind, theirs.recruiter_id)
    ).all()
    findings: list[Finding] = []
    sharing: dict[tuple[int, str, str], set[int]] = {}
    for own_id, kind, display, other_id in rows:
        if kind == "employer":  # lawful agencies also place with the same employer
            continue
        sharing.setdefault((own_id, kind, display), set()).add(other_id)
        other = session.get(Recruiter, other_id)
        if other is None:
            continue
        licence = max(other.licences, key=lambda lc: lc.id, default=None)
        status = _effective(licence, today)
        if licence is None or status not in BAD_STANDING:
            continue
        when = _revoked_on(session, licence.id, status)
        since = f", {status} {when.isoformat()}" if when else f", {status}"
        label = kind.replace("_", " ")
        public = kind in ("phone", "address", "employer")  # a director's name is not repeated
        shown = display if public else f"a {label}"
        findings.append(
            Finding(
                code=f"shares_{kind}_with_{status}",
                recruiter_id=own_id,
                other_recruiter_id=other_id,
                kind=kind,
                path=(f"recruiter:{own_id}", f"{kind}:{display}", f"recruiter:{other_id}"),
                explanation=(
                    f"shares {label} {shown} with {other.name}{since}"
                    if public
                    else f"shares {shown} with {other.name}{since}"
                ),
            )
        )
    for (own_id, kind, display), others in sharing.items():
        if kind == "phone" and len(others) + 1 >= SHARED_PHONE:
            findings.append(
                Finding(
                    code="phone_recruits_for_many_names",
                    recruiter_id=own_id,
                    other_recruiter_id=None,
                    kind=kind,
                    path=(
                        f"recruiter:{own_id}",
                        f"phone:{display}",
                        *(f"recruiter:{o}" for o in sorted(others)),
                    ),
                    explanation=f"phone {display} recruits for {len(others) + 1} names",
                )
            )
    return findings


def _fronts(
    session: Session, ids: list[int], today: dt.date, memo: StandingMemo | None
) -> list[Finding]:
    found = []
    for rid in ids:  # per recruiter, so that a batch can keep each one's findings
        if memo is None:
            found += fronts(session, [rid], today)
            continue
        if rid not in memo.fronts:
            memo.fronts[rid] = fronts(session, [rid], today)
        found += memo.fronts[rid]
    return found


def recruiter_standing(
    session: Session,
    *,
    name: str | None = None,
    licence_no: str | None = None,
    phone: str | None = None,
    today: dt.date | None = None,
    memo: StandingMemo | None = None,
) -> Standing:
    """The standing of whoever a name, licence number or phone points to, with fronts."""
    day = today or dt.date.today()
    matches: list[Match] = []
    similar: list[Match] = []
    if memo is not None:
        memo.load(session)
    if licence_no and memo is not None:
        holder = memo.by_licence.get(licence_key(licence_no))
        if holder is not None:
            matches.append(_match(memo.recruiters[holder], "licence_no", day))
    elif licence_no:
        licence = session.scalar(
            select(Licence).where(Licence.number_key == licence_key(licence_no))
        )
        if licence is not None:
            matches.append(_match(licence.recruiter, "licence_no", day))
    if name and not matches:
        matches, similar = _by_name(session, name, day, memo)
    if phone:
        key = phone_key(phone)
        if key is not None and memo is not None:
            ids: list[int] = memo.by_phone.get(key, [])
            by_id = memo.recruiters
        elif key is not None:
            ids = list(
                session.scalars(
                    select(RecruiterIdentifier.recruiter_id)
                    .where(RecruiterIdentifier.kind == "phone", RecruiterIdentifier.value == key)
                    .order_by(RecruiterIdentifier.id)
                )
            )
            found = _with_licences(session, select(Recruiter).where(Recruiter.id.in_(ids)))
            by_id = {r.id: r for r in found}
        if key is not None:
            known = {m.recruiter_id for m in matches}
            for rid in ids:
                if rid in by_id and rid not in known:
                    matches.append(_match(by_id[rid], "phone", day))
    findings = _fronts(session, sorted({m.recruiter_id for m in matches}), day, memo)
    return Standing(_verdict(matches), tuple(matches), tuple(similar), tuple(findings))


def _verdict(matches: list[Match]) -> str:
    statuses = {m.status for m in matches}
    for worst in ("revoked", "suspended", "expired"):
        if worst in statuses:
            return worst
    if "active" in statuses:
        return "licensed"
    return "unknown"


def recruiters_by_social(session: Session, handle: str) -> list[str]:
    """Names of the recruiters registered with a social-media or messaging handle
    (``@name`` or ``name``, any case)."""
    bare = handle.strip().lower().lstrip("@")
    if not bare:
        return []
    return list(
        session.scalars(
            select(Recruiter.name)
            .join(RecruiterIdentifier, RecruiterIdentifier.recruiter_id == Recruiter.id)
            .where(
                RecruiterIdentifier.kind == "social",
                RecruiterIdentifier.value.in_([bare, f"@{bare}"]),
            )
            .order_by(Recruiter.id)
        )
    )
