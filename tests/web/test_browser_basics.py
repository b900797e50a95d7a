"""In a real browser (Debian's chromium, headless, driven by Playwright) against the hub
served from the demo: every agency's demo user logs in and sees its own dashboard; the
public offer check works in both languages; a person logs out."""

from __future__ import annotations

import re

from browser_support import Hub, log_in
from playwright.sync_api import Browser, expect

OFFER = "LOWKER ADMIN KAMBOJA gaji 15jt/bulan, tiket ditanggung, paspor diurus, bilang aja liburan"


def test_each_agency_logs_in_and_sees_its_own_dashboard(hub: Hub, chromium: Browser) -> None:
    assert set(hub.agencies.values()) == {"imigrasi", "kemnaker", "bp2mi", "kemlu", "polri"}
    for username, agency in hub.agencies.items():
        context = chromium.new_context()
        page = context.new_page()
        log_in(page, hub, username)
        expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
        expect(page.locator(".who")).to_have_text(f"{username} · {agency}")
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("status")).to_have_text("Anda sudah keluar.")
        context.close()


def test_the_public_offer_check_in_both_languages(hub: Hub, chromium: Browser) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{hub.url}/check-offer")
    page.get_by_label("Tawaran kerja").fill(OFFER)
    page.get_by_label("Dari mana tawaran itu Anda terima?").select_option("tiktok")
    page.get_by_role("button", name="Periksa").click()
    expect(page.locator("[data-band]")).to_have_text("risiko tinggi")
    expect(page.locator(".indicators li").first).to_be_visible()
    page.get_by_role("link", name="English").click()
    page.get_by_label("The job offer").fill(OFFER)
    page.get_by_role("button", name=re.compile("^Check$")).click()
    expect(page.locator("[data-band]")).to_have_text("high risk")
    expect(page.get_by_text("Kept: no")).to_be_visible()
    empty = context.new_page()
    empty.goto(f"{hub.url}/check-offer")
    empty.get_by_role("button", name=re.compile("^Check$")).click()
    expect(empty.locator("#text-error")).to_have_text("Paste the text of the job offer.")
    context.close()
