"""Fixtures for every test: a build state of its own, and one Chromium for the session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from strictbuild.reuse import VERIFY_ENV
from strictbuild.state import BuildState, building
from tests.browser import launch

# Every build a test runs (in this process or a child) renders each page it
# could copy from the previous build and compares the two: a page digest
# that missed something a template reads fails the test that met it.
os.environ.setdefault(VERIFY_ENV, "1")


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
