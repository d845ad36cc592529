"""Every page carries a strict CSP <meta>; no script can run inline anywhere in the output."""

from __future__ import annotations

import pytest

from tests.site.harness import Site, SitePage
from tests.site.scan import csp_problems, script_problems


def test_page_has_a_strict_csp_meta_right_after_charset(site: Site, page: SitePage) -> None:
    problems = csp_problems(site.text(page))
    assert not problems, "\n".join(problems)


def test_page_has_no_inline_script_handler_or_script_url(site: Site, page: SitePage) -> None:
    problems = script_problems(site.text(page))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("suffix", ["svg", "xml", "css", "js"])
def test_no_other_file_carries_a_script_url_or_handler(site: Site, suffix: str) -> None:
    """SVG images and other markup files must not carry script either."""
    problems = []
    for file in sorted(site.output.rglob(f"*.{suffix}")):
        name = file.relative_to(site.output)
        text = file.read_text("utf-8", errors="replace")
        if suffix in {"svg", "xml"}:
            problems += [f"{name}: {problem}" for problem in script_problems(text)]
        # The vendored chart runtime names the scheme in order to refuse it.
        elif "javascript:" in text.lower() and "vendor" not in name.parts:
            problems.append(f"{name}: contains a javascript: URL")
    assert not problems, "\n".join(problems)
