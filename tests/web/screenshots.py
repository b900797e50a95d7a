"""Take the README's screenshots of the main pages, from the synthetic demo served on
localhost, in Debian's chromium (the same harness as the browser tests):

    python tests/web/screenshots.py docs/screenshots

Each page is shot at 1280 px wide (and the public offer check also at phone width);
the files are PNG, named after the page. Nothing is staged: the pages are shown as a
user of the demo sees them.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1])]

from browser_support import Hub, browser, log_in, served_demo  # noqa: E402
from playwright.sync_api import Browser, Page  # noqa: E402

OFFER = "LOWKER ADMIN KAMBOJA gaji 15jt/bulan, tiket ditanggung, paspor diurus, bilang aja liburan"


def _user(hub: Hub, agency: str, role: str) -> str:
    """A demo username of ``agency`` whose roles include ``role`` (from the demo's logins)."""
    for username, found in hub.agencies.items():
        if found == agency and role in hub.roles.get(username, ()):
            return username
    raise LookupError(f"the demo has no {role} at {agency}")


def _offer(page: Page, hub: Hub) -> None:
    page.goto(f"{hub.url}/check-offer")
    page.get_by_label(re.compile("Tawaran kerja|The job offer")).fill(OFFER)
    page.get_by_role("button", name=re.compile("^(Periksa|Check)$")).click()
    page.wait_for_selector("[data-band]")


SHOTS: list[tuple[str, str | None, str, Callable[[Page, Hub], None] | None]] = [
    ("public-home", None, "/", None),
    ("public-offer-check", None, "/check-offer", _offer),
    ("public-verify", None, "/verify", None),
    ("public-help", None, "/help?lang=en", None),
    ("console-dashboard", "bp2mi:case_worker", "/console", None),
    ("console-screening-desk", "imigrasi:officer", "/console/screening", None),
    ("console-cases", "bp2mi:case_worker", "/console/cases", None),
    ("console-alerts", "kemlu:consular", "/console/alerts", None),
    ("console-recruiters", "kemnaker:licensing", "/console/recruiters", None),
    ("console-audit", "bp2mi:auditor", "/console/audit", None),
]


def shoot(chromium: Browser, hub: Hub, folder: Path) -> list[Path]:
    """Every screenshot, skipping a page that does not answer 200 (named on stderr)."""
    made = []
    for name, who, path, act in SHOTS:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if who is not None:
            agency, role = who.split(":")
            try:
                log_in(page, hub, _user(hub, agency, role))
            except LookupError as missing:
                print(f"skipped {name}: {missing}", file=sys.stderr)
                context.close()
                continue
        answer = page.goto(f"{hub.url}{path}")
        if answer is None or answer.status != 200:
            print(f"skipped {name}: {path} answered {answer and answer.status}", file=sys.stderr)
            context.close()
            continue
        if act is not None:
            act(page, hub)
        target = folder / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        made.append(target)
        context.close()
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    _offer(page, hub)
    page.screenshot(path=str(folder / "public-offer-check-phone.png"), full_page=True)
    made.append(folder / "public-offer-check-phone.png")
    phone.close()
    return made


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work, served_demo(Path(work)) as hub, browser() as b:
        for path in shoot(b, hub, folder):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
