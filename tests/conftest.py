"""Fixtures shared by the browser tests: one Chromium for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser import launch


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The machine's Chromium, started once and shared by every browser test."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
