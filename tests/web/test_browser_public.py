"""In a real browser (Debian's chromium, headless, driven by Playwright) against the hub
served from the demo: a person verifies demo recruiters (licensed, revoked, and a phone an
individual agent uses, who is never named) and reads the help page in both languages,
with nothing refused by the pages' Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import Hub, served_demo
from playwright.sync_api import Browser, ConsoleMessage, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.db import make_engine
from lindungi.recruiters.models import Licence, Recruiter, RecruiterIdentifier


@dataclass(frozen=True)
class Demo:
    """The served demo, and recruiters of its registry to look up."""

    hub: Hub
    licensed: str  # a company name
    revoked: str
    agent: str  # an individual agent's name, which the pages must never show
    agent_phone: str


def _registry(database: Path) -> tuple[str, str, str, str]:
    """A licensed and a revoked company of the demo, and an individual agent with a phone."""
    engine = make_engine(f"sqlite:///{database}")
    today = dt.date.today()
    try:
        with Session(engine) as session:
            companies = session.execute(
                select(Recruiter.name, Licence.status, Licence.valid_until)
                .join(Licence, Licence.recruiter_id == Recruiter.id)
                .where(Recruiter.kind == "company")
                .order_by(Licence.id)
            ).all()
            licensed = next(n for n, s, until in companies if s == "active" and until > today)
            revoked = next(n for n, s, _ in companies if s == "revoked")
            agent, phone = session.execute(
                select(Recruiter.name, RecruiterIdentifier.value)
                .join(RecruiterIdentifier, RecruiterIdentifier.recruiter_id == Recruiter.id)
                .where(Recruiter.kind == "agent", RecruiterIdentifier.kind == "phone")
                .order_by(Recruiter.id)
            ).first() or ("", "")
    finally:
        engine.dispose()
    assert agent, "the demo registers an individual agent"
    assert phone, "the demo's agent has a phone"
    return licensed, revoked, agent, phone


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("hub")
    with served_demo(folder) as served:
        yield Demo(served, *_registry(folder / "hub.db"))


def test_a_person_verifies_demo_recruiters_in_both_languages(demo: Demo, chromium: Browser) -> None:
    context = chromium.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if _refused_by_csp(m) else None)
    page.goto(f"{demo.hub.url}/verify")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cek perekrut")
    page.get_by_label("Nama perusahaan").fill(demo.licensed)
    page.get_by_role("button", name="Cek", exact=True).click()
    expect(page.locator("[data-verdict]")).to_have_text("Berizin")
    expect(page.locator(".verdict-message")).to_contain_text("izinnya (SIP3MI) berlaku")
    expect(page.get_by_role("cell", name=demo.licensed)).to_be_visible()
    page.get_by_role("link", name="English").click()
    page.get_by_label("Company name").fill(demo.revoked)
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("[data-verdict]")).to_have_text("Licence revoked")
    expect(page.locator(".verdict-message")).to_contain_text("licence has been REVOKED")
    expect(page.locator(".advice")).to_contain_text("do not travel with this recruiter")
    page.get_by_label("Company name").fill("")
    page.get_by_label("Phone number").fill(demo.agent_phone)
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(
        page.get_by_text("an unlicensed individual agent (name not shown)").first
    ).to_be_visible()
    assert demo.agent not in page.content()
    page.get_by_label("Phone number").fill("")
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("#query-error")).to_have_text(
        "Fill in at least one: the name, the licence number or the phone number."
    )
    expect(page.get_by_label("Company name")).to_have_attribute("aria-invalid", "true")
    assert refused == []
    context.close()


def test_the_help_page_in_both_languages(demo: Demo, chromium: Browser) -> None:
    context = chromium.new_context(viewport={"width": 360, "height": 740})  # a phone
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if _refused_by_csp(m) else None)
    page.goto(demo.hub.url)
    page.get_by_role("link", name="Minta bantuan").first.click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Minta bantuan")
    expect(page.get_by_role("heading", name="Jika paspor Anda ditahan")).to_be_visible()
    expect(page.get_by_role("heading", name="Cara menghubungi KBRI")).to_be_visible()
    expect(page.locator("[data-hotline]")).not_to_be_empty()
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help")
    expect(page.get_by_role("heading", name="If your passport is taken")).to_be_visible()
    families = page.get_by_role("heading", name="For families: reporting a missing person")
    expect(families).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Report status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report status")
    expect(page.get_by_label("Tracking number")).to_be_visible()
    assert refused == []
    context.close()


def _refused_by_csp(message: ConsoleMessage) -> bool:
    """Whether the Content-Security-Policy refused something (an inline style or script).
    Other console errors are expected: a form refused with 422, no ``/favicon.ico``."""
    return "Content Security Policy" in message.text
