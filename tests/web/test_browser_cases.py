"""In a real browser (Debian's chromium, headless, driven by Playwright) against the hub
served from the demo: the BP2MI case worker finds a reported case in the queue, verifies
it and records the person located, each step appearing in the case's timeline, and the
steps offered follow the case's stage."""

from __future__ import annotations

import re

from browser_support import Hub, log_in
from playwright.sync_api import Browser, Page, expect

CASE_WORKER = "bp2mi.caseworker"


def _step(page: Page, action: str, label: str, reason: str) -> None:
    """Take one workflow step through its own form on the case page."""
    form = page.locator(f'form[data-move="{action}"]')
    form.get_by_label("Alasan").fill(reason)
    form.get_by_role("button", name=label).click()
    expect(page.locator("#flash")).to_have_text(f"Langkah dicatat: {label}.")


def test_a_case_worker_moves_a_reported_case_through_two_stages(
    hub: Hub, chromium: Browser
) -> None:
    context = chromium.new_context()
    page = context.new_page()
    log_in(page, hub, CASE_WORKER)
    page.get_by_role("navigation", name="Konsol").get_by_role("link", name="Kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean kasus")
    page.get_by_label("Tahap").select_option("reported")
    page.get_by_role("button", name="Tampilkan").click()
    first = page.locator("tr[data-case]").first
    expect(first.locator("[data-state]")).to_have_text("dilaporkan")
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Kasus \S+-\S+$"))
    expect(page.locator("form[data-move]")).to_have_count(2)  # verify, close

    _step(page, "verify", "Verifikasi laporan", "Keluarga mengonfirmasi lewat telepon")
    expect(page.locator("dd[data-state]")).to_have_text("terverifikasi")
    expect(page.locator('form[data-move="verify"]')).to_have_count(0)
    _step(page, "locate", "Lokasi diketahui", "KBRI Phnom Penh menemukan alamat kompleks")
    expect(page.locator("dd[data-state]")).to_have_text("ditemukan lokasinya")

    timeline = page.locator("table.timeline")
    verified = timeline.locator('tr[data-action="verify"]')
    expect(verified).to_contain_text("Keluarga mengonfirmasi lewat telepon")
    expect(verified).to_contain_text(CASE_WORKER)
    expect(verified).to_contain_text("dilaporkan → terverifikasi")
    located = timeline.locator('tr[data-action="locate"]')
    expect(located).to_contain_text("KBRI Phnom Penh menemukan alamat kompleks")
    expect(located).to_contain_text("terverifikasi → ditemukan lokasinya")
    expect(page.locator('form[data-move="coordinate_rescue"]')).to_have_count(1)
    context.close()
