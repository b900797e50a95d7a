"""The person index: stored with provenance, linked in batch and one at a time, judged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.identity import incremental, service, signals
from lindungi.identity.ingest import SourceRecord
from lindungi.identity.models import Judgement, LinkageModel, Membership


def rec(record_id: str, name: str, **facts: object) -> SourceRecord:
    values: dict[str, object] = {
        "full_name": name, "birth_date": None, "sex": None, "national_id": None,
        "passport_no": None, "phone": None, "address": None, "city": None, "postcode": None,
        "seen_at": None, "outcome": None,
    }  # fmt: skip
    values.update(facts)
    return SourceRecord(source="", record_id=record_id, line=0, **values)  # type: ignore[arg-type]


SITI = {"birth_date": dt.date(1990, 5, 12), "sex": "F", "national_id": "3301015205900001"}
JOKO = {"birth_date": dt.date(1985, 1, 2), "sex": "M", "national_id": "3301010201850003"}
HASAN = {"birth_date": dt.date(1999, 3, 4), "sex": "M", "phone": "0813-9999-0000",
         "address": "Jl Kenanga 1", "city": "Banyumas"}  # fmt: skip


@pytest.fixture
def index(session: Session) -> dict[str, int]:
    """Two agencies' records of four people (two of them twins), linked."""
    service.store_records(session, "imigrasi", [
        rec("I1", "Hj. Siti Nurhaliza binti Abdul Rachman", passport_no="C1234567", **SITI),
        rec("I2", "Muhammad Joko Susilo", passport_no="B7654321", **JOKO),
        rec("I3", "Ahmad Hasan", national_id="3301010403990001", **HASAN),
        rec("I4", "Ahmad Husen", national_id="3301010403990002", **HASAN),
    ])  # fmt: skip
    service.store_records(session, "kemlu", [
        rec("K1", "SITI NURHALIZA", passport_no="C1234567", birth_date=dt.date(1990, 5, 12)),
        rec("K2", "Moh. Djoko Soesilo", national_id="3301010201850003",
            birth_date=dt.date(1985, 2, 1)),
    ])  # fmt: skip
    report = service.relink(session)
    assert (report.records, report.persons, report.trained) == (6, 4, False)
    return {
        f"{r.source}:{r.source_record_id}": m.person_id
        for pid in {m.person_id for m in session.scalars(select(Membership))}
        for r, m in service.person_records(session, pid)
    }


def test_relink_joins_one_person_across_agencies_and_explains_each_link(
    session: Session, index: dict[str, int]
) -> None:
    assert index["imigrasi:I1"] == index["kemlu:K1"]
    assert index["imigrasi:I2"] == index["kemlu:K2"]
    assert index["imigrasi:I3"] != index["imigrasi:I4"]  # twins
    rows = {f"{r.source}:{r.source_record_id}": m
            for r, m in service.person_records(session, index["kemlu:K1"])}  # fmt: skip
    link = rows["kemlu:K1"]
    assert link.method == "model"
    assert link.probability is not None
    assert link.probability > 0.99
    fields = {e["field"]: e for e in link.evidence}
    assert fields["passport"]["level"] == "same passport number"
    assert fields["passport"]["weight"] > 5
    assert fields["name"]["level"] == "same name parts (any order)"


def test_relink_keeps_person_ids_stable(session: Session, index: dict[str, int]) -> None:
    service.relink(session)
    again = {f"{r.source}:{r.source_record_id}": m.person_id
             for pid in set(index.values()) for r, m in service.person_records(session, pid)}  # fmt: skip
    assert again == index


def test_a_new_record_links_incrementally_with_its_explanation(
    session: Session, index: dict[str, int]
) -> None:
    found = incremental.link_record(
        session, "kemnaker",
        rec("N1", "Siti Nurhalisa", national_id="3301015205900001", phone="081234567890"),
    )  # fmt: skip
    assert (found.person_id, found.method) == (index["imigrasi:I1"], "model")
    assert found.evidence[0]["field"] == "national_id"
    assert found.evidence[0]["level"] == "same national id"
    stranger = incremental.link_record(session, "kemnaker", rec("N2", "Rudi Hartono",
                                   birth_date=dt.date(1970, 7, 7)))  # fmt: skip
    assert stranger.method == "alone"
    assert stranger.person_id not in index.values()
    # seen again unchanged: the same answer, no new person
    repeat = incremental.link_record(session, "kemnaker", rec("N2", "Rudi Hartono",
                                 birth_date=dt.date(1970, 7, 7)))  # fmt: skip
    assert repeat.person_id == stranger.person_id


