"""Fixtures for every test: a build state of its own, Pelican's defaults kept, one shared Chromium."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator

import pytest
from pelican.settings import DEFAULT_CONFIG
from playwright.sync_api import Browser, sync_playwright

from strictbuild.reuse import VERIFY_ENV
from strictbuild.state import BuildState, building
from tests.browser import launch

# Every build a test runs (in this process or a child) renders each page it
# could copy from the previous build and compares the two: a page digest
# that missed something a template reads fails the test that met it.
os.environ.setdefault(VERIFY_ENV, "1")


@pytest.fixture(autouse=True)
def pelican_defaults_untouched() -> Iterator[None]:
    """Fail a test that changes Pelican's default settings.

    Every build in this process starts from a copy of them: a change (a
    reader handed the defaults themselves, which adds to ``MARKDOWN``) would
    give every later build here settings a build in a fresh process does not
    have, and so another content-cache fingerprint.
    """
    before = copy.deepcopy(DEFAULT_CONFIG)
    yield
    changed = sorted(
        key for key in before.keys() | DEFAULT_CONFIG.keys() if before.get(key) != DEFAULT_CONFIG.get(key)
    )
    if changed:
        DEFAULT_CONFIG.clear()
        DEFAULT_CONFIG.update(before)
        pytest.fail(f"the test changed Pelican's default settings: {', '.join(changed)}")


@pytest.fixture(autouse=True)
def environment_untouched() -> Iterator[None]:
    """Fail a test that leaves the environment changed (``monkeypatch.setenv`` puts it back).

    A build a later test runs in a child process inherits the environment:
    a variable left behind would give it inputs the parent's builds did not have.
    """
    before = dict(os.environ)
    yield
    after = dict(os.environ)
    changed = sorted(
        name
        for name in before.keys() | after.keys()
        if name != "PYTEST_CURRENT_TEST" and before.get(name) != after.get(name)
    )
    if changed:
        os.environ.clear()
        os.environ.update(before)
        pytest.fail(f"the test changed the environment: {', '.join(changed)}")


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
