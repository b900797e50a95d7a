"""The public verify, help and report-status pages without a browser (both databases):
verdicts in both languages as the public API gives them, an individual agent never
named, a report's stage for its tracking number and secret code only (one neutral answer
otherwise, and the same audit as the API), the public rate limit, and a refused form that
keeps the tracking number but never the secret code."""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web_support import csrf_of as _csrf

from lindungi.api.app import create_app
from lindungi.audit.models import AuditEntryRow
from lindungi.auth.permissions import Principal
from lindungi.cases import service as cases
from lindungi.recruiters.models import Recruiter
from lindungi.settings import Settings

HOTLINE = Settings.model_fields["hotline"].default
WORKER = Principal.of(1, "pendamping1", "bp2mi", ("case_worker",), None)
NEUTRAL_ID = (
    "Tidak ada laporan yang cocok dengan nomor pelacakan dan kode rahasia ini. Periksa keduanya "
    "lalu coba lagi; jika tetap tidak berhasil, hubungi hotline."
)


def _one(page: str, css_class: str) -> str:
    """The text of the page's one element of ``css_class``: tags dropped, unescaped, spaces
    collapsed."""
    found = re.findall(rf'<(\w+)[^>]*class="{css_class}"[^>]*>(.*?)</\1>', page, re.S)
    assert len(found) == 1, f"expected one .{css_class}, found {len(found)}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found[0][1])).split())


def _session_data(client: TestClient) -> dict[str, Any]:
    """What the signed session cookie holds (its payload is base64 JSON before the signature)."""
    cookie = client.cookies.get("lindungi_session")
    assert cookie is not None
    payload = cookie.split(".")[0]
    data: dict[str, Any] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return data


def _verdict(page: str) -> str:
    found = re.search(r'data-verdict="([a-z]+)">([^<]+)<', page)
    assert found is not None, "no verdict on the page"
    return f"{found[1]}: {html.unescape(found[2])}"


def _case(session: Session) -> cases.Reported:
    made = cases.report(session, {"channel": "family", "summary": "anak tidak bisa dihubungi"},
                        WORKER)  # fmt: skip
    session.commit()
    return made


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0


def test_a_licensed_recruiter_in_both_languages(
    client: TestClient, registry: dict[str, Recruiter], session: Session
) -> None:
    session.commit()
    form = client.get("/verify")
    assert form.status_code == 200
    found = client.post("/verify", data={"name": "pt maju jaya abadi", "csrf": _csrf(form.text)})
    assert found.status_code == 200
    assert _verdict(found.text) == "licensed: Berizin"
    assert _one(found.text, "verdict-message") == (
        "Perusahaan ini terdaftar dan izinnya (SIP3MI) berlaku. Tetap waspada: perekrut resmi "
        "tidak memungut biaya penempatan dan tidak memberangkatkan pekerja dengan visa turis."
    )
    assert "<td>PT Maju Jaya Abadi</td><td>KEP.101/PPTKLN/2020</td><td>izin berlaku</td>" \
        "<td>30 Juni 2027</td><td>nama</td>" in found.text  # fmt: skip
    assert _one(found.text, "advice").startswith("Izin saja belum menjamin tawaran itu aman")
    english = client.get("/verify", params={"licence_no": "kep.101/pptkln/2020", "lang": "en"})
    assert _verdict(english.text) == "licensed: Licensed"
    assert _one(english.text, "verdict-message") == (
        "This company is registered and its licence (SIP3MI) is in force. Stay careful: a "
        "licensed recruiter charges no placement fee and never sends workers on a tourist visa."
    )
    assert "<td>June 30, 2027</td><td>licence number</td>" in english.text
    assert 'value="kep.101/pptkln/2020"' in english.text  # what was typed stays


