"""A hub served on localhost from the synthetic demo, and Debian's chromium driven by
Playwright, for the browser tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from tests_support import free_port

LINDUNGI = [sys.executable, "-m", "lindungi"]
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass(frozen=True)
class Hub:
    """The served demo: its address and the demo logins (username → password)."""

    url: str
    logins: dict[str, str]
    agencies: dict[str, str]  # username → agency
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # username → roles


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINDUNGI_")}
    env["XDG_DATA_HOME"] = str(folder / "data")
    env["LINDUNGI_DATABASE_URL"] = f"sqlite:///{folder / 'hub.db'}"
    env["LINDUNGI_PUBLIC_RATE_LIMIT"] = "1000/minute"
    env["LINDUNGI_LOGIN_RATE_LIMIT"] = "1000/minute"
    return env


@contextmanager
def served_demo(folder: Path, people: int = 20) -> Iterator[Hub]:
    """Load the demo into a fresh SQLite file and serve it on a free port."""
    env = _env(folder)
    loaded = subprocess.run([*LINDUNGI, "demo", "--no-serve", "--people", str(people)],
                            env=env, capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    logins, agencies, roles = {}, {}, {}
    for agency, username, held, password in re.findall(
        r"^  (\S+) +(\S+) +(\S+) +password (\S+)", loaded.stdout, re.M
    ):
        logins[username], agencies[username] = password, agency
        roles[username] = tuple(held.split(","))
    port = free_port()
    server = subprocess.Popen([*LINDUNGI, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(
                        server.stderr.read().decode() if server.stderr else ""
                    ) from None
                time.sleep(0.1)
        yield Hub(url, logins, agencies, roles)
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium_path() -> str:
    """Debian's chromium (the tests never download a browser of their own)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("chromium is not installed (Debian: apt-get install chromium)")
    return found


@contextmanager
def browser() -> Iterator[Browser]:
    """Headless chromium, closed afterwards."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


def log_in(page: Page, hub: Hub, username: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{hub.url}/login")
    page.get_by_label(re.compile("Nama pengguna|Username")).fill(username)
    page.get_by_label(re.compile("Kata sandi|Password")).fill(hub.logins[username])
    page.get_by_role("button", name=re.compile("Masuk|Log in")).click()
    page.wait_for_url(re.compile(r"/console"))
