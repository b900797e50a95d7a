"""What the page tests share: reading a form's CSRF token, and logging in through the
login form as a new user of some agency and role."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from lindungi.auth import service as auth_service

PASSWORD = "kata-sandi-uji-yang-panjang"


def csrf_of(page: str) -> str:
    """The CSRF token a page's form carries."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, "the page carries no CSRF token"
    return found[1]


def log_in(client: TestClient, session: Session, username: str, agency: str, role: str) -> str:
    """Log in through the form as a new user; answer the session's CSRF token."""
    user = auth_service.add_user(session, username, agency=agency, roles=[role])
    auth_service.set_password(session, user, PASSWORD)
    session.commit()
    page = client.get("/login")
    done = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf": csrf_of(page.text)}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text
    return csrf_of(client.get("/console").text)
