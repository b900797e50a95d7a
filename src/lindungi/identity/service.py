"""The person index: records stored with provenance, linked in batch or one at a time,
officers' judgements applied and respected, every link explained.

Services flush, never commit. Splink runs only inside ``linkage`` and ``engine``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lindungi.db import utcnow
from lindungi.errors import ConflictError, InvalidInputError, NotFoundError
from lindungi.exchange import service as exchange
from lindungi.identity import default_model
from lindungi.identity.clustering import DEFAULT_THRESHOLD
from lindungi.identity.default_model import MIN_TRAINING_RECORDS
from lindungi.identity.features import Facts, match_keys, record_features
from lindungi.identity.ingest import SourceRecord
from lindungi.identity.models import Judgement, LinkageModel, MatchKey, Membership, Person
from lindungi.people.models import PersonRecord
from lindungi.people.service import RecordFacts, find_record, upsert_record

if TYPE_CHECKING:
    from lindungi.identity.linkage import Linked


def facts_of(record: PersonRecord) -> Facts:
    """A stored record's identifying facts."""
    return Facts(
        full_name=record.full_name or None,
        birth_date=record.birth_date,
        sex=record.sex,
        national_id=record.nik,
        passport_no=record.passport_no,
        phone=record.phone,
        address=record.address,
        city=record.city,
        postcode=record.postcode,
    )


def record_facts(record: SourceRecord) -> RecordFacts:
    """An ingested row as the stored record's facts."""
    return RecordFacts(
        full_name=record.full_name or "",
        sex=record.sex,
        birth_date=record.birth_date,
        nik=record.national_id,
        passport_no=record.passport_no,
        phone=record.phone,
        address=record.address,
        city=record.city,
        postcode=record.postcode,
        seen_on=record.seen_at,
        outcome=record.outcome,
    )


def refresh_keys(session: Session, record: PersonRecord, row: dict[str, Any]) -> None:
    session.execute(delete(MatchKey).where(MatchKey.record_id == record.id))
    session.add_all(MatchKey(key=key, record_id=record.id) for key in sorted(match_keys(row)))


# --- ingestion ---------------------------------------------------------------------------


@dataclass
class StoreReport:
    """What storing a batch of source records did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: list[int] = field(default_factory=list)


def store_records(
    session: Session, source: str, records: Iterable[SourceRecord], *, synthetic: bool = False
) -> StoreReport:
    """Store a source's records (upsert by record id) with their match keys; no linking."""
    report = StoreReport()
    for item in records:
        record, change = upsert_record(
            session, source, item.record_id, record_facts(item), synthetic=synthetic
        )
        setattr(report, change, getattr(report, change) + 1)
        if change != "unchanged":
            refresh_keys(session, record, record_features(facts_of(record)))
        if change == "created":
            report.new_ids.append(record.id)
    session.flush()
    return report


# --- the model ---------------------------------------------------------------------------


def current_model(session: Session) -> tuple[dict[str, Any], float]:
    """The newest trained model and its threshold, else the packaged one."""
    stored = session.scalar(select(LinkageModel).order_by(LinkageModel.id.desc()).limit(1))
    if stored is not None:
        return stored.model, stored.threshold
    return default_model.load(), DEFAULT_THRESHOLD


# --- judgements ----------------------------------------------------------------------------


