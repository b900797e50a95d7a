"""The person index in the console without a browser (both databases): a search by NIK,
passport or name finds the person; their page lists every agency's record with its
provenance and the explained link; an officer's judgement is recorded and applied; a role
without the permission is refused; every read and write is in the audit log."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import log_in as _log_in

from lindungi.audit.models import AuditEntryRow
from lindungi.identity.models import Judgement, Membership, Person
from lindungi.people.models import PersonRecord

NIK = "3201014506950003"
EVIDENCE = [
    {"field": "national_id", "level": "same national id", "weight": 12.4},
    {"field": "name", "level": "same name by sound", "weight": 6.1},
    {"field": "phone", "level": "different phone numbers", "weight": -2.3},
]


def _record(session: Session, source: str, number: str, name: str, **facts: object) -> PersonRecord:
    record = PersonRecord(source=source, source_record_id=number, full_name=name, **facts)
    session.add(record)
    session.flush()
    return record


def _index(session: Session) -> dict[str, int]:
    """Siti at immigration and at BP2MI (linked by the model), and a namesake alone."""
    imigrasi = _record(session, "imigrasi", "IM-77", "Siti Rahayu", nik=NIK,
                       birth_date=dt.date(1995, 6, 5), passport_no="C1234567")  # fmt: skip
    bp2mi = _record(session, "bp2mi", "BP-1001", "SITI RAHAYU BINTI KARTO", nik=NIK,
                    phone="+6281311112222", seen_on=dt.date(2026, 2, 1), outcome="departed")  # fmt: skip
    other = _record(session, "kemlu", "KL-9", "Siti Rahayu", birth_date=dt.date(1990, 1, 1))
    siti, namesake = Person(), Person()
    session.add_all([siti, namesake])
    session.flush()
    session.add_all([
        Membership(record_id=imigrasi.id, person_id=siti.id, method="alone", evidence=[]),
        Membership(record_id=bp2mi.id, person_id=siti.id, method="model",
                   via_record_id=imigrasi.id, probability=0.9987, evidence=EVIDENCE),
        Membership(record_id=other.id, person_id=namesake.id, method="alone", evidence=[]),
    ])  # fmt: skip
    session.commit()
    return {"siti": siti.id, "namesake": namesake.id, "imigrasi": imigrasi.id, "other": other.id}


def _audited(session: Session, actor: str, action: str, resource: str) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntryRow.resource_id)
            .where(AuditEntryRow.actor == actor, AuditEntryRow.action == action,
                   AuditEntryRow.resource_type == resource)
            .order_by(AuditEntryRow.seq)
        )
    )  # fmt: skip


def test_a_search_by_nik_passport_or_name_finds_the_person(
    client: TestClient, session: Session
) -> None:
    ids = _index(session)
    _log_in(client, session, "petugas1", "imigrasi", "officer")
    by_nik = client.get("/console/persons", params={"nik": "3201-0145-0695-0003"})
    assert by_nik.status_code == 200
    assert by_nik.text.count('href="/console/persons/') == 1
    assert f'href="/console/persons/{ids["siti"]}"' in by_nik.text
    assert "SITI RAHAYU BINTI KARTO" in by_nik.text
    by_passport = client.get("/console/persons", params={"passport": "c 1234567"})
    assert f'href="/console/persons/{ids["siti"]}"' in by_passport.text
    by_name = client.get("/console/persons", params={"name": "siti rahayu"})
    assert by_name.text.count('href="/console/persons/') == 2  # and the namesake
    nobody = client.get("/console/persons", params={"nik": "3201010101010001"})
    assert "Tidak ada orang di indeks yang sesuai dengan pencarian ini." in nobody.text
    short = client.get("/console/persons", params={"name": "si"})
    assert short.status_code == 422
    assert 'id="name-error">Isi paling sedikit 3 huruf nama.</p>' in short.text
    assert 'value="si" aria-invalid="true"' in short.text
    read = _audited(session, "petugas1", "read", "persons")
    assert read.count(str(ids["siti"])) == 3
    assert read.count(str(ids["namesake"])) == 1


def test_the_person_page_explains_every_link_with_its_provenance(
    client: TestClient, session: Session
) -> None:
    ids = _index(session)
    _log_in(client, session, "konsuler1", "kemlu", "consular")
    page = client.get(f"/console/persons/{ids['siti']}?lang=en")
    assert page.status_code == 200
    assert 'data-record="imigrasi/IM-77"' in page.text
    assert 'data-record="bp2mi/BP-1001"' in page.text
    assert "2026-02-01 (departed)" in page.text  # what the source saw
    link = page.text.split('data-link="bp2mi/BP-1001"')[1].split("</tr>")[0]
    assert 'data-method="model"' in link
    assert "linked by the model" in link
    assert "imigrasi IM-77" in link  # linked through
    assert "99.9%" in link
    assert "NIK or other national id: same national id (+12.4)" in link
    assert "phone: different phone numbers (-2.3)" in link
    indonesian = client.get(f"/console/persons/{ids['siti']}?lang=id")
    assert "NIK atau nomor identitas lain: nomor identitas sama (+12.4)" in indonesian.text
    assert "KL-9" not in page.text  # the namesake is another person
    assert _audited(session, "konsuler1", "read", "persons") == [str(ids["siti"])] * 4


def test_a_judgement_is_recorded_applied_and_shown(client: TestClient, session: Session) -> None:
    ids = _index(session)
    csrf = _log_in(client, session, "petugas1", "imigrasi", "officer")
    url = f"/console/persons/{ids['siti']}/judgements"
    wrong = client.post(url, data={"first": str(ids["imigrasi"]), "second_source": "kemlu",
                                   "second_record_id": "KL-404", "verdict": "same",
                                   "reason": "foto paspor sama", "csrf": csrf})  # fmt: skip
    assert wrong.status_code == 422
    assert 'id="second-error">Tidak ada rekaman dengan sumber dan nomor ini di indeks.</p>' in (
        wrong.text
    )
    assert 'value="KL-404" aria-invalid="true"' in wrong.text
    assert "foto paspor sama</textarea>" in wrong.text
    assert session.scalars(select(Judgement)).all() == []
    done = client.post(url, data={"first": str(ids["imigrasi"]), "second_source": "kemlu",
                                  "second_record_id": "KL-9", "verdict": "same",
                                  "reason": "foto paspor sama", "csrf": csrf},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    judgement = session.scalars(select(Judgement)).one()
    assert (judgement.verdict, judgement.actor) == ("same", "petugas1")
    merged = session.get(Membership, ids["other"])
    assert merged is not None
    assert merged.person_id == ids["siti"]
    assert done.headers["location"] == f"/console/persons/{ids['siti']}?done=judged"
    page = client.get(done.headers["location"])
    assert "Penilaian sudah dicatat dan langsung diterapkan pada indeks." in page.text
    assert f'data-judgement="{judgement.id}"' in page.text
    assert 'data-record="kemlu/KL-9"' in page.text  # now one person
    assert _audited(session, "petugas1", "create", "identity_judgements") == [str(judgement.id)]


def test_a_role_without_the_permission_is_refused(client: TestClient, session: Session) -> None:
    ids = _index(session)
    csrf = _log_in(client, session, "lisensi1", "kemnaker", "licensing")
    assert client.get("/console/persons").status_code == 403
    assert client.get(f"/console/persons/{ids['siti']}").status_code == 403
    refused = client.post(f"/console/persons/{ids['siti']}/judgements", data={"csrf": csrf})
    assert refused.status_code == 403
    assert len(_audited(session, "lisensi1", "denied", "persons")) == 3
    client.post("/logout", data={"csrf": csrf})
    csrf = _log_in(client, session, "pendamping1", "bp2mi", "case_worker")  # reads, may not judge
    page = client.get(f"/console/persons/{ids['siti']}")
    assert page.status_code == 200
    assert "/judgements" not in page.text
    assert client.post(f"/console/persons/{ids['siti']}/judgements",
                       data={"csrf": csrf}).status_code == 403  # fmt: skip
