"""The alerts page in a real browser (Debian's chromium, headless, driven by Playwright)
against the hub served from the demo: a consular officer sees the map drawn by the hub's
own Leaflet on a plain background (no tiles configured, no request leaves the hub, no
content-security-policy violation) and the list of open alerts, and takes one in hand,
which then shows as acknowledged."""

from __future__ import annotations

import re

from browser_support import Hub, log_in
from playwright.sync_api import Browser, ConsoleMessage, Request, expect

CONSULAR = "kemlu.consular"


def test_a_consular_officer_sees_the_map_and_takes_an_alert_in_hand(
    hub: Hub, chromium: Browser
) -> None:
    context = chromium.new_context()
    page = context.new_page()
    complaints: list[str] = []  # errors in the console: a CSP violation, a script error
    failed: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: complaints.append(m.text) if _is_error(m) else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("request", lambda r: None if _is_local(r, hub) else elsewhere.append(r.url))
    log_in(page, hub, CONSULAR)
    page.get_by_role("link", name="Peringatan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peringatan")
    the_map = page.locator("#alerts-map")
    expect(the_map).to_be_visible()
    expect(the_map).to_have_attribute("data-ready", "true")
    expect(the_map).to_have_attribute("data-alerts", re.compile(r"^[1-9][0-9]*$"))
    expect(the_map).to_have_class(re.compile(r"\bplain\b"))  # no tiles configured
    expect(the_map.locator("path.alert-point").first).to_be_attached()
    expect(the_map.locator("path.zone-high_risk").first).to_be_attached()
    expect(page.locator(".map-fallback")).to_have_count(0)
    first = page.locator('tr[data-status="open"]').first
    expect(first).to_be_visible()
    alert_id = first.get_attribute("data-alert")
    assert alert_id is not None
    first.get_by_role("button", name="Tangani").click()
    expect(page.get_by_role("status")).to_contain_text("Peringatan sudah ditangani")
    row = page.locator(f"#alert-{alert_id}")
    expect(row).to_have_attribute("data-status", "acknowledged")
    expect(row.locator(".status")).to_contain_text("ditangani")
    expect(row.locator(".status")).to_contain_text(f"oleh {CONSULAR}")
    expect(row.get_by_role("button", name="Tangani")).to_have_count(0)
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    # A failed load is checked above by its address (the browser's own favicon request
    # answers 404 and is not the page's doing); everything else in the console counts.
    assert [text for text in complaints if not text.startswith("Failed to load resource")] == []
    assert elsewhere == []
    context.close()


def test_without_javascript_the_list_and_forms_still_work(hub: Hub, chromium: Browser) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, hub, CONSULAR)
    page.goto(f"{hub.url}/console/alerts")
    expect(page.locator(".map-fallback")).to_be_visible()
    opened = page.locator('tr[data-status="open"]')
    expect(opened.first).to_be_visible()
    alert_id = opened.first.get_attribute("data-alert")
    page.locator(f"#resolution-{alert_id}").fill("pekerja dihubungi, aman")
    page.locator(f"#alert-{alert_id}").get_by_role("button", name="Selesaikan").click()
    expect(page.get_by_role("status")).to_have_text("Peringatan sudah diselesaikan.")
    expect(page.locator(f"#alert-{alert_id}")).to_have_attribute("data-status", "resolved")
    context.close()


def _is_error(message: ConsoleMessage) -> bool:
    return message.type == "error"


def _is_local(request: Request, hub: Hub) -> bool:
    return request.url.startswith((hub.url, "data:"))