def test_a_revoked_recruiter_and_its_agent_who_is_never_named(
    client: TestClient, registry: dict[str, Recruiter], session: Session
) -> None:
    session.commit()
    revoked = client.get("/verify", params={"name": "PT Cahaya Timur"})
    assert _verdict(revoked.text) == "revoked: Izin dicabut"
    assert _one(revoked.text, "verdict-message") == (
        "Izin perusahaan ini DICABUT. Tawaran kerja dari perusahaan ini tidak sah. Jangan "
        "membayar atau menyerahkan dokumen, dan laporkan tawaran ini."
    )
    assert 'data-band="high"' in revoked.text
    english = client.get("/verify", params={"phone": "0813-2222-3333", "lang": "en"})
    assert _verdict(english.text) == "revoked: Licence revoked"
    assert _one(english.text, "verdict-message") == (
        "This company's licence has been REVOKED. Job offers from it are not lawful. Do not pay "
        "it or hand over documents, and report the offer."
    )
    assert _one(english.text, "notice").startswith("Warning: this recruiter's phone")
    assert "an unlicensed individual agent (name not shown)" in english.text
    assert "Pak Budi" not in english.text  # an individual agent is never named
    assert "Hendra" not in english.text  # nor a director
    assert "agen perorangan" not in english.text  # the API's bilingual stand-in is not shown
    indonesian = client.get("/verify", params={"phone": "081322223333", "lang": "id"})
    assert "agen perorangan tanpa izin (nama tidak ditampilkan)" in indonesian.text
    assert "Pak Budi" not in indonesian.text


def test_an_unknown_recruiter_in_both_languages_and_an_empty_form(
    client: TestClient, registry: dict[str, Recruiter], session: Session
) -> None:
    session.commit()
    unknown = client.get("/verify", params={"licence_no": "KEP.999/X/2020"})
    assert _verdict(unknown.text) == "unknown: Tidak ada di daftar resmi"
    assert _one(unknown.text, "verdict-message") == (
        "Kami TIDAK menemukan perekrut ini di daftar resmi. Perekrutan oleh pihak tanpa izin "
        "adalah tanda bahaya perdagangan orang. Jangan berangkat sebelum memeriksa ke BP2MI."
    )
    assert "<table>" not in unknown.text  # nothing matched
    english = client.get("/verify", params={"licence_no": "KEP.999/X/2020", "lang": "en"})
    assert _one(english.text, "verdict-message") == (
        "We did NOT find this recruiter in the official register. Recruitment by an unlicensed "
        "party is a warning sign of trafficking. Do not travel before checking with BP2MI."
    )
    empty = client.post("/verify", data={"name": " ", "csrf": _csrf(english.text)})
    assert empty.status_code == 422
    assert _one(empty.text, "error") == (
        "Fill in at least one: the name, the licence number or the phone number."
    )
    assert 'id="query-error" role="alert"' in empty.text
    assert 'aria-describedby="phone-hint query-error" aria-invalid="true"' in empty.text
    long = client.post("/verify", data={"phone": "0" * 301, "csrf": _csrf(english.text)})
    assert long.status_code == 422
    assert 'aria-describedby="phone-hint phone-error" aria-invalid="true"' in long.text


def test_a_report_status_by_tracking_number_and_secret_code(
    client: TestClient, session: Session
) -> None:
    made = _case(session)
    before = _audit_count(session)
    form = client.get("/report-status")
    shown = client.post("/report-status", data={"tracking_no": made.case.tracking_no.lower(),
                                                "secret": made.secret, "csrf": _csrf(form.text)})  # fmt: skip
    assert shown.status_code == 200
    assert f'<h2 id="status-title">Laporan {made.case.tracking_no}</h2>' in shown.text
    assert '<dd data-stage="reported">dilaporkan</dd>' in shown.text
    assert _one(shown.text, "meaning") == "Laporan sudah diterima dan menunggu diperiksa petugas."
    assert made.secret not in shown.text
    assert "anak tidak bisa dihubungi" not in shown.text  # nothing but the stage
    api = client.post("/api/v1/public/case-status",
                      json={"tracking_no": made.case.tracking_no, "secret": made.secret})  # fmt: skip
    assert api.status_code == 200
    assert api.json()["stage"] == "reported"
    session.expire_all()
    assert _audit_count(session) == before  # the page writes what the API writes: nothing


