"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page, in light and dark mode."""

from __future__ import annotations

from typing import Literal

import pytest

from tests.browser import Reader, axe_violations
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violation(
    site: Site, reader: Reader, page: SitePage, scheme: Literal["light", "dark"]
) -> None:
    reader.page.emulate_media(color_scheme=scheme)
    try:
        reader.open(site.url(page))
        violations = axe_violations(reader.page)
    finally:
        reader.page.emulate_media(color_scheme="light")
    assert not violations, "\n".join(violations)
