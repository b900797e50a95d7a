"""Linking one new record against the person index: what a departure desk calls.

Candidates come from the record's match keys; they are scored in Python by the model's
own levels (``scorer``), and the record joins the strongest person that no rule or
officer's judgement forbids. The answer lists every candidate and why any was refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.db import utcnow
from lindungi.identity.clustering import Traits, conflict, traits_of
from lindungi.identity.features import lookup_keys, record_features
from lindungi.identity.ingest import SourceRecord
from lindungi.identity.models import MatchKey, Membership, Person
from lindungi.identity.service import (
    current_model,
    facts_of,
    latest_judgements,
    record_facts,
    refresh_keys,
)
from lindungi.people.models import PersonRecord
from lindungi.people.service import upsert_record

#: Candidates scored at most for one incremental lookup.
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Candidate:
    """A person the new record was compared with, and the outcome."""

    person_id: int
    record_id: int
    probability: float
    evidence: list[dict[str, Any]]
    refused: str | None = None  # why the link was not made, if it was strong enough


@dataclass(frozen=True)
class Identification:
    """Which person a record belongs to, and why."""

    record: PersonRecord
    person_id: int
    method: str
    probability: float | None
    via_record_id: int | None
    evidence: list[dict[str, Any]]
    candidates: list[Candidate]


def link_record(session: Session, source: str, item: SourceRecord) -> Identification:
    """Store one record and link it against the index (what a departure desk calls)."""
    record, change = upsert_record(session, source, item.record_id, record_facts(item))
    row = record_features(facts_of(record))
    if change != "unchanged":
        refresh_keys(session, record, row)
    existing = session.get(Membership, record.id)
    if existing is not None and change == "unchanged":
        return Identification(
            record, existing.person_id, existing.method, existing.probability,
            existing.via_record_id, existing.evidence, [],
        )  # fmt: skip
    model, threshold = current_model(session)
    candidate_ids = list(
        session.scalars(
            select(MatchKey.record_id)
            .where(MatchKey.key.in_(sorted(lookup_keys(row))), MatchKey.record_id != record.id)
            .distinct()
            .limit(MAX_CANDIDATES)
        )
    )
    members = {
        m.record_id: m.person_id
        for m in session.scalars(select(Membership).where(Membership.record_id.in_(candidate_ids)))
    }
    scored = _score(row, [r for r in candidate_ids if r in members], session, model)
    decision = _decide(session, record.id, row, scored, members, threshold)
    person_id, method, best = decision
    membership = existing or Membership(record_id=record.id)
    membership.person_id, membership.method = person_id, method
    membership.probability = best.probability if best else None
    membership.via_record_id = best.record_id if best else None
    membership.evidence = best.evidence if best else []
    membership.linked_at = utcnow()
    session.add(membership)
    session.flush()
    candidates = [
        Candidate(members[c.record_id], c.record_id, c.probability, c.evidence, c.refused)
        for c in scored
    ]
    return Identification(
        record, person_id, method, membership.probability, membership.via_record_id,
        membership.evidence, candidates,
    )  # fmt: skip


def _score(
    row: dict[str, Any],
    candidate_ids: Sequence[int],
    session: Session,
    model: dict[str, Any],
) -> list[Candidate]:
    from lindungi.identity import scorer
    from lindungi.identity.engine import Evidence, levels

    if not candidate_ids:
        return []
    table = levels(model)
    found = []
    for candidate in session.scalars(
        select(PersonRecord).where(PersonRecord.id.in_(candidate_ids))
    ):
        other = record_features(facts_of(candidate))
        probability, _, values = scorer.score(row, other, model, table)
        evidence = [
            Evidence(name, *table[name][value]).as_dict()
            for name, value in values.items()
            if value >= 0
        ]
        evidence.sort(key=lambda e: -abs(e["weight"]))
        found.append(Candidate(0, candidate.id, probability, evidence))
    return sorted(found, key=lambda c: -c.probability)


def _decide(
    session: Session,
    record_id: int,
    row: dict[str, Any],
    scored: list[Candidate],
    members: dict[int, int],
    threshold: float,
) -> tuple[int, str, Candidate | None]:
    same, different = latest_judgements(session, record_id)
    for a, b in same:
        other = b if a == record_id else a if b == record_id else None
        if other is not None and other in members:
            return members[other], "judgement", None
    apart = {b if a == record_id else a for a, b in different if record_id in (a, b)}
    traits_of_person: dict[int, list[Traits]] = {}
    chosen: tuple[int, Candidate] | None = None
    for i, candidate in enumerate(scored):
        if candidate.probability < threshold:
            break
        person_id = members[candidate.record_id]
        if chosen is not None:
            if person_id != chosen[0]:
                reason = f"a stronger link was made to person {chosen[0]}"
                scored[i] = dataclasses.replace(candidate, refused=reason)
            continue
        group = list(
            session.scalars(select(Membership.record_id).where(Membership.person_id == person_id))
        )
        refusal = "an officer judged them different people" if apart & set(group) else None
        if refusal is None:
            if person_id not in traits_of_person:
                stored = session.scalars(select(PersonRecord).where(PersonRecord.id.in_(group)))
                traits_of_person[person_id] = [
                    traits_of(record_features(facts_of(r))) for r in stored
                ]
            refusal = conflict([traits_of(row)], traits_of_person[person_id])
        if refusal:
            scored[i] = dataclasses.replace(candidate, refused=refusal)
            continue
        chosen = (person_id, candidate)
    if chosen is not None:
        return chosen[0], "model", chosen[1]
    person = Person()
    session.add(person)
    session.flush()
    return person.id, "alone", None
