"""The pages without a browser (both databases): Bahasa Indonesia by default and English on
request, every text translated, login and logout with sessions and CSRF, a refused form
that keeps what was typed, the public offer check, and the pages' security headers."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_support import csrf_of as _csrf

from lindungi.api.app import create_app
from lindungi.audit.models import AuditEntryRow
from lindungi.auth import service as auth_service
from lindungi.auth.models import ApiToken
from lindungi.settings import Settings
from lindungi.web import i18n

OFFER = "LOWKER ADMIN KAMBOJA gaji 15jt/bulan, tiket ditanggung, paspor diurus, bilang aja liburan"


def _officer(session: Session, username: str = "petugas1", agency: str = "imigrasi",
             role: str = "officer") -> None:  # fmt: skip
    user = auth_service.add_user(session, username, agency=agency, roles=[role])
    auth_service.set_password(session, user, "kata-sandi-panjang-1")
    session.commit()


def test_every_text_of_the_pages_has_its_indonesian_translation() -> None:
    catalogue = i18n.catalogue("id")
    missing = {m: where for m, where in i18n.extract().items() if m not in catalogue}
    assert missing == {}
    assert len(i18n.extract()) > 50


def test_pages_are_indonesian_by_default_and_english_on_request(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert '<html lang="id">' in home.text
    assert "Periksa tawaran kerja" in home.text
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text
    assert "Check a job offer" in english.text
    assert '<html lang="en">' in client.get("/check-offer").text  # the choice is remembered
    assert home.headers["content-security-policy"].startswith("default-src 'self'")
    assert home.headers["x-frame-options"] == "DENY"
    assert client.get("/static/lindungi.css").status_code == 200
    assert client.get("/static/leaflet/leaflet.js").status_code == 200


def test_the_offer_check_explains_the_band_and_keeps_nothing_unasked(client: TestClient) -> None:
    form = client.get("/check-offer")
    checked = client.post("/check-offer", data={"text": OFFER, "channel": "tiktok",
                                                "csrf": _csrf(form.text)})  # fmt: skip
    assert checked.status_code == 200
    assert 'data-band="high"' in checked.text
    assert "risiko tinggi" in checked.text
    assert "Disimpan:</strong>" not in checked.text
    assert "Disimpan: tidak" in checked.text
    empty = client.post("/check-offer", data={"text": " ", "csrf": _csrf(form.text)})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.text
    assert "Tempel teks tawaran kerjanya." in empty.text


def test_a_public_form_without_its_csrf_token_comes_back_with_the_text_kept(
    client: TestClient,
) -> None:
    client.get("/check-offer")
    refused = client.post("/check-offer", data={"text": OFFER, "csrf": "forged"},
                          headers={"referer": "http://testserver/check-offer"},
                          follow_redirects=False)  # fmt: skip
    assert refused.status_code == 303
    assert refused.headers["location"] == "/check-offer?form=expired"
    again = client.get(refused.headers["location"])
    assert "Formulir sudah kedaluwarsa, jadi tidak ada yang terkirim." in again.text
    assert "bilang aja liburan</textarea>" in again.text  # the text survived
    assert "bilang aja liburan" not in client.get("/check-offer").text  # once


def test_a_console_form_without_its_csrf_token_leads_to_login(
    client: TestClient, session: Session
) -> None:
    _officer(session)
    page = client.get("/login")
    client.post("/login", data={"username": "petugas1", "password": "kata-sandi-panjang-1",
                                "csrf": _csrf(page.text)})  # fmt: skip
    refused = client.post("/logout", data={"csrf": "forged"},
                          headers={"referer": "http://testserver/console"},
                          follow_redirects=False)  # fmt: skip
    assert refused.headers["location"] == "/login?next=/console&reason=csrf"
    assert (
        "Formulir sudah kedaluwarsa atau tidak berasal dari situs ini."
        in client.get(refused.headers["location"]).text
    )
    assert client.get("/console").status_code == 200  # still logged in: nothing was done


def test_login_dashboard_and_logout(client: TestClient, session: Session) -> None:
    _officer(session)
    assert client.get("/console", follow_redirects=False).headers["location"] == (
        "/login?next=/console"
    )
    page = client.get("/login?next=/console")
    wrong = client.post("/login", data={"username": "petugas1", "password": "salah",
                                        "csrf": _csrf(page.text), "next": "/console"})  # fmt: skip
    assert wrong.status_code == 401
    assert "Nama pengguna tidak dikenal atau kata sandi salah." in wrong.text
    assert 'value="petugas1"' in wrong.text  # what was typed stays
    done = client.post("/login", data={"username": "petugas1", "password": "kata-sandi-panjang-1",
                                       "csrf": _csrf(page.text), "next": "https://evil.example/"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == "/console"  # never to another site
    dashboard = client.get("/console")
    assert "Masuk sebagai petugas1, imigrasi." in dashboard.text
    assert "Meja skrining" in dashboard.text  # the officer's menu
    assert "Log audit" not in dashboard.text  # not the auditor's
    token = session.scalars(select(ApiToken).where(ApiToken.name == "web")).one()
    assert token.revoked_at is None
    out = client.post("/logout", data={"csrf": _csrf(dashboard.text)}, follow_redirects=False)
    assert out.headers["location"] == "/login?reason=logged_out"
    session.refresh(token)
    assert token.revoked_at is not None
    assert client.get("/console", follow_redirects=False).status_code == 303
    logins = session.scalars(
        select(AuditEntryRow.actor).where(AuditEntryRow.resource_type == "web_sessions")
    ).all()
    assert logins == ["petugas1"]


def test_a_revoked_session_leads_back_to_login_saying_why(
    client: TestClient, session: Session
) -> None:
    _officer(session, "konsuler1", "kemlu", "consular")
    page = client.get("/login")
    client.post("/login", data={"username": "konsuler1", "password": "kata-sandi-panjang-1",
                                "csrf": _csrf(page.text)})  # fmt: skip
    for token in session.scalars(select(ApiToken).where(ApiToken.name == "web")):
        auth_service.revoke_token(session, token)
    session.commit()
    gone = client.get("/console", follow_redirects=False)
    assert gone.headers["location"] == "/login?next=/console&reason=expired"
    assert "Sesi Anda telah berakhir." in client.get(gone.headers["location"]).text


def test_the_dashboard_shows_what_the_role_may_see(
    client: TestClient, session: Session, headers_for: Callable[..., dict[str, str]]
) -> None:
    _officer(session, "pendamping1", "bp2mi", "case_worker")
    page = client.get("/login?lang=en")
    client.post("/login", data={"username": "pendamping1", "password": "kata-sandi-panjang-1",
                                "csrf": _csrf(page.text)})  # fmt: skip
    board = client.get("/console")
    assert board.status_code == 200
    for figure in ("open-alerts", "open-cases", "overdue", "open-referrals"):
        assert f'data-figure="{figure}"' in board.text
    assert "Signed in as pendamping1, bp2mi." in board.text


def test_a_malformed_address_is_an_error_page_not_json(
    client: TestClient, session: Session
) -> None:
    _officer(session)
    page = client.get("/login")
    client.post("/login", data={"username": "petugas1", "password": "kata-sandi-panjang-1",
                                "csrf": _csrf(page.text)})  # fmt: skip
    bad = client.get("/console/screening/not-a-number")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("text/html")
    assert "<h1>Isian tidak valid</h1>" in bad.text


def test_a_nul_character_in_a_form_is_refused_as_invalid_input(client: TestClient) -> None:
    form = client.get("/check-offer")
    refused = client.post("/check-offer", data={"text": "kerja\x00admin", "csrf": _csrf(form.text)})
    assert refused.status_code == 422
    assert "<h1>Isian tidak valid</h1>" in refused.text
    assert client.get("/check-offer?lang=en%00").status_code == 422


def test_logins_have_their_own_budget_per_address_and_per_username(
    settings: Settings, sessions: sessionmaker[Session], session: Session
) -> None:
    """Browsing the public pages past their limit does not lock an officer out of the
    console; guessing one username's password is limited from any address."""
    _officer(session)
    session.commit()
    app = create_app(settings.model_copy(update={"public_rate_limit": "3/minute",
                                                 "login_rate_limit": "4/minute"}),
                     sessions=sessions)  # fmt: skip

    def attempt(client: TestClient, password: str) -> int:
        page = client.get("/login")
        return client.post("/login", data={"username": "petugas1", "password": password,
                                           "csrf": _csrf(page.text)},
                           follow_redirects=False).status_code  # fmt: skip

    with TestClient(app, client=("10.0.0.1", 5000)) as office:
        browsed = [office.get("/verify", params={"name": "x"}).status_code for _ in range(4)]
        assert browsed[-1] == 429  # the public pages' budget is spent ...
        assert attempt(office, "kata-sandi-panjang-1") == 303  # ... the login's is not
    guesses = []
    for n in range(4):  # one guess from each of four addresses
        with TestClient(app, client=(f"10.0.1.{n}", 5000)) as guesser:
            guesses.append(attempt(guesser, f"tebakan-{n}"))
    assert guesses == [401, 401, 401, 429]  # the username's 4/minute, the office's included
    with TestClient(app, client=("10.0.2.1", 5000)) as late:
        assert attempt(late, "kata-sandi-panjang-1") == 429  # even the right password waits
