"""In a real browser (Debian's chromium, headless, driven by Playwright) against the hub
served from the demo: the immigration officer screens a traveller at the desk, reads the
explained high-risk result, refers them to BP2MI and sees the referral and the case."""

from __future__ import annotations

import re

from browser_support import Hub, log_in
from playwright.sync_api import Browser, expect

OFFER = "LOWKER ADMIN KAMBOJA gaji 15jt, tiket ditanggung, bilang aja liburan"


def test_the_officer_screens_a_traveller_and_refers_them(hub: Hub, chromium: Browser) -> None:
    officer = next(u for u, agency in hub.agencies.items()
                   if agency == "imigrasi" and u.endswith(".officer"))  # fmt: skip
    context = chromium.new_context()
    page = context.new_page()
    log_in(page, hub, officer)
    page.get_by_role("link", name="Meja skrining").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meja skrining")
    page.get_by_role("textbox", name=re.compile("^Referensi")).fill("PP-BROWSER-1")
    page.get_by_label("Nama lengkap").fill("Dewi Lestari")
    page.get_by_label("NIK").fill("3201014506950003")
    page.get_by_label("Tanggal lahir").fill("1995-06-05")
    page.get_by_label("Negara tujuan").select_option("KH")
    page.get_by_label("Visa", exact=True).select_option("tourist")
    page.get_by_label("Tujuan yang dinyatakan").select_option("tourism")
    page.get_by_label("Tiket pulang").select_option("no")
    page.get_by_label("Tawaran kerja sebagaimana diterima pelaku perjalanan").fill(OFFER)
    page.get_by_label("Asal tawaran kerja").select_option("tiktok")
    page.get_by_role("button", name="Lakukan skrining").click()

    page.wait_for_url(re.compile(r"/console/screening/\d+$"))
    expect(page.locator("[data-band]")).to_have_text("risiko tinggi")
    expect(page.locator("[data-action]")).to_have_text("rujuk ke BP2MI")
    expect(page.locator("tr[data-indicator]").first).to_be_visible()
    assert page.locator("tr[data-indicator]").count() >= 3

    page.get_by_label("Rujuk: serahkan kasusnya kepada BP2MI").check()
    page.get_by_label("Alasan (dicatat dalam berkas)").fill(
        "Visa turis ke Kamboja, tawaran kerja admin dari TikTok"
    )
    page.get_by_role("button", name="Catat keputusan").click()
    expect(page.get_by_role("status")).to_have_text("Keputusan sudah dicatat.")
    expect(page.locator("[data-decision]")).to_have_text("dirujuk ke BP2MI")
    expect(page.locator("[data-referral]")).to_have_text(re.compile(r"^Rujukan no\. \d+ \(open\)$"))
    expect(page.locator("[data-case]")).to_have_text(re.compile(r"Kasus no\. \d+"))

    page.get_by_role("link", name="Kembali ke meja skrining").click()
    recent = page.locator("table.screenings tbody tr").first
    expect(recent).to_contain_text("PP-BROWSER-1")
    expect(recent).to_contain_text("dirujuk ke BP2MI")
    context.close()
