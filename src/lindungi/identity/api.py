"""HTTP routes of the person index: identify a traveller, read a person, judge a link."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.identity import service, signals
from lindungi.identity.ingest import SourceRecord
from lindungi.identity.schemas import (
    CandidateOut,
    EvidenceOut,
    IdentificationOut,
    JudgementIn,
    JudgementOut,
    PersonOut,
    RecordIn,
    RecordOut,
    SignalOut,
)

router = Router(tags=["person index"])
RECORD_FIELDS = ("full_name", "birth_date", "sex", "nik", "passport_no", "phone", "address")


def _signal_out(signal: signals.Signal) -> SignalOut:
    return SignalOut(
        code=signal.code,
        message_en=signal.message_en,
        message_id=signal.message_id,
        records=signal.records,
    )


@router.post(
    "/identity/records",
    response_model=IdentificationOut,
    summary="Identify a traveller: store the record, link it to a person, gather signals",
)
def identify(
    body: RecordIn,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("persons", "link"))],
) -> IdentificationOut:
    record = SourceRecord(
        source=body.source, record_id=body.record_id, line=0, full_name=body.full_name,
        birth_date=body.birth_date, sex=body.sex, national_id=body.national_id,
        passport_no=body.passport_no, phone=body.phone, address=body.address, city=body.city,
        postcode=body.postcode, seen_at=body.seen_at, outcome=body.outcome,
    )  # fmt: skip
    screened = signals.identify(session, body.source, record)
    found = screened.identification
    auditor.record(Action.CREATE, "person_records", found.record.id, RECORD_FIELDS)
    auditor.record(Action.READ, "persons", found.person_id, ("links", "signals"))
    return IdentificationOut(
        record_id=found.record.id,
        person_id=found.person_id,
        method=found.method,
        probability=found.probability,
        via_record_id=found.via_record_id,
        evidence=[EvidenceOut(**e) for e in found.evidence],
        candidates=[
            CandidateOut(
                person_id=c.person_id,
                record_id=c.record_id,
                probability=c.probability,
                evidence=[EvidenceOut(**e) for e in c.evidence],
                refused=c.refused,
            )
            for c in found.candidates
        ],
        signals=[_signal_out(s) for s in screened.signals],
    )


@router.get("/persons/{person_id}", response_model=PersonOut, summary="One person's records")
def get_person(
    person_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("persons", "read"))],
) -> PersonOut:
    rows = service.person_records(session, person_id)
    auditor.record(Action.READ, "persons", person_id, RECORD_FIELDS)
    return PersonOut(
        id=person_id,
        records=[
            RecordOut(
                id=r.id,
                source=r.source,
                source_record_id=r.source_record_id,
                full_name=r.full_name,
                birth_date=r.birth_date,
                sex=r.sex,
                nik=r.nik,
                passport_no=r.passport_no,
                phone=r.phone,
                address=r.address,
                city=r.city,
                seen_on=r.seen_on,
                outcome=r.outcome,
                first_seen=r.first_seen,
                last_seen=r.last_seen,
                method=m.method,
                via_record_id=m.via_record_id,
                probability=m.probability,
                evidence=[EvidenceOut(**e) for e in m.evidence],
            )
            for r, m in rows
        ],
    )


@router.get(
    "/persons/{person_id}/signals",
    response_model=list[SignalOut],
    summary="Document-fraud signals about one person (explained)",
)
def person_signals(
    person_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("persons", "read"))],
) -> list[SignalOut]:
    service.person_records(session, person_id)  # 404 for an unknown person
    found = signals.document_signals(session, person_id)
    auditor.record(Action.READ, "persons", person_id, ("signals",))
    return [_signal_out(s) for s in found]


@router.post(
    "/identity/judgements",
    response_model=JudgementOut,
    status_code=status.HTTP_201_CREATED,
    summary="Judge two records the same person or not; applied to the index at once",
)
def judge(
    body: JudgementIn,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("persons", "judge"))],
) -> JudgementOut:
    first = service.record_ref(session, body.first.source, body.first.record_id)
    second = service.record_ref(session, body.second.source, body.second.record_id)
    judgement = service.judge(
        session,
        first.id,
        second.id,
        body.verdict,
        body.reason,
        principal.username,
        principal.agency,
    )
    auditor.record(
        Action.CREATE, "identity_judgements", judgement.id, ("verdict", "reason"),
        purpose=body.reason,
    )  # fmt: skip
    return JudgementOut(
        id=judgement.id,
        verdict=judgement.verdict,
        reason=judgement.reason,
        actor=judgement.actor,
        created_at=judgement.created_at,
        first_person_id=service.person_of(session, first.id),
        second_person_id=service.person_of(session, second.id),
    )
