"""No secrets or personal data in the server's logs: the patterns, the hub's own error log
on a real request, and uvicorn's access log of a real server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from lindungi import logsafe
from lindungi.api.app import create_app
from tests_support import free_port, make_settings

TOKEN = "lgi_Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MA"
NIK = "3171012345670001"
PASSWORD = "Rahasia-Sekali-77"
PHONE = "0812-1111-2222"
PASSPORT = "C1234567"
WEBHOOK_SECRET = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
SECRETS = (TOKEN, NIK, PASSWORD, PHONE, "081211112222", PASSPORT, WEBHOOK_SECRET)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"Authorization: Bearer {TOKEN}", "Authorization: Bearer [REDACTED]"),
        (f"token {TOKEN} used", "token [REDACTED] used"),
        (f"nik={NIK}", "nik=[REDACTED]"),
        ("NIK 3171 0123 4567 0001 ditolak", "NIK [REDACTED] ditolak"),
        (f'{{"password": "{PASSWORD}"}}', '{"password": "[REDACTED]"}'),
        (f"smtp_password={PASSWORD}&x=1", "smtp_password=[REDACTED]&x=1"),
        (f"passport {PASSPORT} refused", "passport [REDACTED] refused"),
        (f"call {PHONE} or +62 813 2222 3333", "call [REDACTED] or [REDACTED]"),
        ("+855 12 345 678 in Phnom Penh", "[REDACTED] in Phnom Penh"),
        (f"secret {WEBHOOK_SECRET}", "secret [REDACTED]"),
        # Left alone: times, addresses, ids, sizes, licence numbers, token prefixes.
        ("2026-11-30T05:47:26.598848Z", "2026-11-30T05:47:26.598848Z"),
        ("127.0.0.1:8000 - GET /healthz 200", "127.0.0.1:8000 - GET /healthz 200"),
        ("case 42 seq=123456 size 1048576", "case 42 seq=123456 size 1048576"),
        ("KEP.101/PPTKLN/2020 token_hash", "KEP.101/PPTKLN/2020 token_hash"),
    ],
)
def test_redact(text: str, kept: str) -> None:
    assert logsafe.redact(text) == kept


def test_a_value_known_only_by_its_context_is_redacted() -> None:
    record = logging.LogRecord("lindungi.x", logging.INFO, __file__, 1, "password=%s", (PASSWORD,),
                               None)  # fmt: skip
    logsafe.redact_record(record)
    assert PASSWORD not in record.getMessage()
    assert record.getMessage() == "password=[REDACTED]"


@pytest.fixture
def installed() -> Iterator[None]:
    already = bool(logsafe._installed)
    logsafe.install()
    yield
    if not already:
        logsafe.uninstall()


def test_the_hubs_error_log_of_a_real_request_holds_no_secret(
    tmp_path: Path,
    sessions: sessionmaker[Session],
    installed: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(make_settings(tmp_path), sessions=sessions)

    @app.post("/boom")
    def boom(body: dict[str, str]) -> None:  # a careless handler, as a bug would be
        logging.getLogger("lindungi.test").warning("screening %s with password %s", body, PASSWORD)
        raise RuntimeError(f"cannot store nik {body['nik']} passport {body['passport']}")

    with caplog.at_level(logging.INFO), TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post(
            "/boom?phone=" + PHONE,
            json={"nik": NIK, "passport": PASSPORT, "secret": WEBHOOK_SECRET},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert answer.status_code == 500
    assert "unhandled error on POST /boom" in caplog.text
    assert "RuntimeError: cannot store nik [REDACTED] passport [REDACTED]" in caplog.text
    for secret in SECRETS:
        assert secret not in caplog.text


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """uvicorn's configuration changes global loggers: put them back after the test."""
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "lindungi")
    saved = {n: (list(logging.getLogger(n).handlers), logging.getLogger(n).propagate,
                 logging.getLogger(n).level) for n in names}  # fmt: skip
    was_installed = bool(logsafe._installed)
    logsafe.uninstall()  # prove the handlers' filter alone is enough
    yield
    for name, (handlers, propagate, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.propagate, logger.level = propagate, level
    if was_installed:
        logsafe.install()


def test_uvicorns_access_log_of_a_real_server_holds_no_secret(
    tmp_path: Path,
    sessions: sessionmaker[Session],
    restored_logging: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = create_app(make_settings(tmp_path), sessions=sessions)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=logsafe.uvicorn_log_config()
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as http:
            http.get(f"/api/v1/public/verify?phone={PHONE}&name=x",
                     headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
            http.get(f"/api/v1/me?nik={NIK}&password={PASSWORD}&passport={PASSPORT}",
                     headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
            http.get(f"/api/v1/public/verify?name={TOKEN}&licence_no={WEBHOOK_SECRET}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    out = capsys.readouterr()
    logged = out.out + out.err
    assert "GET /api/v1/public/verify?phone=[REDACTED]&name=x" in logged
    assert "GET /api/v1/me?nik=[REDACTED]&password=[REDACTED]&passport=[REDACTED]" in logged
    for secret in SECRETS:
        assert secret not in logged
