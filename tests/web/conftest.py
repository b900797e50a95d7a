"""Fixtures of the browser tests: a demo hub served per test module (each module's flows
change the demo's state) and one headless chromium for the whole run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import Hub, browser, served_demo
from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """The synthetic demo, served on a free port of localhost for this module."""
    with served_demo(tmp_path_factory.mktemp("hub")) as served:
        yield served


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless; each test opens contexts of its own."""
    with browser() as launched:
        yield launched