def test_a_wrong_secret_and_a_wrong_number_get_the_same_neutral_answer(
    client: TestClient, session: Session
) -> None:
    made = _case(session)
    form = client.get("/report-status")
    tries = ((made.case.tracking_no, "AAAA-BBBB-CCCC"), ("ZZZZ-ZZZZ", made.secret),
             ("Z" * 25, "X" * 50))  # fmt: skip
    answers = [
        client.post(
            "/report-status",
            data={"tracking_no": number, "secret": secret, "csrf": _csrf(form.text)},
        )
        for number, secret in tries
    ]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert {_one(a.text, "problem") for a in answers} == {f"{NEUTRAL_ID} {HOTLINE}"}
    assert all('data-stage="' not in a.text and made.secret not in a.text for a in answers)
    assert f'value="{made.case.tracking_no}"' in answers[0].text  # the number typed stays
    missing = client.post("/report-status", data={"tracking_no": "", "secret": "",
                                                  "csrf": _csrf(form.text)})  # fmt: skip
    assert missing.status_code == 422
    assert 'aria-invalid="true" aria-describedby="tracking_no-error"' in missing.text
    assert 'aria-invalid="true" aria-describedby="secret-error"' in missing.text


def test_the_public_pages_are_rate_limited_per_address(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    app = create_app(
        settings.model_copy(update={"public_rate_limit": "3/minute"}), sessions=sessions
    )
    with TestClient(app) as c:
        form = c.get("/report-status")  # the forms themselves are not counted
        codes = [c.get("/verify", params={"name": "x"}).status_code for _ in range(3)]
        limited = c.get("/verify", params={"name": "x", "lang": "en"})
        status = c.post("/report-status", data={"tracking_no": "ABCD-2345", "secret": "X-Y-Z",
                                                "csrf": _csrf(form.text)})  # fmt: skip
    assert codes == [200, 200, 200]
    assert limited.status_code == status.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert _one(limited.text, "error") == "Too many checks from this address. Please wait a minute."
    assert "data-verdict" not in limited.text
    assert _one(status.text, "error") == "Too many attempts. Please wait a minute and try again."
    assert 'id="not-found"' not in status.text  # not even the neutral answer


def test_a_refused_form_keeps_the_tracking_number_but_never_the_secret(
    client: TestClient, session: Session
) -> None:
    made = _case(session)
    client.get("/report-status")
    refused = client.post("/report-status",
                          data={"tracking_no": made.case.tracking_no, "secret": made.secret,
                                "csrf": "forged"},
                          headers={"referer": "http://testserver/report-status"},
                          follow_redirects=False)  # fmt: skip
    assert refused.status_code == 303
    assert refused.headers["location"] == "/report-status?form=expired"
    draft = _session_data(client)["draft"]
    assert draft == {"path": "/report-status", "fields": {"tracking_no": made.case.tracking_no}}
    again = client.get("/report-status")
    assert f'value="{made.case.tracking_no}"' in again.text
    assert made.secret not in again.text
    assert 'data-stage="' not in again.text  # nothing was looked up
    assert made.case.tracking_no not in client.get("/report-status").text  # once


def test_the_help_page_gives_the_hotline_in_both_languages(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    hotline = "Hotline uji (test) 000"
    app = create_app(settings.model_copy(update={"hotline": hotline}), sessions=sessions)
    with TestClient(app) as c:
        indonesian = c.get("/help")
        english = c.get("/help?lang=en")
    assert indonesian.status_code == english.status_code == 200
    assert f"<strong data-hotline>{hotline}</strong>" in indonesian.text
    assert f"<strong data-hotline>{hotline}</strong>" in english.text
    assert '<h2 id="passport-title">Jika paspor Anda ditahan</h2>' in indonesian.text
    assert "Surat Perjalanan Laksana Paspor (SPLP)" in indonesian.text
    assert "<h2 id=\"embassy-title\">How to contact the Indonesian embassy (KBRI)</h2>" \
        in english.text  # fmt: skip
    assert "For families: reporting a missing person" in english.text
    assert '<a href="/help" aria-current="page">' in english.text