def latest_judgements(
    session: Session, record_id: int | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Latest verdict per pair (of one record's pairs, if given): (same, different)."""
    latest: dict[tuple[int, int], str] = {}
    query = select(Judgement).order_by(Judgement.id)
    if record_id is not None:
        query = query.where((Judgement.record_a == record_id) | (Judgement.record_b == record_id))
    for j in session.scalars(query):
        latest[(j.record_a, j.record_b)] = j.verdict
    same = [pair for pair, verdict in latest.items() if verdict == "same"]
    return same, [pair for pair, verdict in latest.items() if verdict == "different"]


# --- batch linking -------------------------------------------------------------------------


@dataclass(frozen=True)
class RelinkReport:
    """What a full re-link found."""

    records: int
    persons: int
    refused_links: int
    trained: bool


def relink(
    session: Session, *, threshold: float | None = None, train: bool | None = None
) -> RelinkReport:
    """Link every stored record afresh (training the model when there is enough data),
    keeping person ids stable where the people are the same and respecting judgements."""
    records = list(session.scalars(select(PersonRecord).order_by(PersonRecord.id)))
    same, different = latest_judgements(session)
    train = len(records) >= MIN_TRAINING_RECORDS if train is None else train
    model, stored_threshold = current_model(session)
    threshold = stored_threshold if threshold is None else threshold
    from lindungi.identity.linkage import link

    linked = link(
        [(r.id, facts_of(r)) for r in records],
        threshold=threshold,
        same=same,
        different=different,
        trained=None if train else model,
    )
    if train and records:
        session.add(
            LinkageModel(records=len(records), threshold=threshold, model=linked.scored.model)
        )
        model = linked.scored.model
    _store_links(session, linked, model, threshold, same)
    return RelinkReport(
        len(records), len(set(linked.clusters.person.values())),
        len(linked.clusters.refused), train,
    )  # fmt: skip


def _store_links(
    session: Session,
    linked: Linked[int],
    model: dict[str, Any],
    threshold: float,
    same: list[tuple[int, int]],
) -> None:
    """Persist found people: each record with its strongest link inside its person."""
    from lindungi.identity.engine import explain, levels

    table = levels(model)
    best: dict[int, tuple[int, float, list[dict[str, Any]]]] = {}
    person = linked.clusters.person
    for a, b, p, row in linked.pairs():
        if p < threshold or person[a] != person[b]:
            continue
        evidence = [e.as_dict() for e in explain(row, table)]
        for x, y in ((a, b), (b, a)):
            if x not in best or best[x][1] < p:
                best[x] = (y, p, evidence)
    judged_same = {x: y for a, b in same for x, y in ((a, b), (b, a)) if x in person}
    _assign(session, person, best, judged_same)


def _assign(
    session: Session,
    person: dict[int, int],
    best: dict[int, tuple[int, float, list[dict[str, Any]]]],
    judged_same: dict[int, int],
) -> None:
    old = {m.record_id: m for m in session.scalars(select(Membership))}
    groups: dict[int, list[int]] = defaultdict(list)
    for record, root in person.items():
        groups[root].append(record)
    taken: set[int] = set()
    now = utcnow()
    for members in sorted(groups.values(), key=len, reverse=True):
        votes = Counter(old[r].person_id for r in members if r in old)
        chosen = next((pid for pid, _ in votes.most_common() if pid not in taken), None)
        if chosen is None:
            new = Person()
            session.add(new)
            session.flush()
            chosen = new.id
        else:
            session.get_one(Person, chosen).updated_at = now
        taken.add(chosen)
        for record in members:
            if record in best:
                via, probability, evidence = best[record]
                method = "model"
            elif record in judged_same and len(members) > 1:
                via, probability, evidence, method = judged_same[record], None, [], "judgement"
            else:
                via, probability, evidence, method = None, None, [], "alone"
            membership = old.get(record) or Membership(record_id=record)
            membership.person_id, membership.method = chosen, method
            membership.via_record_id, membership.probability = via, probability
            membership.evidence, membership.linked_at = evidence, now
            session.add(membership)
    session.flush()
    session.execute(delete(Person).where(~Person.id.in_(select(Membership.person_id).distinct())))
    session.flush()


# --- officers' judgements -------------------------------------------------------------------------


def judge(
    session: Session,
    first: int,
    second: int,
    verdict: str,
    reason: str,
    actor: str,
    agency: str = "",
) -> Judgement:
    """Record that two records are (not) one person, and apply it to the index at once."""
    if verdict not in ("same", "different"):
        raise InvalidInputError(f"verdict: {verdict!r} is not 'same' or 'different'")
    if not reason.strip():
        raise InvalidInputError("reason: say why (it is shown to every officer after you)")
    if first == second:
        raise ConflictError("a record is always the same person as itself")
    records = {
        r.id: r
        for r in session.scalars(select(PersonRecord).where(PersonRecord.id.in_((first, second))))
    }
    for rid in (first, second):
        if rid not in records:
            raise NotFoundError(f"no person record {rid}")
    a, b = sorted((first, second))
    judgement = Judgement(
        record_a=a, record_b=b, verdict=verdict, reason=reason.strip(), actor=actor
    )
    session.add(judgement)
    session.flush()
    ma, mb = session.get(Membership, a), session.get(Membership, b)
    if verdict == "same" and ma and mb:
        exchange.emit(
            session, "person.linked", subject=f"person:{ma.person_id}",
            source_agency=agency, actor=actor,
            data={"judgement_id": judgement.id, "person_id": ma.person_id, "verdict": verdict,
                  "records": [[records[r].source, records[r].source_record_id]
                              for r in (a, b)]},
        )  # fmt: skip
    if verdict == "same" and ma and mb and ma.person_id != mb.person_id:
        keep, gone = ma.person_id, mb.person_id
        for m in session.scalars(select(Membership).where(Membership.person_id == gone)):
            m.person_id = keep
        mb.method, mb.via_record_id, mb.probability, mb.evidence = "judgement", a, None, []
        session.flush()
        session.execute(delete(Person).where(Person.id == gone))
    elif verdict == "different" and ma and mb and ma.person_id == mb.person_id:
        _split(session, ma.person_id)
    session.flush()
    return judgement


def _split(session: Session, person_id: int) -> None:
    """Re-cluster one person's records under every judgement (after a "different")."""
    from lindungi.identity.linkage import link

    ids = list(
        session.scalars(select(Membership.record_id).where(Membership.person_id == person_id))
    )
    records = list(session.scalars(select(PersonRecord).where(PersonRecord.id.in_(ids))))
    same, different = latest_judgements(session)
    model, threshold = current_model(session)
    linked = link([(r.id, facts_of(r)) for r in records], threshold=threshold,
                  same=same, different=different, trained=model)  # fmt: skip
    _store_links(session, linked, model, threshold, same)


# --- reading ------------------------------------------------------------------------------


def person_records(session: Session, person_id: int) -> list[tuple[PersonRecord, Membership]]:
    """A person's records with the link that put each there (404 when unknown)."""
    if session.get(Person, person_id) is None:
        raise NotFoundError(f"no person {person_id}")
    rows = session.execute(
        select(PersonRecord, Membership)
        .join(Membership, Membership.record_id == PersonRecord.id)
        .where(Membership.person_id == person_id)
        .order_by(PersonRecord.source, PersonRecord.source_record_id)
    )
    return [(r, m) for r, m in rows]


def record_ref(session: Session, source: str, source_record_id: str) -> PersonRecord:
    """A stored record by source and its id there (404 when unknown)."""
    record = find_record(session, source, source_record_id)
    if record is None:
        raise NotFoundError(f"no record {source_record_id!r} from source {source!r}")
    return record


def index_size(session: Session) -> tuple[int, int]:
    """(records, persons) in the index."""
    records = session.scalar(select(func.count()).select_from(Membership)) or 0
    persons = session.scalar(select(func.count()).select_from(Person)) or 0
    return records, persons


def person_of(session: Session, record_id: int) -> int | None:
    """The person a record is linked to, if it is in the index."""
    membership = session.get(Membership, record_id)
    return membership.person_id if membership else None
