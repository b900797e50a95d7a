"""The demo's person index: synthetic agency records, linked, loaded once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.demo.service import load_identities
from lindungi.identity.models import Membership
from lindungi.people.models import PersonRecord


def test_the_demo_index_links_people_across_agencies_and_loads_once(session: Session) -> None:
    first = load_identities(session, seed=7, people=60)
    assert first.records_added == first.records > 100
    assert first.persons < first.records  # people are found in several agencies
    sources_per_person = Counter(
        person for person, _ in session.execute(
            select(Membership.person_id, PersonRecord.source)
            .join(PersonRecord, PersonRecord.id == Membership.record_id)
            .distinct()
        )
    )  # fmt: skip
    assert max(sources_per_person.values()) >= 3
    assert all(session.scalars(select(PersonRecord.synthetic)))
    again = load_identities(session, seed=7, people=60)
    assert (again.records_added, again.records, again.persons) == (
        0, first.records, first.persons,
    )  # fmt: skip
