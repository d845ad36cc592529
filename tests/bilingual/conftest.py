"""The bilingual fixture site, built once for the tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import build_content, copy_fixture


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built output of tests/fixtures/bilingual_site."""
    base = tmp_path_factory.mktemp("bilingual")
    result = build_content(copy_fixture("bilingual_site", base), base / "output")
    assert result.ok, "\n".join(map(str, result.problems))
    return result.output
