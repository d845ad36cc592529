"""Every page is valid HTML by the Nu Html Checker."""

from __future__ import annotations

from pathlib import Path

from tests.site.broken import page, write
from tests.site.harness import Site
from tests.site.vnu import vnu_errors


def test_every_page_is_valid_html(site: Site) -> None:
    errors = vnu_errors(site.output)
    assert not errors, "\n".join(errors)


def test_invalid_html_fails_the_checker(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "good/index.html": page("<p>Fine</p>"),
            "bad/index.html": page('<p><div id="a"></div><span id="a"></span><img src="x.png"></p>'),
        },
    )
    errors = vnu_errors(tmp_path)
    assert errors
    assert all(error.startswith("bad/index.html:") for error in errors), errors
    assert any("Duplicate ID" in error for error in errors), errors
    assert any("alt" in error for error in errors), errors