def test_a_twin_arriving_later_is_not_linked_to_the_other_twin(
    session: Session, index: dict[str, int]
) -> None:
    found = incremental.link_record(
        session, "bp2mi", rec("B1", "Ahmad Husein", national_id="3301010403990002", **HASAN)
    )
    assert found.person_id == index["imigrasi:I4"]
    refused = [c for c in found.candidates if c.person_id == index["imigrasi:I3"]]
    assert all(c.refused or c.probability < 0.9 for c in refused)


def test_judgements_split_and_join_and_hold_on_every_relink(
    session: Session, index: dict[str, int]
) -> None:
    i1 = service.record_ref(session, "imigrasi", "I1").id
    k1 = service.record_ref(session, "kemlu", "K1").id
    i3 = service.record_ref(session, "imigrasi", "I3").id
    i4 = service.record_ref(session, "imigrasi", "I4").id
    service.judge(session, k1, i1, "different", "K1 is her cousin (passport misread)", "officer1")
    assert service.person_of(session, i1) != service.person_of(session, k1)
    service.judge(session, i3, i4, "same", "one man; the second NIK was mistyped", "officer1")
    assert service.person_of(session, i3) == service.person_of(session, i4)
    service.relink(session)
    assert service.person_of(session, i1) != service.person_of(session, k1)
    assert service.person_of(session, i3) == service.person_of(session, i4)
    # the latest judgement on a pair holds; the earlier one stays on record
    service.judge(session, i1, k1, "same", "confirmed by fingerprint at the embassy", "consul")
    assert service.person_of(session, i1) == service.person_of(session, k1)
    verdicts = session.scalars(select(Judgement.verdict).order_by(Judgement.id)).all()
    assert verdicts == ["different", "same", "same"]


def test_judge_refuses_bad_input(session: Session, index: dict[str, int]) -> None:
    i1 = service.record_ref(session, "imigrasi", "I1").id
    with pytest.raises(Exception, match="verdict: 'maybe' is not 'same' or 'different'"):
        service.judge(session, i1, i1 + 1, "maybe", "unsure", "x")
    with pytest.raises(Exception, match="a record is always the same person as itself"):
        service.judge(session, i1, i1, "same", "same", "x")
    with pytest.raises(Exception, match="no record 'Z9' from source 'imigrasi'"):
        service.record_ref(session, "imigrasi", "Z9")


def test_signals_name_the_records_behind_each(session: Session, index: dict[str, int]) -> None:
    # the same NIK under another woman's name at another agency
    service.store_records(session, "bp2mi", [rec("B7", "Dewi Lestari", **SITI)])
    # Siti gets a second passport a year later, and was refused at imigrasi before
    service.store_records(session, "imigrasi", [
        rec("I9", "Siti Nurhaliza", passport_no="X9999999", seen_at=dt.date(2026, 3, 1), **SITI),
        rec("I8", "Siti Nurhaliza", passport_no="C1234567", seen_at=dt.date(2025, 6, 1),
            outcome="refused", **SITI),
    ])  # fmt: skip
    # and a record whose NIK says a woman while the record says a man
    service.store_records(
        session, "kemnaker", [rec("M1", "Siti Nurhaliza", **{**SITI, "sex": "M"})]
    )
    service.relink(session)
    person = service.person_of(session, service.record_ref(session, "imigrasi", "I1").id)
    assert person is not None
    found = {s.code: s for s in signals.document_signals(session, person)}
    assert set(found) == {"nik_shared", "nik_mismatch", "passports", "refused_elsewhere"}
    assert "dewi lestari" in found["nik_shared"].message_en
    assert ("bp2mi", "B7") in found["nik_shared"].records
    assert found["nik_mismatch"].records == [("kemnaker", "M1")]
    assert "NIK encodes sex F" in found["nik_mismatch"].message_en
    assert found["passports"].message_en.startswith("2 passport numbers within 273 days")
    assert found["refused_elsewhere"].message_en.startswith("refused by imigrasi on 2025-06-01")
    assert "ditolak oleh imigrasi" in found["refused_elsewhere"].message_id


def test_an_index_with_enough_records_trains_its_own_model(session: Session) -> None:
    from lindungi.demo.identities import generate_agency_records
    from lindungi.identity.ingest import read_rows

    data = generate_agency_records(900, seed=3)
    for source, rows in data.records.items():
        service.store_records(session, source, read_rows(rows, source=source).records)
    report = service.relink(session)
    assert report.trained
    assert report.records > 2000
    stored = session.scalars(select(LinkageModel)).one()
    assert stored.records == report.records
    assert service.current_model(session)[0] == stored.model
