"""Fixtures for every test: a build state of its own, and one Chromium for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from strictbuild.state import BuildState, building
from tests.browser import launch


@pytest.fixture(autouse=True)
def build_state() -> Iterator[BuildState]:
    """A fresh build state for each test, dropped when it ends.

    Plugin code called outside a build (a reader, a check, a generator's
    step) keeps what it collects where a build would: here, so no test
    sees what another left behind. A build the test runs opens its own.
    """
    with building() as state:
        yield state


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The machine's Chromium, started once and shared by every browser test."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
